#pragma once

#include <QWidget>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace km {

class JsonNode;
class PropertyTreeEditor;

// The typed form for one Segment message: its type, ids, event / name / category,
// previousId, groupId, timestamp, context.ip and context.userAgent, and a tree for
// `properties` (page, screen, track) or `traits` (identify, group). Fields that do not apply
// to the type are hidden. Every user edit re-serialises the message changing only the edited
// member: the others keep their values and positions, a newly set member goes at the end of
// its object, a field cleared to empty is removed, unknown members are left alone.
class CallForm : public QWidget
{
    Q_OBJECT

public:
    explicit CallForm(QWidget *parent = nullptr);
    ~CallForm() override;

    // Fills the form from a message; never emits callJsonEdited(). Text that is not a JSON
    // object disables the form and says why (the JSON editor has to be fixed first).
    void setCallJson(const std::string &utf8);
    // The message as the form holds it (compact JSON), or the last text given when it is invalid.
    std::string callJson() const;
    bool hasJsonError() const { return m_hasError; }

    // The message's "type" ("" when absent).
    QString callType() const;

    // Milliseconds since the Unix epoch for the "Now" button; the system clock by default.
    void setClock(std::function<qint64()> clock);

    PropertyTreeEditor *propertiesEditor() const { return m_propertiesEditor; }

Q_SIGNALS:
    // The whole message after a user edit, compact JSON.
    void callJsonEdited(const std::string &utf8);

private:
    struct Field;

    void buildUi();
    void refresh();
    void refreshVisibility();
    void setError(const QString &message);
    void applyField(const Field &field, const QString &text);
    void applyType(int comboIndex);
    void applyProperties();
    void setTimestampToNow();
    void emitEdited();
    JsonNode *context(bool create);
    // "properties" or "traits" for the current type; empty when the type has neither.
    std::string propertiesKey() const;

    std::unique_ptr<JsonNode> m_message;
    std::string m_text; // the last text given to setCallJson()
    std::string m_json; // m_message as last shown or emitted, to tell real changes from echoes
    bool m_hasError = false;
    bool m_createdContext = false; // context was added by the form, so it goes when emptied
    std::function<qint64()> m_clock;

    QLabel *m_errorLabel = nullptr;
    QWidget *m_fieldsWidget = nullptr;
    QFormLayout *m_form = nullptr;
    QComboBox *m_typeCombo = nullptr;
    QLineEdit *m_timestampEdit = nullptr;
    QPushButton *m_nowButton = nullptr;
    QWidget *m_timestampRow = nullptr;
    QLabel *m_propertiesLabel = nullptr;
    PropertyTreeEditor *m_propertiesEditor = nullptr;
    std::vector<std::unique_ptr<Field>> m_fields;
};

} // namespace km
