#pragma once

#include "secretstore.h"

#include <chrono>

namespace QKeychain {
class Job;
}

namespace km {

// Secrets in the system keychain through QtKeychain: Secret Service (or KWallet) on Linux, the
// Keychain on macOS, the Credential Manager on Windows. Never falls back to plain-text storage.
//
// QtKeychain runs one job at a time, so a job that never answers (a keyring daemon that hangs, an
// event loop that does not dispatch its D-Bus replies) would stall every later one: once a probe
// or an operation timed out, the store reports itself unavailable and fails new operations at
// once while that job is still out. A later success makes it available again.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    static constexpr const char *DefaultService = "kmtester";
    // Long, because an operation may wait for the user to unlock the keyring.
    static constexpr std::chrono::milliseconds DefaultTimeout{120000};
    // How long a keyring daemon that is not running yet may take to start on the session bus.
    static constexpr std::chrono::milliseconds DefaultStartTimeout{2000};

    // Why the keychain surely cannot work, found without waiting for it (empty: worth a probe). On
    // Linux: no D-Bus session bus, no Secret Service (or KWallet) on it or activatable, or one that
    // does not start within `startTimeout`; each D-Bus call waits that long at most. A probe would
    // wait its whole timeout (10 s) for a service that is activatable but never comes up.
    static QString backendUnavailableReason(std::chrono::milliseconds startTimeout = DefaultStartTimeout);

    explicit KeychainSecretStore(const QString &service = QString::fromLatin1(DefaultService),
                                 QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    QString service() const { return m_service; }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout);

    Kind kind() const override { return Kind::Keychain; }
    QString description() const override;

    SecretJob *readSecret(const QString &name) override;
    SecretJob *writeSecret(const QString &name, const QByteArray &secret) override;
    SecretJob *removeSecret(const QString &name) override;

private:
    SecretJob *run(SecretJob *job, QKeychain::Job *keychainJob);

    QString m_service;
    std::chrono::milliseconds m_timeout = DefaultTimeout;
    int m_pendingJobs = 0; // started, not answered yet (including those that timed out)
};

} // namespace km
