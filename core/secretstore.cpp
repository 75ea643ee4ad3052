#include "secretstore.h"

#include "keychainsecretstore.h"

#include <QEventLoop>
#include <QMetaObject>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <memory>
#include <utility>

namespace km {

namespace {

// Entries written by probe(); nobody listening to secretChanged() cares about them.
const QString kProbePrefix = QStringLiteral("kmtester-probe/");

QString seconds(std::chrono::milliseconds duration)
{
    return QString::number(static_cast<double>(duration.count()) / 1000.0, 'g', 3);
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{ }

SecretStore::~SecretStore() = default;

QString SecretStore::errorName(Error error)
{
    switch (error) {
    case Error::NoError:
        return QStringLiteral("no error");
    case Error::NotFound:
        return QStringLiteral("not found");
    case Error::Unavailable:
        return QStringLiteral("unavailable");
    case Error::Timeout:
        return QStringLiteral("timeout");
    case Error::AccessDenied:
        return QStringLiteral("access denied");
    case Error::InsecureFile:
        return QStringLiteral("insecure file");
    case Error::InvalidFile:
        return QStringLiteral("invalid file");
    case Error::IoError:
        return QStringLiteral("input/output error");
    case Error::OtherError:
        break;
    }
    return QStringLiteral("other error");
}

SecretJob *SecretStore::createJob(Operation operation, const QString &name)
{
    return new SecretJob(operation, name, this);
}

void SecretStore::finishJob(SecretJob *job, Error error, const QString &errorString, const QByteArray &secret)
{
    // The first result wins: a late answer after a timeout must not overwrite it.
    if (!job || job->m_hasResult)
        return;
    job->m_hasResult = true;
    job->m_error = error;
    job->m_errorString = errorString;
    if (error == Error::NoError && job->m_operation == Operation::Read)
        job->m_secret = secret;

    // Queued, so that callers may connect after the call that created the job returned.
    QMetaObject::invokeMethod(
            job,
            [this, job] {
                job->m_finished = true;
                emit job->finished(job);
                const bool changed = job->m_operation == Operation::Write || job->m_operation == Operation::Remove;
                if (changed && job->m_error == Error::NoError && !job->m_name.startsWith(kProbePrefix))
                    emit secretChanged(job->m_name);
                job->deleteLater();
            },
            Qt::QueuedConnection);
}

void SecretStore::setAvailability(Availability availability, const QString &reason)
{
    const QString newReason = availability == Availability::Unavailable ? reason : QString();
    if (availability == m_availability && newReason == m_unavailableReason)
        return;
    const bool changed = availability != m_availability;
    m_availability = availability;
    m_unavailableReason = newReason;
    if (changed)
        emit availabilityChanged(availability);
}

SecretJob *SecretStore::probe(std::chrono::milliseconds timeout)
{
    const QString name = kProbePrefix + QUuid::createUuid().toString(QUuid::WithoutBraces);
    SecretJob *job = createJob(Operation::Probe, name);

    // A random value, so that reading back an old entry cannot pass for a working store.
    const QByteArray value = QUuid::createUuid().toRfc4122().toHex();

    auto fail = [this, job](Error error, const QString &why) {
        if (job->m_hasResult)
            return;
        setAvailability(Availability::Unavailable, why);
        finishJob(job, error, why);
    };

    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, job, [this, fail, timeout] {
        fail(Error::Timeout, tr("%1 did not answer within %2 s").arg(description(), seconds(timeout)));
    });
    timer->start(timeout);

    SecretJob *write = writeSecret(name, value);
    connect(write, &SecretJob::finished, job, [this, job, fail, name, value](SecretJob *written) {
        if (job->m_hasResult)
            return;
        if (written->error() != Error::NoError) {
            fail(written->error(), written->errorString());
            return;
        }
        SecretJob *read = readSecret(name);
        connect(read, &SecretJob::finished, job, [this, job, fail, name, value](SecretJob *readBack) {
            // Remove the entry whatever the read found, then report.
            const Error readError = readBack->error();
            const QString readErrorString = readBack->errorString();
            const bool same = readBack->secret() == value;
            SecretJob *remove = removeSecret(name);
            connect(remove, &SecretJob::finished, job,
                    [this, job, fail, readError, readErrorString, same](SecretJob *removed) {
                        if (job->m_hasResult)
                            return;
                        if (readError != Error::NoError)
                            fail(readError, readErrorString);
                        else if (!same)
                            fail(Error::OtherError,
                                 tr("%1 gave back a different value than it was given").arg(description()));
                        else if (removed->error() != Error::NoError)
                            fail(removed->error(), removed->errorString());
                        else {
                            setAvailability(Availability::Available);
                            finishJob(job, Error::NoError);
                        }
                    });
        });
    });
    return job;
}

SecretJob::SecretJob(SecretStore::Operation operation, const QString &name, SecretStore *store)
    : QObject(store)
    , m_operation(operation)
    , m_name(name)
{ }

SecretJob::~SecretJob()
{
    // Don't leave a copy of the secret in freed memory longer than needed.
    m_secret.fill('\0');
}

SecretStoreChoice chooseSecretStore(std::unique_ptr<SecretStore> keychain, std::chrono::milliseconds timeout)
{
    SecretStoreChoice choice;
    if (!keychain) {
        choice.reason = QObject::tr("no system keychain was given");
        return choice;
    }

    QEventLoop loop;
    bool done = false;
    SecretStore::Error error = SecretStore::Error::Timeout;
    QString errorString;
    SecretJob *job = keychain->probe(timeout);
    QObject::connect(job, &SecretJob::finished, &loop, [&](SecretJob *probed) {
        done = true;
        error = probed->error();
        errorString = probed->errorString();
        loop.quit();
    });
    // The probe has its own timer; this one only guards against a store that ignores it.
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(timeout + std::chrono::milliseconds(1000));
    loop.exec();

    if (done && error == SecretStore::Error::NoError) {
        choice.store = std::move(keychain);
    } else if (done) {
        choice.reason = errorString.isEmpty() ? SecretStore::errorName(error) : errorString;
    } else {
        choice.reason = QObject::tr("%1 did not answer within %2 s").arg(keychain->description(), seconds(timeout));
    }
    return choice;
}

SecretStoreChoice chooseSecretStore(std::chrono::milliseconds timeout)
{
    auto keychain = std::make_unique<KeychainSecretStore>();
    // A look at the session bus first: where there is no keyring (a headless box) it says so at
    // once, where a probe could wait its whole timeout for one that is never going to answer.
    const QString reason = KeychainSecretStore::backendUnavailableReason();
    if (!reason.isEmpty())
        return SecretStoreChoice{nullptr, QObject::tr("%1: %2").arg(keychain->description(), reason)};
    return chooseSecretStore(std::move(keychain), timeout);
}

} // namespace km
