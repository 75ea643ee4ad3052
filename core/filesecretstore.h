#pragma once

#include "secretstore.h"

#include <QMap>

namespace km {

// Secrets in a JSON file that only the user can read (mode 0600), for machines without a
// keychain; the app offers it, the user chooses it. The file is not encrypted: its protection is
// the file mode, which is why a file others can read or write (or that belongs to someone else)
// is refused rather than used.
//
// The file is created 0600 before anything is written into it, and replaced atomically
// (QSaveFile), so it never holds a secret with looser permissions, nor half a write. A directory
// the store creates for it is 0700.
//
// File format: {"format": "kmtester-secrets", "version": 1, "secrets": {"<name>": "<base64>"}}
// (base64 only keeps any bytes intact in JSON).
//
// Operations are done at once and reported from the event loop, as SecretStore requires.
class FileSecretStore : public SecretStore
{
    Q_OBJECT

public:
    static constexpr const char *FileFormat = "kmtester-secrets";
    static constexpr int FileVersion = 1;

    explicit FileSecretStore(const QString &filePath, QObject *parent = nullptr);
    ~FileSecretStore() override;

    QString filePath() const { return m_filePath; }

    Kind kind() const override { return Kind::File; }
    QString description() const override; // "file readable by you alone: /path"

    SecretJob *readSecret(const QString &name) override;
    SecretJob *writeSecret(const QString &name, const QByteArray &secret) override;
    SecretJob *removeSecret(const QString &name) override;

    // The usual place: secrets.json in the application's data folder (QStandardPaths::AppDataLocation,
    // so set the application name first). The app passes it, or another path, to the constructor.
    static QString defaultFilePath();

private:
    Error load(QMap<QString, QByteArray> *secrets, QString *errorString);
    Error save(const QMap<QString, QByteArray> &secrets, QString *errorString);
    Error createPrivately(QString *errorString);
    void noteResult(Error error, const QString &errorString);

    QString m_filePath;
};

} // namespace km
