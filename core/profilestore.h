#pragma once

#include "profile.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUuid>

namespace km {

class SecretJob;
class SecretStore;

// The user's profiles and which one is active, kept in a JSON file (whose path is given), and
// their API keys, kept in a SecretStore under Profile::apiKeySecretName(). The profiles file
// never holds a key: only whether one was stored.
//
// There is always at least one profile and an active one. A new store holds the defaults
// ("Local endpoint", active, and "Kissmetrics"); load() replaces them with the file's profiles.
// Nothing is written until save(): the app saves on changed(), which also follows a key being
// stored or removed (the profile's isKeyStored() changes).
//
// File format: {"format": "kmtester-profiles", "version": 1, "activeProfile": "<uuid>",
//               "profiles": [<Profile::toJson()>, ...]}
class ProfileStore : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *FileFormat = "kmtester-profiles";
    static constexpr int FileVersion = 1;
    static constexpr const char *LocalEndpointColor = "#2e7d32"; // green: nothing leaves the machine
    static constexpr const char *KissmetricsColor = "#c62828";   // red: lands next to production data

    // `secrets` may be null while the app has none (no keychain, file store not accepted yet);
    // the key functions then return null.
    explicit ProfileStore(const QString &filePath, SecretStore *secrets = nullptr, QObject *parent = nullptr);
    ~ProfileStore() override;

    QString filePath() const { return m_filePath; }
    SecretStore *secretStore() const { return m_secrets; }
    void setSecretStore(SecretStore *secrets);

    // A missing file is a first start: the defaults, and true (isModified(), so the app saves
    // them). On failure nothing changes and `error` says why.
    bool load(QString *error = nullptr);
    // Writes atomically.
    bool save(QString *error = nullptr);
    bool isModified() const { return m_modified; }

    const QList<Profile> &profiles() const { return m_profiles; }
    int count() const { return static_cast<int>(m_profiles.size()); }
    int indexOf(const QUuid &id) const;     // -1 when absent
    Profile profile(const QUuid &id) const; // a null profile when absent

    QUuid activeProfileId() const { return m_activeId; }
    Profile activeProfile() const { return profile(m_activeId); }
    bool setActiveProfile(const QUuid &id); // false for an unknown id

    // Returns the id the profile got: its own, or a new one when it is null or already in use.
    // The profile starts with no stored key whatever it says (its id's key is not its own).
    QUuid addProfile(Profile profile);
    // Replaces the profile with the same id; false when there is none. Keeps isKeyStored() as
    // this store knows it (a copy being edited may predate the key's arrival).
    bool updateProfile(const Profile &profile);
    // Refuses to remove the last profile. Removing the active one activates the first. The key
    // is removed from the secret store as well (without waiting for it).
    bool removeProfile(const QUuid &id);

    // The API key of a profile, through the secret store; null when there is no store or no such
    // profile. Storing an empty key removes it. On success the profile's isKeyStored() follows;
    // a read that finds nothing also clears it.
    SecretJob *setApiKey(const QUuid &id, const QByteArray &key);
    SecretJob *readApiKey(const QUuid &id);
    SecretJob *removeApiKey(const QUuid &id);

    static QList<Profile> defaultProfiles(); // fresh ids each time; the first is the one to activate

signals:
    void profileAdded(const QUuid &id);
    void profileChanged(const QUuid &id);
    void profileRemoved(const QUuid &id);
    void activeProfileChanged(const QUuid &id);
    void profilesReset(); // everything was replaced (load)
    void changed();       // after any change above: time to save

private:
    void trackKeyJob(SecretJob *job, const QUuid &id);
    void setKeyStored(const QUuid &id, bool stored);
    void markModified();

    QString m_filePath;
    QPointer<SecretStore> m_secrets;
    QList<Profile> m_profiles;
    QUuid m_activeId;
    bool m_modified = false;
};

} // namespace km
