#include "profilesdialog.h"

#include "profilestore.h"
#include "redaction.h"
#include "secretstore.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace km {

namespace {

QIcon swatch(const QString &color)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(color.isEmpty() ? QStringLiteral("#7f8c8d") : color));
    painter.drawEllipse(1, 1, 12, 12);
    return QIcon(pixmap);
}

} // namespace

ProfilesDialog::ProfilesDialog(ProfileStore *store, const QString &noSecretStoreReason, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_noStoreReason(noSecretStoreReason)
{
    setObjectName(QStringLiteral("profilesDialog"));
    setWindowTitle(tr("Profiles"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    auto *add = new QPushButton(tr("&Add"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *activate = new QPushButton(tr("Make &active"), this);
    activate->setObjectName(QStringLiteral("activateButton"));

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("profileTarget"));
    m_target->addItem(tr("Built-in endpoint (127.0.0.1, nothing leaves this machine)"),
                      int(Profile::Target::BuiltInEndpoint));
    m_target->addItem(tr("Kissmetrics"), int(Profile::Target::Kissmetrics));
    m_target->addItem(tr("Custom URL"), int(Profile::Target::CustomUrl));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_color = new QPushButton(this);
    m_color->setObjectName(QStringLiteral("profileColor"));
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("profileKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("Type a new API key"));
    m_storeKey = new QPushButton(tr("Store key"), this);
    m_storeKey->setObjectName(QStringLiteral("storeKeyButton"));
    m_removeKey = new QPushButton(tr("Remove key"), this);
    m_keyState = new QLabel(this);
    m_keyState->setObjectName(QStringLiteral("keyState"));
    m_keyState->setWordWrap(true);
    m_fileStore = new QPushButton(tr("Keep keys in a file readable by me alone"), this);
    m_fileStore->setObjectName(QStringLiteral("fileStoreButton"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setForegroundRole(QPalette::BrightText);

    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_storeKey);
    keyRow->addWidget(m_removeKey);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Target:"), m_target);
    form->addRow(tr("Base &URL:"), m_url);
    form->addRow(tr("&Colour:"), m_color);
    form->addRow(tr("API &key:"), keyRow);
    form->addRow(QString(), m_keyState);
    form->addRow(QString(), m_fileStore);
    form->addRow(QString(), m_error);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    listButtons->addWidget(activate);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(form, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);
    resize(760, 380);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_store->count()) {
            m_current = m_store->profiles().at(row).id();
            showProfile();
        }
    });
    connect(add, &QPushButton::clicked, this, [this] {
        const QUuid id =
                m_store->addProfile(Profile(tr("New profile"), Profile::Target::CustomUrl, QStringLiteral("#1565c0")));
        selectProfile(id);
        m_name->setFocus();
        m_name->selectAll();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_store->removeProfile(m_current))
            selectProfile(m_store->activeProfileId());
    });
    connect(activate, &QPushButton::clicked, this, [this] { m_store->setActiveProfile(m_current); });
    connect(m_name, &QLineEdit::editingFinished, this, &ProfilesDialog::applyEdits);
    connect(m_url, &QLineEdit::editingFinished, this, &ProfilesDialog::applyEdits);
    connect(m_target, &QComboBox::currentIndexChanged, this, &ProfilesDialog::applyEdits);
    connect(m_color, &QPushButton::clicked, this, &ProfilesDialog::chooseColor);
    connect(m_storeKey, &QPushButton::clicked, this, &ProfilesDialog::storeKey);
    connect(m_key, &QLineEdit::returnPressed, this, &ProfilesDialog::storeKey);
    connect(m_removeKey, &QPushButton::clicked, this, &ProfilesDialog::removeKey);
    connect(m_fileStore, &QPushButton::clicked, this, &ProfilesDialog::fileStoreRequested);
    connect(m_store, &ProfileStore::changed, this, &ProfilesDialog::reload);

    m_current = m_store->activeProfileId();
    reload();
}

ProfilesDialog::~ProfilesDialog() = default;

void ProfilesDialog::selectProfile(const QUuid &id)
{
    m_current = id;
    reload();
}

void ProfilesDialog::setNoSecretStoreReason(const QString &reason)
{
    m_noStoreReason = reason;
    updateKeyState();
}

void ProfilesDialog::reload()
{
    if (m_filling)
        return;
    m_filling = true;
    m_list->clear();
    int currentRow = 0;
    for (int i = 0; i < m_store->count(); ++i) {
        const Profile &p = m_store->profiles().at(i);
        QString text = p.name();
        if (p.id() == m_store->activeProfileId())
            text += tr(" (active)");
        m_list->addItem(new QListWidgetItem(swatch(p.color()), text));
        if (p.id() == m_current)
            currentRow = i;
    }
    m_list->setCurrentRow(currentRow);
    m_current = m_store->count() > 0 ? m_store->profiles().at(currentRow).id() : QUuid();
    m_filling = false;
    showProfile();
}

void ProfilesDialog::showProfile()
{
    const Profile p = m_store->profile(m_current);
    const bool filling = m_filling;
    m_filling = true;
    m_name->setText(p.name());
    m_target->setCurrentIndex(m_target->findData(int(p.target())));
    m_url->setEnabled(p.target() != Profile::Target::BuiltInEndpoint);
    m_url->setText(p.target() == Profile::Target::BuiltInEndpoint ? tr("the built-in endpoint's address")
                                                                  : p.baseUrl().toString());
    m_color->setIcon(swatch(p.color()));
    m_color->setText(p.color());
    m_error->setText(p.validationError());
    m_filling = filling;
    updateKeyState();
}

void ProfilesDialog::applyEdits()
{
    if (m_filling || m_current.isNull())
        return;
    Profile p = m_store->profile(m_current);
    const auto target = Profile::Target(m_target->currentData().toInt());
    const bool targetChanged = target != p.target();
    p.setName(m_name->text().trimmed());
    p.setTarget(target);
    if (targetChanged && target == Profile::Target::Kissmetrics && p.baseUrl().isEmpty())
        p.setBaseUrl(Profile::defaultBaseUrl(target));
    else if (!targetChanged && target != Profile::Target::BuiltInEndpoint)
        p.setBaseUrl(QUrl(m_url->text().trimmed()));
    m_store->updateProfile(p);
}

void ProfilesDialog::chooseColor()
{
    const Profile p = m_store->profile(m_current);
    const QColor color = QColorDialog::getColor(QColor(p.color()), this, tr("Profile colour"));
    if (!color.isValid())
        return;
    Profile changed = p;
    changed.setColor(color.name());
    m_store->updateProfile(changed);
}

void ProfilesDialog::storeKey()
{
    const QByteArray key = m_key->text().trimmed().toUtf8();
    if (key.isEmpty() || !m_store->secretStore())
        return;
    SecretJob *job = m_store->setApiKey(m_current, key);
    m_key->clear();
    if (!job)
        return;
    m_keyState->setText(tr("Storing…"));
    connect(job, &SecretJob::finished, this, [this](SecretJob *done) {
        if (done->error() != SecretStore::Error::NoError)
            m_keyState->setText(tr("The key could not be stored: %1").arg(done->errorString()));
        else
            updateKeyState();
    });
}

void ProfilesDialog::removeKey()
{
    if (SecretJob *job = m_store->removeApiKey(m_current))
        connect(job, &SecretJob::finished, this, [this] { updateKeyState(); });
}

void ProfilesDialog::updateKeyState()
{
    SecretStore *secrets = m_store->secretStore();
    const bool hasStore = secrets != nullptr;
    m_key->setEnabled(hasStore);
    m_storeKey->setEnabled(hasStore);
    m_fileStore->setVisible(!hasStore);
    const Profile p = m_store->profile(m_current);
    m_removeKey->setEnabled(hasStore && p.isKeyStored());
    if (!hasStore) {
        m_keyState->setText(
                tr("No system keychain: %1. Keys are never kept in plain settings; you may keep them "
                   "in a file only you can read instead. Until then, the workspace's apiKey setting is sent.")
                        .arg(m_noStoreReason.isEmpty() ? tr("none is available") : m_noStoreReason));
        return;
    }
    if (!p.isKeyStored()) {
        m_keyState->setText(
                tr("No key stored (in %1): the workspace's apiKey setting is sent.").arg(secrets->description()));
        return;
    }
    m_keyState->setText(tr("A key is stored in %1.").arg(secrets->description()));
    const QUuid id = m_current;
    if (SecretJob *job = m_store->readApiKey(id)) {
        connect(job, &SecretJob::finished, this, [this, id](SecretJob *done) {
            if (id == m_current && done->error() == SecretStore::Error::NoError)
                m_keyState->setText(tr("Stored key %1 (in %2).")
                                            .arg(maskSecret(QString::fromUtf8(done->secret())),
                                                 m_store->secretStore()->description()));
        });
    }
}

} // namespace km
