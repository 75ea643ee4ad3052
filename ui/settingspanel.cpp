#include "settingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace km {

namespace {

constexpr EngineId kEngines[] = {EngineId::SegmentDevice, EngineId::SegmentCloud, EngineId::RudderDevice,
                                 EngineId::RudderCloud};

QLabel *noteLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsPanel::SettingsPanel(QWidget *parent)
    : QWidget(parent)
{
    buildUi();
    refresh();
}

QString SettingsPanel::engineTitle(EngineId engine)
{
    switch (engine) {
    case EngineId::SegmentDevice:
        return tr("Segment device mode (web, analytics.js)");
    case EngineId::SegmentCloud:
        return tr("Segment cloud mode (server)");
    case EngineId::RudderDevice:
        return tr("RudderStack device mode (JS SDK)");
    case EngineId::RudderCloud:
        return tr("RudderStack cloud mode (transformer)");
    }
    return {};
}

QString SettingsPanel::describe(const Configuration &c)
{
    const auto onOff = [](bool on) { return on ? QStringLiteral("on") : QStringLiteral("off"); };
    QString text = QString::fromLatin1(engineName(c.engine));
    text += tr(", prefix %1").arg(onOff(c.settings.isPrefixProperties(c.engine)));
    if (c.engine == EngineId::SegmentDevice)
        text += tr(", categorized %1, named %2")
                        .arg(onOff(c.settings.isTrackCategorizedPages(c.engine)),
                             onOff(c.settings.isTrackNamedPages(c.engine)));
    return text;
}

void SettingsPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *destination = new QGroupBox(tr("Destination settings"), this);
    auto *form = new QFormLayout(destination);
    m_engineCombo = new QComboBox(destination);
    m_engineCombo->setObjectName(QStringLiteral("engineCombo"));
    for (EngineId engine : kEngines)
        m_engineCombo->addItem(engineTitle(engine), QString::fromLatin1(engineName(engine)));
    form->addRow(tr("Connection &mode:"), m_engineCombo);

    auto *keyRow = new QHBoxLayout;
    m_apiKeyEdit = new QLineEdit(destination);
    m_apiKeyEdit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_apiKeyEdit->setEchoMode(QLineEdit::Password);
    m_apiKeyEdit->setPlaceholderText(tr("your Kissmetrics API key"));
    m_revealButton = new QToolButton(destination);
    m_revealButton->setObjectName(QStringLiteral("revealKeyButton"));
    m_revealButton->setText(tr("Show"));
    m_revealButton->setCheckable(true);
    m_revealButton->setToolTip(tr("Show or hide the API key"));
    keyRow->addWidget(m_apiKeyEdit);
    keyRow->addWidget(m_revealButton);
    auto *keyLabel = new QLabel(tr("API &Key:"), destination);
    keyLabel->setBuddy(m_apiKeyEdit);
    form->addRow(keyLabel, keyRow);

    auto addToggle = [&](QCheckBox *&check, QLabel *&note, const QString &text, const char *name) {
        check = new QCheckBox(text, destination);
        check->setObjectName(QString::fromLatin1(name));
        note = noteLabel(destination);
        form->addRow(check);
        form->addRow(note);
    };
    addToggle(m_prefixCheck, m_prefixNote, tr("&Prefix Properties"), "prefixCheck");
    addToggle(m_categorizedCheck, m_categorizedNote, tr("Track &Categorized Pages"), "categorizedCheck");
    addToggle(m_namedCheck, m_namedNote, tr("Track &Named Pages"), "namedCheck");
    layout->addWidget(destination);

    auto *environment = new QGroupBox(tr("Browser (device mode)"), this);
    auto *envForm = new QFormLayout(environment);
    m_skipPageViewCheck = new QCheckBox(tr("KM_SKIP_PAGE_VIEW set (automatic page views off)"), environment);
    m_skipPageViewCheck->setObjectName(QStringLiteral("skipPageViewCheck"));
    envForm->addRow(m_skipPageViewCheck);
    m_userAgentEdit = new QLineEdit(environment);
    m_userAgentEdit->setObjectName(QStringLiteral("userAgentEdit"));
    m_userAgentEdit->setPlaceholderText(tr("desktop browser"));
    envForm->addRow(tr("&User agent:"), m_userAgentEdit);
    m_environmentNote = noteLabel(environment);
    envForm->addRow(m_environmentNote);
    layout->addWidget(environment);

    auto *compare = new QGroupBox(tr("Compare"), this);
    auto *compareLayout = new QVBoxLayout(compare);
    m_comparisonLabel = noteLabel(compare);
    m_comparisonLabel->setObjectName(QStringLiteral("comparisonLabel"));
    auto *buttons = new QHBoxLayout;
    m_pinButton = new QPushButton(tr("Pin these settings"), compare);
    m_pinButton->setObjectName(QStringLiteral("pinButton"));
    m_pinButton->setToolTip(tr("Keep the current engine and settings as the comparison; then change them to see "
                               "the difference"));
    m_clearComparisonButton = new QPushButton(tr("Clear"), compare);
    m_clearComparisonButton->setObjectName(QStringLiteral("clearComparisonButton"));
    buttons->addWidget(m_pinButton);
    buttons->addWidget(m_clearComparisonButton);
    compareLayout->addWidget(m_comparisonLabel);
    compareLayout->addLayout(buttons);
    layout->addWidget(compare);
    layout->addStretch(1);
    setComparison(std::nullopt);

    connect(m_engineCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_updating || index < 0)
            return;
        m_configuration.engine = kEngines[index];
        emitEdited();
    });
    connect(m_apiKeyEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        const std::string key = text.toStdString();
        m_configuration.settings.values().set("apiKey", Value::string(key));
        emitEdited();
    });
    connect(m_revealButton, &QToolButton::toggled, this, [this](bool shown) {
        m_apiKeyEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_revealButton->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_prefixCheck, &QCheckBox::toggled, this, [this](bool on) { setSetting("prefixProperties", on); });
    connect(m_categorizedCheck, &QCheckBox::toggled, this,
            [this](bool on) { setSetting("trackCategorizedPages", on); });
    connect(m_namedCheck, &QCheckBox::toggled, this, [this](bool on) { setSetting("trackNamedPages", on); });
    connect(m_skipPageViewCheck, &QCheckBox::toggled, this, [this](bool on) {
        if (m_updating)
            return;
        m_configuration.environment.values().set("KM_SKIP_PAGE_VIEW", Value::number(on ? 1 : 0));
        emitEdited();
    });
    connect(m_userAgentEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        const std::string ua = text.toStdString();
        if (ua.empty())
            m_configuration.environment.values().remove("userAgent");
        else
            m_configuration.environment.values().set("userAgent", Value::string(ua));
        emitEdited();
    });
    connect(m_pinButton, &QPushButton::clicked, this, &SettingsPanel::pinComparisonRequested);
    connect(m_clearComparisonButton, &QPushButton::clicked, this, &SettingsPanel::clearComparisonRequested);
}

void SettingsPanel::setSetting(const char *key, bool on)
{
    if (m_updating)
        return;
    m_configuration.settings.values().set(key, Value::boolean(on));
    emitEdited();
}

void SettingsPanel::emitEdited()
{
    refresh();
    emit configurationEdited(m_configuration);
}

void SettingsPanel::setConfiguration(const Configuration &configuration)
{
    m_configuration = configuration;
    refresh();
}

void SettingsPanel::setComparison(const std::optional<Configuration> &comparison)
{
    if (comparison)
        m_comparisonLabel->setText(tr("Comparing with: %1").arg(describe(*comparison)));
    else
        m_comparisonLabel->setText(tr("No comparison pinned."));
    m_clearComparisonButton->setEnabled(comparison.has_value());
}

void SettingsPanel::refresh()
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    const EngineId engine = m_configuration.engine;
    for (int i = 0; i < int(std::size(kEngines)); ++i)
        if (kEngines[i] == engine)
            m_engineCombo->setCurrentIndex(i);
    const Value key = m_configuration.settings.apiKey();
    const QString keyText =
            key.isString() ? QString::fromUtf8(key.toString().data(), qsizetype(key.toString().size())) : QString();
    if (m_apiKeyEdit->text() != keyText)
        m_apiKeyEdit->setText(keyText);

    auto describeToggle = [&](QCheckBox *check, QLabel *note, const char *name) {
        const bool set = m_configuration.settings.values().contains(name);
        const bool readByEngine = Settings::isReadBy(engine, name);
        const Value value = m_configuration.settings.values().value(name);
        check->setChecked(set ? value.isTruthy() : Settings::defaultValue(engine, name));
        check->setEnabled(readByEngine);
        QString text;
        if (!readByEngine) {
            text = tr("%1 does not read this setting.").arg(QString::fromLatin1(engineName(engine)));
        } else {
            const bool engineDefault = Settings::defaultValue(engine, name);
            text = tr("When missing, %1 uses %2.")
                           .arg(QString::fromLatin1(engineName(engine)), engineDefault ? tr("on") : tr("off"));
            if (!engineDefault)
                text += tr(" (Segment's settings page shows it on for a new destination.)");
        }
        if (engine == EngineId::SegmentDevice && QByteArrayView(name) == "prefixProperties")
            text += tr(" Page and group properties are prefixed either way.");
        note->setText(text);
    };
    describeToggle(m_prefixCheck, m_prefixNote, "prefixProperties");
    describeToggle(m_categorizedCheck, m_categorizedNote, "trackCategorizedPages");
    describeToggle(m_namedCheck, m_namedNote, "trackNamedPages");

    m_skipPageViewCheck->setChecked(m_configuration.environment.isSkipPageView());
    const QString ua = QString::fromStdString(m_configuration.environment.userAgent());
    if (m_userAgentEdit->text() != ua)
        m_userAgentEdit->setText(ua);
    const bool device = outputKind(engine) == OutputKind::Client;
    m_skipPageViewCheck->setEnabled(engine == EngineId::SegmentDevice);
    m_userAgentEdit->setEnabled(device);
    m_environmentNote->setText(device ? (m_configuration.environment.isMobile() ? tr(
                                                 "A mobile user agent: the first call also sets \"Mobile Session\".")
                                                                                : QString())
                                      : tr("Cloud-mode engines do not run in a browser."));
    m_updating = wasUpdating;
}

} // namespace km
