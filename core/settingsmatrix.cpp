#include "settingsmatrix.h"

#include "engine.h"
#include "jsonwriter.h"
#include "outputformat.h"
#include "preview.h"
#include "translationdiff.h"

#include <array>

namespace km {

namespace {

constexpr std::array<const char *, 3> kToggles = {"prefixProperties", "trackCategorizedPages", "trackNamedPages"};

bool isReservedParam(std::string_view key)
{
    return key == "_k" || key == "_p" || key == "_n" || key == "_t" || key == "_d";
}

int countProperties(const Value &object)
{
    int count = 0;
    if (object.isObject())
        for (const Member &m : object.members())
            count += isReservedParam(m.key) ? 0 : 1;
    return count;
}

std::array<bool, 3> togglesOf(const MatrixRow &row)
{
    return {row.prefix, row.categorized, row.named};
}

bool sameOutput(const MatrixRow &a, const MatrixRow &b)
{
    return a.output == b.output && a.error == b.error;
}

} // namespace

std::vector<MatrixRow> settingsMatrix(std::string_view json, const Configuration &base, double nowMillis)
{
    // One parse for all eight translations: a big message costs its parse once.
    Arena messageArena;
    const JsonResult parsed = parseCall(json, messageArena);
    const std::unique_ptr<Engine> engine = Engine::create(base.engine);
    TranslateOptions options;
    options.nowMillis = nowMillis;
    options.explain = ExplainMode::Off;
    options.isFirstMessage = true;

    std::vector<MatrixRow> rows;
    rows.reserve(8);
    Translation t;
    for (int combination = 0; combination < 8; ++combination) {
        MatrixRow row;
        row.prefix = (combination & 4) == 0;
        row.categorized = (combination & 2) == 0;
        row.named = (combination & 1) == 0;
        if (!parsed.ok()) {
            row.error = QString::fromStdString(parsed.error->toString());
            row.output = "[]";
            rows.push_back(std::move(row));
            continue;
        }
        Settings settings = base.settings;
        settings.values().set("prefixProperties", Value::boolean(row.prefix));
        settings.values().set("trackCategorizedPages", Value::boolean(row.categorized));
        settings.values().set("trackNamedPages", Value::boolean(row.named));
        Arena arena;
        engine->translate(parsed.value, settings, base.environment, options, arena, t);
        if (t.isRejected())
            row.error = QString::fromStdString(t.error);
        JsonWriter writer;
        writer.beginArray();
        if (outputKind(t.engine) == OutputKind::Http) {
            for (std::size_t i = 0; i < t.requests.size(); ++i) {
                const HttpRequest &r = t.requests[i];
                row.eventNames.append(QString::fromStdString(outputCallName(t, static_cast<int>(i))));
                row.propertyCount += countProperties(OutputFormat::params(r, t.engine, arena));
                OutputFormat::writeRequest(writer, r, t.engine, arena);
            }
        } else {
            for (std::size_t i = 0; i < t.pushes.size(); ++i) {
                const auto args = t.pushes[i].args.items();
                writer.value(t.pushes[i].args);
                const std::string verb = !args.empty() && args[0].isString() ? std::string(args[0].toString()) : "";
                if (verb == "function")
                    continue;
                row.eventNames.append(QString::fromStdString(outputCallName(t, static_cast<int>(i))));
                if (verb == "record" && args.size() > 2)
                    row.propertyCount += countProperties(args[2]);
                else if ((verb == "set" || verb == "KM.set") && args.size() > 1)
                    row.propertyCount += countProperties(args[1]);
            }
        }
        writer.endArray();
        row.output = std::move(writer.buffer());
        rows.push_back(std::move(row));
    }
    return rows;
}

QStringList settingsThatMatter(const std::vector<MatrixRow> &rows)
{
    QStringList matter;
    for (std::size_t toggle = 0; toggle < kToggles.size(); ++toggle) {
        bool changes = false;
        for (std::size_t a = 0; a < rows.size() && !changes; ++a) {
            for (std::size_t b = a + 1; b < rows.size() && !changes; ++b) {
                const auto ta = togglesOf(rows[a]);
                const auto tb = togglesOf(rows[b]);
                bool onlyThisDiffers = ta[toggle] != tb[toggle];
                for (std::size_t other = 0; other < 3; ++other)
                    if (other != toggle && ta[other] != tb[other])
                        onlyThisDiffers = false;
                if (onlyThisDiffers && !sameOutput(rows[a], rows[b]))
                    changes = true;
            }
        }
        if (changes)
            matter.append(QLatin1String(kToggles[toggle]));
    }
    return matter;
}

int matrixRowFor(const std::vector<MatrixRow> &rows, const Configuration &configuration)
{
    const EngineId engine = configuration.engine;
    const std::array<bool, 3> wanted = {configuration.settings.isPrefixProperties(engine),
                                        configuration.settings.isTrackCategorizedPages(engine),
                                        configuration.settings.isTrackNamedPages(engine)};
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (togglesOf(rows[i]) == wanted)
            return static_cast<int>(i);
    return -1;
}

} // namespace km
