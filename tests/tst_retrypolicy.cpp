// The retry policy on its own: backoff ceilings, full-jitter bounds with a fixed random source,
// which outcomes retry, when retrying stops, and Retry-After in both of its forms.

#include "retrypolicy.h"

#include <QTest>
#include <QTimeZone>

#include <random>

using namespace km;
using std::chrono::milliseconds;

namespace {

SendResult httpAttempt(int status, int attempts, QList<SendResult::Header> headers = {})
{
    SendResult r;
    r.state = status >= 200 && status < 300 ? SendResult::State::Sent : SendResult::State::Failed;
    r.error = status >= 200 && status < 300 ? SendResult::Error::NoError : SendResult::Error::HttpError;
    r.httpStatus = status;
    r.attempts = attempts;
    r.headers = std::move(headers);
    return r;
}

SendResult transportAttempt(SendResult::Error error, int attempts)
{
    SendResult r;
    r.state = SendResult::State::Failed;
    r.error = error;
    r.attempts = attempts;
    return r;
}

const QDateTime kNow = QDateTime(QDate(2015, 10, 21), QTime(7, 28, 0), QTimeZone::utc());

} // namespace

Q_DECLARE_METATYPE(RetryPolicy::Verdict)
Q_DECLARE_METATYPE(SendResult::Error)

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.baseDelay(), milliseconds(500));
        QCOMPARE(policy.maxDelay(), milliseconds(30000));
        QCOMPARE(policy.maxAttempts(), 5);
    }

    void backoffCeiling_data()
    {
        QTest::addColumn<int>("failedAttempts");
        QTest::addColumn<qint64>("ceiling");
        QTest::newRow("none yet") << 0 << qint64(0);
        QTest::newRow("after 1") << 1 << qint64(500);
        QTest::newRow("after 2") << 2 << qint64(1000);
        QTest::newRow("after 3") << 3 << qint64(2000);
        QTest::newRow("after 6") << 6 << qint64(16000);
        QTest::newRow("after 7: capped") << 7 << qint64(30000);
        QTest::newRow("after 100: capped, no overflow") << 100 << qint64(30000);
    }
    void backoffCeiling()
    {
        QFETCH(int, failedAttempts);
        QFETCH(qint64, ceiling);
        QCOMPARE(RetryPolicy().backoffCeiling(failedAttempts).count(), ceiling);
    }

    void fullJitterFollowsTheRandomSource_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("failedAttempts");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("0 gives no wait") << 0.0 << 3 << qint64(0);
        QTest::newRow("0.5 gives half the ceiling") << 0.5 << 3 << qint64(1000);
        QTest::newRow("0.25 after 1") << 0.25 << 1 << qint64(125);
        QTest::newRow("just under 1 stays under the ceiling") << 0.99999999 << 2 << qint64(999);
        QTest::newRow("a faulty 1.0 still stays under") << 1.0 << 2 << qint64(999);
        QTest::newRow("a faulty 7.0 is clamped") << 7.0 << 1 << qint64(499);
        QTest::newRow("a faulty -1 is clamped") << -1.0 << 1 << qint64(0);
    }
    void fullJitterFollowsTheRandomSource()
    {
        QFETCH(double, random);
        QFETCH(int, failedAttempts);
        QFETCH(qint64, delay);
        const RetryPolicy policy([random] { return random; });
        QCOMPARE(policy.backoff(failedAttempts).count(), delay);
    }

    void jitterStaysWithinBounds()
    {
        std::mt19937 engine(42);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        RetryPolicy policy([&] { return uniform(engine); });
        policy.setBaseDelay(milliseconds(100));
        policy.setMaxDelay(milliseconds(5000));
        for (int n = 1; n <= 10; ++n) {
            const qint64 ceiling = policy.backoffCeiling(n).count();
            qint64 smallest = ceiling, largest = 0;
            for (int i = 0; i < 500; ++i) {
                const qint64 d = policy.backoff(n).count();
                QVERIFY2(d >= 0 && d < ceiling, qPrintable(QStringLiteral("n=%1 d=%2").arg(n).arg(d)));
                smallest = std::min(smallest, d);
                largest = std::max(largest, d);
            }
            // Full jitter spreads over the whole range, not just near the ceiling.
            QVERIFY(smallest < ceiling / 10);
            QVERIFY(largest > ceiling * 9 / 10);
        }
    }

    void statusVerdicts_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<RetryPolicy::Verdict>("verdict");
        using V = RetryPolicy::Verdict;
        QTest::newRow("200") << 200 << V::Success;
        QTest::newRow("204") << 204 << V::Success;
        QTest::newRow("301") << 301 << V::Permanent;
        QTest::newRow("302") << 302 << V::Permanent;
        QTest::newRow("304") << 304 << V::Permanent;
        QTest::newRow("400") << 400 << V::Permanent;
        QTest::newRow("401") << 401 << V::Permanent;
        QTest::newRow("403") << 403 << V::Permanent;
        QTest::newRow("404") << 404 << V::Permanent;
        QTest::newRow("408") << 408 << V::Permanent;
        QTest::newRow("413") << 413 << V::Permanent;
        QTest::newRow("429") << 429 << V::Transient;
        QTest::newRow("500") << 500 << V::Transient;
        QTest::newRow("502") << 502 << V::Transient;
        QTest::newRow("503") << 503 << V::Transient;
        QTest::newRow("504") << 504 << V::Transient;
        QTest::newRow("599") << 599 << V::Transient;
    }
    void statusVerdicts()
    {
        QFETCH(int, status);
        QFETCH(RetryPolicy::Verdict, verdict);
        QCOMPARE(RetryPolicy::classifyStatus(status), verdict);
        QCOMPARE(RetryPolicy::classify(httpAttempt(status, 1)), verdict);
        const RetryPolicy policy([] { return 0.5; });
        QCOMPARE(policy.decide(httpAttempt(status, 1), kNow).isRetry(), verdict == RetryPolicy::Verdict::Transient);
    }

    void transportVerdicts_data()
    {
        QTest::addColumn<SendResult::Error>("error");
        QTest::addColumn<RetryPolicy::Verdict>("verdict");
        using E = SendResult::Error;
        using V = RetryPolicy::Verdict;
        QTest::newRow("refused") << E::ConnectionRefused << V::Transient;
        QTest::newRow("closed") << E::ConnectionClosed << V::Transient;
        QTest::newRow("timeout") << E::Timeout << V::Transient;
        QTest::newRow("network") << E::NetworkError << V::Transient;
        QTest::newRow("host not found") << E::HostNotFound << V::Permanent;
        QTest::newRow("tls") << E::TlsError << V::Permanent;
        QTest::newRow("invalid") << E::InvalidRequest << V::Permanent;
        QTest::newRow("aborted") << E::Aborted << V::Permanent;
    }
    void transportVerdicts()
    {
        QFETCH(SendResult::Error, error);
        QFETCH(RetryPolicy::Verdict, verdict);
        QCOMPARE(RetryPolicy::classify(transportAttempt(error, 1)), verdict);
    }

    void stopsAfterMaxAttempts()
    {
        RetryPolicy policy([] { return 0.5; });
        policy.setMaxAttempts(3);
        QVERIFY(policy.decide(transportAttempt(SendResult::Error::Timeout, 1), kNow).isRetry());
        QVERIFY(policy.decide(transportAttempt(SendResult::Error::Timeout, 2), kNow).isRetry());
        QVERIFY(!policy.decide(transportAttempt(SendResult::Error::Timeout, 3), kNow).isRetry());
        policy.setMaxAttempts(0); // clamped: the first attempt always happens, no retry
        QCOMPARE(policy.maxAttempts(), 1);
        QVERIFY(!policy.decide(httpAttempt(500, 1), kNow).isRetry());
    }

    void decisionDelayIsTheJitteredBackoff()
    {
        const RetryPolicy policy([] { return 0.5; });
        QCOMPARE(policy.decide(httpAttempt(500, 1), kNow).delay, milliseconds(250));
        QCOMPARE(policy.decide(httpAttempt(500, 2), kNow).delay, milliseconds(500));
        QCOMPARE(policy.decide(httpAttempt(500, 4), kNow).delay, milliseconds(2000));
    }

    void retryAfterIsHonoured_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("429, seconds") << 429 << QByteArray("7") << qint64(7000);
        QTest::newRow("429, zero") << 429 << QByteArray("0") << qint64(0);
        QTest::newRow("429, date") << 429 << QByteArray("Wed, 21 Oct 2015 07:28:12 GMT") << qint64(12000);
        QTest::newRow("429, capped") << 429 << QByteArray("3600") << qint64(60000);
        QTest::newRow("503, seconds") << 503 << QByteArray("2") << qint64(2000);
        QTest::newRow("429, unreadable: the backoff") << 429 << QByteArray("soon") << qint64(250);
        QTest::newRow("500 ignores it: the backoff") << 500 << QByteArray("9") << qint64(250);
    }
    void retryAfterIsHonoured()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        QFETCH(qint64, delay);
        const RetryPolicy policy([] { return 0.5; });
        const RetryPolicy::Decision d = policy.decide(httpAttempt(status, 1, {{"retry-after", retryAfter}}), kNow);
        QVERIFY(d.isRetry());
        QCOMPARE(d.delay.count(), delay);
    }

    void retryAfterCapIsSettable()
    {
        RetryPolicy policy;
        policy.setRetryAfterCap(milliseconds(1500));
        QCOMPARE(policy.decide(httpAttempt(429, 1, {{"Retry-After", "10"}}), kNow).delay, milliseconds(1500));
    }

    void retryAfterDoesNotOutliveMaxAttempts()
    {
        RetryPolicy policy;
        policy.setMaxAttempts(2);
        QVERIFY(!policy.decide(httpAttempt(429, 2, {{"Retry-After", "1"}}), kNow).isRetry());
    }

    void parseRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("delay"); // -1: unreadable
        QTest::newRow("seconds") << QByteArray("120") << qint64(120000);
        QTest::newRow("spaces around") << QByteArray("  5 ") << qint64(5000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("IMF-fixdate") << QByteArray("Wed, 21 Oct 2015 07:28:30 GMT") << qint64(30000);
        QTest::newRow("IMF-fixdate, lower-case month") << QByteArray("Wed, 21 oct 2015 07:29:00 GMT") << qint64(60000);
        QTest::newRow("RFC 850") << QByteArray("Wednesday, 21-Oct-15 07:28:05 GMT") << qint64(5000);
        QTest::newRow("asctime") << QByteArray("Wed Oct 21 07:28:09 2015") << qint64(9000);
        // 10 days, 16 hours and 32 minutes after kNow.
        QTest::newRow("asctime, padded day")
                << QByteArray("Sun Nov  1 00:00:00 2015") << qint64(((10 * 24 + 16) * 60 + 32) * 60000LL);
        QTest::newRow("a date in the past") << QByteArray("Tue, 20 Oct 2015 07:28:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
        QTest::newRow("empty") << QByteArray("") << qint64(-1);
        QTest::newRow("words") << QByteArray("in a minute") << qint64(-1);
        QTest::newRow("bad day") << QByteArray("Wed, 32 Oct 2015 07:28:00 GMT") << qint64(-1);
        QTest::newRow("no time") << QByteArray("Wed, 21 Oct 2015 GMT") << qint64(-1);
    }
    void parseRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, delay);
        const auto parsed = RetryPolicy::parseRetryAfter(value, kNow);
        if (delay < 0) {
            QVERIFY2(!parsed.has_value(), value.constData());
        } else {
            QVERIFY2(parsed.has_value(), value.constData());
            QCOMPARE(parsed->count(), delay);
        }
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
