#include "redaction.h"

#include <QTest>
#include <QUrl>

namespace {

const QByteArray kHexKey = "6f1c0b0e2bd93a7c1f9e4d5a8b2c3e4f5a6bc273";
const QByteArray kOddKey = "k3y with/odd+chars&=%é";

} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT

private slots:
    void redact_data();
    void redact();
    void everyEncodingOfOddKey_data();
    void everyEncodingOfOddKey();
    void qstringOverload();
    void redactor();
    void mask_data();
    void mask();
};

void TestRedaction::redact_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QByteArray>>("secrets");
    QTest::addColumn<QByteArray>("expected");

    const QList<QByteArray> hex{kHexKey};
    QTest::newRow("query") << QByteArray("GET /e?_k=" + kHexKey + "&_n=Signed%20Up") << hex
                           << QByteArray("GET /e?_k=<API_KEY>&_n=Signed%20Up");
    QTest::newRow("twice") << QByteArray(kHexKey + " and " + kHexKey) << hex << QByteArray("<API_KEY> and <API_KEY>");
    QTest::newRow("whole text") << kHexKey << hex << QByteArray("<API_KEY>");
    QTest::newRow("adjacent") << QByteArray(kHexKey + kHexKey) << hex << QByteArray("<API_KEY><API_KEY>");
    QTest::newRow("absent") << QByteArray("nothing to see") << hex << QByteArray("nothing to see");
    QTest::newRow("prefix only") << QByteArray("_k=" + kHexKey.left(39)) << hex << QByteArray("_k=" + kHexKey.left(39));
    QTest::newRow("every byte encoded") << QByteArray("_k=" + kHexKey.toPercentEncoding("", kHexKey)) << hex
                                        << QByteArray("_k=<API_KEY>");
    QTest::newRow("lowercase hex digits") << QByteArray("_k=" + kHexKey.toPercentEncoding("", kHexKey).toLower()) << hex
                                          << QByteArray("_k=<API_KEY>");
    QTest::newRow("half encoded") << QByteArray("x" + kHexKey.left(20) + "%" + kHexKey.mid(20, 1).toHex()
                                                + kHexKey.mid(21) + "y")
                                  << hex << QByteArray("x<API_KEY>y");
    QTest::newRow("json string") << QByteArray(R"({"apiKey":")" + kHexKey + R"("})") << hex
                                 << QByteArray(R"({"apiKey":"<API_KEY>"})");
    QTest::newRow("curl line") << QByteArray("curl 'https://trk.kissmetrics.io/e?_k=" + kHexKey + "'") << hex
                               << QByteArray("curl 'https://trk.kissmetrics.io/e?_k=<API_KEY>'");
    QTest::newRow("two secrets") << QByteArray("a=AAAA1111&b=BBBB2222") << QList<QByteArray>{"AAAA1111", "BBBB2222"}
                                 << QByteArray("a=<API_KEY>&b=<API_KEY>");
    QTest::newRow("nested secrets, longest first")
            << QByteArray("k=abcdef123456 k=abcdef") << QList<QByteArray>{"abcdef", "abcdef123456"}
            << QByteArray("k=<API_KEY> k=<API_KEY>");
    QTest::newRow("empty secret ignored")
            << QByteArray("text") << QList<QByteArray>{QByteArray()} << QByteArray("text");
    QTest::newRow("no secrets") << QByteArray("text") << QList<QByteArray>() << QByteArray("text");
    QTest::newRow("empty text") << QByteArray() << hex << QByteArray();
    QTest::newRow("trailing percent") << QByteArray("abc%") << QList<QByteArray>{"abc%"} << QByteArray("<API_KEY>");
    QTest::newRow("truncated escape") << QByteArray("ab%6") << QList<QByteArray>{"abc"} << QByteArray("ab%6");
    QTest::newRow("literal percent before 25")
            << QByteArray("x%25y") << QList<QByteArray>{"%25y"} << QByteArray("x<API_KEY>");
    QTest::newRow("encoded percent") << QByteArray("x%2525y") << QList<QByteArray>{"%25y"} << QByteArray("x<API_KEY>");
}

void TestRedaction::redact()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, secrets);
    QFETCH(QByteArray, expected);
    QCOMPARE(km::redactSecrets(text, secrets), expected);
}

void TestRedaction::everyEncodingOfOddKey_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("raw") << kOddKey;
    QTest::newRow("QUrl RFC 3986") << QUrl::toPercentEncoding(QString::fromUtf8(kOddKey));
    QTest::newRow("encodeURIComponent") << QUrl::toPercentEncoding(QString::fromUtf8(kOddKey), "!'()*");
    QByteArray form = QUrl::toPercentEncoding(QString::fromUtf8(kOddKey), " ");
    form.replace(' ', '+');
    QTest::newRow("form, + for space") << form;
    QTest::newRow("every byte") << kOddKey.toPercentEncoding("", kOddKey);
    QTest::newRow("every byte, lower case") << kOddKey.toPercentEncoding("", kOddKey).toLower();
    QTest::newRow("only the space") << QByteArray(kOddKey).replace(" ", "%20");
}

void TestRedaction::everyEncodingOfOddKey()
{
    QFETCH(QByteArray, encoded);
    const QByteArray text = "before " + encoded + " after";
    const QByteArray redacted = km::redactSecrets(text, {kOddKey});
    QCOMPARE(redacted, QByteArray("before <API_KEY> after"));
}

void TestRedaction::qstringOverload()
{
    const QString text = QStringLiteral("Clé: ") + QString::fromLatin1(kHexKey) + QStringLiteral(" — fin");
    QCOMPARE(km::redactSecrets(text, {kHexKey}), QStringLiteral("Clé: <API_KEY> — fin"));
    QCOMPARE(km::redactSecrets(QStringLiteral("key=%1").arg(QString::fromUtf8(kOddKey)), {kOddKey}),
             QStringLiteral("key=<API_KEY>"));
}

void TestRedaction::redactor()
{
    km::Redactor redactor;
    QVERIFY(redactor.isEmpty());
    QCOMPARE(redactor.redact(QByteArray("abc")), QByteArray("abc"));
    redactor.addSecret(kHexKey);
    redactor.addSecret(kHexKey);
    redactor.addSecret(QByteArray());
    QCOMPARE(redactor.secrets().size(), 1);
    redactor.addSecret("second-secret");
    QCOMPARE(redactor.redact(QByteArray(kHexKey + "|second-secret")), QByteArray("<API_KEY>|<API_KEY>"));
    QCOMPARE(redactor.redact(QString::fromLatin1(kHexKey)), QStringLiteral("<API_KEY>"));
    redactor.removeSecret(kHexKey);
    QCOMPARE(redactor.redact(QByteArray(kHexKey)), kHexKey);
    redactor.clear();
    QVERIFY(redactor.isEmpty());

    const km::Redactor fromList({kHexKey, "x-secret-x"});
    QCOMPARE(fromList.secrets().size(), 2);
    QCOMPARE(QByteArray(km::SecretPlaceholder), QByteArray("<API_KEY>"));
}

void TestRedaction::mask_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("masked");
    const QString dots(8, QChar(0x2022));
    QTest::newRow("kissmetrics key") << QString::fromLatin1(kHexKey) << dots + QStringLiteral("c273");
    QTest::newRow("12 characters") << QStringLiteral("abcdefgh1234") << dots + QStringLiteral("1234");
    QTest::newRow("11 characters") << QStringLiteral("abcdefgh123") << dots;
    QTest::newRow("short") << QStringLiteral("abc") << dots;
    QTest::newRow("one") << QStringLiteral("a") << dots;
    QTest::newRow("empty") << QString() << QString();
}

void TestRedaction::mask()
{
    QFETCH(QString, secret);
    QFETCH(QString, masked);
    QCOMPARE(km::maskSecret(secret), masked);
    // Never more than the last four characters.
    if (secret.size() > 4)
        QVERIFY(!km::maskSecret(secret).contains(secret.left(secret.size() - 4)));
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
