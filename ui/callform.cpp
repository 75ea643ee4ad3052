#include "callform.h"

#include "jsdate.h"
#include "propertytreeeditor.h"
#include "propertytreemodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace km {

namespace {

constexpr std::array<const char *, 6> kCallTypes = {"page", "screen", "identify", "track", "group", "alias"};

std::string toUtf8(const QString &s)
{
    const QByteArray bytes = s.toUtf8();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QString fromUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

bool isPropertiesType(std::string_view type)
{
    return type == "page" || type == "screen" || type == "track";
}

bool isTraitsType(std::string_view type)
{
    return type == "identify" || type == "group";
}

} // namespace

struct CallForm::Field
{
    const char *key;
    bool inContext;
    // The call types showing the field; empty: every type.
    std::vector<std::string_view> types;
    QString placeholder;
    QLineEdit *edit = nullptr;
    QWidget *row = nullptr; // the form row's field widget, to hide the row

    bool appliesTo(std::string_view type) const
    {
        return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
    }
};

CallForm::CallForm(QWidget *parent)
    : QWidget(parent)
    , m_message(std::make_unique<JsonNode>(JsonNode::Type::Object))
    , m_json("{}")
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    buildUi();
    refresh();
}

CallForm::~CallForm() = default;

void CallForm::buildUi()
{
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setAccessibleName(tr("Form status"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->hide();

    m_fieldsWidget = new QWidget(this);
    m_fieldsWidget->setObjectName(QStringLiteral("callFields"));
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_typeCombo = new QComboBox(m_fieldsWidget);
    m_typeCombo->setObjectName(QStringLiteral("typeCombo"));
    m_typeCombo->setAccessibleName(tr("Call type"));
    for (const char *type : kCallTypes)
        m_typeCombo->addItem(QString::fromLatin1(type), QString::fromLatin1(type));
    m_form->addRow(tr("T&ype:"), m_typeCombo);
    connect(m_typeCombo, &QComboBox::activated, this, &CallForm::applyType);

    struct Spec
    {
        const char *key;
        bool inContext;
        std::vector<std::string_view> types;
        QString label;
        QString accessibleName;
        QString placeholder;
    };
    const std::vector<Spec> specs = {
            {"userId", false, {}, tr("&User ID:"), tr("User ID"), tr("the user's id in your database")},
            {"anonymousId", false, {}, tr("&Anonymous ID:"), tr("Anonymous ID"), tr("the visitor's anonymous id")},
            {"event", false, {"track"}, tr("&Event:"), tr("Event"), tr("e.g. Order Completed")},
            {"name", false, {"page", "screen"}, tr("&Name:"), tr("Name"), tr("e.g. Pricing")},
            {"category", false, {"page", "screen"}, tr("&Category:"), tr("Category"), tr("e.g. Docs")},
            {"previousId", false, {"alias"}, tr("&Previous ID:"), tr("Previous ID"), tr("the id being merged away")},
            {"groupId", false, {"group"}, tr("&Group ID:"), tr("Group ID"), tr("the account or company id")},
            {"timestamp", false, {}, tr("&Timestamp:"), tr("Timestamp"), tr("ISO 8601, e.g. 2026-11-30T16:37:19.000Z")},
            {"ip", true, {}, tr("Context &IP:"), tr("Context IP"), tr("e.g. 203.0.113.7")},
            {"userAgent",
             true,
             {},
             tr("User a&gent:"),
             tr("Context user agent"),
             tr("e.g. Mozilla/5.0 (X11; Linux x86_64)")},
    };
    QWidget *previous = m_typeCombo;
    for (const Spec &spec : specs) {
        auto field = std::make_unique<Field>(Field{spec.key, spec.inContext, spec.types, spec.placeholder});
        field->edit = new QLineEdit(m_fieldsWidget);
        field->edit->setObjectName(QString::fromLatin1(spec.key) + QStringLiteral("Edit"));
        field->edit->setAccessibleName(spec.accessibleName);
        field->edit->setPlaceholderText(spec.placeholder);
        field->edit->setClearButtonEnabled(true);
        field->row = field->edit;
        if (std::string_view(spec.key) == "timestamp") {
            m_timestampEdit = field->edit;
            m_nowButton = new QPushButton(tr("&Now"), m_fieldsWidget);
            m_nowButton->setObjectName(QStringLiteral("timestampNowButton"));
            m_nowButton->setAccessibleName(tr("Set the timestamp to now"));
            m_nowButton->setToolTip(tr("Set the timestamp to the current time (UTC, with milliseconds)"));
            m_timestampRow = new QWidget(m_fieldsWidget);
            auto *rowLayout = new QHBoxLayout(m_timestampRow);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            rowLayout->addWidget(m_timestampEdit);
            rowLayout->addWidget(m_nowButton);
            field->row = m_timestampRow;
            connect(m_nowButton, &QPushButton::clicked, this, &CallForm::setTimestampToNow);
        }
        m_form->addRow(spec.label, field->row);
        if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(field->row)))
            label->setBuddy(field->edit);
        const Field *raw = field.get();
        // textEdited, not textChanged: only the user's typing, never refresh()'s setText.
        connect(field->edit, &QLineEdit::textEdited, this,
                [this, raw](const QString &text) { applyField(*raw, text); });
        setTabOrder(previous, field->edit);
        previous = field->edit;
        if (m_nowButton && previous == m_timestampEdit) {
            setTabOrder(m_timestampEdit, m_nowButton);
            previous = m_nowButton;
        }
        m_fields.push_back(std::move(field));
    }

    m_propertiesLabel = new QLabel(tr("P&roperties:"), m_fieldsWidget);
    m_propertiesLabel->setObjectName(QStringLiteral("propertiesLabel"));
    m_propertiesEditor = new PropertyTreeEditor(m_fieldsWidget);
    m_propertiesEditor->setObjectName(QStringLiteral("propertiesEditor"));
    m_propertiesEditor->setAccessibleName(tr("Properties"));
    m_propertiesLabel->setBuddy(m_propertiesEditor);
    setTabOrder(previous, m_propertiesEditor);
    connect(m_propertiesEditor, &PropertyTreeEditor::jsonEdited, this, &CallForm::applyProperties);

    auto *fieldsLayout = new QVBoxLayout(m_fieldsWidget);
    fieldsLayout->setContentsMargins(0, 0, 0, 0);
    fieldsLayout->addLayout(m_form);
    fieldsLayout->addWidget(m_propertiesLabel);
    fieldsLayout->addWidget(m_propertiesEditor, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_fieldsWidget, 1);
}

void CallForm::setCallJson(const std::string &utf8)
{
    m_text = utf8;
    std::string error;
    auto message = JsonNode::parse(utf8, &error);
    if (!message) {
        if (utf8.find_first_not_of(" \t\r\n") == std::string::npos)
            setError(tr("No call to show: the JSON editor is empty."));
        else
            setError(tr("The JSON editor has an error (%1). Fix it there to edit the call in this form.")
                             .arg(fromUtf8(error)));
        return;
    }
    if (message->type() != JsonNode::Type::Object) {
        setError(tr("The JSON editor holds %1, not one call: the form edits a single message (a JSON object).")
                         .arg(PropertyTreeModel::typeName(message->type()).toLower()));
        return;
    }
    const bool wasError = m_hasError;
    m_hasError = false;
    m_errorLabel->hide();
    m_fieldsWidget->setEnabled(true);
    std::string json = message->toJson();
    // The form's own edit coming back (perhaps pretty-printed): keep the state and the cursor.
    if (!wasError && json == m_json)
        return;
    m_message = std::move(message);
    m_json = std::move(json);
    m_createdContext = false;
    refresh();
}

std::string CallForm::callJson() const
{
    return m_hasError ? m_text : m_message->toJson();
}

QString CallForm::callType() const
{
    const JsonNode *type = m_message->member("type");
    return type && type->type() == JsonNode::Type::String ? fromUtf8(type->text()) : QString();
}

void CallForm::setClock(std::function<qint64()> clock)
{
    m_clock = clock ? std::move(clock) : [] { return QDateTime::currentMSecsSinceEpoch(); };
}

void CallForm::refresh()
{
    // Only text that differs is set, so a field being typed into keeps its cursor.
    for (const auto &field : m_fields) {
        const JsonNode *object = field->inContext ? context(false) : m_message.get();
        const JsonNode *node = object ? object->member(field->key) : nullptr;
        QString text;
        QString placeholder = field->placeholder;
        QString toolTip;
        if (node) {
            switch (node->type()) {
            case JsonNode::Type::String:
                text = fromUtf8(node->text());
                break;
            case JsonNode::Type::Null:
                placeholder = QStringLiteral("null");
                toolTip = tr("This field is null; typing makes it a string.");
                break;
            default:
                text = fromUtf8(node->toJson());
                toolTip = tr("This field holds a JSON %1. Typing keeps it one while the text is one, "
                             "otherwise makes it a string.")
                                  .arg(PropertyTreeModel::typeName(node->type()).toLower());
                break;
            }
        }
        if (field->edit->text() != text)
            field->edit->setText(text);
        field->edit->setPlaceholderText(placeholder);
        field->edit->setToolTip(toolTip);
    }

    const std::string type = toUtf8(callType());
    while (m_typeCombo->count() > static_cast<int>(kCallTypes.size()))
        m_typeCombo->removeItem(m_typeCombo->count() - 1);
    int typeIndex = m_typeCombo->findData(fromUtf8(type));
    if (typeIndex < 0) {
        // Show what the message really says rather than pretending it is one of the six.
        const JsonNode *node = m_message->member("type");
        m_typeCombo->addItem(node ? tr("%1 (unknown type)").arg(fromUtf8(node->toJson())) : tr("(no type)"));
        typeIndex = m_typeCombo->count() - 1;
    }
    m_typeCombo->setCurrentIndex(typeIndex);

    const std::string key = propertiesKey();
    if (!key.empty()) {
        const JsonNode *properties = m_message->member(key);
        const std::string json = properties ? properties->toJson() : std::string("{}");
        if (m_propertiesEditor->toJson() != json)
            m_propertiesEditor->setJson(json);
    }
    refreshVisibility();
}

void CallForm::refreshVisibility()
{
    const std::string type = toUtf8(callType());
    for (const auto &field : m_fields)
        m_form->setRowVisible(field->row, field->appliesTo(type));
    const std::string key = propertiesKey();
    m_propertiesLabel->setVisible(!key.empty());
    m_propertiesEditor->setVisible(!key.empty());
    m_propertiesLabel->setText(key == "traits" ? tr("T&raits:") : tr("P&roperties:"));
    m_propertiesEditor->setAccessibleName(key == "traits" ? tr("Traits") : tr("Properties"));
}

void CallForm::setError(const QString &message)
{
    m_hasError = true;
    m_errorLabel->setText(message);
    m_errorLabel->show();
    m_fieldsWidget->setEnabled(false);
}

void CallForm::applyField(const Field &field, const QString &text)
{
    if (m_hasError)
        return;
    if (text.isEmpty()) {
        JsonNode *object = field.inContext ? context(false) : m_message.get();
        if (object) {
            object->removeMembers(field.key);
            if (field.inContext && object->childCount() == 0 && m_createdContext) {
                m_message->removeMembers("context");
                m_createdContext = false;
            }
        }
    } else {
        JsonNode *object = field.inContext ? context(true) : m_message.get();
        const JsonNode *old = object->member(field.key);
        const std::string utf8 = toUtf8(text);
        auto value = std::make_unique<JsonNode>(JsonNode::Type::String);
        // A number or boolean stays one while the text still is one.
        if (old && old->type() == JsonNode::Type::Number && JsonNode::isJsonNumber(utf8))
            value->setNumber(utf8);
        else if (old && old->type() == JsonNode::Type::Boolean && (utf8 == "true" || utf8 == "false"))
            value->setBoolean(utf8 == "true");
        else
            value->setString(utf8);
        object->setMember(field.key, std::move(value));
    }
    emitEdited();
}

void CallForm::applyType(int comboIndex)
{
    const QVariant data = m_typeCombo->itemData(comboIndex);
    if (m_hasError || !data.isValid() || data.toString() == callType())
        return;
    auto value = std::make_unique<JsonNode>(JsonNode::Type::String);
    value->setString(toUtf8(data.toString()));
    m_message->setMember("type", std::move(value));
    // The other type's fields stay in the message, just hidden; the tree follows the new type.
    refresh();
    emitEdited();
}

void CallForm::applyProperties()
{
    const std::string key = propertiesKey();
    if (m_hasError || key.empty())
        return;
    auto value = JsonNode::parse(m_propertiesEditor->toJson());
    if (!value)
        return;
    m_message->setMember(key, std::move(value));
    emitEdited();
}

void CallForm::setTimestampToNow()
{
    if (m_hasError)
        return;
    const QString now = QString::fromStdString(js::dateToIsoString(static_cast<double>(m_clock())));
    m_timestampEdit->setText(now);
    for (const auto &field : m_fields) {
        if (field->edit == m_timestampEdit)
            applyField(*field, now);
    }
}

void CallForm::emitEdited()
{
    std::string json = m_message->toJson();
    if (json == m_json)
        return;
    m_json = json;
    emit callJsonEdited(m_json);
}

JsonNode *CallForm::context(bool create)
{
    JsonNode *node = m_message->member("context");
    if (node && node->type() == JsonNode::Type::Object)
        return node;
    if (!create)
        return nullptr;
    m_createdContext = node == nullptr;
    return m_message->setMember("context", std::make_unique<JsonNode>(JsonNode::Type::Object));
}

std::string CallForm::propertiesKey() const
{
    const std::string type = toUtf8(callType());
    if (isPropertiesType(type))
        return "properties";
    if (isTraitsType(type))
        return "traits";
    return {};
}

} // namespace km
