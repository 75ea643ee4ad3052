#include "translatecommand.h"

#include "capturecomparison.h"
#include "configuration.h"
#include "engine.h"
#include "harcapture.h"
#include "jsonreader.h"
#include "messagestream.h"
#include "outputformat.h"
#include "settings.h"
#include "streamtranslator.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>

#include <cstdio>

using namespace km;

namespace {

const char *const kHelpExamples = R"(
Examples:
  kmtester-cli translate calls.ndjson
      segment-cloud (the default engine), settings as Segment's server code reads them.
  kmtester-cli translate --engine segment-device --settings '{"apiKey":"k","trackNamedPages":false}' page.json
  kmtester-cli translate --settings @settings.json --now 1577836800 batch.json
  echo '{"type":"track","event":"Signed Up","userId":"u1"}' | kmtester-cli translate --settings '{"apiKey":"k"}'
  kmtester-cli translate --engine segment-device --env KM_SKIP_PAGE_VIEW=1 --env 'userAgent=Mozilla/5.0 (iPhone)' page.json
  kmtester-cli translate --format curl --settings '{"apiKey":"k"}' calls.ndjson      (key shown as <API_KEY>)
  kmtester-cli translate --format url --show-key --host https://trk.kissmetrics.com calls.ndjson
  kmtester-cli translate --capture-settings shop.har
      The Segment calls a browser sent (DevTools → Save all as HAR), translated with the Kissmetrics
      settings and the connection mode the capture shows; --settings/--engine still override them.

Output (json): one line per input message, {"index", "engine", "output", "warnings"}; a message the
real integration rejects has "error" and an empty output; input that is not a message gives
{"index", "error": "line L, column C: ..."} and the exit status 1. Unreadable input exits 2.
)";

bool readJsonArgument(const QString &argument, std::string *text, std::string *error)
{
    if (argument.startsWith(QLatin1Char('@'))) {
        QFile file(argument.mid(1));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = "cannot read " + argument.mid(1).toStdString() + ": " + file.errorString().toStdString();
            return false;
        }
        *text = file.readAll().toStdString();
        return true;
    }
    *text = argument.toStdString();
    return true;
}

// --env NAME=VALUE: VALUE as JSON when it parses, else as a string.
bool parseEnv(const QStringList &entries, Environment *env, std::string *error)
{
    JsonReader reader;
    for (const QString &entry : entries) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = "--env expects NAME=VALUE, got \"" + entry.toStdString() + "\"";
            return false;
        }
        const std::string name = entry.left(eq).toStdString();
        const std::string valueText = entry.mid(eq + 1).toStdString();
        Arena arena;
        JsonResult parsed = reader.parse(valueText, arena);
        const Value value = parsed.ok() ? parsed.value : Value::string(valueText);
        env->values().set(name, value);
    }
    return true;
}

} // namespace

QString TranslateCommand::description() const
{
    return QStringLiteral("Translate Segment calls into what Kissmetrics receives from an engine.");
}

int TranslateCommand::execute(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description() + QString::fromUtf8(kHelpExamples));
    parser.addHelpOption();
    QCommandLineOption engineOption(
            QStringLiteral("engine"),
            QStringLiteral("segment-cloud (default), segment-device, rudder-device or rudder-cloud."),
            QStringLiteral("ENGINE"), QStringLiteral("segment-cloud"));
    QCommandLineOption settingsOption(
            QStringLiteral("settings"),
            QStringLiteral("Destination settings as JSON, or @FILE: apiKey, prefixProperties, "
                           "trackNamedPages, trackCategorizedPages. A missing key takes the "
                           "value the engine uses when it is absent."),
            QStringLiteral("JSON"));
    QCommandLineOption envOption(QStringLiteral("env"),
                                 QStringLiteral("A browser global for the device engines (KM_SKIP_PAGE_VIEW=1) or the "
                                                "user agent (userAgent=...). VALUE is JSON when it parses, else text. "
                                                "Repeatable."),
                                 QStringLiteral("NAME=VALUE"));
    QCommandLineOption nowOption(QStringLiteral("now"),
                                 QStringLiteral("The clock in Unix seconds, wherever an engine uses the current time "
                                                "(default: the real clock)."),
                                 QStringLiteral("UNIX_SECONDS"));
    QCommandLineOption formatOption(
            QStringLiteral("format"),
            QStringLiteral("json (default, the CLI contract), curl (a cURL command per request) "
                           "or url (a URL per request; form bodies follow POST URLs)."),
            QStringLiteral("FORMAT"), QStringLiteral("json"));
    QCommandLineOption showKeyOption(QStringLiteral("show-key"),
                                     QStringLiteral("With --format curl/url: print the API key instead of <API_KEY>."));
    QCommandLineOption hostOption(
            QStringLiteral("host"),
            QStringLiteral("Tracking host for --format curl/url (default https://trk.kissmetrics.io; "
                           "Segment's server used https://trk.kissmetrics.com)."),
            QStringLiteral("URL"),
            QString::fromLatin1(OutputFormat::DefaultHost.data(), OutputFormat::DefaultHost.size()));
    QCommandLineOption explainOption(
            QStringLiteral("explain"),
            QStringLiteral("Add \"origins\": where each output property came from and the rules "
                           "that shaped it."));
    QCommandLineOption captureSettingsOption(
            QStringLiteral("capture-settings"),
            QStringLiteral("With a HAR capture: start from the Kissmetrics settings of its Segment settings "
                           "response, its connection mode (segment-device when the calls list KISSmetrics as "
                           "bundled) unless --engine is given, and the browser's user agent. --settings and "
                           "--env keys override them."));
    parser.addOptions({engineOption, settingsOption, envOption, nowOption, formatOption, showKeyOption, hostOption,
                       explainOption, captureSettingsOption});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("A message, a JSON array, a batch body, NDJSON or a HAR capture "
                                                "(default: standard input, also \"-\")."),
                                 QStringLiteral("[FILE | -]"));
    if (!parser.parse(args)) {
        std::fprintf(stderr, "kmtester-cli translate: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }

    EngineId engineId;
    if (!engineFromName(parser.value(engineOption).toStdString(), &engineId)) {
        std::fprintf(stderr,
                     "kmtester-cli translate: unknown engine \"%s\" (segment-cloud, segment-device, "
                     "rudder-device, rudder-cloud)\n",
                     qPrintable(parser.value(engineOption)));
        return 2;
    }
    Settings settings;
    if (parser.isSet(settingsOption)) {
        std::string text, error;
        if (!readJsonArgument(parser.value(settingsOption), &text, &error)
            || !Settings::fromJson(text, &settings, &error)) {
            std::fprintf(stderr, "kmtester-cli translate: --settings: %s\n", error.c_str());
            return 2;
        }
    }
    Environment environment;
    {
        std::string error;
        if (!parseEnv(parser.values(envOption), &environment, &error)) {
            std::fprintf(stderr, "kmtester-cli translate: %s\n", error.c_str());
            return 2;
        }
    }
    TranslateOptions options;
    if (parser.isSet(nowOption)) {
        bool ok = false;
        const double now = parser.value(nowOption).toDouble(&ok);
        if (!ok) {
            std::fprintf(stderr, "kmtester-cli translate: --now expects Unix seconds, got \"%s\"\n",
                         qPrintable(parser.value(nowOption)));
            return 2;
        }
        options.nowMillis = now * 1000.0;
    } else {
        options.nowMillis = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    }
    options.explain = parser.isSet(explainOption) ? ExplainMode::On : ExplainMode::Off;
    const QString format = parser.value(formatOption);
    if (format != QLatin1String("json") && format != QLatin1String("curl") && format != QLatin1String("url")) {
        std::fprintf(stderr, "kmtester-cli translate: --format expects json, curl or url\n");
        return 2;
    }
    const KeyVisibility visibility = parser.isSet(showKeyOption) ? KeyVisibility::Shown : KeyVisibility::Redacted;
    const std::string host = parser.value(hostOption).toStdString();

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "kmtester-cli translate: one input at most (got %lld)\n",
                     static_cast<long long>(positional.size()));
        return 2;
    }
    QFile input;
    const QString path = positional.isEmpty() ? QStringLiteral("-") : positional.first();
    if (path == QLatin1String("-")) {
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            std::fprintf(stderr, "kmtester-cli translate: cannot read standard input\n");
            return 2;
        }
    } else {
        input.setFileName(path);
        if (!input.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "kmtester-cli translate: cannot read %s: %s\n", qPrintable(path),
                         qPrintable(input.errorString()));
            return 2;
        }
    }

    MessageStream stream(&input);
    if (stream.detectFormat() == MessageStream::Format::Har) {
        const HarCapture &capture = *stream.capture();
        std::fprintf(stderr, "kmtester-cli translate: %s: %s\n", qPrintable(path), capture.summary(visibility).c_str());
        if (parser.isSet(captureSettingsOption)) {
            if (!capture.hasSettings()) {
                std::fprintf(stderr, "kmtester-cli translate: --capture-settings: %s holds no Kissmetrics settings\n",
                             qPrintable(path));
                return 2;
            }
            // The capture's setup first, then what the options say on top of it.
            Configuration base;
            base.engine = engineId;
            base.settings = Settings();
            base.environment = Environment();
            Configuration applied = capture.setup().applyTo(base);
            applied.settings.values().assign(settings.values().object());
            applied.environment.values().assign(environment.values().object());
            settings = applied.settings;
            environment = applied.environment;
            if (!parser.isSet(engineOption))
                engineId = applied.engine;
        }
        if (!capture.kissmetricsRequests().empty()) {
            // What Kissmetrics received, beside what this engine and these settings predict.
            Configuration used;
            used.engine = engineId;
            used.settings = settings;
            used.environment = environment;
            for (const std::string &line : compareCapture(capture, used, options.nowMillis).lines())
                std::fprintf(stderr, "kmtester-cli translate: %s: %s\n", qPrintable(path), line.c_str());
        }
    } else if (parser.isSet(captureSettingsOption)) {
        // A capture that is not valid JSON is not recognised as one: say what breaks it.
        InputMessage first;
        Arena scratch;
        std::string why;
        if (stream.format() == MessageStream::Format::Document && stream.next(first, scratch) && !first.isValid())
            why = " (it is not valid JSON: " + first.error + ")";
        std::fprintf(stderr, "kmtester-cli translate: --capture-settings: %s is not a HAR capture%s\n",
                     qPrintable(path), why.c_str());
        return 2;
    }
    stream.setStringStorage(JsonReader::StringStorage::Reader); // each message is written before the next is read
    StreamTranslator translator(stream, engineId, settings, environment, options);
    Arena arena;
    InputMessage message;
    Translation translation;
    JsonWriter writer;
    int status = 0;
    while (translator.next(message, translation, arena)) {
        writer.clear();
        if (!message.isValid()) {
            OutputFormat::writeInputError(writer, message.index, message.error);
            status = 1;
        } else {
            for (const JsonIssue &w : message.warnings)
                translation.warn("input", w.toString(), {});
            if (format == QLatin1String("json")) {
                OutputFormat::writeLine(writer, message.index, translation, arena, options.explain);
            } else {
                std::string &out = writer.buffer();
                out += "# message " + std::to_string(message.index) + " (" + engineName(engineId) + ")";
                if (translation.isRejected())
                    out += ": rejected: " + translation.error;
                for (const HttpRequest &r : translation.requests) {
                    out += '\n';
                    if (format == QLatin1String("curl")) {
                        out += OutputFormat::curl(r, host, settings.apiKey(), visibility);
                    } else {
                        out += OutputFormat::url(r, host, settings.apiKey(), visibility);
                        if (r.method == HttpMethod::Post)
                            out += "\n  POST body: " + OutputFormat::wire(r, settings.apiKey(), visibility);
                    }
                }
                for (const ClientCall &c : translation.pushes)
                    out += '\n' + OutputFormat::javaScript(c);
            }
        }
        writer.buffer().push_back('\n');
        std::fwrite(writer.buffer().data(), 1, writer.buffer().size(), stdout);
        arena.reset();
    }
    std::fflush(stdout);
    return status;
}
