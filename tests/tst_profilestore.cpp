#include "filesecretstore.h"
#include "profile.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(km::Profile::Target)

using km::Profile;
using km::ProfileStore;
using km::SecretJob;
using km::SecretStore;

namespace {

// Runs the event loop until the job reported; returns its error (OtherError if it never did).
SecretStore::Error waitFor(SecretJob *job, QByteArray *secret = nullptr)
{
    if (!job)
        return SecretStore::Error::OtherError;
    bool done = false;
    SecretStore::Error error = SecretStore::Error::OtherError;
    QObject::connect(job, &SecretJob::finished, [&](SecretJob *finished) {
        done = true;
        error = finished->error();
        if (secret)
            *secret = finished->secret();
    });
    QElapsedTimer timer;
    timer.start();
    while (!done && timer.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return error;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

const QByteArray kKey = "6f1c0b0e2bd93a7c1f9e4d5a8b2c3e4f5a6bc273";

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void firstStartWithoutFile();
    void roundTrip();
    void profileJsonRoundTrip();
    void loopbackAndConfirmation_data();
    void loopbackAndConfirmation();
    void validation_data();
    void validation();
    void colors_data();
    void colors();
    void secretName();
    void addUpdateRemove();
    void activeProfile();
    void keyIsNotInProfilesFile();
    void keyFlagFollowsSecretStore();
    void removingProfileRemovesKey();
    void noSecretStore();
    void badFiles_data();
    void badFiles();
    void repairsMissingActiveAndEmptyList();
};

void TestProfileStore::defaults()
{
    const QList<Profile> profiles = ProfileStore::defaultProfiles();
    QCOMPARE(profiles.size(), 2);

    const Profile &local = profiles.at(0);
    QCOMPARE(local.name(), QStringLiteral("Local endpoint"));
    QCOMPARE(local.target(), Profile::Target::BuiltInEndpoint);
    QCOMPARE(local.color(), QStringLiteral("#2e7d32"));
    QVERIFY(local.isLoopback());
    QVERIFY(!local.needsConfirmation());
    QVERIFY(!local.isKeyStored());
    QVERIFY(!local.id().isNull());

    const Profile &kissmetrics = profiles.at(1);
    QCOMPARE(kissmetrics.name(), QStringLiteral("Kissmetrics"));
    QCOMPARE(kissmetrics.target(), Profile::Target::Kissmetrics);
    QCOMPARE(kissmetrics.baseUrl(), QUrl(QStringLiteral("https://trk.kissmetrics.io")));
    QCOMPARE(kissmetrics.color(), QStringLiteral("#c62828"));
    QVERIFY(!kissmetrics.isLoopback());
    QVERIFY(kissmetrics.needsConfirmation());
    QVERIFY(kissmetrics.validationError().isEmpty());
    QVERIFY(local.id() != kissmetrics.id());

    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.activeProfile().name(), QStringLiteral("Local endpoint"));
    QCOMPARE(store.activeProfileId(), store.profiles().at(0).id());
    QVERIFY(!store.isModified());
}

void TestProfileStore::firstStartWithoutFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    ProfileStore store(path);
    QSignalSpy changed(&store, &ProfileStore::changed);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.activeProfile().target(), Profile::Target::BuiltInEndpoint);
    // Defaults are to be saved; loading does not write by itself.
    QVERIFY(store.isModified());
    QCOMPARE(changed.count(), 1);
    QVERIFY(!QFile::exists(path));
    QVERIFY(store.save(&error));
    QVERIFY(!store.isModified());
    QVERIFY(QFile::exists(path));
}

void TestProfileStore::roundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    ProfileStore store(path);
    Profile staging(QStringLiteral("Staging proxy"), Profile::Target::CustomUrl, QStringLiteral("#1565C0"));
    staging.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:8099/km")));
    const QUuid stagingId = store.addProfile(staging);
    QVERIFY(store.setActiveProfile(stagingId));
    QString error;
    QVERIFY2(store.save(&error), qPrintable(error));

    ProfileStore loaded(path);
    QSignalSpy reset(&loaded, &ProfileStore::profilesReset);
    QVERIFY2(loaded.load(&error), qPrintable(error));
    QCOMPARE(reset.count(), 1);
    QVERIFY(!loaded.isModified());
    QCOMPARE(loaded.profiles(), store.profiles());
    QCOMPARE(loaded.activeProfileId(), stagingId);
    const Profile back = loaded.activeProfile();
    QCOMPARE(back.name(), QStringLiteral("Staging proxy"));
    QCOMPARE(back.target(), Profile::Target::CustomUrl);
    QCOMPARE(back.baseUrl(), QUrl(QStringLiteral("http://127.0.0.1:8099/km")));
    QCOMPARE(back.color(), QStringLiteral("#1565c0"));
    QVERIFY(back.isLoopback());

    // The file is what the header documents.
    const QJsonObject root = QJsonDocument::fromJson(readFile(path)).object();
    QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("kmtester-profiles"));
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(root.value(QStringLiteral("activeProfile")).toString(), stagingId.toString(QUuid::WithoutBraces));
    QCOMPARE(root.value(QStringLiteral("profiles")).toArray().size(), 3);
    QCOMPARE(root.value(QStringLiteral("profiles"))
                     .toArray()
                     .at(2)
                     .toObject()
                     .value(QStringLiteral("target"))
                     .toString(),
             QStringLiteral("customUrl"));
}

void TestProfileStore::profileJsonRoundTrip()
{
    for (const Profile::Target target :
         {Profile::Target::BuiltInEndpoint, Profile::Target::Kissmetrics, Profile::Target::CustomUrl}) {
        Profile profile(QStringLiteral("P"), target, QStringLiteral("#abcdef"));
        profile.setKeyStored(true);
        Profile back;
        QString error;
        QVERIFY2(Profile::fromJson(profile.toJson(), &back, &error), qPrintable(error));
        QCOMPARE(back, profile);
    }
}

void TestProfileStore::loopbackAndConfirmation_data()
{
    QTest::addColumn<Profile::Target>("target");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("loopback");

    QTest::newRow("built-in, no url") << Profile::Target::BuiltInEndpoint << QString() << true;
    QTest::newRow("built-in ignores url")
            << Profile::Target::BuiltInEndpoint << QStringLiteral("https://example.com") << true;
    QTest::newRow("kissmetrics") << Profile::Target::Kissmetrics << QStringLiteral("https://trk.kissmetrics.io")
                                 << false;
    QTest::newRow("kissmetrics via local proxy")
            << Profile::Target::Kissmetrics << QStringLiteral("http://localhost:8080") << true;
    QTest::newRow("127.0.0.1") << Profile::Target::CustomUrl << QStringLiteral("http://127.0.0.1:9000") << true;
    QTest::newRow("127.1.2.3") << Profile::Target::CustomUrl << QStringLiteral("http://127.1.2.3/") << true;
    QTest::newRow("::1") << Profile::Target::CustomUrl << QStringLiteral("http://[::1]:9000/") << true;
    QTest::newRow("LOCALHOST") << Profile::Target::CustomUrl << QStringLiteral("http://LOCALHOST/") << true;
    QTest::newRow("x.localhost") << Profile::Target::CustomUrl << QStringLiteral("http://km.localhost/") << true;
    QTest::newRow("lan address") << Profile::Target::CustomUrl << QStringLiteral("http://192.168.1.5/") << false;
    QTest::newRow("0.0.0.0") << Profile::Target::CustomUrl << QStringLiteral("http://0.0.0.0/") << false;
    QTest::newRow("localhost lookalike") << Profile::Target::CustomUrl << QStringLiteral("http://localhost.evil.com/")
                                         << false;
    QTest::newRow("127 in a name") << Profile::Target::CustomUrl << QStringLiteral("http://127.0.0.1.nip.io/") << false;
    QTest::newRow("empty custom") << Profile::Target::CustomUrl << QString() << false;
    QTest::newRow("garbage") << Profile::Target::CustomUrl << QStringLiteral("::not a url::") << false;
}

void TestProfileStore::loopbackAndConfirmation()
{
    QFETCH(Profile::Target, target);
    QFETCH(QString, url);
    QFETCH(bool, loopback);
    Profile profile(QStringLiteral("P"), target);
    profile.setBaseUrl(QUrl(url));
    QCOMPARE(profile.isLoopback(), loopback);
    QCOMPARE(profile.needsConfirmation(), !loopback);
}

void TestProfileStore::validation_data()
{
    QTest::addColumn<Profile::Target>("target");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");

    QTest::newRow("built-in") << Profile::Target::BuiltInEndpoint << QStringLiteral("Local") << QString() << true;
    QTest::newRow("no name") << Profile::Target::BuiltInEndpoint << QStringLiteral("  ") << QString() << false;
    QTest::newRow("https") << Profile::Target::CustomUrl << QStringLiteral("P") << QStringLiteral("https://x.io/")
                           << true;
    QTest::newRow("http") << Profile::Target::CustomUrl << QStringLiteral("P") << QStringLiteral("http://x.io") << true;
    QTest::newRow("no url") << Profile::Target::CustomUrl << QStringLiteral("P") << QString() << false;
    QTest::newRow("ftp") << Profile::Target::CustomUrl << QStringLiteral("P") << QStringLiteral("ftp://x.io") << false;
    QTest::newRow("no host") << Profile::Target::Kissmetrics << QStringLiteral("P") << QStringLiteral("https://")
                             << false;
}

void TestProfileStore::validation()
{
    QFETCH(Profile::Target, target);
    QFETCH(QString, name);
    QFETCH(QString, url);
    QFETCH(bool, valid);
    Profile profile(name, target);
    profile.setBaseUrl(QUrl(url));
    QCOMPARE(profile.validationError().isEmpty(), valid);
    QVERIFY(!Profile().validationError().isEmpty());
}

void TestProfileStore::colors_data()
{
    QTest::addColumn<QString>("color");
    QTest::addColumn<QString>("stored");
    QTest::newRow("lower") << QStringLiteral("#a1b2c3") << QStringLiteral("#a1b2c3");
    QTest::newRow("upper") << QStringLiteral("#A1B2C3") << QStringLiteral("#a1b2c3");
    QTest::newRow("short form") << QStringLiteral("#abc") << QStringLiteral("#000000");
    QTest::newRow("no hash") << QStringLiteral("a1b2c3") << QStringLiteral("#000000");
    QTest::newRow("not hex") << QStringLiteral("#a1b2cg") << QStringLiteral("#000000");
    QTest::newRow("name") << QStringLiteral("red") << QStringLiteral("#000000");
    QTest::newRow("alpha") << QStringLiteral("#ffa1b2c3") << QStringLiteral("#000000");
}

void TestProfileStore::colors()
{
    QFETCH(QString, color);
    QFETCH(QString, stored);
    Profile profile(QStringLiteral("P"), Profile::Target::CustomUrl, QStringLiteral("#000000"));
    profile.setColor(color);
    QCOMPARE(profile.color(), stored);
    QCOMPARE(Profile::isValidColor(color), stored != QStringLiteral("#000000"));
}

void TestProfileStore::secretName()
{
    const QUuid id = QUuid::fromString(QStringLiteral("{8d1b0c4e-1234-4abc-8def-0123456789ab}"));
    QCOMPARE(Profile::apiKeySecretName(id), QStringLiteral("profile/8d1b0c4e-1234-4abc-8def-0123456789ab/apiKey"));
    Profile profile(QStringLiteral("P"), Profile::Target::Kissmetrics);
    profile.setId(id);
    QCOMPARE(profile.apiKeySecretName(), Profile::apiKeySecretName(id));
}

void TestProfileStore::addUpdateRemove()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
    QSignalSpy added(&store, &ProfileStore::profileAdded);
    QSignalSpy changedProfile(&store, &ProfileStore::profileChanged);
    QSignalSpy removed(&store, &ProfileStore::profileRemoved);

    // An id already in use, and a key flag that is not its own, are both replaced.
    Profile copy = store.profiles().at(1);
    copy.setKeyStored(true);
    const QUuid id = store.addProfile(copy);
    QVERIFY(id != copy.id());
    QCOMPARE(store.count(), 3);
    QVERIFY(!store.profile(id).isKeyStored());
    QCOMPARE(added.count(), 1);
    QVERIFY(store.isModified());

    Profile edited = store.profile(id);
    edited.setName(QStringLiteral("Kissmetrics (EU)"));
    edited.setKeyStored(true); // ignored: only the secret store decides
    QVERIFY(store.updateProfile(edited));
    QCOMPARE(store.profile(id).name(), QStringLiteral("Kissmetrics (EU)"));
    QVERIFY(!store.profile(id).isKeyStored());
    QCOMPARE(changedProfile.count(), 1);
    QVERIFY(store.updateProfile(store.profile(id))); // no change, no signal
    QCOMPARE(changedProfile.count(), 1);
    QVERIFY(!store.updateProfile(Profile(QStringLiteral("unknown"), Profile::Target::CustomUrl)));

    QVERIFY(store.removeProfile(id));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(store.indexOf(id), -1);
    QVERIFY(store.profile(id).isNull());
    QVERIFY(!store.removeProfile(id));

    // Never fewer than one.
    QVERIFY(store.removeProfile(store.profiles().at(1).id()));
    QCOMPARE(store.count(), 1);
    QVERIFY(!store.removeProfile(store.profiles().at(0).id()));
    QCOMPARE(store.count(), 1);
}

void TestProfileStore::activeProfile()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
    QSignalSpy active(&store, &ProfileStore::activeProfileChanged);
    const QUuid kissmetrics = store.profiles().at(1).id();
    QVERIFY(store.setActiveProfile(kissmetrics));
    QCOMPARE(store.activeProfileId(), kissmetrics);
    QCOMPARE(active.count(), 1);
    QVERIFY(store.setActiveProfile(kissmetrics));
    QCOMPARE(active.count(), 1);
    QVERIFY(!store.setActiveProfile(QUuid::createUuid()));
    QCOMPARE(store.activeProfileId(), kissmetrics);

    // Removing the active profile activates the first.
    QVERIFY(store.removeProfile(kissmetrics));
    QCOMPARE(store.activeProfileId(), store.profiles().at(0).id());
    QCOMPARE(active.count(), 2);
}

void TestProfileStore::keyIsNotInProfilesFile()
{
    QTemporaryDir dir;
    const QString profilesPath = dir.filePath(QStringLiteral("profiles.json"));
    const QString secretsPath = dir.filePath(QStringLiteral("private/secrets.json"));
    km::FileSecretStore secrets(secretsPath);
    ProfileStore store(profilesPath, &secrets);
    const QUuid id = store.profiles().at(1).id();

    QCOMPARE(waitFor(store.setApiKey(id, kKey)), SecretStore::Error::NoError);
    QVERIFY(store.profile(id).isKeyStored());
    QVERIFY(store.isModified());
    QString error;
    QVERIFY2(store.save(&error), qPrintable(error));

    // In the profiles file: that there is a key, never the key, in any encoding.
    const QByteArray profilesJson = readFile(profilesPath);
    QVERIFY(profilesJson.contains("\"keyStored\": true"));
    QVERIFY(!profilesJson.contains(kKey));
    QVERIFY(!profilesJson.contains(kKey.toBase64()));
    QVERIFY(!profilesJson.contains(kKey.right(8)));
    QVERIFY(!profilesJson.toLower().contains("apikey\""));

    // It is in the secret store, under the documented name.
    QByteArray read;
    QCOMPARE(waitFor(secrets.readSecret(QStringLiteral("profile/%1/apiKey").arg(id.toString(QUuid::WithoutBraces))),
                     &read),
             SecretStore::Error::NoError);
    QCOMPARE(read, kKey);

    // And in no other file in the folder, raw.
    QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QVERIFY2(!readFile(path).contains(kKey), qPrintable(path));
    }

    // A new start reads the flag, and the key through the store.
    ProfileStore reloaded(profilesPath, &secrets);
    QVERIFY(reloaded.load(&error));
    QVERIFY(reloaded.profile(id).isKeyStored());
    read.clear();
    QCOMPARE(waitFor(reloaded.readApiKey(id), &read), SecretStore::Error::NoError);
    QCOMPARE(read, kKey);
}

void TestProfileStore::keyFlagFollowsSecretStore()
{
    QTemporaryDir dir;
    km::FileSecretStore secrets(dir.filePath(QStringLiteral("secrets.json")));
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")), &secrets);
    const QUuid id = store.profiles().at(1).id();
    QSignalSpy changedProfile(&store, &ProfileStore::profileChanged);

    QCOMPARE(waitFor(store.setApiKey(id, kKey)), SecretStore::Error::NoError);
    QVERIFY(store.profile(id).isKeyStored());
    QCOMPARE(changedProfile.count(), 1);

    QCOMPARE(waitFor(store.removeApiKey(id)), SecretStore::Error::NoError);
    QVERIFY(!store.profile(id).isKeyStored());
    QCOMPARE(changedProfile.count(), 2);

    // An empty key removes it.
    QCOMPARE(waitFor(store.setApiKey(id, kKey)), SecretStore::Error::NoError);
    QCOMPARE(waitFor(store.setApiKey(id, QByteArray())), SecretStore::Error::NoError);
    QVERIFY(!store.profile(id).isKeyStored());

    // A read that finds nothing (deleted behind our back) corrects the flag.
    QCOMPARE(waitFor(store.setApiKey(id, kKey)), SecretStore::Error::NoError);
    QCOMPARE(waitFor(secrets.removeSecret(Profile::apiKeySecretName(id))), SecretStore::Error::NoError);
    QVERIFY(store.profile(id).isKeyStored());
    QCOMPARE(waitFor(store.readApiKey(id)), SecretStore::Error::NotFound);
    QVERIFY(!store.profile(id).isKeyStored());

    QVERIFY(!store.setApiKey(QUuid::createUuid(), kKey));
}

void TestProfileStore::removingProfileRemovesKey()
{
    QTemporaryDir dir;
    km::FileSecretStore secrets(dir.filePath(QStringLiteral("secrets.json")));
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")), &secrets);
    const QUuid id = store.profiles().at(1).id();
    QCOMPARE(waitFor(store.setApiKey(id, kKey)), SecretStore::Error::NoError);
    QSignalSpy secretChanged(&secrets, &SecretStore::secretChanged);
    QVERIFY(store.removeProfile(id));
    QVERIFY(secretChanged.wait(2000));
    QCOMPARE(waitFor(secrets.readSecret(Profile::apiKeySecretName(id))), SecretStore::Error::NotFound);
    QVERIFY(!readFile(secrets.filePath()).contains(kKey.toBase64()));
}

void TestProfileStore::noSecretStore()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
    const QUuid id = store.profiles().at(1).id();
    QVERIFY(!store.secretStore());
    QVERIFY(!store.setApiKey(id, kKey));
    QVERIFY(!store.readApiKey(id));
    QVERIFY(!store.removeApiKey(id));
    QVERIFY(store.removeProfile(id)); // works without a store

    // The app can hand one over later (the user accepted the file store).
    km::FileSecretStore secrets(dir.filePath(QStringLiteral("secrets.json")));
    store.setSecretStore(&secrets);
    QCOMPARE(store.secretStore(), &secrets);
    QCOMPARE(waitFor(store.setApiKey(store.profiles().at(0).id(), kKey)), SecretStore::Error::NoError);
}

void TestProfileStore::badFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("not json") << QByteArray("{");
    QTest::newRow("other format") << QByteArray(R"({"format": "kmtester-workspace", "version": 1})");
    QTest::newRow("newer version") << QByteArray(R"({"format": "kmtester-profiles", "version": 2, "profiles": []})");
    QTest::newRow("unknown target") << QByteArray(
            R"({"format": "kmtester-profiles", "version": 1, "profiles": [)"
            R"({"id": "8d1b0c4e-1234-4abc-8def-0123456789ab", "target": "ftp"}]})");
    QTest::newRow("no id") << QByteArray(
            R"({"format": "kmtester-profiles", "version": 1, "profiles": [{"name": "x", "target": "kissmetrics"}]})");
    QTest::newRow("same id twice") << QByteArray(
            R"({"format": "kmtester-profiles", "version": 1, "profiles": [)"
            R"({"id": "8d1b0c4e-1234-4abc-8def-0123456789ab", "target": "kissmetrics"},)"
            R"({"id": "8d1b0c4e-1234-4abc-8def-0123456789ab", "target": "customUrl"}]})");
}

void TestProfileStore::badFiles()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    QVERIFY(writeFile(path, content));
    ProfileStore store(path);
    const QList<Profile> before = store.profiles();
    QString error;
    QVERIFY(!store.load(&error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QCOMPARE(store.profiles(), before);
    QVERIFY(!store.isModified());
}

void TestProfileStore::repairsMissingActiveAndEmptyList()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    // (Raw strings are kept out of macro arguments: moc cannot parse them there.)
    const QByteArray oneProfile =
            R"({"format": "kmtester-profiles", "version": 1, "activeProfile": "gone", "profiles": [)"
            R"({"id": "8d1b0c4e-1234-4abc-8def-0123456789ab", "name": "Only", "target": "customUrl",)"
            R"( "baseUrl": "https://collector.example", "color": "#123456", "future": 1}]})";
    QVERIFY(writeFile(path, oneProfile));
    ProfileStore store(path);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.activeProfile().name(), QStringLiteral("Only"));
    QVERIFY(store.isModified());

    const QByteArray noProfiles = R"({"format": "kmtester-profiles", "version": 1, "profiles": []})";
    QVERIFY(writeFile(path, noProfiles));
    QVERIFY(store.load(&error));
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.activeProfile().target(), Profile::Target::BuiltInEndpoint);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
