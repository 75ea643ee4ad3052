#include "previewmodel.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "jsonformat.h"
#include "translationdiff.h"

#include <QFont>

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace km {

namespace {

// Longer values are cut in the cell (the tooltip has more): a 200 KB string would make every
// repaint and column resize measure it.
constexpr qsizetype kDisplayLimit = 500;
constexpr qsizetype kToolTipLimit = 4000;

constexpr std::array<std::string_view, 7> kReservedKeys = {"_n", "_p", "_k", "_t", "_d", "_ip", "_ua"};

constexpr std::uint32_t kLastRuleBit = 1u << 11; // PropertyRule::AddedByFacade

std::string valueText(const Value &v)
{
    switch (v.type()) {
    case Value::Type::Undefined:
        return "undefined";
    case Value::Type::Null:
        return "null";
    case Value::Type::Boolean:
        return v.toBool() ? "true" : "false";
    case Value::Type::Number:
        return js::numberToString(v.toNumber());
    case Value::Type::String:
        return std::string(v.toString());
    case Value::Type::Date:
        return js::dateToIsoString(v.toNumber());
    case Value::Type::Array:
    case Value::Type::Object:
        return compactJson(v);
    }
    return {};
}

QString reservedMeaning(const QString &key)
{
    if (key == QLatin1String("_k"))
        return PreviewModel::tr("The API key of the Kissmetrics product.");
    if (key == QLatin1String("_p"))
        return PreviewModel::tr("The person the call is about.");
    if (key == QLatin1String("_n"))
        return PreviewModel::tr("The event name (/e) or the other identity (/a).");
    if (key == QLatin1String("_t"))
        return PreviewModel::tr("When it happened, in Unix seconds.");
    if (key == QLatin1String("_d"))
        return PreviewModel::tr("1: Kissmetrics uses _t instead of the time the request arrives.");
    if (key == QLatin1String("_ip"))
        return PreviewModel::tr("The IP address of the person.");
    if (key == QLatin1String("_ua"))
        return PreviewModel::tr("The user agent of the person's browser.");
    return {};
}

QString truncated(const QString &text, qsizetype limit)
{
    if (text.size() <= limit)
        return text;
    return text.left(limit) + QChar(0x2026);
}

// The text of a value, cut (at a character boundary) past what the tooltip can show anyway.
QString limitedText(const std::string &text)
{
    std::size_t size = std::min<std::size_t>(text.size(), kToolTipLimit * 4);
    while (size < text.size() && size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
        --size; // do not split a UTF-8 sequence
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(size));
}

} // namespace

PreviewModel::PreviewModel(QObject *parent)
    : CallTreeModel(parent)
{ }

PreviewModel::~PreviewModel() = default;

void PreviewModel::setResult(std::shared_ptr<const PreviewResult> result)
{
    std::vector<Call> calls = result ? buildCalls(*result) : std::vector<Call>();
    const Status status = result ? statusOf(*result) : Status::NoResult;
    if (!calls.empty() && sameShape(calls, m_calls)) {
        // Typing in a value keeps every key: update the cells in place so the view keeps its state.
        m_result = std::move(result);
        m_status = status;
        m_calls = std::move(calls);
        const int last = ColumnCount - 1;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, last));
        for (int row = 0; row < rowCount(); ++row) {
            const QModelIndex parent = index(row, 0);
            const int children = rowCount(parent);
            if (children > 0)
                Q_EMIT dataChanged(index(0, 0, parent), index(children - 1, last, parent));
        }
        return;
    }
    beginResetModel();
    m_result = std::move(result);
    m_status = status;
    m_calls = std::move(calls);
    endResetModel();
}

void PreviewModel::clear()
{
    setResult(nullptr);
}

void PreviewModel::setKeyVisibility(KeyVisibility visibility)
{
    if (visibility == m_keyVisibility)
        return;
    m_keyVisibility = visibility;
    for (int row = 0; row < static_cast<int>(m_calls.size()); ++row) {
        const std::vector<Property> &properties = m_calls[static_cast<std::size_t>(row)].properties;
        for (int child = 0; child < static_cast<int>(properties.size()); ++child) {
            if (properties[static_cast<std::size_t>(child)].key == QLatin1String("_k")) {
                const QModelIndex cell = index(child, ValueColumn, index(row, 0));
                Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, Qt::ToolTipRole});
            }
        }
    }
}

PreviewModel::Status PreviewModel::statusOf(const PreviewResult &result)
{
    if (!result.isValid)
        return Status::Invalid;
    if (result.translation.isRejected())
        return Status::Rejected;
    if (outputCallCount(result.translation) == 0)
        return Status::NothingSent;
    return Status::Sending;
}

std::vector<const Warning *> PreviewModel::explainingWarnings(const Translation &translation)
{
    std::vector<const Warning *> explaining;
    for (const Warning &w : translation.warnings) {
        if (w.code == "nothing-sent" || w.code == "unsupported-type" || w.code == "missing-type"
            || w.message.find("nothing is sent") != std::string::npos)
            explaining.push_back(&w);
    }
    if (explaining.empty())
        for (const Warning &w : translation.warnings)
            explaining.push_back(&w);
    return explaining;
}

QString PreviewModel::statusText(const PreviewResult &result)
{
    switch (statusOf(result)) {
    case Status::NoResult:
    case Status::Sending:
        return {};
    case Status::Invalid:
        return tr("Not a valid call: %1").arg(QString::fromStdString(result.parseError.toString()));
    case Status::Rejected:
        return tr("Nothing is sent: %1 rejects the call: %2")
                .arg(QLatin1String(engineName(result.translation.engine)),
                     QString::fromStdString(result.translation.error));
    case Status::NothingSent:
        break;
    }
    QStringList reasons;
    for (const Warning *w : explainingWarnings(result.translation))
        reasons.append(QString::fromStdString(w->message));
    if (reasons.isEmpty())
        return tr("Nothing is sent: %1 sends nothing for this call.")
                .arg(QLatin1String(engineName(result.translation.engine)));
    return tr("Nothing is sent: %1").arg(reasons.join(QLatin1Char(' ')));
}

QString PreviewModel::typeName(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
        return QStringLiteral("undefined");
    case Value::Type::Null:
        return QStringLiteral("null");
    case Value::Type::Boolean:
        return QStringLiteral("boolean");
    case Value::Type::Number:
        return QStringLiteral("number");
    case Value::Type::String:
        return QStringLiteral("string");
    case Value::Type::Array:
        return QStringLiteral("array");
    case Value::Type::Object:
        return QStringLiteral("object");
    case Value::Type::Date:
        return QStringLiteral("date");
    }
    return {};
}

QStringList PreviewModel::ruleNames(PropertyRule rules)
{
    QStringList names;
    for (std::uint32_t bit = 1; bit != 0 && bit <= kLastRuleBit; bit <<= 1) {
        const auto rule = static_cast<PropertyRule>(bit);
        if (hasRule(rules, rule))
            names.append(QString::fromUtf8(ruleDescription(rule)));
    }
    return names;
}

QStringList PreviewModel::ruleExplanations(PropertyRule rules, const QString &key, const QString &path)
{
    QStringList lines;
    for (std::uint32_t bit = 1; bit != 0 && bit <= kLastRuleBit; bit <<= 1) {
        const auto rule = static_cast<PropertyRule>(bit);
        if (!hasRule(rules, rule))
            continue;
        switch (rule) {
        case PropertyRule::Prefixed: {
            // The key is the prefix followed by the path below the top-level object
            // ("properties.address.city" -> "Signed Up - address.city").
            const qsizetype dot = path.indexOf(QLatin1Char('.'));
            const QString tail = dot >= 0 ? path.mid(dot + 1) : path;
            if (!tail.isEmpty() && key.size() > tail.size() && key.endsWith(tail))
                lines.append(tr("prefixed with \"%1\"").arg(key.left(key.size() - tail.size())));
            else
                lines.append(tr("prefixed with the event name"));
            break;
        }
        case PropertyRule::Flattened:
            lines.append(tr("flattened from %1").arg(path));
            break;
        case PropertyRule::ArrayJoined:
            lines.append(tr("array joined with commas into one text"));
            break;
        case PropertyRule::Stringified:
            lines.append(tr("sent as text, as every query-string value is"));
            break;
        default:
            lines.append(QString::fromUtf8(ruleDescription(rule)));
            break;
        }
    }
    return lines;
}

QString PreviewModel::maskedKey(const QString &key)
{
    const QString dots(4, QChar(0x2022));
    if (key.size() <= 4)
        return dots;
    return dots + key.right(4);
}

bool PreviewModel::isReservedKey(QStringView key)
{
    const QByteArray utf8 = key.toUtf8();
    const std::string_view k(utf8.constData(), static_cast<std::size_t>(utf8.size()));
    return std::find(kReservedKeys.begin(), kReservedKeys.end(), k) != kReservedKeys.end();
}

std::vector<PreviewModel::Call> PreviewModel::buildCalls(const PreviewResult &result)
{
    std::vector<Call> calls;
    const Translation &t = result.translation;
    if (!result.isValid || t.isRejected())
        return calls;
    // Params are built in a scratch arena: the result is shared and stays untouched.
    Arena arena;
    const bool http = outputKind(t.engine) == OutputKind::Http;
    const int count = outputCallCount(t);
    calls.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto at = static_cast<std::size_t>(i);
        Call call;
        call.name = QString::fromStdString(outputCallName(t, i));
        Value properties;
        const std::vector<PropertyOrigin> *origins = nullptr;
        if (http) {
            const HttpRequest &r = t.requests[at];
            call.method = QLatin1String(methodName(r.method));
            properties = OutputFormat::params(r, t.engine, arena);
            origins = &r.origins;
        } else {
            const ClientCall &c = t.pushes[at];
            const auto args = c.args.items();
            const std::string_view verb = !args.empty() && args[0].isString() ? args[0].toString() : std::string_view();
            if (verb == "record" && args.size() > 2)
                properties = args[2];
            else if ((verb == "set" || verb == "KM.set") && args.size() > 1)
                properties = args[1];
            origins = &c.origins;
        }
        if (properties.isObject()) {
            std::unordered_map<std::string_view, const PropertyOrigin *> byKey;
            for (const PropertyOrigin &o : *origins)
                byKey[o.key] = &o; // the last origin of a key wrote its final value
            call.properties.reserve(properties.size());
            for (const Member &m : properties.members()) {
                if (http && m.value.isUndefined())
                    continue; // not on the wire (the CLI contract omits it too)
                Property p;
                p.key = QString::fromUtf8(m.key.data(), static_cast<qsizetype>(m.key.size()));
                p.value = limitedText(valueText(m.value));
                p.type = typeName(m.value);
                auto it = byKey.find(m.key);
                if (it == byKey.end()) {
                    // "Page - o[a]" on the wire comes from the nested object "Page - o".
                    const std::size_t bracket = m.key.find('[');
                    if (bracket != std::string_view::npos)
                        it = byKey.find(m.key.substr(0, bracket));
                }
                if (it != byKey.end()) {
                    p.path = QString::fromStdString(it->second->path);
                    p.rules = it->second->rules;
                    p.ruleNames = ruleNames(p.rules);
                }
                p.reserved = isReservedKey(p.key) || hasRule(p.rules, PropertyRule::Reserved);
                call.properties.push_back(std::move(p));
            }
            // Kissmetrics' own parameters first: they say who, what and when at a glance.
            std::stable_partition(call.properties.begin(), call.properties.end(),
                                  [](const Property &p) { return p.reserved; });
        }
        calls.push_back(std::move(call));
    }
    return calls;
}

bool PreviewModel::sameShape(const std::vector<Call> &a, const std::vector<Call> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].properties.size() != b[i].properties.size())
            return false;
        for (std::size_t j = 0; j < a[i].properties.size(); ++j)
            if (a[i].properties[j].key != b[i].properties[j].key)
                return false;
    }
    return true;
}

QString PreviewModel::displayValue(const Property &property) const
{
    if (property.key == QLatin1String("_k") && m_keyVisibility == KeyVisibility::Redacted)
        return maskedKey(property.value);
    return property.value;
}

int PreviewModel::callCount() const
{
    return static_cast<int>(m_calls.size());
}

int PreviewModel::propertyCount(int call) const
{
    return static_cast<int>(m_calls[static_cast<std::size_t>(call)].properties.size());
}

int PreviewModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (isCallIndex(index))
        return callData(m_calls[static_cast<std::size_t>(index.row())], index.column(), role);
    const Call &call = m_calls[static_cast<std::size_t>(index.internalId() - 1)];
    return propertyData(call.properties[static_cast<std::size_t>(index.row())], index.column(), role);
}

QVariant PreviewModel::callData(const Call &call, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return call.name;
        if (column == ValueColumn)
            return call.method;
        return {};
    case Qt::ToolTipRole: {
        const int n = static_cast<int>(call.properties.size());
        if (call.method.isEmpty())
            return tr("%1: %n properties", nullptr, n).arg(call.name);
        return tr("%1: %n parameters, sent as %2", nullptr, n).arg(call.name, call.method);
    }
    case Qt::FontRole:
        if (column == NameColumn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case KeyRole:
        return call.name;
    case PathRole:
        return QString();
    case RulesRole:
        return QStringList();
    case IsReservedRole:
        return false;
    case IsCallRole:
        return true;
    default:
        return {};
    }
}

QVariant PreviewModel::propertyData(const Property &p, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return p.key;
        case ValueColumn:
            return truncated(displayValue(p), kDisplayLimit);
        case TypeColumn:
            return p.type;
        case OriginColumn:
            return p.path;
        case RulesColumn:
            return p.ruleNames.join(QLatin1String(", "));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (column) {
        case NameColumn: {
            const QString meaning = p.reserved ? reservedMeaning(p.key) : QString();
            return meaning.isEmpty() ? p.key : tr("%1: Kissmetrics parameter. %2").arg(p.key, meaning);
        }
        case ValueColumn:
            return truncated(displayValue(p), kToolTipLimit);
        case OriginColumn:
            return p.path.isEmpty() ? tr("Set by the integration, not taken from the message")
                                    : tr("From %1 in the message").arg(p.path);
        case RulesColumn:
            return ruleExplanations(p.rules, p.key, p.path).join(QLatin1Char('\n'));
        default:
            return {};
        }
    case Qt::FontRole:
        if (column == NameColumn && p.reserved) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case PathRole:
        return p.path;
    case RulesRole:
        return p.ruleNames;
    case IsReservedRole:
        return p.reserved;
    case KeyRole:
        return p.key;
    case IsCallRole:
        return false;
    default:
        return {};
    }
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    case OriginColumn:
        return tr("Origin");
    case RulesColumn:
        return tr("Rules");
    default:
        return {};
    }
}

} // namespace km
