#pragma once

#include <QAbstractItemModel>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// A JSON value as its text has it, for editing: members stay in text order (km::Value would
// put integer-like keys first), duplicate keys are all kept, and untouched scalars keep their
// source token, so 1.50 or "\u00e9" are written back exactly as they were typed.
class JsonNode
{
public:
    enum class Type : std::uint8_t { String, Number, Boolean, Null, Object, Array };

    // Where a member stands among the members of its object that share its key.
    enum class KeyState : std::uint8_t {
        Unique,
        DuplicateIgnored, // a later member has the same key: JSON.parse drops this value
        DuplicateKept,    // the last of several: JSON.parse keeps this value (at the first one's place)
    };

    // The type's empty value: "", 0, false, null, {} or [].
    explicit JsonNode(Type type = Type::Null);
    ~JsonNode();
    JsonNode(const JsonNode &) = delete;
    JsonNode &operator=(const JsonNode &) = delete;

    // One JSON text (any value at the top). Accepts exactly what km::JsonReader accepts; on
    // failure returns nullptr and, if asked, the reader's "line L, column C: message".
    static std::unique_ptr<JsonNode> parse(std::string_view utf8, std::string *error = nullptr);
    // A deep copy without the key.
    std::unique_ptr<JsonNode> clone() const;
    // This value converted to another type, keeping what it can (see the .cpp for the rules).
    std::unique_ptr<JsonNode> converted(Type type) const;

    // Compact JSON of the value (the key is not part of it).
    std::string toJson() const;
    void appendJson(std::string &out) const;

    Type type() const { return m_type; }
    bool isContainer() const { return m_type == Type::Object || m_type == Type::Array; }

    // The member name in an object; empty for array elements and the root.
    const std::string &key() const { return m_key; }
    void setKey(std::string key);
    KeyState keyState() const { return m_keyState; }

    // String: the decoded UTF-8 text; Number: its JSON text as typed; Boolean: "true" or
    // "false"; Null: "null"; Object and Array: empty.
    const std::string &text() const { return m_text; }
    bool toBool() const { return m_type == Type::Boolean && m_text == "true"; }

    // Setters replace the value (children included) and keep the key.
    void setString(std::string utf8);
    // False and no change unless `json` is a JSON number (no surrounding spaces).
    bool setNumber(std::string_view json);
    void setBoolean(bool value);
    void setNull();
    // Moves the value (type, text, children) of `other` into this node; the key stays.
    void takeValue(JsonNode &other);
    // Object <-> Array keeping the same child nodes: indices become keys, keys are dropped.
    void setContainerType(Type type);

    JsonNode *parent() const { return m_parent; }
    int row() const { return m_row; }
    int childCount() const { return static_cast<int>(m_children.size()); }
    JsonNode *child(int row) const;
    JsonNode *insertChild(int row, std::unique_ptr<JsonNode> node);
    JsonNode *appendChild(std::unique_ptr<JsonNode> node) { return insertChild(childCount(), std::move(node)); }
    std::unique_ptr<JsonNode> takeChild(int row);
    void clearChildren();

    // The member JSON.parse reads for `key` (the last one), or nullptr.
    JsonNode *member(std::string_view key) const;
    // Gives `key` this value: the member JSON.parse reads keeps its position, otherwise a
    // member is appended. Returns the member's node.
    JsonNode *setMember(std::string_view key, std::unique_ptr<JsonNode> value);
    // Removes every member named `key`; returns how many there were.
    int removeMembers(std::string_view key);

    static bool isJsonNumber(std::string_view text);
    static const char *typeName(Type type);

private:
    friend class JsonNodeParser;

    void reindexFrom(int row);
    void refreshKeyStates();

    Type m_type;
    KeyState m_keyState = KeyState::Unique;
    int m_row = 0;
    JsonNode *m_parent = nullptr;
    std::string m_key;
    std::string m_text;
    std::string m_rawKey;   // the key's source token while unchanged, else empty
    std::string m_rawValue; // a string's source token while unchanged, else empty
    std::vector<std::unique_ptr<JsonNode>> m_children;
};

// A tree model over one JSON value (typically a call's `properties` or `traits`): columns
// Key | Type | Value. The top-level rows are the members or elements of the value; a scalar
// value at the top shows as a single row of its own. Objects keep the text's member order
// and duplicate keys (flagged), numbers keep their text, and toJson() writes the same compact
// JSON back, so only what was edited changes.
class PropertyTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    using NodeType = JsonNode::Type;

    enum Column { KeyColumn, TypeColumn, ValueColumn, ColumnCount };

    enum Role {
        NodeTypeRole = Qt::UserRole + 1, // int(NodeType), every column
        KeyStateRole,                    // int(JsonNode::KeyState), every column
        JsonRole,                        // the node's compact JSON as a QString, every column
    };
    Q_ENUM(Role)

    explicit PropertyTreeModel(QObject *parent = nullptr);
    ~PropertyTreeModel() override;

    // Replaces the whole tree. Invalid text leaves an empty object and returns false, with
    // the reason in errorString(). Does not emit jsonEdited().
    bool setJson(std::string_view utf8);
    std::string toJson() const;
    QString errorString() const { return m_errorString; }

    const JsonNode &rootNode() const { return *m_root; }
    NodeType rootType() const { return m_root->type(); }

    // nullptr for an invalid index.
    const JsonNode *node(const QModelIndex &index) const;
    NodeType nodeType(const QModelIndex &index) const;
    // Whether rows can be added under `parent` (an object or array; the invalid index is the top value).
    bool isContainer(const QModelIndex &parent) const;

    // Adds a member (object) or element (array) at `row` (-1: at the end) and returns its
    // Key-column index, or an invalid index when `parent` holds no object or array. For an
    // object an empty key picks a free one ("newKey", "newKey2", ...). `value` is used as
    // setData() on the Value column would use it.
    QModelIndex addChild(const QModelIndex &parent,
                         const QString &key = {},
                         NodeType type = NodeType::String,
                         const QVariant &value = {},
                         int row = -1);

    static QString typeName(NodeType type);
    static QStringList typeNames(); // in NodeType order

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // New rows are empty strings (members get a free key); both emit jsonEdited().
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    // After every change made through the model (setData, insertRows, removeRows, addChild).
    void jsonEdited();

private:
    JsonNode *nodeAt(const QModelIndex &index) const;
    JsonNode *containerAt(const QModelIndex &parent) const;
    bool hasRootRow() const { return !m_root->isContainer(); }
    QModelIndex indexFor(const JsonNode *node, int column) const;
    static QString freeKey(const JsonNode &object, const std::vector<std::unique_ptr<JsonNode>> &pending);
    bool insertNodes(const QModelIndex &parent, int row, std::vector<std::unique_ptr<JsonNode>> nodes);
    bool setKey(const QModelIndex &index, const QString &key);
    bool setType(const QModelIndex &index, NodeType type);
    bool setValue(const QModelIndex &index, const QVariant &value);
    // Key-column dataChanged for the members of an object from firstRow on (nothing for arrays).
    void emitKeysChanged(const QModelIndex &parent, const JsonNode &container, int firstRow);
    QString keyToolTip(const JsonNode &node) const;

    std::unique_ptr<JsonNode> m_root;
    QString m_errorString;
};

} // namespace km
