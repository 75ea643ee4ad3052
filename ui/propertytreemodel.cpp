#include "propertytreemodel.h"

#include "jsnumber.h"
#include "jsonreader.h"
#include "jsonwriter.h"
#include "value.h"

#include <QApplication>
#include <QStyle>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace km {

namespace {

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void appendUtf8(std::string &out, unsigned codePoint)
{
    // Lone surrogates are kept as their 3-byte encoding, which appendJsonString writes back
    // as the same \udxxx escape.
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    }
}

std::string_view trimmedJson(std::string_view s)
{
    while (!s.empty() && isJsonWhitespace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isJsonWhitespace(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string jsonNumberText(double value)
{
    std::string out;
    appendJsonNumber(out, value);
    return out;
}

QString fromUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::string toUtf8(const QString &s)
{
    const QByteArray bytes = s.toUtf8();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// Control characters would break the row's single line; show them as visible symbols instead.
QString displayText(const std::string &utf8)
{
    QString text = fromUtf8(utf8);
    for (QChar &c : text) {
        if (c == QLatin1Char('\n'))
            c = QChar(0x21B5); // ↵
        else if (c == QLatin1Char('\t'))
            c = QChar(0x21E5); // ⇥
        else if (c.unicode() < 0x20)
            c = QChar(0x2400 + c.unicode()); // the Control Pictures block
    }
    return text;
}

bool isNumericVariant(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return true;
    default:
        return false;
    }
}

// Sets a node's value from what a delegate or a caller gives for the Value column.
bool assignValue(JsonNode &node, const QVariant &value)
{
    switch (node.type()) {
    case JsonNode::Type::String:
        if (!value.canConvert<QString>())
            return false;
        node.setString(toUtf8(value.toString()));
        return true;
    case JsonNode::Type::Number:
        if (isNumericVariant(value)) {
            const double number = value.toDouble();
            return std::isfinite(number) && node.setNumber(jsonNumberText(number));
        }
        if (value.typeId() == QMetaType::QString || value.typeId() == QMetaType::QByteArray)
            return node.setNumber(trimmedJson(toUtf8(value.toString())));
        return false;
    case JsonNode::Type::Boolean:
        if (value.typeId() == QMetaType::Bool) {
            node.setBoolean(value.toBool());
            return true;
        }
        if (value.typeId() == QMetaType::QString) {
            const QString text = value.toString().trimmed();
            if (text == QLatin1String("true") || text == QLatin1String("false")) {
                node.setBoolean(text == QLatin1String("true"));
                return true;
            }
        }
        return false;
    case JsonNode::Type::Null:
    case JsonNode::Type::Object:
    case JsonNode::Type::Array:
        return false;
    }
    return false;
}

} // namespace

// Builds a tree from a text km::JsonReader has already accepted, so it only has to be right
// for valid JSON; it still stops cleanly on anything else.
class JsonNodeParser
{
public:
    explicit JsonNodeParser(std::string_view text)
        : m_text(text)
    { }

    std::unique_ptr<JsonNode> parseDocument()
    {
        skipWhitespace();
        auto node = parseValue(0);
        skipWhitespace();
        if (!node || m_pos != m_text.size())
            return nullptr;
        return node;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    void skipWhitespace()
    {
        while (!atEnd() && isJsonWhitespace(m_text[m_pos]))
            ++m_pos;
    }

    bool consume(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }

    bool consumeWord(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    std::unique_ptr<JsonNode> parseValue(int depth)
    {
        if (depth > JsonReader::MaxDepth)
            return nullptr;
        switch (peek()) {
        case '{':
            return parseContainer(JsonNode::Type::Object, depth);
        case '[':
            return parseContainer(JsonNode::Type::Array, depth);
        case '"': {
            auto node = std::make_unique<JsonNode>(JsonNode::Type::String);
            if (!parseString(node->m_text, node->m_rawValue))
                return nullptr;
            return node;
        }
        case 't':
        case 'f': {
            auto node = std::make_unique<JsonNode>(JsonNode::Type::Boolean);
            const bool value = peek() == 't';
            if (!consumeWord(value ? "true" : "false"))
                return nullptr;
            node->setBoolean(value);
            return node;
        }
        case 'n':
            if (!consumeWord("null"))
                return nullptr;
            return std::make_unique<JsonNode>(JsonNode::Type::Null);
        default:
            return parseNumber();
        }
    }

    std::unique_ptr<JsonNode> parseContainer(JsonNode::Type type, int depth)
    {
        const bool isObject = type == JsonNode::Type::Object;
        const char close = isObject ? '}' : ']';
        auto node = std::make_unique<JsonNode>(type);
        ++m_pos;
        skipWhitespace();
        if (consume(close))
            return node;
        for (;;) {
            std::string key;
            std::string rawKey;
            if (isObject) {
                if (!parseString(key, rawKey))
                    return nullptr;
                skipWhitespace();
                if (!consume(':'))
                    return nullptr;
                skipWhitespace();
            }
            auto child = parseValue(depth + 1);
            if (!child)
                return nullptr;
            child->m_key = std::move(key);
            child->m_rawKey = std::move(rawKey);
            child->m_parent = node.get();
            child->m_row = node->childCount();
            node->m_children.push_back(std::move(child));
            skipWhitespace();
            if (consume(close))
                break;
            if (!consume(','))
                return nullptr;
            skipWhitespace();
        }
        if (isObject)
            node->refreshKeyStates();
        return node;
    }

    // Decodes a string literal into UTF-8; `raw` gets the literal itself when writing the
    // decoded text again would not give the same bytes (other escapes were used).
    bool parseString(std::string &decoded, std::string &raw)
    {
        const std::size_t start = m_pos;
        if (!consume('"'))
            return false;
        bool escaped = false;
        for (;;) {
            if (atEnd())
                return false;
            const char c = m_text[m_pos++];
            if (c == '"')
                break;
            if (static_cast<unsigned char>(c) < 0x20)
                return false;
            if (c != '\\') {
                decoded.push_back(c);
                continue;
            }
            escaped = true;
            if (atEnd())
                return false;
            const char e = m_text[m_pos++];
            switch (e) {
            case '"':
            case '\\':
            case '/':
                decoded.push_back(e);
                break;
            case 'b':
                decoded.push_back('\b');
                break;
            case 'f':
                decoded.push_back('\f');
                break;
            case 'n':
                decoded.push_back('\n');
                break;
            case 'r':
                decoded.push_back('\r');
                break;
            case 't':
                decoded.push_back('\t');
                break;
            case 'u': {
                unsigned unit = 0;
                if (!parseHex4(unit))
                    return false;
                if (unit >= 0xD800 && unit < 0xDC00 && m_text.substr(m_pos, 2) == "\\u") {
                    const std::size_t save = m_pos;
                    m_pos += 2;
                    unsigned low = 0;
                    if (parseHex4(low) && low >= 0xDC00 && low < 0xE000) {
                        appendUtf8(decoded, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                        break;
                    }
                    m_pos = save;
                }
                appendUtf8(decoded, unit);
                break;
            }
            default:
                return false;
            }
        }
        if (escaped) {
            const std::string_view literal = m_text.substr(start, m_pos - start);
            std::string rewritten;
            appendJsonString(rewritten, decoded);
            if (rewritten != literal)
                raw.assign(literal);
        }
        return true;
    }

    bool parseHex4(unsigned &unit)
    {
        if (m_pos + 4 > m_text.size())
            return false;
        unit = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = m_text[m_pos++];
            unit <<= 4;
            if (h >= '0' && h <= '9')
                unit |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                unit |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                unit |= static_cast<unsigned>(h - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    std::unique_ptr<JsonNode> parseNumber()
    {
        const std::size_t start = m_pos;
        while (!atEnd()) {
            const char c = m_text[m_pos];
            if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')
                ++m_pos;
            else
                break;
        }
        auto node = std::make_unique<JsonNode>(JsonNode::Type::Number);
        if (!node->setNumber(m_text.substr(start, m_pos - start)))
            return nullptr;
        return node;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

// --- JsonNode -------------------------------------------------------------------------------

namespace {

// The text a fresh node of each scalar type shows (built in one go: GCC 12 warns, wrongly, about
// assigning short literals to a member string here).
std::string defaultText(JsonNode::Type type)
{
    switch (type) {
    case JsonNode::Type::Number:
        return std::string(1, '0');
    case JsonNode::Type::Boolean:
        return std::string("false", 5);
    case JsonNode::Type::Null:
        return std::string("null", 4);
    case JsonNode::Type::String:
    case JsonNode::Type::Object:
    case JsonNode::Type::Array:
        break;
    }
    return {};
}

} // namespace

JsonNode::JsonNode(Type type)
    : m_type(type)
    , m_text(defaultText(type))
{ }

JsonNode::~JsonNode() = default;

std::unique_ptr<JsonNode> JsonNode::parse(std::string_view utf8, std::string *error)
{
    // The engines read the text with JsonReader, so it decides what is valid JSON.
    thread_local JsonReader reader;
    Arena arena;
    const JsonResult result = reader.parse(utf8, arena);
    if (!result.ok()) {
        if (error)
            *error = result.error->toString();
        return nullptr;
    }
    auto node = JsonNodeParser(utf8).parseDocument();
    if (!node && error)
        *error = "the text could not be read as a tree";
    return node;
}

std::unique_ptr<JsonNode> JsonNode::clone() const
{
    auto copy = std::make_unique<JsonNode>(m_type);
    copy->m_text = m_text;
    copy->m_rawValue = m_rawValue;
    for (const auto &child : m_children) {
        auto childCopy = child->clone();
        childCopy->m_key = child->m_key;
        childCopy->m_rawKey = child->m_rawKey;
        childCopy->m_keyState = child->m_keyState;
        childCopy->m_parent = copy.get();
        childCopy->m_row = child->m_row;
        copy->m_children.push_back(std::move(childCopy));
    }
    return copy;
}

// Conversion rules ("keep what can be kept"):
//  - String: numbers and booleans keep their text, null becomes "null", objects and arrays
//    their compact JSON.
//  - Number: strings as JavaScript's Number() reads them ("12" -> 12, " 0x10 " -> 16), true -> 1;
//    anything unreadable -> 0.
//  - Boolean: false for null, 0, "", "false", "0" and empty containers, true otherwise.
//  - Object <-> Array keeps the children (array indices become keys, keys are dropped).
//  - A string holding JSON of the target container type is parsed; another non-null scalar
//    becomes a one-element array; the rest gives an empty container.
std::unique_ptr<JsonNode> JsonNode::converted(Type type) const
{
    if (type == m_type)
        return clone();
    auto result = std::make_unique<JsonNode>(type);
    switch (type) {
    case Type::String:
        result->setString(isContainer() ? toJson() : m_text);
        break;
    case Type::Number:
        if (m_type == Type::String) {
            const std::string_view trimmed = trimmedJson(m_text);
            if (!result->setNumber(trimmed)) {
                const double number = js::stringToNumber(m_text);
                if (std::isfinite(number))
                    result->setNumber(jsonNumberText(number));
            }
        } else if (m_type == Type::Boolean) {
            result->setNumber(toBool() ? "1" : "0");
        }
        break;
    case Type::Boolean:
        switch (m_type) {
        case Type::String:
            result->setBoolean(!m_text.empty() && m_text != "false" && m_text != "0");
            break;
        case Type::Number: {
            const double number = js::stringToNumber(m_text);
            result->setBoolean(number != 0 && !std::isnan(number));
            break;
        }
        case Type::Object:
        case Type::Array:
            result->setBoolean(!m_children.empty());
            break;
        case Type::Boolean:
        case Type::Null:
            break;
        }
        break;
    case Type::Null:
        break;
    case Type::Object:
    case Type::Array: {
        const bool toObject = type == Type::Object;
        if (isContainer()) {
            for (const auto &child : m_children) {
                auto copy = child->clone();
                if (toObject)
                    copy->m_key = std::to_string(child->m_row);
                result->appendChild(std::move(copy));
            }
        } else if (m_type == Type::String) {
            std::unique_ptr<JsonNode> parsed;
            const std::string_view trimmed = trimmedJson(m_text);
            if (!trimmed.empty() && trimmed.front() == (toObject ? '{' : '['))
                parsed = parse(trimmed);
            if (parsed && parsed->type() == type)
                return parsed;
            if (!toObject && !m_text.empty())
                result->appendChild(clone());
        } else if (!toObject && m_type != Type::Null) {
            result->appendChild(clone());
        }
        break;
    }
    }
    return result;
}

std::string JsonNode::toJson() const
{
    std::string out;
    appendJson(out);
    return out;
}

void JsonNode::appendJson(std::string &out) const
{
    switch (m_type) {
    case Type::String:
        if (m_rawValue.empty())
            appendJsonString(out, m_text);
        else
            out += m_rawValue;
        return;
    case Type::Number:
    case Type::Boolean:
    case Type::Null:
        out += m_text;
        return;
    case Type::Object:
    case Type::Array: {
        const bool isObject = m_type == Type::Object;
        out.push_back(isObject ? '{' : '[');
        bool first = true;
        for (const auto &child : m_children) {
            if (!first)
                out.push_back(',');
            first = false;
            if (isObject) {
                if (child->m_rawKey.empty())
                    appendJsonString(out, child->m_key);
                else
                    out += child->m_rawKey;
                out.push_back(':');
            }
            child->appendJson(out);
        }
        out.push_back(isObject ? '}' : ']');
        return;
    }
    }
}

void JsonNode::setKey(std::string key)
{
    m_key = std::move(key);
    m_rawKey.clear();
    if (m_parent && m_parent->m_type == Type::Object)
        m_parent->refreshKeyStates();
}

void JsonNode::setString(std::string utf8)
{
    clearChildren();
    m_type = Type::String;
    m_text = std::move(utf8);
    m_rawValue.clear();
}

bool JsonNode::setNumber(std::string_view json)
{
    if (!isJsonNumber(json))
        return false;
    clearChildren();
    m_type = Type::Number;
    m_text.assign(json);
    m_rawValue.clear();
    return true;
}

void JsonNode::setBoolean(bool value)
{
    clearChildren();
    m_type = Type::Boolean;
    m_text = value ? "true" : "false";
    m_rawValue.clear();
}

void JsonNode::setNull()
{
    clearChildren();
    m_type = Type::Null;
    m_text = "null";
    m_rawValue.clear();
}

void JsonNode::takeValue(JsonNode &other)
{
    clearChildren();
    m_type = other.m_type;
    m_text = std::move(other.m_text);
    m_rawValue = std::move(other.m_rawValue);
    m_children = std::move(other.m_children);
    other.m_children.clear();
    for (auto &child : m_children)
        child->m_parent = this;
    reindexFrom(0);
    refreshKeyStates();
}

void JsonNode::setContainerType(Type type)
{
    if (!isContainer() || (type != Type::Object && type != Type::Array) || type == m_type)
        return;
    m_type = type;
    for (auto &child : m_children) {
        child->m_key = type == Type::Object ? std::to_string(child->m_row) : std::string();
        child->m_rawKey.clear();
    }
    refreshKeyStates();
}

JsonNode *JsonNode::child(int row) const
{
    if (row < 0 || row >= childCount())
        return nullptr;
    return m_children[static_cast<std::size_t>(row)].get();
}

JsonNode *JsonNode::insertChild(int row, std::unique_ptr<JsonNode> node)
{
    row = std::clamp(row, 0, childCount());
    JsonNode *raw = node.get();
    raw->m_parent = this;
    if (m_type != Type::Object) {
        raw->m_key.clear();
        raw->m_rawKey.clear();
    }
    m_children.insert(m_children.begin() + row, std::move(node));
    reindexFrom(row);
    refreshKeyStates();
    return raw;
}

std::unique_ptr<JsonNode> JsonNode::takeChild(int row)
{
    if (row < 0 || row >= childCount())
        return nullptr;
    auto node = std::move(m_children[static_cast<std::size_t>(row)]);
    m_children.erase(m_children.begin() + row);
    node->m_parent = nullptr;
    node->m_row = 0;
    node->m_keyState = KeyState::Unique;
    reindexFrom(row);
    refreshKeyStates();
    return node;
}

void JsonNode::clearChildren()
{
    m_children.clear();
}

JsonNode *JsonNode::member(std::string_view key) const
{
    if (m_type != Type::Object)
        return nullptr;
    for (auto it = m_children.rbegin(); it != m_children.rend(); ++it) {
        if ((*it)->m_key == key)
            return it->get();
    }
    return nullptr;
}

JsonNode *JsonNode::setMember(std::string_view key, std::unique_ptr<JsonNode> value)
{
    if (m_type != Type::Object)
        return nullptr;
    if (JsonNode *existing = member(key)) {
        existing->takeValue(*value);
        return existing;
    }
    value->m_key.assign(key);
    value->m_rawKey.clear();
    return appendChild(std::move(value));
}

int JsonNode::removeMembers(std::string_view key)
{
    if (m_type != Type::Object)
        return 0;
    const auto removed = std::erase_if(m_children, [key](const auto &child) { return child->m_key == key; });
    if (removed > 0) {
        reindexFrom(0);
        refreshKeyStates();
    }
    return static_cast<int>(removed);
}

bool JsonNode::isJsonNumber(std::string_view s)
{
    std::size_t i = 0;
    const auto digit = [&s](std::size_t at) { return at < s.size() && s[at] >= '0' && s[at] <= '9'; };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (!digit(i))
        return false;
    if (s[i] == '0') {
        ++i;
    } else {
        while (digit(i))
            ++i;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    return i == s.size();
}

const char *JsonNode::typeName(Type type)
{
    switch (type) {
    case Type::String:
        return "String";
    case Type::Number:
        return "Number";
    case Type::Boolean:
        return "Boolean";
    case Type::Null:
        return "Null";
    case Type::Object:
        return "Object";
    case Type::Array:
        return "Array";
    }
    return "";
}

void JsonNode::reindexFrom(int row)
{
    for (int i = std::max(row, 0); i < childCount(); ++i)
        m_children[static_cast<std::size_t>(i)]->m_row = i;
}

void JsonNode::refreshKeyStates()
{
    if (m_type != Type::Object) {
        for (auto &child : m_children)
            child->m_keyState = KeyState::Unique;
        return;
    }
    struct Seen
    {
        int count = 0;
        int last = 0;
    };
    std::unordered_map<std::string_view, Seen> seen;
    seen.reserve(m_children.size());
    for (const auto &child : m_children) {
        Seen &entry = seen[child->m_key];
        ++entry.count;
        entry.last = child->m_row;
    }
    for (auto &child : m_children) {
        const Seen &entry = seen[child->m_key];
        if (entry.count == 1)
            child->m_keyState = KeyState::Unique;
        else
            child->m_keyState = entry.last == child->m_row ? KeyState::DuplicateKept : KeyState::DuplicateIgnored;
    }
}

// --- PropertyTreeModel ------------------------------------------------------------------------

PropertyTreeModel::PropertyTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<JsonNode>(NodeType::Object))
{ }

PropertyTreeModel::~PropertyTreeModel() = default;

bool PropertyTreeModel::setJson(std::string_view utf8)
{
    std::string error;
    auto root = JsonNode::parse(utf8, &error);
    beginResetModel();
    if (root) {
        m_root = std::move(root);
        m_errorString.clear();
    } else {
        m_root = std::make_unique<JsonNode>(NodeType::Object);
        m_errorString = QString::fromStdString(error);
    }
    endResetModel();
    return m_errorString.isEmpty();
}

std::string PropertyTreeModel::toJson() const
{
    return m_root->toJson();
}

const JsonNode *PropertyTreeModel::node(const QModelIndex &index) const
{
    return nodeAt(index);
}

PropertyTreeModel::NodeType PropertyTreeModel::nodeType(const QModelIndex &index) const
{
    const JsonNode *n = nodeAt(index);
    return n ? n->type() : NodeType::Null;
}

bool PropertyTreeModel::isContainer(const QModelIndex &parent) const
{
    return containerAt(parent) != nullptr;
}

QModelIndex PropertyTreeModel::addChild(
        const QModelIndex &parent, const QString &key, NodeType type, const QVariant &value, int row)
{
    JsonNode *container = containerAt(parent);
    if (!container)
        return {};
    if (row < 0 || row > container->childCount())
        row = container->childCount();
    auto node = std::make_unique<JsonNode>(type);
    if (container->type() == NodeType::Object)
        node->setKey(key.isEmpty() ? toUtf8(freeKey(*container, {})) : toUtf8(key));
    if (value.isValid())
        assignValue(*node, value);
    std::vector<std::unique_ptr<JsonNode>> nodes;
    nodes.push_back(std::move(node));
    const QModelIndex parentIndex = parent.isValid() ? parent.siblingAtColumn(KeyColumn) : QModelIndex();
    if (!insertNodes(parentIndex, row, std::move(nodes)))
        return {};
    return index(row, KeyColumn, parentIndex);
}

QString PropertyTreeModel::typeName(NodeType type)
{
    return QString::fromLatin1(JsonNode::typeName(type));
}

QStringList PropertyTreeModel::typeNames()
{
    QStringList names;
    for (NodeType type :
         {NodeType::String, NodeType::Number, NodeType::Boolean, NodeType::Null, NodeType::Object, NodeType::Array})
        names << typeName(type);
    return names;
}

QModelIndex PropertyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid() && hasRootRow())
        return row == 0 ? createIndex(0, column, m_root.get()) : QModelIndex();
    if (parent.isValid() && parent.column() != KeyColumn)
        return {};
    const JsonNode *container = parent.isValid() ? nodeAt(parent) : m_root.get();
    if (!container || row >= container->childCount())
        return {};
    return createIndex(row, column, container->child(row));
}

QModelIndex PropertyTreeModel::parent(const QModelIndex &child) const
{
    const JsonNode *n = nodeAt(child);
    if (!n || n == m_root.get())
        return {};
    JsonNode *p = n->parent();
    if (!p || p == m_root.get())
        return {};
    return createIndex(p->row(), KeyColumn, p);
}

int PropertyTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return hasRootRow() ? 1 : m_root->childCount();
    if (parent.column() != KeyColumn)
        return 0;
    const JsonNode *n = nodeAt(parent);
    return n ? n->childCount() : 0;
}

int PropertyTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool PropertyTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant PropertyTreeModel::data(const QModelIndex &index, int role) const
{
    const JsonNode *n = nodeAt(index);
    if (!n)
        return {};
    switch (role) {
    case NodeTypeRole:
        return static_cast<int>(n->type());
    case KeyStateRole:
        return static_cast<int>(n->keyState());
    case JsonRole:
        return fromUtf8(n->toJson());
    default:
        break;
    }

    const bool isMember = n->parent() && n->parent()->type() == NodeType::Object;
    switch (index.column()) {
    case KeyColumn:
        // An element's index is painted by the delegate rather than returned here: data that
        // changes when rows move up or down would break QAbstractItemModelTester's checks.
        if (role == Qt::DisplayRole)
            return isMember ? displayText(n->key()) : QVariant();
        if (role == Qt::EditRole)
            return isMember ? fromUtf8(n->key()) : QVariant();
        if (role == Qt::DecorationRole && n->keyState() != JsonNode::KeyState::Unique) {
            if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
                return app->style()->standardIcon(QStyle::SP_MessageBoxWarning);
            return {};
        }
        if (role == Qt::ToolTipRole && isMember) {
            const QString tip = keyToolTip(*n);
            return tip.isEmpty() ? QVariant() : QVariant(tip);
        }
        return {};
    case TypeColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return typeName(n->type());
        return {};
    case ValueColumn:
        switch (n->type()) {
        case NodeType::String:
            if (role == Qt::DisplayRole)
                return displayText(n->text());
            if (role == Qt::EditRole)
                return fromUtf8(n->text());
            // Long text does not fit the column; a multi-line one does not fit a row.
            if (role == Qt::ToolTipRole && (n->text().size() > 60 || n->text().find('\n') != std::string::npos))
                return fromUtf8(n->text());
            return {};
        case NodeType::Number:
            if (role == Qt::DisplayRole || role == Qt::EditRole)
                return fromUtf8(n->text());
            if (role == Qt::ToolTipRole) {
                // What the integrations will actually compute with.
                const double number = js::stringToNumber(n->text());
                const std::string js = js::numberToString(number);
                if (js != n->text())
                    return tr("JavaScript reads this number as %1").arg(QString::fromStdString(js));
            }
            return {};
        case NodeType::Boolean:
            if (role == Qt::DisplayRole)
                return fromUtf8(n->text());
            if (role == Qt::EditRole)
                return n->toBool();
            if (role == Qt::CheckStateRole)
                return static_cast<int>(n->toBool() ? Qt::Checked : Qt::Unchecked);
            return {};
        case NodeType::Null:
            if (role == Qt::DisplayRole)
                return QStringLiteral("null");
            return {};
        case NodeType::Object:
            if (role == Qt::DisplayRole)
                return n->childCount() == 1 ? tr("{1 member}") : tr("{%1 members}").arg(n->childCount());
            return {};
        case NodeType::Array:
            if (role == Qt::DisplayRole)
                return n->childCount() == 1 ? tr("[1 item]") : tr("[%1 items]").arg(n->childCount());
            return {};
        }
        return {};
    default:
        return {};
    }
}

bool PropertyTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    switch (index.column()) {
    case KeyColumn:
        return role == Qt::EditRole && setKey(index, value.toString());
    case TypeColumn: {
        if (role != Qt::EditRole && role != NodeTypeRole)
            return false;
        if (value.typeId() == QMetaType::QString) {
            const qsizetype found = typeNames().indexOf(value.toString());
            return found >= 0 && setType(index, static_cast<NodeType>(found));
        }
        bool ok = false;
        const int type = value.toInt(&ok);
        return ok && type >= 0 && type <= static_cast<int>(NodeType::Array)
               && setType(index, static_cast<NodeType>(type));
    }
    case ValueColumn:
        if (role == Qt::CheckStateRole) {
            if (nodeType(index) != NodeType::Boolean)
                return false;
            return setValue(index, QVariant(value.toInt() == Qt::Checked));
        }
        return role == Qt::EditRole && setValue(index, value);
    default:
        return false;
    }
}

QVariant PropertyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    default:
        return {};
    }
}

Qt::ItemFlags PropertyTreeModel::flags(const QModelIndex &index) const
{
    const JsonNode *n = nodeAt(index);
    if (!n)
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    switch (index.column()) {
    case KeyColumn:
        if (n->parent() && n->parent()->type() == NodeType::Object)
            result |= Qt::ItemIsEditable;
        break;
    case TypeColumn:
        result |= Qt::ItemIsEditable;
        break;
    case ValueColumn:
        if (n->type() == NodeType::String || n->type() == NodeType::Number)
            result |= Qt::ItemIsEditable;
        else if (n->type() == NodeType::Boolean)
            result |= Qt::ItemIsUserCheckable;
        break;
    default:
        break;
    }
    return result;
}

bool PropertyTreeModel::insertRows(int row, int count, const QModelIndex &parent)
{
    JsonNode *container = containerAt(parent);
    if (!container || count <= 0 || row < 0 || row > container->childCount())
        return false;
    std::vector<std::unique_ptr<JsonNode>> nodes;
    for (int i = 0; i < count; ++i) {
        auto node = std::make_unique<JsonNode>(NodeType::String);
        if (container->type() == NodeType::Object) {
            const QString key = freeKey(*container, nodes);
            node->setKey(toUtf8(key));
        }
        nodes.push_back(std::move(node));
    }
    return insertNodes(parent.isValid() ? parent.siblingAtColumn(KeyColumn) : QModelIndex(), row, std::move(nodes));
}

bool PropertyTreeModel::removeRows(int row, int count, const QModelIndex &parent)
{
    JsonNode *container = containerAt(parent);
    if (!container || count <= 0 || row < 0 || row + count > container->childCount())
        return false;
    const QModelIndex parentIndex = parent.isValid() ? parent.siblingAtColumn(KeyColumn) : QModelIndex();
    beginRemoveRows(parentIndex, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        container->takeChild(row);
    endRemoveRows();
    emitKeysChanged(parentIndex, *container, 0);
    emit jsonEdited();
    return true;
}

JsonNode *PropertyTreeModel::nodeAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return static_cast<JsonNode *>(index.internalPointer());
}

JsonNode *PropertyTreeModel::containerAt(const QModelIndex &parent) const
{
    JsonNode *n = parent.isValid() ? nodeAt(parent) : m_root.get();
    return n && n->isContainer() ? n : nullptr;
}

QModelIndex PropertyTreeModel::indexFor(const JsonNode *node, int column) const
{
    if (!node)
        return {};
    if (node == m_root.get())
        return hasRootRow() ? createIndex(0, column, m_root.get()) : QModelIndex();
    return createIndex(node->row(), column, const_cast<JsonNode *>(node));
}

QString PropertyTreeModel::freeKey(const JsonNode &object, const std::vector<std::unique_ptr<JsonNode>> &pending)
{
    const auto isUsed = [&](const std::string &key) {
        return object.member(key)
               || std::any_of(pending.begin(), pending.end(), [&key](const auto &node) { return node->key() == key; });
    };
    std::string key = "newKey";
    for (int n = 2; isUsed(key); ++n)
        key = "newKey" + std::to_string(n);
    return QString::fromStdString(key);
}

bool PropertyTreeModel::insertNodes(const QModelIndex &parent, int row, std::vector<std::unique_ptr<JsonNode>> nodes)
{
    JsonNode *container = containerAt(parent);
    if (!container || nodes.empty() || row < 0 || row > container->childCount())
        return false;
    const int count = static_cast<int>(nodes.size());
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        container->insertChild(row + i, std::move(nodes[static_cast<std::size_t>(i)]));
    endInsertRows();
    // Duplicate flags may have changed anywhere in the object.
    emitKeysChanged(parent, *container, 0);
    emit jsonEdited();
    return true;
}

bool PropertyTreeModel::setKey(const QModelIndex &index, const QString &key)
{
    JsonNode *n = nodeAt(index);
    if (!n || !n->parent() || n->parent()->type() != NodeType::Object)
        return false;
    const std::string utf8 = toUtf8(key);
    if (utf8 == n->key())
        return true;
    n->setKey(utf8);
    emitKeysChanged(index.parent(), *n->parent(), 0);
    emit jsonEdited();
    return true;
}

bool PropertyTreeModel::setType(const QModelIndex &index, NodeType type)
{
    JsonNode *n = nodeAt(index);
    if (!n)
        return false;
    if (n->type() == type)
        return true;
    const QModelIndex first = indexFor(n, KeyColumn);
    if (n == m_root.get()) {
        // The top value's own row only exists while it is a scalar.
        beginResetModel();
        auto replacement = n->converted(type);
        n->takeValue(*replacement);
        endResetModel();
    } else if (n->isContainer() && (type == NodeType::Object || type == NodeType::Array)) {
        // Object <-> Array: the same child nodes stay at their rows, only their keys change.
        n->setContainerType(type);
        // Every child's key cell changes, between a name and a painted index.
        if (n->childCount() > 0)
            emit dataChanged(this->index(0, KeyColumn, first), this->index(n->childCount() - 1, KeyColumn, first),
                             {Qt::DisplayRole, Qt::EditRole, Qt::DecorationRole, Qt::ToolTipRole, KeyStateRole});
    } else {
        auto replacement = n->converted(type);
        if (n->childCount() > 0) {
            beginRemoveRows(first, 0, n->childCount() - 1);
            n->clearChildren();
            endRemoveRows();
        }
        const int added = replacement->childCount();
        if (added > 0)
            beginInsertRows(first, 0, added - 1);
        n->takeValue(*replacement);
        if (added > 0)
            endInsertRows();
    }
    if (n != m_root.get())
        emit dataChanged(indexFor(n, KeyColumn), indexFor(n, ValueColumn));
    emit jsonEdited();
    return true;
}

bool PropertyTreeModel::setValue(const QModelIndex &index, const QVariant &value)
{
    JsonNode *n = nodeAt(index);
    if (!n || n->isContainer() || n->type() == NodeType::Null)
        return false;
    auto candidate = std::make_unique<JsonNode>(n->type());
    if (!assignValue(*candidate, value))
        return false;
    if (candidate->text() == n->text())
        return true;
    n->takeValue(*candidate);
    const QModelIndex valueIndex = indexFor(n, ValueColumn);
    emit dataChanged(valueIndex, valueIndex);
    emit jsonEdited();
    return true;
}

void PropertyTreeModel::emitKeysChanged(const QModelIndex &parent, const JsonNode &container, int firstRow)
{
    const int last = container.childCount() - 1;
    if (container.type() != NodeType::Object || firstRow > last)
        return;
    emit dataChanged(index(firstRow, KeyColumn, parent), index(last, KeyColumn, parent),
                     {Qt::DisplayRole, Qt::EditRole, Qt::DecorationRole, Qt::ToolTipRole, KeyStateRole});
}

QString PropertyTreeModel::keyToolTip(const JsonNode &node) const
{
    QStringList lines;
    const QString key = fromUtf8(node.key());
    if (node.keyState() == JsonNode::KeyState::DuplicateIgnored)
        lines << tr("Duplicate key: a later member is also named “%1”, and JSON.parse keeps only the last "
                    "one's value, so this value is ignored.")
                         .arg(key);
    else if (node.keyState() == JsonNode::KeyState::DuplicateKept)
        lines << tr("Duplicate key: several members are named “%1”; JSON.parse keeps this value (the last "
                    "one) at the position of the first.")
                         .arg(key);

    std::uint32_t keyIndex = 0;
    if (isArrayIndexKey(node.key(), &keyIndex)) {
        // JavaScript enumerates integer-like keys first: say so when that moves this member.
        const JsonNode *object = node.parent();
        bool movesUp = false;
        for (int i = 0; i < node.row() && !movesUp; ++i) {
            std::uint32_t earlier = 0;
            movesUp = !isArrayIndexKey(object->child(i)->key(), &earlier) || earlier > keyIndex;
        }
        if (movesUp)
            lines << tr("JavaScript lists integer-like keys such as “%1” first, in ascending order, so the "
                        "integrations see this member before the ones above it.")
                             .arg(key);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace km
