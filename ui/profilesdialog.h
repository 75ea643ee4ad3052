#pragma once

#include <QDialog>
#include <QUuid>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace km {

class ProfileStore;

// Edits the profiles of a ProfileStore in place: name, target (built-in endpoint, Kissmetrics at an
// editable host, a custom URL), colour and API key. The key goes to the store's SecretStore and is
// only ever shown masked; without a secret store the dialog says so and offers the file store
// (fileStoreRequested()), never plain settings.
class ProfilesDialog : public QDialog
{
    Q_OBJECT

public:
    ProfilesDialog(ProfileStore *store, const QString &noSecretStoreReason, QWidget *parent = nullptr);
    ~ProfilesDialog() override;

    QUuid currentProfileId() const { return m_current; }
    void selectProfile(const QUuid &id);
    // After the window created a secret store on request.
    void setNoSecretStoreReason(const QString &reason);

signals:
    // The user accepts keeping keys in a file only they can read.
    void fileStoreRequested();

private:
    void reload();
    void showProfile();
    void applyEdits();
    void storeKey();
    void removeKey();
    void updateKeyState();
    void chooseColor();

    ProfileStore *m_store;
    QString m_noStoreReason;
    QUuid m_current;
    bool m_filling = false;
    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_target = nullptr;
    QLineEdit *m_url = nullptr;
    QPushButton *m_color = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyState = nullptr;
    QPushButton *m_storeKey = nullptr;
    QPushButton *m_removeKey = nullptr;
    QPushButton *m_fileStore = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace km
