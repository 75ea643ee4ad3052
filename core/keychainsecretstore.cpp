#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <QPointer>
#include <QStringDecoder>
#include <QTimer>

#ifdef KM_KEYCHAIN_DBUS
#include <QDBusConnection>
#include <QDBusMessage>
#endif

#include <memory>

namespace km {

namespace {

SecretStore::Error toError(QKeychain::Error error, SecretStore::Operation operation)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretStore::Error::NoError;
    case QKeychain::EntryNotFound:
        // Removing what is not there leaves the wanted state: not an error.
        return operation == SecretStore::Operation::Remove ? SecretStore::Error::NoError : SecretStore::Error::NotFound;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return SecretStore::Error::AccessDenied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretStore::Error::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return SecretStore::Error::OtherError;
}

QString seconds(std::chrono::milliseconds duration)
{
    return QString::number(static_cast<double>(duration.count()) / 1000.0, 'g', 3);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent)
    , m_service(service)
{ }

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::backendUnavailableReason(std::chrono::milliseconds startTimeout)
{
#ifdef KM_KEYCHAIN_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return tr("there is no D-Bus session bus (%1)").arg(bus.lastError().message());
    const int timeoutMs = int(startTimeout.count());
    const auto callBus = [&](const char *method, const QVariantList &arguments) {
        QDBusMessage message = QDBusMessage::createMethodCall(
                QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                QStringLiteral("org.freedesktop.DBus"), QString::fromLatin1(method));
        message.setArguments(arguments);
        return bus.call(message, QDBus::Block, timeoutMs);
    };
    // The services QtKeychain may use on Linux, in its order of preference.
    static const QStringList services{QStringLiteral("org.freedesktop.secrets"), QStringLiteral("org.kde.kwalletd6"),
                                      QStringLiteral("org.kde.kwalletd5")};
    for (const QString &service : services) {
        const QDBusMessage owned = callBus("NameHasOwner", {service});
        if (owned.type() == QDBusMessage::ReplyMessage && owned.arguments().value(0).toBool())
            return {}; // running: the probe will tell whether it works
    }
    const QDBusMessage activatable = callBus("ListActivatableNames", {});
    const QStringList names = activatable.arguments().value(0).toStringList();
    for (const QString &service : services) {
        if (!names.contains(service))
            continue;
        // Start it here, with a short timeout: the probe would wait for it far longer.
        const QDBusMessage started = callBus("StartServiceByName", {service, 0u});
        if (started.type() == QDBusMessage::ReplyMessage)
            return {};
        return started.errorName() == QLatin1String("org.freedesktop.DBus.Error.NoReply")
                       ? tr("%1 did not start within %2 s").arg(service, seconds(startTimeout))
                       : tr("%1 cannot be started: %2").arg(service, started.errorMessage());
    }
    return tr("no Secret Service (%1) is running or can be started on the D-Bus session bus").arg(services.first());
#else
    Q_UNUSED(startTimeout);
    return {};
#endif
}

void KeychainSecretStore::setTimeout(std::chrono::milliseconds timeout)
{
    m_timeout = timeout;
}

QString KeychainSecretStore::description() const
{
#if defined(Q_OS_MACOS) || defined(Q_OS_IOS)
    return tr("system keychain (Keychain)");
#elif defined(Q_OS_WIN)
    return tr("system keychain (Windows Credential Manager)");
#else
    return tr("system keychain (Secret Service)");
#endif
}

SecretJob *KeychainSecretStore::readSecret(const QString &name)
{
    return run(createJob(Operation::Read, name), new QKeychain::ReadPasswordJob(m_service));
}

SecretJob *KeychainSecretStore::writeSecret(const QString &name, const QByteArray &secret)
{
    auto *keychainJob = new QKeychain::WritePasswordJob(m_service);
    // Text when it is text, so that the entry reads as the key in the keyring's own viewer.
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(secret);
    if (decoder.hasError())
        keychainJob->setBinaryData(secret);
    else
        keychainJob->setTextData(text);
    return run(createJob(Operation::Write, name), keychainJob);
}

SecretJob *KeychainSecretStore::removeSecret(const QString &name)
{
    return run(createJob(Operation::Remove, name), new QKeychain::DeletePasswordJob(m_service));
}

SecretJob *KeychainSecretStore::run(SecretJob *job, QKeychain::Job *keychainJob)
{
    if (m_pendingJobs > 0 && availability() == Availability::Unavailable) {
        // Declared unavailable (a probe or an operation timed out) with a request still out:
        // QtKeychain would queue this one behind it.
        delete keychainJob;
        finishJob(job, Error::Unavailable, tr("%1 has not answered an earlier request").arg(description()));
        return job;
    }

    keychainJob->setKey(job->name());
    // The rule: never silently store the key in plain QSettings.
    keychainJob->setInsecureFallback(false);
    // Unparented and self-deleting: a job that is late must outlive us rather than be deleted
    // while the keyring still holds a callback into it.
    keychainJob->setAutoDelete(true);

    struct State
    {
        bool answered = false;
        bool timedOut = false;
    };
    auto state = std::make_shared<State>();
    const Operation operation = job->operation();
    connect(keychainJob, &QKeychain::Job::finished, this,
            [this, job = QPointer<SecretJob>(job), state, operation](QKeychain::Job *finished) {
                state->answered = true;
                --m_pendingJobs;
                if (state->timedOut)
                    return; // the caller heard "timeout" already

                const Error error = toError(finished->error(), operation);
                QString errorString;
                if (error != Error::NoError)
                    errorString = tr("%1: %2").arg(description(), finished->errorString());
                QByteArray secret;
                if (error == Error::NoError && operation == Operation::Read)
                    secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData();
                // It works after all (a probe in progress decides for itself).
                if (error == Error::NoError && availability() == Availability::Unavailable)
                    setAvailability(Availability::Available);
                finishJob(job, error, errorString, secret);
            });

    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, job, [this, job, state] {
        if (state->answered)
            return;
        state->timedOut = true;
        const QString why = tr("%1 did not answer within %2 s").arg(description(), seconds(m_timeout));
        setAvailability(Availability::Unavailable, why);
        finishJob(job, Error::Timeout, why);
    });
    timer->start(m_timeout);

    ++m_pendingJobs;
    keychainJob->start();
    return job;
}

} // namespace km
