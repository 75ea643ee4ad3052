#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace km {

class SecretJob;

// Where secrets (API keys) are kept: the system keychain, or a file only the user can read.
// Every operation is asynchronous because keychains are (a keychain may even ask the user to
// unlock it); each returns a SecretJob that reports once through SecretJob::finished().
//
// The store is an interface so the app picks one at start-up and tests can substitute their own.
// A store never logs a secret and never puts one in an error message.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Keychain, File, Other };
    Q_ENUM(Kind)

    enum class Availability {
        Unknown, // not probed yet
        Available,
        Unavailable, // unavailableReason() says why
    };
    Q_ENUM(Availability)

    enum class Error {
        NoError,
        NotFound,     // no secret under that name (only a read reports this; removing nothing succeeds)
        Unavailable,  // no keychain service, or it stopped answering
        Timeout,      // no answer within the store's time limit
        AccessDenied, // refused by the keychain or the user, or the file system
        InsecureFile, // the secrets file can be read or written by others, or is not the user's
        InvalidFile,  // the secrets file is not one this program wrote
        IoError,      // cannot read or write the secrets file
        OtherError,
    };
    Q_ENUM(Error)

    enum class Operation { Read, Write, Remove, Probe };
    Q_ENUM(Operation)

    // The time a probe may take before the store is called unavailable. Long enough for a slow
    // D-Bus activation of the keyring daemon, short enough for a start-up.
    static constexpr std::chrono::milliseconds DefaultProbeTimeout{10000};

    ~SecretStore() override;

    virtual Kind kind() const = 0;
    // For people: "system keychain (Secret Service)", "file readable by you alone: /path".
    virtual QString description() const = 0;

    Availability availability() const { return m_availability; }
    QString unavailableReason() const { return m_unavailableReason; }

    // The jobs belong to the store, emit finished() once, from the event loop (never inside these
    // calls, so connecting after the call is safe), and delete themselves afterwards.
    virtual SecretJob *readSecret(const QString &name) = 0;
    virtual SecretJob *writeSecret(const QString &name, const QByteArray &secret) = 0;
    virtual SecretJob *removeSecret(const QString &name) = 0;

    // Checks that the store really works: writes, reads back and removes a throwaway entry, all
    // within `timeout`. The job's error is NoError when everything worked; availability() follows.
    SecretJob *probe(std::chrono::milliseconds timeout = DefaultProbeTimeout);

    static QString errorName(Error error); // "not found", "timeout", ...

signals:
    void availabilityChanged(km::SecretStore::Availability availability);
    // After a successful write or removal.
    void secretChanged(const QString &name);

protected:
    explicit SecretStore(QObject *parent = nullptr);

    // For implementations: a new unfinished job, and its completion (emitted from the event loop).
    SecretJob *createJob(Operation operation, const QString &name);
    void finishJob(SecretJob *job, Error error, const QString &errorString = {}, const QByteArray &secret = {});
    void setAvailability(Availability availability, const QString &reason = {});

private:
    Availability m_availability = Availability::Unknown;
    QString m_unavailableReason;
};

// One read, write, remove or probe, as returned by a SecretStore.
class SecretJob : public QObject
{
    Q_OBJECT

public:
    ~SecretJob() override;

    SecretStore::Operation operation() const { return m_operation; }
    QString name() const { return m_name; }
    bool isFinished() const { return m_finished; }
    SecretStore::Error error() const { return m_error; }
    // For people; names the store and the entry, never the secret.
    QString errorString() const { return m_errorString; }
    // What a successful read found; empty otherwise.
    QByteArray secret() const { return m_secret; }

signals:
    void finished(km::SecretJob *job);

private:
    friend class SecretStore;
    SecretJob(SecretStore::Operation operation, const QString &name, SecretStore *store);

    SecretStore::Operation m_operation;
    QString m_name;
    bool m_hasResult = false; // set by finishJob(); finished() follows from the event loop
    bool m_finished = false;
    SecretStore::Error m_error = SecretStore::Error::NoError;
    QString m_errorString;
    QByteArray m_secret;
};

// What chooseSecretStore() found.
struct SecretStoreChoice
{
    // The keychain when its probe succeeded; null otherwise: the app then says so and OFFERS the
    // file store (FileSecretStore). A key is never put in plain settings instead.
    std::unique_ptr<SecretStore> store;
    QString reason; // why the keychain is not used, for people; empty when it is
};

// Probes `keychain` (normally a KeychainSecretStore) and returns it if it works. Waits at most
// `timeout` in a local event loop (a headless Linux box has no Secret Service, and some failure
// modes never answer), so call it before any window exists, or use SecretStore::probe().
SecretStoreChoice chooseSecretStore(std::unique_ptr<SecretStore> keychain,
                                    std::chrono::milliseconds timeout = SecretStore::DefaultProbeTimeout);
// The same with the system keychain under the service name "kmtester", after a quick look for a
// keyring on the session bus (KeychainSecretStore::backendUnavailableReason()): none, no probe.
SecretStoreChoice chooseSecretStore(std::chrono::milliseconds timeout = SecretStore::DefaultProbeTimeout);

} // namespace km
