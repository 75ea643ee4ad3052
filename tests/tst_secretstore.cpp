#include "filesecretstore.h"
#include "keychainsecretstore.h"
#include "secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace std::chrono_literals;
using km::SecretJob;
using km::SecretStore;

namespace {

// Waits for a job's finished() and returns what it reported; an empty optional if it never did.
struct Outcome
{
    bool finished = false;
    SecretStore::Error error = SecretStore::Error::OtherError;
    QString errorString;
    QByteArray secret;
};

Outcome waitFor(SecretJob *job, int timeoutMs = 5000)
{
    Outcome outcome;
    QObject::connect(job, &SecretJob::finished, [&outcome](SecretJob *done) {
        outcome.finished = true;
        outcome.error = done->error();
        outcome.errorString = done->errorString();
        outcome.secret = done->secret();
    });
    QElapsedTimer timer;
    timer.start();
    while (!outcome.finished && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return outcome;
}

int modeOf(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return static_cast<int>(info.st_mode & 07777);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Sets the process umask for a scope.
class UmaskScope
{
public:
    explicit UmaskScope(mode_t mask)
        : m_previous(::umask(mask))
    { }
    ~UmaskScope() { ::umask(m_previous); }

private:
    mode_t m_previous;
};

// Watches a folder from another thread and looks at the mode of every file the moment it is
// created or changed, as another user racing to open it would.
class FolderWatcher
{
public:
    struct Seen
    {
        QByteArray name;
        quint32 mask;
        int mode; // -1 when the file was already gone
    };

    explicit FolderWatcher(const QString &folder)
        : m_folder(QFile::encodeName(folder))
    {
        m_fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (m_fd >= 0)
            ::inotify_add_watch(m_fd, m_folder.constData(), IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_MOVED_TO);
        m_thread = std::thread([this] { run(); });
    }
    ~FolderWatcher() { stop(); }

    bool isValid() const { return m_fd >= 0; }

    // Stops after reading everything already queued.
    std::vector<Seen> stop()
    {
        if (m_thread.joinable()) {
            m_stop = true;
            m_thread.join();
            if (m_fd >= 0)
                ::close(m_fd);
        }
        std::lock_guard lock(m_mutex);
        return m_seen;
    }

private:
    void run()
    {
        alignas(inotify_event) char buffer[4096];
        for (;;) {
            const bool stopping = m_stop;
            pollfd pfd{m_fd, POLLIN, 0};
            if (::poll(&pfd, 1, stopping ? 0 : 5) <= 0) {
                if (stopping)
                    return;
                continue;
            }
            const ssize_t length = ::read(m_fd, buffer, sizeof buffer);
            for (ssize_t offset = 0; offset < length;) {
                const auto *event = reinterpret_cast<const inotify_event *>(buffer + offset);
                if (event->len > 0) {
                    const QByteArray name(event->name);
                    struct stat info;
                    const QByteArray path = m_folder + '/' + name;
                    const int mode = ::stat(path.constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
                    std::lock_guard lock(m_mutex);
                    m_seen.push_back({name, event->mask, mode});
                }
                offset += ssize_t(sizeof(inotify_event) + event->len);
            }
        }
    }

    QByteArray m_folder;
    int m_fd = -1;
    std::atomic<bool> m_stop = false;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<Seen> m_seen;
};

// A keychain that never answers, as QtKeychain does when its D-Bus replies are never dispatched.
class SilentStore : public SecretStore
{
public:
    Kind kind() const override { return Kind::Keychain; }
    QString description() const override { return QStringLiteral("silent keychain"); }
    SecretJob *readSecret(const QString &name) override { return createJob(Operation::Read, name); }
    SecretJob *writeSecret(const QString &name, const QByteArray &) override
    {
        return createJob(Operation::Write, name);
    }
    SecretJob *removeSecret(const QString &name) override { return createJob(Operation::Remove, name); }
};

// A keychain that refuses everything at once, as QtKeychain does without a D-Bus session.
class RefusingStore : public SecretStore
{
public:
    Kind kind() const override { return Kind::Keychain; }
    QString description() const override { return QStringLiteral("refusing keychain"); }
    SecretJob *readSecret(const QString &name) override { return refuse(Operation::Read, name); }
    SecretJob *writeSecret(const QString &name, const QByteArray &) override { return refuse(Operation::Write, name); }
    SecretJob *removeSecret(const QString &name) override { return refuse(Operation::Remove, name); }

private:
    SecretJob *refuse(Operation operation, const QString &name)
    {
        SecretJob *job = createJob(operation, name);
        finishJob(job, Error::Unavailable, QStringLiteral("refusing keychain: no backend"));
        return job;
    }
};

// The test's own keychain service, so a desktop run never touches the app's entries.
const QString kTestService = QStringLiteral("kmtester-test");

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void fileRoundTrip_data();
    void fileRoundTrip();
    void fileKeepsOtherSecrets();
    void fileRemoveMissingIsNoError();
    void fileIsExactly0600();
    void fileCreatesPrivateFolder();
    void fileRefusesLooseFile_data();
    void fileRefusesLooseFile();
    void fileNeverWorldReadableDuringFirstWrite();
    void fileRefusesDamagedFile_data();
    void fileRefusesDamagedFile();
    void fileDescription();
    void jobsFinishFromEventLoop();
    void secretChangedAfterWriteAndRemove();
    void probeFileStore();
    void probeTimesOut();
    void probeReportsFailure();
    void chooseSilentKeychain();
    void keychainProbeWithinTimeout();
    void chooseKeychainWithinTimeout();
    void keychainProbeWithoutEventDispatch();
    void backendCheckWithoutAKeyring_data();
    void backendCheckWithoutAKeyring();
    void printBackendReason();
};

void TestSecretStore::fileRoundTrip_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("hex key") << QByteArray("6f1c0b0e2bd93a7c1f9e4d5a8b2c3e4f5a6bc273");
    QTest::newRow("punctuation") << QByteArray("a b+c%20d&e=f\"g\\h/<API_KEY>");
    QTest::newRow("utf-8") << QByteArray("clé-ключ-鍵");
    QTest::newRow("binary") << QByteArray("\x00\x01\xff\xfe\n\r\t", 7);
    QTest::newRow("empty") << QByteArray();
}

void TestSecretStore::fileRoundTrip()
{
    QFETCH(QByteArray, secret);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    km::FileSecretStore store(dir.filePath(QStringLiteral("secrets.json")));
    const QString name = QStringLiteral("profile/8d1b0c4e-0000-4000-8000-000000000001/apiKey");

    Outcome written = waitFor(store.writeSecret(name, secret));
    QVERIFY(written.finished);
    QCOMPARE(written.error, SecretStore::Error::NoError);
    QVERIFY(written.errorString.isEmpty());

    Outcome read = waitFor(store.readSecret(name));
    QVERIFY(read.finished);
    QCOMPARE(read.error, SecretStore::Error::NoError);
    QCOMPARE(read.secret, secret);

    // A second store on the same file (the next start) finds it too.
    km::FileSecretStore again(store.filePath());
    read = waitFor(again.readSecret(name));
    QCOMPARE(read.error, SecretStore::Error::NoError);
    QCOMPARE(read.secret, secret);

    Outcome removed = waitFor(store.removeSecret(name));
    QVERIFY(removed.finished);
    QCOMPARE(removed.error, SecretStore::Error::NoError);

    read = waitFor(store.readSecret(name));
    QCOMPARE(read.error, SecretStore::Error::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(!read.errorString.isEmpty());
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
}

void TestSecretStore::fileKeepsOtherSecrets()
{
    QTemporaryDir dir;
    km::FileSecretStore store(dir.filePath(QStringLiteral("secrets.json")));
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("a"), "first")).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("b"), "second")).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("a"), "replaced")).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.readSecret(QStringLiteral("a"))).secret, QByteArray("replaced"));
    QCOMPARE(waitFor(store.removeSecret(QStringLiteral("a"))).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.readSecret(QStringLiteral("a"))).error, SecretStore::Error::NotFound);
    QCOMPARE(waitFor(store.readSecret(QStringLiteral("b"))).secret, QByteArray("second"));
}

void TestSecretStore::fileRemoveMissingIsNoError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    km::FileSecretStore store(path);
    QCOMPARE(waitFor(store.removeSecret(QStringLiteral("nothing"))).error, SecretStore::Error::NoError);
    QVERIFY2(!QFile::exists(path), "removing nothing must not create the file");
    QCOMPARE(waitFor(store.readSecret(QStringLiteral("nothing"))).error, SecretStore::Error::NotFound);
}

void TestSecretStore::fileIsExactly0600()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    km::FileSecretStore store(path);
    for (const mode_t mask : {mode_t(0), mode_t(022), mode_t(077), mode_t(0277)}) {
        UmaskScope scope(mask);
        QFile::remove(path);
        QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k"), "v")).error, SecretStore::Error::NoError);
        QCOMPARE(modeOf(path), 0600);
        // Rewriting keeps it so.
        QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k2"), "v2")).error, SecretStore::Error::NoError);
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(waitFor(store.removeSecret(QStringLiteral("k"))).error, SecretStore::Error::NoError);
        QCOMPARE(modeOf(path), 0600);
    }
    // Nothing else left in the folder (no temporary files).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("secrets.json")});
}

void TestSecretStore::fileCreatesPrivateFolder()
{
    QTemporaryDir dir;
    UmaskScope scope(0);
    const QString folder = dir.filePath(QStringLiteral("data/kmtester"));
    km::FileSecretStore store(folder + QStringLiteral("/secrets.json"));
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k"), "v")).error, SecretStore::Error::NoError);
    QCOMPARE(modeOf(folder), 0700);
    QCOMPARE(modeOf(folder + QStringLiteral("/secrets.json")), 0600);
}

void TestSecretStore::fileRefusesLooseFile_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("0644") << 0644;
    QTest::newRow("0640") << 0640;
    QTest::newRow("0604") << 0604;
    QTest::newRow("0660") << 0660;
    QTest::newRow("0602") << 0602;
    QTest::newRow("0666") << 0666;
    QTest::newRow("0610") << 0610;
}

void TestSecretStore::fileRefusesLooseFile()
{
    QFETCH(int, mode);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    {
        km::FileSecretStore writer(path);
        QCOMPARE(waitFor(writer.writeSecret(QStringLiteral("k"), "the-key")).error, SecretStore::Error::NoError);
    }
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
    const QByteArray before = readFile(path);

    km::FileSecretStore store(path);
    // Known at once, before any operation.
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
    QVERIFY2(store.unavailableReason().contains(QStringLiteral("chmod 600")), qPrintable(store.unavailableReason()));

    const Outcome read = waitFor(store.readSecret(QStringLiteral("k")));
    QCOMPARE(read.error, SecretStore::Error::InsecureFile);
    QVERIFY(read.secret.isEmpty());
    QVERIFY2(read.errorString.contains(path), qPrintable(read.errorString));
    QVERIFY2(read.errorString.contains(QStringLiteral("0%1").arg(mode, 0, 8)), qPrintable(read.errorString));
    QVERIFY(!read.errorString.contains(QStringLiteral("the-key")));

    // Nor is anything written into it (or over it).
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k2"), "other")).error, SecretStore::Error::InsecureFile);
    QCOMPARE(waitFor(store.removeSecret(QStringLiteral("k"))).error, SecretStore::Error::InsecureFile);
    QCOMPARE(readFile(path), before);
    QCOMPARE(modeOf(path), mode);
}

void TestSecretStore::fileNeverWorldReadableDuringFirstWrite()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    // With no umask, a file created with default permissions would be 0666 for all to open.
    UmaskScope scope(0);
    FolderWatcher watcher(dir.path());
    QVERIFY(watcher.isValid());

    km::FileSecretStore store(path);
    for (int i = 0; i < 20; ++i) {
        QFile::remove(path);
        QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k"), "the-key")).error, SecretStore::Error::NoError);
    }
    const std::vector<FolderWatcher::Seen> seen = watcher.stop();

    QVERIFY(!seen.empty());
    // The secrets file itself appears first, made 0600 in one call, before QSaveFile makes its
    // temporary file: with the file in place, QSaveFile creates that 0600 too, also where it has
    // to fall back from an unnamed O_TMPFILE to a named temporary file others could open.
    QCOMPARE(seen.front().name, QByteArray("secrets.json"));
    QVERIFY(seen.front().mask & IN_CREATE);
    int looked = 0;
    for (const FolderWatcher::Seen &event : seen) {
        if (event.mode < 0)
            continue; // gone before the watcher looked
        ++looked;
        QVERIFY2(
                (event.mode & 077) == 0,
                qPrintable(QStringLiteral("%1 was mode 0%2").arg(QString::fromUtf8(event.name)).arg(event.mode, 0, 8)));
    }
    QVERIFY(looked > 0);
    QCOMPARE(modeOf(path), 0600);
}

void TestSecretStore::fileRefusesDamagedFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("not json") << QByteArray("hello");
    QTest::newRow("other format") << QByteArray(R"({"format": "something", "version": 1, "secrets": {}})");
    QTest::newRow("newer version") << QByteArray(R"({"format": "kmtester-secrets", "version": 99, "secrets": {}})");
    QTest::newRow("bad base64") << QByteArray(
            R"({"format": "kmtester-secrets", "version": 1, "secrets": {"k": "@@@"}})");
    QTest::newRow("not a string") << QByteArray(R"({"format": "kmtester-secrets", "version": 1, "secrets": {"k": 1}})");
}

void TestSecretStore::fileRefusesDamagedFile()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QVERIFY(writeFile(path, content));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));

    km::FileSecretStore store(path);
    const Outcome read = waitFor(store.readSecret(QStringLiteral("k")));
    QCOMPARE(read.error, SecretStore::Error::InvalidFile);
    QVERIFY(read.errorString.contains(path));
    // A file that cannot be read may hold other secrets: it is not overwritten.
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("k"), "v")).error, SecretStore::Error::InvalidFile);
    QCOMPARE(readFile(path), content);
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
}

void TestSecretStore::fileDescription()
{
    km::FileSecretStore store(QStringLiteral("/home/someone/.local/share/kmtester/secrets.json"));
    QCOMPARE(store.kind(), SecretStore::Kind::File);
    QCOMPARE(store.description(),
             QStringLiteral("file readable by you alone: /home/someone/.local/share/kmtester/secrets.json"));
    QCOMPARE(store.availability(), SecretStore::Availability::Unknown);

    km::KeychainSecretStore keychain(kTestService);
    QCOMPARE(keychain.kind(), SecretStore::Kind::Keychain);
    QCOMPARE(keychain.service(), kTestService);
    QVERIFY(keychain.description().startsWith(QStringLiteral("system keychain")));
    QCOMPARE(keychain.availability(), SecretStore::Availability::Unknown);
}

void TestSecretStore::jobsFinishFromEventLoop()
{
    QTemporaryDir dir;
    km::FileSecretStore store(dir.filePath(QStringLiteral("secrets.json")));
    SecretJob *job = store.writeSecret(QStringLiteral("k"), "v");
    QVERIFY(job);
    QCOMPARE(job->operation(), SecretStore::Operation::Write);
    QCOMPARE(job->name(), QStringLiteral("k"));
    QVERIFY(!job->isFinished());
    // Connecting after the call is in time.
    QSignalSpy finished(job, &SecretJob::finished);
    QSignalSpy destroyed(job, &QObject::destroyed);
    QCOMPARE(finished.count(), 0);
    QVERIFY(finished.wait(2000));
    QCOMPARE(finished.count(), 1);
    // And the job cleans up after itself.
    QVERIFY(destroyed.count() == 1 || destroyed.wait(2000));
}

void TestSecretStore::secretChangedAfterWriteAndRemove()
{
    QTemporaryDir dir;
    km::FileSecretStore store(dir.filePath(QStringLiteral("secrets.json")));
    QSignalSpy changed(&store, &SecretStore::secretChanged);
    waitFor(store.writeSecret(QStringLiteral("k"), "v"));
    waitFor(store.readSecret(QStringLiteral("k")));
    waitFor(store.removeSecret(QStringLiteral("k")));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("k"));
    QCOMPARE(changed.at(1).at(0).toString(), QStringLiteral("k"));
}

void TestSecretStore::probeFileStore()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    km::FileSecretStore store(path);
    QCOMPARE(waitFor(store.writeSecret(QStringLiteral("kept"), "v")).error, SecretStore::Error::NoError);
    QSignalSpy changed(&store, &SecretStore::secretChanged);

    SecretJob *probe = store.probe(2s);
    QCOMPARE(probe->operation(), SecretStore::Operation::Probe);
    const Outcome outcome = waitFor(probe);
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.error, SecretStore::Error::NoError);
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
    QVERIFY(store.unavailableReason().isEmpty());
    // The probe cleans up, keeps the rest, and is nobody else's business.
    QVERIFY(!readFile(path).contains("kmtester-probe"));
    QCOMPARE(waitFor(store.readSecret(QStringLiteral("kept"))).secret, QByteArray("v"));
    QCOMPARE(changed.count(), 0);
}

void TestSecretStore::probeTimesOut()
{
    SilentStore store;
    QSignalSpy availability(&store, &SecretStore::availabilityChanged);
    QElapsedTimer timer;
    timer.start();
    const Outcome outcome = waitFor(store.probe(200ms), 5000);
    QVERIFY(outcome.finished);
    QVERIFY(timer.elapsed() < 2000);
    QCOMPARE(outcome.error, SecretStore::Error::Timeout);
    QCOMPARE(outcome.errorString, QStringLiteral("silent keychain did not answer within 0.2 s"));
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
    QCOMPARE(store.unavailableReason(), outcome.errorString);
    QCOMPARE(availability.count(), 1);
}

void TestSecretStore::probeReportsFailure()
{
    RefusingStore store;
    const Outcome outcome = waitFor(store.probe(2s));
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.error, SecretStore::Error::Unavailable);
    QCOMPARE(outcome.errorString, QStringLiteral("refusing keychain: no backend"));
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);

    const km::SecretStoreChoice choice = km::chooseSecretStore(std::make_unique<RefusingStore>(), 2s);
    QVERIFY(!choice.store);
    QCOMPARE(choice.reason, QStringLiteral("refusing keychain: no backend"));

    const km::SecretStoreChoice none = km::chooseSecretStore(nullptr, 2s);
    QVERIFY(!none.store);
    QVERIFY(!none.reason.isEmpty());
}

void TestSecretStore::chooseSilentKeychain()
{
    QElapsedTimer timer;
    timer.start();
    const km::SecretStoreChoice choice = km::chooseSecretStore(std::make_unique<SilentStore>(), 300ms);
    QVERIFY(timer.elapsed() < 2000);
    QVERIFY(!choice.store);
    QCOMPARE(choice.reason, QStringLiteral("silent keychain did not answer within 0.3 s"));
}

void TestSecretStore::keychainProbeWithinTimeout()
{
    // This machine may or may not have a Secret Service; either answer is fine, as long as it
    // comes in time, is reported cleanly, and a working keychain really round-trips.
    km::KeychainSecretStore store(kTestService);
    QElapsedTimer timer;
    timer.start();
    const Outcome outcome = waitFor(store.probe(3s), 10000);
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(outcome.finished, "the probe did not report at all");
    QVERIFY2(elapsed < 5000, qPrintable(QStringLiteral("the probe took %1 ms").arg(elapsed)));
    qInfo("keychain probe: %s after %lld ms: %s", qPrintable(SecretStore::errorName(outcome.error)),
          static_cast<long long>(elapsed), qPrintable(outcome.errorString));

    if (outcome.error != SecretStore::Error::NoError) {
        QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
        QVERIFY(!store.unavailableReason().isEmpty());
        QVERIFY(store.unavailableReason().startsWith(store.description()));
        // Whatever the failure, the next operation reports quickly too: after a timeout it is
        // not queued behind the request that never came back.
        timer.restart();
        const Outcome read = waitFor(store.readSecret(QStringLiteral("tst_secretstore/afterFailure")), 10000);
        QVERIFY(read.finished);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
        QVERIFY(read.error != SecretStore::Error::NoError);
        qInfo("then a read: %s: %s", qPrintable(SecretStore::errorName(read.error)), qPrintable(read.errorString));
        return;
    }
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
    const QString name = QStringLiteral("tst_secretstore/roundTrip");
    QCOMPARE(waitFor(store.writeSecret(name, "s3cret")).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.readSecret(name)).secret, QByteArray("s3cret"));
    QCOMPARE(waitFor(store.removeSecret(name)).error, SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.readSecret(name)).error, SecretStore::Error::NotFound);
}

void TestSecretStore::chooseKeychainWithinTimeout()
{
    QElapsedTimer timer;
    timer.start();
    const km::SecretStoreChoice choice =
            km::chooseSecretStore(std::make_unique<km::KeychainSecretStore>(kTestService), 3s);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
    if (choice.store) {
        QCOMPARE(choice.store->kind(), SecretStore::Kind::Keychain);
        QCOMPARE(choice.store->availability(), SecretStore::Availability::Available);
        QVERIFY(choice.reason.isEmpty());
    } else {
        QVERIFY(!choice.reason.isEmpty());
        qInfo("no keychain: %s", qPrintable(choice.reason));
    }
}

void TestSecretStore::keychainProbeWithoutEventDispatch()
{
    // With QT_NO_GLIB, Qt's event loop does not run GLib's, so libsecret's D-Bus replies are
    // never delivered and QtKeychain never answers: the probe must still end, by its timeout.
    // Run in a child process, as the stuck job would block this process's keychain queue.
    if (qEnvironmentVariableIsSet("KM_TEST_CHILD"))
        QSKIP("already the child");
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
    environment.insert(QStringLiteral("KM_TEST_CHILD"), QStringLiteral("1"));
    // The job that never answers is never freed: not a leak worth failing the child for.
    environment.insert(QStringLiteral("ASAN_OPTIONS"), QStringLiteral("detect_leaks=0"));
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("keychainProbeWithinTimeout"), QStringLiteral("chooseKeychainWithinTimeout")});
    QVERIFY(child.waitForStarted(5000));
    const bool ended = child.waitForFinished(30000);
    const QByteArray output = child.readAll();
    if (!ended)
        child.kill();
    QVERIFY2(ended, output.constData());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
    qInfo("child (QT_NO_GLIB=1) took %lld ms", static_cast<long long>(timer.elapsed()));
    for (const QByteArray &line : output.split('\n')) {
        if (line.contains("keychain probe:") || line.contains("then a read:") || line.contains("no keychain:"))
            qInfo("child: %s", line.trimmed().constData());
    }
}

// The look at the session bus before any probe, on a private bus (a child process each, as the
// session bus connection is made once per process): no bus, a bus without any keyring, and one
// whose keyring is activatable but never comes up (a probe would wait its whole 10 s for it).
void TestSecretStore::backendCheckWithoutAKeyring_data()
{
    QTest::addColumn<QString>("service"); // the keyring's D-Bus activation: none, or a command
    QTest::addColumn<QString>("expected");
    QTest::newRow("no session bus") << QString() << QStringLiteral("there is no D-Bus session bus");
    QTest::newRow("no keyring on the bus")
            << QStringLiteral("none") << QStringLiteral("no Secret Service (org.freedesktop.secrets) is running");
    QTest::newRow("a keyring that does not start")
            << QStringLiteral("/bin/sleep 5") << QStringLiteral("org.freedesktop.secrets did not start within 0.3 s");
}

void TestSecretStore::backendCheckWithoutAKeyring()
{
    QFETCH(QString, service);
    QFETCH(QString, expected);
    if (qEnvironmentVariableIsSet("KM_TEST_CHILD"))
        QSKIP("already the child");
    QTemporaryDir dir;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("KM_TEST_CHILD"), QStringLiteral("1"));
    environment.remove(QStringLiteral("DISPLAY")); // no autolaunch of a bus of the user's
    QProcess bus;
    if (service.isEmpty()) {
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                           QStringLiteral("unix:path=") + dir.filePath(QStringLiteral("no-bus")));
    } else {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            QSKIP("no dbus-daemon here");
        QDir(dir.path()).mkdir(QStringLiteral("services"));
        if (service != QLatin1String("none")) {
            QFile file(dir.filePath(QStringLiteral("services/org.freedesktop.secrets.service")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=" + service.toUtf8() + "\n");
        }
        QFile config(dir.filePath(QStringLiteral("bus.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                     "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig><type>session</type>"
                     "<listen>unix:path="
                     + dir.filePath(QStringLiteral("bus")).toUtf8() + "</listen><servicedir>"
                     + dir.filePath(QStringLiteral("services")).toUtf8()
                     + "</servicedir><policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                       "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                       "</policy></busconfig>\n");
        config.close();
        bus.start(daemon, {QStringLiteral("--nofork"), QStringLiteral("--print-address"),
                           QStringLiteral("--config-file=") + config.fileName()});
        QVERIFY(bus.waitForReadyRead(10000));
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString::fromUtf8(bus.readLine().trimmed()));
    }
    QProcess child;
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("printBackendReason")});
    const bool ended = child.waitForFinished(30000);
    const QByteArray output = child.readAll();
    bus.kill();
    bus.waitForFinished(5000);
    QVERIFY2(ended, output.constData());
    QVERIFY2(output.contains("reason: " + expected.toUtf8()), output.constData());
}

// The child's half of backendCheckWithoutAKeyring().
void TestSecretStore::printBackendReason()
{
    if (!qEnvironmentVariableIsSet("KM_TEST_CHILD"))
        QSKIP("only in a child of backendCheckWithoutAKeyring");
    qInfo("reason: %s", qPrintable(km::KeychainSecretStore::backendUnavailableReason(300ms)));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
