#include "callsummary.h"

#include <QTest>

#include <string>

class TestCallSummary : public QObject
{
    Q_OBJECT

private slots:
    void summary_data();
    void summary();
};

void TestCallSummary::summary_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("isValid");
    QTest::addColumn<QString>("error");

    // Valid messages, one per type.
    QTest::newRow("track") << std::string(R"({"type":"track","userId":"user-123","event":"Signed Up"})") << "track"
                           << "Signed Up"
                           << "user-123" << true << QString();
    QTest::newRow("track without event") << std::string(R"({"type":"track","anonymousId":"anon-1"})") << "track"
                                         << "track"
                                         << "anon-1" << true << QString();
    QTest::newRow("page name") << std::string(R"({"type":"page","name":"Docs","category":"Help","userId":"u"})")
                               << "page"
                               << "Docs"
                               << "u" << true << QString();
    QTest::newRow("page category only") << std::string(R"({"type":"page","category":"Help"})") << "page"
                                        << "Help" << QString() << true << QString();
    QTest::newRow("page without a name") << std::string(R"({"type":"page","properties":{"name":"ignored"}})") << "page"
                                         << "page" << QString() << true << QString();
    QTest::newRow("screen") << std::string(R"({"type":"screen","name":"Home","userId":"u"})") << "screen"
                            << "Home"
                            << "u" << true << QString();
    QTest::newRow("identify") << std::string(R"({"type":"identify","userId":"u","traits":{"email":"a@b"}})")
                              << "identify"
                              << "identify"
                              << "u" << true << QString();
    QTest::newRow("group with a name trait")
            << std::string(R"({"type":"group","groupId":"123","traits":{"name":"Initech"},"userId":"u"})") << "group"
            << "Initech"
            << "u" << true << QString();
    QTest::newRow("group without a name trait") << std::string(R"({"type":"group","groupId":"123"})") << "group"
                                                << "123" << QString() << true << QString();
    QTest::newRow("alias") << std::string(R"({"type":"alias","previousId":"anon-456","userId":"user-123"})") << "alias"
                           << QStringLiteral("anon-456 \u2192 user-123") << "user-123" << true << QString();
    QTest::newRow("alias without previousId") << std::string(R"({"type":"alias","userId":"user-123"})") << "alias"
                                              << QStringLiteral("? \u2192 user-123") << "user-123" << true << QString();
    QTest::newRow("unknown type") << std::string(R"({"type":"flush","userId":"u"})") << "flush"
                                  << "flush"
                                  << "u" << true << QString();
    QTest::newRow("no type") << std::string(R"({"event":"E"})") << QString() << "(no type)" << QString() << true
                             << QString();

    // The user: userId, else anonymousId, JavaScript truthiness, numbers as text.
    QTest::newRow("empty userId falls back")
            << std::string(R"({"type":"track","event":"E","userId":"","anonymousId":"a"})") << "track"
            << "E"
            << "a" << true << QString();
    QTest::newRow("numeric ids and event") << std::string(R"({"type":"track","event":42,"userId":1e21})") << "track"
                                           << "42"
                                           << "1e+21" << true << QString();
    QTest::newRow("object userId") << std::string(R"({"type":"track","event":"E","userId":{"id":1}})") << "track"
                                   << "E" << QString() << true << QString();

    // Not a message.
    QTest::newRow("array") << std::string("  [1]") << QString() << "(no type)" << QString() << false
                           << "line 1, column 3: a Segment message is a JSON object, not an array";
    QTest::newRow("empty") << std::string() << QString() << "(no type)" << QString() << false << "line 1, column 1: ";

    // Broken JSON while typing: what comes before the break is still read.
    QTest::newRow("typing the event") << std::string(
            "{\n  \"type\": \"track\",\n  \"userId\": \"u1\",\n  \"event\": \"Sig")
                                      << "track"
                                      << "track"
                                      << "u1" << false << "line 4, column 12: ";
    QTest::newRow("typing after the event")
            << std::string("{\n  \"type\": \"track\",\n  \"event\": \"Signed Up\",\n  \"properties\": {\"a\": ")
            << "track"
            << "Signed Up" << QString() << false << "line 4, column 23: ";
    QTest::newRow("broken before the type") << std::string("{\"userId\": , \"type\": \"track\"}") << QString()
                                            << "(no type)" << QString() << false << "line 1, column 12: ";
    QTest::newRow("not JSON") << std::string("hello") << QString() << "(no type)" << QString() << false
                              << "line 1, column 1: ";
}

void TestCallSummary::summary()
{
    QFETCH(std::string, json);
    QFETCH(QString, type);
    QFETCH(QString, label);
    QFETCH(QString, user);
    QFETCH(bool, isValid);
    QFETCH(QString, error);

    const km::CallSummary s = km::summarizeCall(json);
    QCOMPARE(s.type, type);
    QCOMPARE(s.label, label);
    QCOMPARE(s.user, user);
    QCOMPARE(s.isValid, isValid);
    if (error.endsWith(QLatin1String(": ")))
        QVERIFY2(s.error.startsWith(error) && s.error.size() > error.size(), qPrintable(s.error));
    else
        QCOMPARE(s.error, error);
}

QTEST_APPLESS_MAIN(TestCallSummary)
#include "tst_callsummary.moc"
