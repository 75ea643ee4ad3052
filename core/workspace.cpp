#include "workspace.h"

#include "calltemplates.h"
#include "jsonformat.h"
#include "jsonlocate.h"
#include "jsonreader.h"
#include "messagestream.h"
#include "objectbuilder.h"

#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <utility>

namespace km {

namespace {

constexpr std::string_view kInvalidJsonKey = "$invalidJson";

std::string_view toView(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// {"$invalidJson": "<text>"}: how a call is stored when its text must come back as it is.
bool isTextWrapper(const Value &value)
{
    return value.isObject() && value.size() == 1 && value.members()[0].key == kInvalidJsonKey
           && value.members()[0].value.isString();
}

// "line L, column C: message" at the value found at dottedPath (at the start when not found).
QString errorAt(std::string_view text, std::string_view dottedPath, const std::string &message)
{
    std::size_t offset = 0;
    if (const std::optional<JsonSpan> span = locateJsonPath(text, dottedPath))
        offset = span->begin;
    TextLocator locator(text);
    const TextLocator::Position at = locator.locate(offset);
    return QString::fromStdString(JsonIssue{at.line, at.column, message}.toString());
}

} // namespace

ImportResult importCalls(const QByteArray &data)
{
    ImportResult result;
    MessageStream stream(data);
    Arena arena;
    InputMessage message;
    while (stream.next(message, arena)) {
        if (message.isValid() && stream.format() == MessageStream::Format::Document
            && message.value.get("format").isString()
            && message.value.get("format").toString() == Workspace::FileFormat) {
            // A workspace file dropped or pasted: its calls, not the file as one call.
            Workspace workspace;
            QString error;
            if (workspace.fromJson(toView(data), &error)) {
                for (const Call &c : workspace.calls())
                    result.calls.push_back(c.json);
            } else {
                result.errors.append(error);
            }
            break;
        }
        if (message.isValid())
            result.calls.push_back(prettyJson(message.value));
        else
            result.errors.append(QString::fromStdString(message.error));
        // NDJSON values live in this arena: the text is made, they are no longer needed.
        arena.reset();
    }
    result.capture = stream.takeCapture();
    return result;
}

Workspace::Workspace(QObject *parent)
    : QObject(parent)
{ }

Workspace::~Workspace() = default;

const Call &Workspace::call(int index) const
{
    Q_ASSERT(isValidIndex(index));
    return m_calls[static_cast<std::size_t>(index)];
}

int Workspace::indexOf(const QUuid &id) const
{
    const auto it = std::find_if(m_calls.begin(), m_calls.end(), [&](const Call &c) { return c.id == id; });
    return it == m_calls.end() ? -1 : static_cast<int>(it - m_calls.begin());
}

QUuid Workspace::uniqueId(const QUuid &wanted) const
{
    if (!wanted.isNull() && indexOf(wanted) < 0)
        return wanted;
    return QUuid::createUuid();
}

QUuid Workspace::insertCall(int index, std::string json)
{
    return insertCall(index, Call{QUuid(), std::move(json)});
}

QUuid Workspace::insertCall(int index, const Call &call)
{
    index = std::clamp(index, 0, callCount());
    Call inserted{uniqueId(call.id), call.json};
    const QUuid id = inserted.id;
    emit callAboutToBeInserted(index);
    m_calls.insert(m_calls.begin() + index, std::move(inserted));
    emit callInserted(index);
    setModified(true);
    return id;
}

QUuid Workspace::appendCall(std::string json)
{
    return insertCall(callCount(), std::move(json));
}

QUuid Workspace::duplicateCall(int index)
{
    Q_ASSERT(isValidIndex(index));
    if (!isValidIndex(index))
        return {};
    return insertCall(index + 1, std::string(m_calls[static_cast<std::size_t>(index)].json));
}

void Workspace::removeCall(int index)
{
    Q_ASSERT(isValidIndex(index));
    if (!isValidIndex(index))
        return;
    emit callAboutToBeRemoved(index);
    m_calls.erase(m_calls.begin() + index);
    emit callRemoved(index);
    setModified(true);
}

void Workspace::moveCall(int from, int to)
{
    Q_ASSERT(isValidIndex(from) && isValidIndex(to));
    if (!isValidIndex(from) || !isValidIndex(to) || from == to)
        return;
    emit callAboutToBeMoved(from, to);
    const auto begin = m_calls.begin();
    if (from < to)
        std::rotate(begin + from, begin + from + 1, begin + to + 1);
    else
        std::rotate(begin + to, begin + from, begin + from + 1);
    emit callMoved(from, to);
    setModified(true);
}

void Workspace::setCallJson(int index, std::string json)
{
    Q_ASSERT(isValidIndex(index));
    if (!isValidIndex(index))
        return;
    std::string &current = m_calls[static_cast<std::size_t>(index)].json;
    if (current == json)
        return;
    current = std::move(json);
    emit callChanged(index);
    setModified(true);
}

void Workspace::setConfiguration(const Configuration &configuration)
{
    if (configuration == m_configuration)
        return;
    m_configuration = configuration;
    emit configurationChanged();
    setModified(true);
}

void Workspace::setComparison(const Configuration &configuration)
{
    if (m_comparison && *m_comparison == configuration)
        return;
    m_comparison = configuration;
    emit comparisonChanged();
    setModified(true);
}

void Workspace::clearComparison()
{
    if (!m_comparison)
        return;
    m_comparison.reset();
    emit comparisonChanged();
    setModified(true);
}

void Workspace::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void Workspace::setFilePath(const QString &path)
{
    if (m_filePath == path)
        return;
    m_filePath = path;
    emit filePathChanged(path);
}

void Workspace::replaceContent(std::vector<Call> calls,
                               Configuration configuration,
                               std::optional<Configuration> comparison)
{
    emit callsAboutToBeReset();
    m_calls = std::move(calls);
    emit callsReset();
    const bool configurationDiffers = !(configuration == m_configuration);
    m_configuration = std::move(configuration);
    if (configurationDiffers)
        emit configurationChanged();
    const bool comparisonDiffers =
            comparison.has_value() != m_comparison.has_value() || (comparison && !(*comparison == *m_comparison));
    m_comparison = std::move(comparison);
    if (comparisonDiffers)
        emit comparisonChanged();
}

void Workspace::clear()
{
    replaceContent({}, Configuration(), std::nullopt);
    setFilePath(QString());
    setModified(false);
}

void Workspace::loadSamples()
{
    std::vector<Call> calls;
    for (const CallTemplate *t : sampleCallTemplates())
        calls.push_back(Call{QUuid::createUuid(), t->json});
    Configuration configuration;
    configuration.settings.values().set("apiKey", Value::string("demo-key"));
    replaceContent(std::move(calls), std::move(configuration), std::nullopt);
    setFilePath(QString());
    setModified(false);
}

std::string Workspace::toJson() const
{
    Arena arena;
    JsonReader reader;
    std::vector<Value> callValues;
    callValues.reserve(m_calls.size());
    for (const Call &c : m_calls) {
        const JsonResult parsed = reader.parse(c.json, arena);
        if (parsed.ok() && parsed.warnings.empty() && !isTextWrapper(parsed.value)) {
            callValues.push_back(parsed.value);
        } else {
            ObjectBuilder wrapper(arena, 1);
            wrapper.set(kInvalidJsonKey, Value::string(arena.copy(c.json)));
            callValues.push_back(wrapper.build());
        }
    }
    ObjectBuilder root(arena, 5);
    root.set("format", Value::string(FileFormat));
    root.set("version", Value::number(FileVersion));
    root.set("configuration", m_configuration.toValue(arena));
    root.set("comparison", m_comparison ? m_comparison->toValue(arena) : Value::null());
    root.set("calls", Value::array(callValues));
    std::string text = prettyJson(root.build());
    text += '\n';
    return text;
}

bool Workspace::fromJson(std::string_view json, QString *error)
{
    const auto fail = [&](QString message) {
        if (error)
            *error = std::move(message);
        return false;
    };
    Arena arena;
    JsonReader reader;
    const JsonResult parsed = reader.parse(json, arena);
    if (!parsed.ok())
        return fail(QString::fromStdString(parsed.error->toString()));
    const Value &root = parsed.value;
    if (!root.isObject())
        return fail(errorAt(json, {}, "not a kmtester workspace: the file holds no JSON object"));

    const Value *format = root.find("format");
    if (!format)
        return fail(errorAt(json, {}, "not a kmtester workspace: there is no \"format\": \"kmtester-workspace\""));
    if (!format->isString() || format->toString() != FileFormat)
        return fail(errorAt(json, "format",
                            "not a kmtester workspace: \"format\" is " + compactJson(*format)
                                    + ", expected \"kmtester-workspace\""));
    const Value *version = root.find("version");
    if (!version)
        return fail(errorAt(json, {}, "the workspace has no \"version\""));
    if (!version->isNumber() || version->toNumber() != FileVersion)
        return fail(errorAt(json, "version",
                            "unsupported workspace version " + compactJson(*version) + " (this kmtester reads version "
                                    + std::to_string(FileVersion) + ")"));

    const auto readConfiguration = [&](std::string_view member, Configuration *out) {
        std::string message;
        std::string key;
        if (Configuration::fromValue(root.get(member), out, &message, &key))
            return true;
        // Built by append: GCC 12 warns, wrongly, on a `"literal" + std::string` chain here.
        std::string path(member);
        if (!key.empty())
            path.append(1, '.').append(key);
        fail(errorAt(json, path, quote(member).append(": ").append(message)));
        return false;
    };
    Configuration configuration;
    if (root.has("configuration") && !readConfiguration("configuration", &configuration))
        return false;
    std::optional<Configuration> comparison;
    if (const Value *c = root.find("comparison"); c && !c->isNull()) {
        comparison.emplace();
        if (!readConfiguration("comparison", &*comparison))
            return false;
    }

    std::vector<Call> calls;
    if (const Value *list = root.find("calls")) {
        if (!list->isArray())
            return fail(errorAt(json, "calls", "\"calls\" must be a JSON array"));
        calls.reserve(list->size());
        for (const Value &item : list->items()) {
            if (isTextWrapper(item)) {
                calls.push_back(Call{QUuid::createUuid(), std::string(item.members()[0].value.toString())});
            } else {
                calls.push_back(Call{QUuid::createUuid(), prettyJson(item)});
            }
        }
    }
    replaceContent(std::move(calls), std::move(configuration), std::move(comparison));
    return true;
}

bool Workspace::save(const QString &path, QString *error)
{
    QSaveFile file(path);
    const std::string text = toJson();
    if (!file.open(QIODevice::WriteOnly)
        || file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    setFilePath(path);
    setModified(false);
    return true;
}

bool Workspace::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray data = file.readAll();
    if (!fromJson(toView(data), error))
        return false;
    setFilePath(path);
    setModified(false);
    return true;
}

} // namespace km
