#include "profilestore.h"

#include "secretstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

namespace km {

ProfileStore::ProfileStore(const QString &filePath, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_filePath(filePath)
    , m_secrets(secrets)
    , m_profiles(defaultProfiles())
    , m_activeId(m_profiles.constFirst().id())
{ }

ProfileStore::~ProfileStore() = default;

void ProfileStore::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
}

QList<Profile> ProfileStore::defaultProfiles()
{
    return {
            Profile(tr("Local endpoint"), Profile::Target::BuiltInEndpoint, QString::fromLatin1(LocalEndpointColor)),
            Profile(tr("Kissmetrics"), Profile::Target::Kissmetrics, QString::fromLatin1(KissmetricsColor)),
    };
}

bool ProfileStore::load(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };

    QFile file(m_filePath);
    if (!file.exists()) {
        // First start: keep the defaults this store was made with, and have them saved.
        markModified();
        return true;
    }
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("cannot read %1: %2").arg(m_filePath, file.errorString()));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("%1: %2 at offset %3").arg(m_filePath, parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(QLatin1String("format")).toString() != QLatin1String(FileFormat))
        return fail(tr("%1 is not a kmtester profiles file").arg(m_filePath));
    if (root.value(QLatin1String("version")).toInt() > FileVersion)
        return fail(tr("%1 was written by a newer kmtester").arg(m_filePath));

    QList<Profile> profiles;
    QSet<QUuid> ids;
    for (const QJsonValue &value : root.value(QLatin1String("profiles")).toArray()) {
        Profile profile;
        QString why;
        if (!Profile::fromJson(value.toObject(), &profile, &why))
            return fail(tr("%1: %2").arg(m_filePath, why));
        if (ids.contains(profile.id()))
            return fail(tr("%1: the id %2 is used twice").arg(m_filePath, profile.id().toString(QUuid::WithoutBraces)));
        ids.insert(profile.id());
        profiles.append(profile);
    }

    bool repaired = false;
    if (profiles.isEmpty()) {
        profiles = defaultProfiles();
        repaired = true;
    }
    QUuid activeId = QUuid::fromString(root.value(QLatin1String("activeProfile")).toString());
    if (!ids.contains(activeId)) {
        activeId = profiles.constFirst().id();
        repaired = true;
    }

    m_profiles = profiles;
    m_activeId = activeId;
    m_modified = repaired;
    emit profilesReset();
    emit activeProfileChanged(m_activeId);
    if (repaired)
        emit changed();
    return true;
}

bool ProfileStore::save(QString *error)
{
    QJsonArray profiles;
    for (const Profile &profile : std::as_const(m_profiles))
        profiles.append(profile.toJson());
    QJsonObject root;
    root.insert(QLatin1String("format"), QLatin1String(FileFormat));
    root.insert(QLatin1String("version"), FileVersion);
    root.insert(QLatin1String("activeProfile"), m_activeId.toString(QUuid::WithoutBraces));
    root.insert(QLatin1String("profiles"), profiles);
    const QByteArray data = QJsonDocument(root).toJson(QJsonDocument::Indented);

    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(m_filePath, file.errorString());
        return false;
    }
    m_modified = false;
    return true;
}

int ProfileStore::indexOf(const QUuid &id) const
{
    for (int i = 0; i < count(); ++i) {
        if (m_profiles.at(i).id() == id)
            return i;
    }
    return -1;
}

Profile ProfileStore::profile(const QUuid &id) const
{
    const int index = indexOf(id);
    return index < 0 ? Profile() : m_profiles.at(index);
}

bool ProfileStore::setActiveProfile(const QUuid &id)
{
    if (indexOf(id) < 0)
        return false;
    if (id == m_activeId)
        return true;
    m_activeId = id;
    emit activeProfileChanged(id);
    markModified();
    return true;
}

QUuid ProfileStore::addProfile(Profile profile)
{
    if (profile.isNull() || indexOf(profile.id()) >= 0)
        profile.setId(QUuid::createUuid());
    profile.setKeyStored(false);
    m_profiles.append(profile);
    emit profileAdded(profile.id());
    markModified();
    return profile.id();
}

bool ProfileStore::updateProfile(const Profile &profile)
{
    const int index = indexOf(profile.id());
    if (index < 0)
        return false;
    Profile updated = profile;
    updated.setKeyStored(m_profiles.at(index).isKeyStored());
    if (updated == m_profiles.at(index))
        return true;
    m_profiles[index] = updated;
    emit profileChanged(profile.id());
    markModified();
    return true;
}

bool ProfileStore::removeProfile(const QUuid &id)
{
    const int index = indexOf(id);
    if (index < 0 || count() == 1)
        return false;
    // Whether or not the flag says so: a key left behind would outlive the profile unseen.
    if (m_secrets)
        m_secrets->removeSecret(Profile::apiKeySecretName(id));
    m_profiles.removeAt(index);
    emit profileRemoved(id);
    if (id == m_activeId) {
        m_activeId = m_profiles.constFirst().id();
        emit activeProfileChanged(m_activeId);
    }
    markModified();
    return true;
}

SecretJob *ProfileStore::setApiKey(const QUuid &id, const QByteArray &key)
{
    if (key.isEmpty())
        return removeApiKey(id);
    if (!m_secrets || indexOf(id) < 0)
        return nullptr;
    SecretJob *job = m_secrets->writeSecret(Profile::apiKeySecretName(id), key);
    trackKeyJob(job, id);
    return job;
}

SecretJob *ProfileStore::readApiKey(const QUuid &id)
{
    if (!m_secrets || indexOf(id) < 0)
        return nullptr;
    SecretJob *job = m_secrets->readSecret(Profile::apiKeySecretName(id));
    trackKeyJob(job, id);
    return job;
}

SecretJob *ProfileStore::removeApiKey(const QUuid &id)
{
    if (!m_secrets || indexOf(id) < 0)
        return nullptr;
    SecretJob *job = m_secrets->removeSecret(Profile::apiKeySecretName(id));
    trackKeyJob(job, id);
    return job;
}

void ProfileStore::trackKeyJob(SecretJob *job, const QUuid &id)
{
    connect(job, &SecretJob::finished, this, [this, id](SecretJob *finished) {
        const SecretStore::Error error = finished->error();
        switch (finished->operation()) {
        case SecretStore::Operation::Write:
            if (error == SecretStore::Error::NoError)
                setKeyStored(id, true);
            break;
        case SecretStore::Operation::Remove:
            if (error == SecretStore::Error::NoError)
                setKeyStored(id, false);
            break;
        case SecretStore::Operation::Read:
            if (error == SecretStore::Error::NoError)
                setKeyStored(id, true);
            else if (error == SecretStore::Error::NotFound)
                setKeyStored(id, false);
            break;
        case SecretStore::Operation::Probe:
            break;
        }
    });
}

void ProfileStore::setKeyStored(const QUuid &id, bool stored)
{
    const int index = indexOf(id);
    if (index < 0 || m_profiles.at(index).isKeyStored() == stored)
        return;
    m_profiles[index].setKeyStored(stored);
    emit profileChanged(id);
    markModified();
}

void ProfileStore::markModified()
{
    m_modified = true;
    emit changed();
}

} // namespace km
