#include "retrypolicy.h"

#include <QList>
#include <QRandomGenerator>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>

namespace km {

using std::chrono::milliseconds;

RetryPolicy::RetryPolicy()
    : RetryPolicy([] { return QRandomGenerator::global()->generateDouble(); })
{ }

RetryPolicy::RetryPolicy(RandomSource random)
    : m_random(std::move(random))
{ }

RetryPolicy::Verdict RetryPolicy::classifyStatus(int status)
{
    if (status >= 200 && status < 300)
        return Verdict::Success;
    if (status == 429 || (status >= 500 && status < 600))
        return Verdict::Transient;
    return Verdict::Permanent;
}

RetryPolicy::Verdict RetryPolicy::classify(const SendResult &attempt)
{
    using Error = SendResult::Error;
    switch (attempt.error) {
    case Error::NoError:
    case Error::HttpError:
        return classifyStatus(attempt.httpStatus);
    case Error::ConnectionRefused:
    case Error::ConnectionClosed:
    case Error::Timeout:
    case Error::NetworkError:
        return Verdict::Transient;
    case Error::HostNotFound: // a misspelt host does not heal in half a minute
    case Error::TlsError:     // nor does a certificate
    case Error::InvalidRequest:
    case Error::Aborted:
        return Verdict::Permanent;
    }
    return Verdict::Permanent;
}

milliseconds RetryPolicy::backoffCeiling(int failedAttempts) const
{
    if (failedAttempts < 1)
        return milliseconds(0);
    // base * 2^(n-1), computed in double so that a large n saturates at the cap, not overflows.
    const double raw = double(m_baseDelay.count()) * std::ldexp(1.0, std::min(failedAttempts - 1, 60));
    return milliseconds(qint64(std::min(raw, double(m_maxDelay.count()))));
}

milliseconds RetryPolicy::backoff(int failedAttempts) const
{
    const milliseconds ceiling = backoffCeiling(failedAttempts);
    double r = m_random ? m_random() : 0.0;
    r = std::clamp(r, 0.0, 1.0);
    const qint64 delay = qint64(std::floor(r * double(ceiling.count())));
    // A source returning exactly 1.0 would reach the (exclusive) ceiling.
    return milliseconds(std::min(delay, std::max<qint64>(ceiling.count() - 1, 0)));
}

RetryPolicy::Decision RetryPolicy::decide(const SendResult &attempt, const QDateTime &nowUtc) const
{
    Decision d;
    if (classify(attempt) != Verdict::Transient || attempt.attempts >= m_maxAttempts)
        return d;
    d.action = Decision::Action::Retry;
    d.delay = backoff(attempt.attempts);
    if (attempt.httpStatus == 429 || attempt.httpStatus == 503) {
        const QByteArray header = attempt.header(QByteArrayLiteral("Retry-After"));
        if (!header.isEmpty()) {
            if (const auto asked = parseRetryAfter(header, nowUtc))
                d.delay = std::min(*asked, m_retryAfterCap);
        }
    }
    return d;
}

namespace {

int monthFromName(const QByteArray &token)
{
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    if (token.size() != 3)
        return 0;
    const QByteArray lower = token.toLower();
    for (int i = 0; i < 12; ++i)
        if (lower == names[i])
            return i + 1;
    return 0;
}

bool isDigits(const QByteArray &token)
{
    return !token.isEmpty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::optional<milliseconds> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (isDigits(text)) {
        if (text.size() > 12) // more than 30,000 years: treat as "a very long time"
            return milliseconds(std::numeric_limits<qint64>::max() / 2);
        return milliseconds(text.toLongLong() * 1000);
    }

    // An HTTP-date in any of its three forms: tokens split on spaces, commas and dashes, told
    // apart by their shape (the weekday and "GMT" are not needed).
    QList<QByteArray> tokens;
    QByteArray current;
    for (char c : text) {
        if (c == ' ' || c == ',' || c == '-' || c == '\t') {
            if (!current.isEmpty())
                tokens << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        tokens << current;

    int day = -1, month = 0, year = -1;
    QTime time;
    for (const QByteArray &t : tokens) {
        if (t.contains(':')) {
            time = QTime::fromString(QString::fromLatin1(t), QStringLiteral("HH:mm:ss"));
        } else if (const int m = monthFromName(t)) {
            month = m;
        } else if (isDigits(t)) {
            if (day < 0 && t.size() <= 2)
                day = t.toInt();
            else if (year < 0 && (t.size() == 2 || t.size() == 4))
                year = t.toInt();
            else
                return std::nullopt;
        }
    }
    if (year >= 0 && year < 100) // RFC 850's two-digit year (RFC 9110: the nearest century)
        year += year < 70 ? 2000 : 1900;
    const QDate date(year, month, day);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    const QDateTime when(date, time, QTimeZone::utc());
    const qint64 delta = nowUtc.msecsTo(when);
    return milliseconds(std::max<qint64>(delta, 0));
}

} // namespace km
