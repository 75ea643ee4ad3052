#include "filesecretstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace km {

namespace {

// A secrets file holds a few keys; anything far bigger is not ours.
constexpr qint64 kMaxFileSize = 1024 * 1024;

constexpr QFile::Permissions kPrivateFile = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kPrivateDirectory = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;

// Why the open file cannot be trusted with secrets; empty when it can. Checked on the open handle,
// not the path, so the file cannot be swapped between the check and the read.
QString insecurity(const QFile &file)
{
#ifdef Q_OS_UNIX
    struct stat info;
    if (::fstat(file.handle(), &info) != 0)
        return QObject::tr("cannot check the permissions of %1: %2")
                .arg(file.fileName(), QString::fromLocal8Bit(std::strerror(errno)));
    if (!S_ISREG(info.st_mode))
        return QObject::tr("%1 is not a regular file").arg(file.fileName());
    if (info.st_uid != ::geteuid())
        return QObject::tr("%1 belongs to another user (uid %2), who could read or change it")
                .arg(file.fileName())
                .arg(info.st_uid);
    if ((info.st_mode & 077) != 0)
        return QObject::tr("%1 is open to other users (mode %2); refusing to keep a secret in it. "
                           "Make it private with: chmod 600 %1")
                .arg(file.fileName(), QStringLiteral("0%1").arg(info.st_mode & 0777, 3, 8, QLatin1Char('0')));
    return {};
#else
    // Elsewhere the file lives in the user's profile folder, whose ACL is the protection.
    Q_UNUSED(file)
    return {};
#endif
}

} // namespace

FileSecretStore::FileSecretStore(const QString &filePath, QObject *parent)
    : SecretStore(parent)
    , m_filePath(filePath)
{
    // Say at once when an existing file cannot be used, so the app can tell before a send needs it.
    QFile file(m_filePath);
    if (file.open(QIODevice::ReadOnly)) {
        const QString why = insecurity(file);
        if (!why.isEmpty())
            setAvailability(Availability::Unavailable, why);
    }
}

FileSecretStore::~FileSecretStore() = default;

QString FileSecretStore::description() const
{
    return tr("file readable by you alone: %1").arg(QDir::toNativeSeparators(m_filePath));
}

QString FileSecretStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/secrets.json");
}

SecretJob *FileSecretStore::readSecret(const QString &name)
{
    SecretJob *job = createJob(Operation::Read, name);
    QMap<QString, QByteArray> secrets;
    QString errorString;
    Error error = load(&secrets, &errorString);
    if (error == Error::NoError && !secrets.contains(name)) {
        error = Error::NotFound;
        errorString = tr("no secret named %1 in %2").arg(name, m_filePath);
    }
    noteResult(error, errorString);
    finishJob(job, error, errorString, error == Error::NoError ? secrets.value(name) : QByteArray());
    for (QByteArray &secret : secrets)
        secret.fill('\0');
    return job;
}

SecretJob *FileSecretStore::writeSecret(const QString &name, const QByteArray &secret)
{
    SecretJob *job = createJob(Operation::Write, name);
    QMap<QString, QByteArray> secrets;
    QString errorString;
    // A file that cannot be read is not overwritten: it may hold other secrets.
    Error error = load(&secrets, &errorString);
    if (error == Error::NoError) {
        secrets.insert(name, secret);
        error = save(secrets, &errorString);
    }
    noteResult(error, errorString);
    finishJob(job, error, errorString);
    for (QByteArray &value : secrets)
        value.fill('\0');
    return job;
}

SecretJob *FileSecretStore::removeSecret(const QString &name)
{
    SecretJob *job = createJob(Operation::Remove, name);
    QMap<QString, QByteArray> secrets;
    QString errorString;
    Error error = load(&secrets, &errorString);
    // Removing what is not there leaves the wanted state, and needs no file.
    if (error == Error::NoError && secrets.remove(name) > 0)
        error = save(secrets, &errorString);
    noteResult(error, errorString);
    finishJob(job, error, errorString);
    for (QByteArray &value : secrets)
        value.fill('\0');
    return job;
}

void FileSecretStore::noteResult(Error error, const QString &errorString)
{
    if (error == Error::NoError || error == Error::NotFound)
        setAvailability(Availability::Available);
    else if (error == Error::InsecureFile || error == Error::InvalidFile)
        setAvailability(Availability::Unavailable, errorString);
}

SecretStore::Error FileSecretStore::load(QMap<QString, QByteArray> *secrets, QString *errorString)
{
    secrets->clear();
    QFile file(m_filePath);
    if (!file.exists())
        return Error::NoError; // first use: no secrets yet
    if (!file.open(QIODevice::ReadOnly)) {
        *errorString = tr("cannot read %1: %2").arg(m_filePath, file.errorString());
        return file.error() == QFileDevice::PermissionsError ? Error::AccessDenied : Error::IoError;
    }
    if (const QString why = insecurity(file); !why.isEmpty()) {
        *errorString = why;
        return Error::InsecureFile;
    }
    if (file.size() > kMaxFileSize) {
        *errorString = tr("%1 is too big to be a secrets file").arg(m_filePath);
        return Error::InvalidFile;
    }
    QByteArray data = file.readAll();

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    data.fill('\0');
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError || !document.isObject()
        || root.value(QLatin1String("format")).toString() != QLatin1String(FileFormat)
        || !root.value(QLatin1String("secrets")).isObject()) {
        *errorString = tr("%1 is not a kmtester secrets file").arg(m_filePath);
        return Error::InvalidFile;
    }
    if (root.value(QLatin1String("version")).toInt() > FileVersion) {
        *errorString = tr("%1 was written by a newer kmtester").arg(m_filePath);
        return Error::InvalidFile;
    }
    const QJsonObject stored = root.value(QLatin1String("secrets")).toObject();
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
                it.value().toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!it.value().isString() || !decoded) {
            *errorString = tr("%1: the entry %2 is damaged").arg(m_filePath, it.key());
            secrets->clear();
            return Error::InvalidFile;
        }
        secrets->insert(it.key(), *decoded);
    }
    return Error::NoError;
}

SecretStore::Error FileSecretStore::createPrivately(QString *errorString)
{
    const QFileInfo info(m_filePath);
    const QDir directory = info.absoluteDir();
    if (!directory.exists()) {
        // Only the last level is ours to make private; the ones above are ordinary folders.
        const QString parent = QFileInfo(directory.absolutePath()).absolutePath();
        if (!QDir().mkpath(parent) || !QDir().mkdir(directory.absolutePath(), kPrivateDirectory)) {
            *errorString = tr("cannot create the folder %1").arg(directory.absolutePath());
            return Error::IoError;
        }
    }
    // Created with its final mode in the same call (O_CREAT|O_EXCL, 0600), so no other user can
    // open it in between and keep that handle to read what comes later. With the file in place,
    // QSaveFile also creates its temporary file 0600; for a new file it would use the umask's
    // default, usually 0644: harmless while Qt uses an unnamed O_TMPFILE (Linux), not when it
    // falls back to a named temporary file (file systems without O_TMPFILE, other systems).
    QFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kPrivateFile)) {
        if (file.exists())
            return Error::NoError; // someone made it meanwhile; save() checks it
        *errorString = tr("cannot create %1: %2").arg(m_filePath, file.errorString());
        return file.error() == QFileDevice::PermissionsError ? Error::AccessDenied : Error::IoError;
    }
    return Error::NoError;
}

SecretStore::Error FileSecretStore::save(const QMap<QString, QByteArray> &secrets, QString *errorString)
{
    if (!QFileInfo::exists(m_filePath)) {
        if (const Error error = createPrivately(errorString); error != Error::NoError)
            return error;
    }
    {
        QFile existing(m_filePath);
        if (!existing.open(QIODevice::ReadOnly)) {
            *errorString = tr("cannot read %1: %2").arg(m_filePath, existing.errorString());
            return Error::IoError;
        }
        if (const QString why = insecurity(existing); !why.isEmpty()) {
            *errorString = why;
            return Error::InsecureFile;
        }
    }

    QJsonObject stored;
    for (auto it = secrets.begin(); it != secrets.end(); ++it)
        stored.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    QJsonObject root;
    root.insert(QLatin1String("format"), QLatin1String(FileFormat));
    root.insert(QLatin1String("version"), FileVersion);
    root.insert(QLatin1String("secrets"), stored);
    QByteArray data = QJsonDocument(root).toJson(QJsonDocument::Indented);

    QSaveFile file(m_filePath);
    // setPermissions() on the open QSaveFile sets its temporary file's mode, before any byte.
    const bool written = file.open(QIODevice::WriteOnly) && file.setPermissions(kPrivateFile)
                         && file.write(data) == data.size() && file.commit();
    data.fill('\0');
    if (!written) {
        *errorString = tr("cannot write %1: %2").arg(m_filePath, file.errorString());
        return Error::IoError;
    }
    return Error::NoError;
}

} // namespace km
