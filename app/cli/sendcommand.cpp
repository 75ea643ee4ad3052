#include "sendcommand.h"

#include "engine.h"
#include "harcapture.h"
#include "historywriter.h"
#include "jsonreader.h"
#include "messagestream.h"
#include "networkmanager.h"
#include "outbox.h"
#include "retrypolicy.h"
#include "sender.h"
#include "sendfeeder.h"
#include "sendhistory.h"
#include "settings.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QUrl>

#include <csignal>
#include <cstdio>
#include <limits>
#include <utility>

#include <unistd.h>

using namespace km;

namespace {

const char *const kHelpExamples = R"(
Only the HTTP engines (segment-cloud, rudder-cloud) can be sent; the device engines run in a
browser and have nothing to send from here.

FILE is read and translated while the first requests are already on their way: the requests are
written to the outbox (--outbox, default ~/.local/share/kmtester/outbox) a few hundred at a time,
each batch on disk (fsync) before any of it is sent, and each request is marked done after its final
response. So an interrupted run (Ctrl+C, a crash, kill -9) loses nothing it had queued: the next
`send` to the same target sends what is left first ("resuming N unsent requests"), each with its own
_t, so a resend is the same event. A request is resumed only with the API key it was queued with
(the outbox keeps a salted fingerprint of the key, never the key); the others stay in the outbox
("N unsent request(s) were queued with a different API key") unless --discard-other-keys drops
them (so do requests queued before fingerprints existed). FILE may be left out to only resume; run
with the same FILE, a send that was stopped while still reading it goes on after the messages it had
queued ("continuing FILE after message N"), so nothing is queued twice.
A message that cannot be read is reported with its line and column and skipped; the rest is sent.
Failures are retried with exponential backoff and jitter (connection failures, timeouts,
429 with Retry-After, 5xx); other 4xx are not retried. A 200 only means "transport OK": Kissmetrics
answers 200 even for bad parameters, so the preview's warnings are kept with each request in the
history (--history, default ~/.local/share/kmtester/history).

The API key comes from --settings apiKey; it is never printed nor written to any file (shown as
<API_KEY>). A target other than loopback (127.0.0.0/8, ::1, localhost) needs --yes: the data lands
next to real data.

Progress goes to standard error (one updating line on a terminal), the summary to standard output.
Exit status: 0 all sent, 1 something failed or a message could not be read, 2 nothing sent (bad
options or input).

Examples:
  kmtester-cli serve --port 8080 &
  kmtester-cli send --target http://127.0.0.1:8080 --settings '{"apiKey":"k"}' calls.ndjson
  kmtester-cli send --target http://127.0.0.1:8080 --settings @settings.json --rate 50 --concurrency 4 calls.ndjson
  kmtester-cli send --target http://127.0.0.1:8080 --settings @settings.json      (resume only)
  kmtester-cli send --target https://trk.kissmetrics.io --settings @prod.json --yes calls.ndjson
)";

bool readJsonArgument(const QString &argument, std::string *text, QString *error)
{
    if (!argument.startsWith(QLatin1Char('@'))) {
        *text = argument.toStdString();
        return true;
    }
    QFile file(argument.mid(1));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(argument.mid(1), file.errorString());
        return false;
    }
    *text = file.readAll().toStdString();
    return true;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// One line of progress: rewritten in place on a terminal, a plain line per second otherwise.
class ProgressLine
{
public:
    ProgressLine()
        : m_isTerminal(::isatty(STDERR_FILENO) == 1)
    {
        m_sinceUpdate.start();
    }

    void update(const SendProgress &p, double seconds, bool force = false)
    {
        const qint64 interval = m_isTerminal ? 100 : 1000;
        if (!force && m_sinceUpdate.isValid() && m_sinceUpdate.elapsed() < interval)
            return;
        m_sinceUpdate.restart();
        const double rate = seconds > 0 ? (p.sent + p.failed) / seconds : 0;
        const QByteArray text =
                QStringLiteral("sending: %1/%2 done, %3 sent, %4 failed, %5 in flight, %6 queued, %7 req/s")
                        .arg(p.sent + p.failed + p.cancelled)
                        .arg(p.total)
                        .arg(p.sent)
                        .arg(p.failed)
                        .arg(p.inFlight)
                        .arg(p.queued)
                        .arg(rate, 0, 'f', 0)
                        .toUtf8();
        if (m_isTerminal) {
            std::fprintf(stderr, "\r\033[K%s", text.constData());
            m_dirty = true;
        } else {
            std::fprintf(stderr, "%s\n", text.constData());
        }
        std::fflush(stderr);
    }
    // A message of its own on standard error, not mixed into the updating line.
    void print(const QByteArray &line)
    {
        clear();
        std::fprintf(stderr, "%s\n", line.constData());
    }
    void clear()
    {
        if (m_dirty) {
            std::fputs("\r\033[K", stderr);
            m_dirty = false;
        }
    }

private:
    bool m_isTerminal;
    bool m_dirty = false;
    QElapsedTimer m_sinceUpdate;
};

constexpr qsizetype kHistoryBatch = 256;
constexpr qint64 kHistoryDelayMs = 100;

extern "C" void onInterrupt(int)
{
    static const char message[] = "\nkmtester-cli send: interrupted; the unsent requests queued so far stay in the "
                                  "outbox and go first on the next send to this target (the same command goes on "
                                  "with the rest of its file)\n";
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(130);
}

} // namespace

QString SendCommand::description() const
{
    return QStringLiteral("Send the requests an HTTP engine makes for a file, through a durable outbox.");
}

int SendCommand::execute(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description() + QString::fromUtf8(kHelpExamples));
    parser.addHelpOption();
    QCommandLineOption targetOption(
            QStringLiteral("target"),
            QStringLiteral("Base URL to send to, e.g. http://127.0.0.1:8080 (the built-in endpoint, "
                           "`kmtester-cli serve`) or https://trk.kissmetrics.io."),
            QStringLiteral("URL"));
    QCommandLineOption engineOption(QStringLiteral("engine"),
                                    QStringLiteral("segment-cloud (default) or rudder-cloud."),
                                    QStringLiteral("ENGINE"), QStringLiteral("segment-cloud"));
    QCommandLineOption settingsOption(
            QStringLiteral("settings"),
            QStringLiteral("Destination settings as JSON, or @FILE; apiKey is the key sent as _k."),
            QStringLiteral("JSON"));
    QCommandLineOption envOption(
            QStringLiteral("env"),
            QStringLiteral("A browser global or userAgent for the translation (NAME=VALUE; VALUE is "
                           "JSON when it parses). Repeatable."),
            QStringLiteral("NAME=VALUE"));
    QCommandLineOption nowOption(
            QStringLiteral("now"),
            QStringLiteral("The clock in Unix seconds for the translation (default: the real clock)."),
            QStringLiteral("UNIX_SECONDS"));
    QCommandLineOption concurrencyOption(
            QStringLiteral("concurrency"),
            QStringLiteral("Requests in flight at once (default %1).").arg(Sender::DefaultConcurrency),
            QStringLiteral("N"), QString::number(Sender::DefaultConcurrency));
    QCommandLineOption rateOption(QStringLiteral("rate"),
                                  QStringLiteral("Requests started per second at most (default 0: no limit)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                     QStringLiteral("Milliseconds without any data before an attempt times out "
                                                    "(default %1).")
                                             .arg(Sender::DefaultTimeout.count()),
                                     QStringLiteral("MS"), QString::number(Sender::DefaultTimeout.count()));
    QCommandLineOption retriesOption(
            QStringLiteral("retries"),
            QStringLiteral("Retries after the first attempt (default %1).").arg(RetryPolicy::DefaultMaxAttempts - 1),
            QStringLiteral("N"), QString::number(RetryPolicy::DefaultMaxAttempts - 1));
    QCommandLineOption outboxOption(
            QStringLiteral("outbox"),
            QStringLiteral("The outbox directory (default %1).").arg(Outbox::defaultDirectory()),
            QStringLiteral("DIR"));
    QCommandLineOption historyOption(
            QStringLiteral("history"),
            QStringLiteral("The history directory (default %1).").arg(SendHistory::defaultDirectory()),
            QStringLiteral("DIR"));
    QCommandLineOption noHistoryOption(QStringLiteral("no-history"), QStringLiteral("Keep no history of this run."));
    QCommandLineOption yesOption(QStringLiteral("yes"),
                                 QStringLiteral("Confirm sending to a target that is not on this machine."));
    QCommandLineOption discardOption(QStringLiteral("discard-other-keys"),
                                     QStringLiteral("Drop the unsent requests for the target that were queued with "
                                                    "another API key (or an unknown one) instead of keeping them."));
    QCommandLineOption captureSettingsOption(
            QStringLiteral("capture-settings"),
            QStringLiteral("With a HAR capture as FILE: start from the Kissmetrics settings of its Segment "
                           "settings response (its API key among them); keys in --settings override them."));
    parser.addOptions({targetOption, engineOption, settingsOption, envOption, nowOption, concurrencyOption, rateOption,
                       timeoutOption, retriesOption, outboxOption, historyOption, noHistoryOption, yesOption,
                       discardOption, captureSettingsOption});
    parser.addPositionalArgument(
            QStringLiteral("FILE"),
            QStringLiteral("A message, a JSON array, a batch body, NDJSON or a HAR capture (\"-\": standard "
                           "input). Without it, only what the outbox holds for the target is sent."),
            QStringLiteral("[FILE | -]"));
    const auto usageError = [](const QString &message) {
        std::fprintf(stderr, "kmtester-cli send: %s\n", qPrintable(message));
        return 2;
    };
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }

    // The target.
    if (!parser.isSet(targetOption))
        return usageError(
                QStringLiteral("--target URL is required (e.g. http://127.0.0.1:8080 for `kmtester-cli serve`)"));
    const QString target = parser.value(targetOption);
    const QUrl targetUrl(target, QUrl::StrictMode);
    if (!targetUrl.isValid() || targetUrl.host().isEmpty()
        || (targetUrl.scheme() != QLatin1String("http") && targetUrl.scheme() != QLatin1String("https"))
        || targetUrl.hasQuery() || targetUrl.hasFragment())
        return usageError(QStringLiteral("--target expects an http:// or https:// base URL without query, got \"%1\"")
                                  .arg(target));
    if (!isLoopbackHost(targetUrl.host()) && !parser.isSet(yesOption))
        return usageError(QStringLiteral("%1 is not on this machine: the requests would land next to real data. Add "
                                         "--yes to send there, or send to the built-in endpoint (`kmtester-cli serve`, "
                                         "then --target http://127.0.0.1:PORT).")
                                  .arg(targetUrl.host()));

    // What to translate with.
    EngineId engineId;
    if (!engineFromName(parser.value(engineOption).toStdString(), &engineId))
        return usageError(
                QStringLiteral("unknown engine \"%1\" (segment-cloud, rudder-cloud)").arg(parser.value(engineOption)));
    if (outputKind(engineId) != OutputKind::Http)
        return usageError(
                QStringLiteral("%1 runs in the browser (it pushes calls to window._kmq, the Kissmetrics script "
                               "sends them): there are no HTTP requests to send. Use segment-cloud or "
                               "rudder-cloud, or `kmtester-cli translate --engine %1` to see the calls.")
                        .arg(QLatin1String(engineName(engineId))));
    Settings settings;
    if (parser.isSet(settingsOption)) {
        std::string text, error;
        QString readError;
        if (!readJsonArgument(parser.value(settingsOption), &text, &readError))
            return usageError(QStringLiteral("--settings: ") + readError);
        if (!Settings::fromJson(text, &settings, &error))
            return usageError(QStringLiteral("--settings: ") + QString::fromStdString(error));
    }
    if (parser.isSet(captureSettingsOption)) {
        // The capture is read here once for its settings, and again below for its calls.
        const QStringList files = parser.positionalArguments();
        if (files.isEmpty() || files.first() == QLatin1String("-"))
            return usageError(QStringLiteral("--capture-settings needs the capture as FILE"));
        QFile file(files.first());
        if (!file.open(QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read %1: %2").arg(files.first(), file.errorString()));
        MessageStream probe(&file);
        const HarCapture *capture = probe.detectFormat() == MessageStream::Format::Har ? probe.capture() : nullptr;
        if (!capture || !capture->hasSettings())
            return usageError(QStringLiteral("--capture-settings: %1 %2")
                                      .arg(files.first(), capture ? QStringLiteral("holds no Kissmetrics settings")
                                                                  : QStringLiteral("is not a HAR capture")));
        Settings captured = capture->settings();
        captured.values().assign(settings.values().object());
        settings = captured;
    }
    const QByteArray apiKey = SendRequest::apiKeyText(settings.apiKey());
    const QString snapshot = SendRequest::settingsSnapshotOf(settings);
    Environment environment;
    {
        JsonReader reader;
        for (const QString &entry : parser.values(envOption)) {
            const qsizetype eq = entry.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return usageError(QStringLiteral("--env expects NAME=VALUE, got \"%1\"").arg(entry));
            const std::string valueText = entry.mid(eq + 1).toStdString();
            Arena arena;
            const JsonResult parsed = reader.parse(valueText, arena);
            environment.values().set(entry.left(eq).toStdString(),
                                     parsed.ok() ? parsed.value : Value::string(valueText));
        }
    }
    TranslateOptions options;
    options.nowMillis = double(QDateTime::currentMSecsSinceEpoch());
    if (parser.isSet(nowOption)) {
        bool ok = false;
        const double now = parser.value(nowOption).toDouble(&ok);
        if (!ok)
            return usageError(QStringLiteral("--now expects Unix seconds, got \"%1\"").arg(parser.value(nowOption)));
        options.nowMillis = now * 1000.0;
    }

    // How to send.
    const auto positiveInt = [&](const QCommandLineOption &option, int minimum, int *out) {
        bool ok = false;
        *out = parser.value(option).toInt(&ok);
        return ok && *out >= minimum;
    };
    int concurrency = 0, timeoutMs = 0, retries = 0;
    if (!positiveInt(concurrencyOption, 1, &concurrency))
        return usageError(QStringLiteral("--concurrency expects a number from 1"));
    if (!positiveInt(timeoutOption, 1, &timeoutMs))
        return usageError(QStringLiteral("--timeout expects milliseconds, from 1"));
    if (!positiveInt(retriesOption, 0, &retries))
        return usageError(QStringLiteral("--retries expects a number from 0"));
    bool rateOk = false;
    const double rate = parser.value(rateOption).toDouble(&rateOk);
    if (!rateOk || rate < 0)
        return usageError(QStringLiteral("--rate expects requests per second (0: no limit)"));

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usageError(QStringLiteral("one input at most (got %1)").arg(positional.size()));
    std::unique_ptr<QFile> input;
    const QString inputPath = positional.isEmpty() ? QString() : positional.first();
    if (!positional.isEmpty()) {
        input = std::make_unique<QFile>();
        const QString &path = inputPath;
        if (path == QLatin1String("-") ? !input->open(stdin, QIODevice::ReadOnly)
                                       : (input->setFileName(path), !input->open(QIODevice::ReadOnly)))
            return usageError(QStringLiteral("cannot read %1: %2").arg(path, input->errorString()));
    }

    // The outbox: what an earlier run left for this target goes first, if it was queued with
    // this key (a request is never sent with a key other than the one it was queued with).
    const QString outboxDir = parser.isSet(outboxOption) ? parser.value(outboxOption) : Outbox::defaultDirectory();
    Outbox outbox(outboxDir);
    // A run stores its whole input and ends with nothing pending, when the journal is rewritten
    // empty: a rewrite midway (the pending requests serialised and fsync'd on the sending thread)
    // would only slow the sending, so the journal grows to the run's size instead.
    outbox.setCompactionThreshold(std::numeric_limits<qint64>::max());
    if (!outbox.open())
        return usageError(outbox.errorString());
    for (const QString &w : outbox.warnings())
        std::fprintf(stderr, "kmtester-cli send: warning: %s\n", qPrintable(w));
    QList<SendRequest> resumed;
    QList<QPair<QString, SendResult::State>> otherKey;
    const QList<SendRequest> pendingHere = outbox.pending(target);
    for (const SendRequest &request : pendingHere) {
        if (outbox.isQueuedWithKey(request, apiKey))
            resumed << request;
        else
            otherKey.append({request.id, SendResult::State::Cancelled});
    }
    const int elsewhere = outbox.pendingCount() - int(pendingHere.size());
    if (!resumed.isEmpty())
        std::fprintf(stderr, "kmtester-cli send: resuming %lld unsent request(s) from an earlier run (outbox %s)\n",
                     static_cast<long long>(resumed.size()), qPrintable(outboxDir));
    if (!otherKey.isEmpty() && parser.isSet(discardOption)) {
        if (!outbox.markDone(otherKey))
            return usageError(outbox.errorString());
        std::fprintf(stderr, "kmtester-cli send: discarded %lld unsent request(s) queued with a different API key\n",
                     static_cast<long long>(otherKey.size()));
    } else if (!otherKey.isEmpty()) {
        std::fprintf(stderr,
                     "kmtester-cli send: %lld unsent request(s) were queued with a different API key; they stay in "
                     "the outbox (send with that key to send them, or --discard-other-keys)\n",
                     static_cast<long long>(otherKey.size()));
    }
    if (elsewhere > 0)
        std::fprintf(stderr, "kmtester-cli send: %d unsent request(s) for other targets stay in the outbox\n",
                     elsewhere);
    if (resumed.isEmpty() && !input) {
        std::printf("nothing to send\n");
        return 0;
    }

    std::unique_ptr<SendHistory> history;
    std::unique_ptr<HistoryWriter> historyWriter;
    if (!parser.isSet(noHistoryOption)) {
        history = std::make_unique<SendHistory>(parser.isSet(historyOption) ? parser.value(historyOption)
                                                                            : SendHistory::defaultDirectory());
        historyWriter = std::make_unique<HistoryWriter>(history.get());
    }

    NetworkManager network;
    Sender sender(&network);
    sender.setApiKey(apiKey);
    sender.setConcurrency(concurrency);
    sender.setRateLimit(rate);
    sender.setTimeout(std::chrono::milliseconds(timeoutMs));
    RetryPolicy policy;
    policy.setMaxAttempts(retries + 1);
    sender.setRetryPolicy(policy);

    ProgressLine progress;
    QElapsedTimer elapsed;
    int withWarnings = 0;
    bool storageFailed = false;
    QEventLoop loop;

    // Finished requests are marked done together at the end of the event loop's turn: one write for
    // all the responses read in it, instead of one each. A done record that a kill loses only means
    // one more send, and the turn ends within microseconds. History entries go to their thread a
    // few hundred at a time or every 100 ms (a wake-up each turn costs the sending thread more than
    // the writing): a kill may lose the last of them, a record and not a request.
    QList<QPair<QString, SendResult::State>> doneBatch;
    QList<HistoryEntry> historyBatch;
    QElapsedTimer sinceHistoryHandOver;
    sinceHistoryHandOver.start();
    bool storeScheduled = false;
    const auto storeFinished = [&] {
        storeScheduled = false;
        if (!outbox.markDone(doneBatch) && !storageFailed) {
            storageFailed = true;
            progress.print("kmtester-cli send: warning: " + outbox.errorString().toUtf8()
                           + " (the request may be sent again next time)");
        }
        doneBatch.clear();
        if (historyWriter
            && (historyBatch.size() >= kHistoryBatch || sinceHistoryHandOver.elapsed() >= kHistoryDelayMs)) {
            historyWriter->add(std::exchange(historyBatch, {}));
            sinceHistoryHandOver.restart();
        }
    };
    QObject::connect(&sender, &Sender::requestFinished, [&](const SendRequest &request, const SendResult &result) {
        doneBatch.append({request.id, result.state});
        if (historyWriter)
            historyBatch.append(HistoryEntry{request, result, QDateTime::currentMSecsSinceEpoch()});
        if (!storeScheduled) {
            storeScheduled = true;
            QMetaObject::invokeMethod(&loop, storeFinished, Qt::QueuedConnection);
        }
        if (!request.warnings.isEmpty())
            ++withWarnings;
        if (result.state == SendResult::State::Failed) {
            // The placeholder stays: the key is never shown.
            progress.print(QStringLiteral("failed after %1 attempt(s): %2 %3: %4")
                                   .arg(QString::number(result.attempts), QLatin1String(methodName(request.method)),
                                        request.displayUrl(), result.failureReason)
                                   .toUtf8());
        }
    });
    QObject::connect(&sender, &Sender::progressChanged,
                     [&](const SendProgress &p) { progress.update(p, double(elapsed.elapsed()) / 1000.0); });

    // The file is read, translated and stored on a thread of its own while the requests already
    // stored are sent: the run ends when both are done.
    std::unique_ptr<SendFeeder> feeder;
    QString sourceId; // the input file's, when it is a file
    bool feeding = false;
    const auto quitWhenDone = [&] {
        if (!feeding && sender.isIdle())
            loop.quit();
    };
    QObject::connect(&sender, &Sender::finished, &loop, quitWhenDone);
    if (input) {
        SendFeeder::Job job;
        job.input = std::move(input);
        job.engine = engineId;
        job.settings = settings;
        job.environment = environment;
        job.options = options;
        job.target = target;
        job.settingsSnapshot = snapshot;
        job.keyFingerprint = outbox.keyFingerprint(apiKey);
        job.createdAt = QDateTime::currentMSecsSinceEpoch();
        if (inputPath != QLatin1String("-")) {
            // The same command after a run that stopped before its end goes on where that run
            // stopped queuing (its unsent requests were resumed above): nothing is queued twice.
            sourceId = Outbox::sourceId(inputPath, target, QString::fromLatin1(engineName(engineId)), snapshot,
                                        job.keyFingerprint);
            job.sourceId = sourceId;
            if (const std::optional<SourceProgress> earlier = outbox.sourceProgress(sourceId)) {
                job.skipMessages = earlier->queued;
                if (earlier->complete)
                    std::fprintf(stderr,
                                 "kmtester-cli send: an earlier run queued all of %s and stopped: only what it "
                                 "left unsent goes\n",
                                 qPrintable(inputPath));
                else
                    std::fprintf(stderr,
                                 "kmtester-cli send: continuing %s after message %lld: an earlier run queued the "
                                 "ones before it and stopped\n",
                                 qPrintable(inputPath), static_cast<long long>(earlier->queued));
            }
        }
        feeder = std::make_unique<SendFeeder>(&outbox, std::move(job));
    }

    // What is handed to the sender is in the outbox already: an interrupt loses none of it, so it
    // may end at once.
    const auto previousInt = std::signal(SIGINT, onInterrupt);
    const auto previousTerm = std::signal(SIGTERM, onInterrupt);
    elapsed.start();
    sender.enqueue(resumed);
    if (feeder) {
        feeding = true;
        feeder->start(&loop, {[&](const QByteArray &line) { progress.print(line); },
                              [&](const QList<SendRequest> &requests) { sender.enqueue(requests); },
                              [&] {
                                  feeding = false;
                                  quitWhenDone();
                              }});
    }
    if (feeding || !sender.isIdle())
        loop.exec();
    const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
    if (feeder)
        feeder->stop();
    if (storeScheduled)
        storeFinished();
    if (historyWriter) {
        historyWriter->add(std::exchange(historyBatch, {}));
        historyWriter->finish();
        if (!historyWriter->errorString().isEmpty())
            progress.print("kmtester-cli send: warning: " + historyWriter->errorString().toUtf8());
    }
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    const int unreadable = feeder ? feeder->unreadable() : 0;
    const QString storageError = feeder ? feeder->storageError() : QString();
    // The whole input went through: running the command again is a new send of it.
    if (!sourceId.isEmpty() && storageError.isEmpty() && !outbox.forgetSource(sourceId))
        progress.print("kmtester-cli send: warning: " + outbox.errorString().toUtf8());
    outbox.close();

    const SendProgress p = sender.progress();
    progress.update(p, seconds, true);
    progress.clear();
    if (::isatty(STDERR_FILENO) != 1)
        std::fflush(stderr);
    if (!storageError.isEmpty())
        std::fprintf(stderr, "kmtester-cli send: %s: the rest of the input was not sent\n", qPrintable(storageError));
    if (p.total == 0) {
        if (unreadable > 0 || !storageError.isEmpty()) {
            if (unreadable > 0)
                std::fprintf(stderr, "kmtester-cli send: %d message(s) could not be read: nothing was sent\n",
                             unreadable);
            return 2;
        }
        std::printf("nothing to send\n");
        return 0;
    }
    std::printf("sent %d, failed %d of %d request(s); %d attempt(s); %.2f s; %.0f requests/s\n", p.sent, p.failed,
                p.total, p.attempts, seconds, seconds > 0 ? (p.sent + p.failed) / seconds : 0.0);
    if (unreadable > 0)
        std::printf("%d message(s) could not be read (see above): nothing was sent for them\n", unreadable);
    if (withWarnings > 0)
        std::printf("%d request(s) carry preview warnings: Kissmetrics answers 200 even for bad parameters, so "
                    "\"sent\" only means the transport worked (see the history)\n",
                    withWarnings);
    std::fflush(stdout);
    return p.failed > 0 || unreadable > 0 || !storageError.isEmpty() ? 1 : 0;
}
