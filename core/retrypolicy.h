#pragma once

#include "sendrequest.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace km {

// When to try a request again and how long to wait: exponential backoff with full jitter
// (a uniform delay in [0, min(cap, base * 2^(n-1))) before retry n), so that many clients failing
// together do not come back together. Pure: the random source and the time are given.
class RetryPolicy
{
public:
    // Uniform in [0, 1).
    using RandomSource = std::function<double()>;

    static constexpr std::chrono::milliseconds DefaultBaseDelay{500};
    static constexpr std::chrono::milliseconds DefaultMaxDelay{30000};
    static constexpr std::chrono::milliseconds DefaultRetryAfterCap{60000};
    static constexpr int DefaultMaxAttempts = 5;

    // What one attempt's outcome calls for.
    enum class Verdict {
        Success,   // 2xx: transport OK (Kissmetrics answers 200 even for bad parameters)
        Transient, // connection failures, timeouts, 429, 5xx: worth another attempt
        Permanent, // other 4xx, 3xx, TLS, bad URL, abort: the same request would fail the same way
    };

    struct Decision
    {
        enum class Action { Retry, Stop };
        Action action = Action::Stop;
        std::chrono::milliseconds delay{0}; // before the next attempt, when retrying
        bool isRetry() const { return action == Action::Retry; }
    };

    RetryPolicy(); // QRandomGenerator::global()
    explicit RetryPolicy(RandomSource random);

    std::chrono::milliseconds baseDelay() const { return m_baseDelay; }
    void setBaseDelay(std::chrono::milliseconds delay) { m_baseDelay = delay; }
    std::chrono::milliseconds maxDelay() const { return m_maxDelay; }
    void setMaxDelay(std::chrono::milliseconds delay) { m_maxDelay = delay; }
    // Retry-After is honoured up to this much (a server asking for an hour would stall a batch).
    std::chrono::milliseconds retryAfterCap() const { return m_retryAfterCap; }
    void setRetryAfterCap(std::chrono::milliseconds cap) { m_retryAfterCap = cap; }
    // Attempts in all, the first included (1 = never retry).
    int maxAttempts() const { return m_maxAttempts; }
    void setMaxAttempts(int attempts) { m_maxAttempts = attempts < 1 ? 1 : attempts; }

    static Verdict classify(const SendResult &attempt);
    static Verdict classifyStatus(int httpStatus);

    // The upper bound of the jittered delay before retry n (n >= 1: after n failed attempts).
    std::chrono::milliseconds backoffCeiling(int failedAttempts) const;
    // A delay in [0, backoffCeiling(n)).
    std::chrono::milliseconds backoff(int failedAttempts) const;

    // After an attempt (attempt.attempts counts it): retry, and after how long, or stop.
    // 429 and 503 with Retry-After wait what the server asks (capped) instead of the backoff.
    Decision decide(const SendResult &attempt, const QDateTime &nowUtc) const;

    // Retry-After as delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", and
    // the obsolete RFC 850 and asctime forms); a date in the past is 0. nullopt when unreadable.
    static std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc);

private:
    RandomSource m_random;
    std::chrono::milliseconds m_baseDelay = DefaultBaseDelay;
    std::chrono::milliseconds m_maxDelay = DefaultMaxDelay;
    std::chrono::milliseconds m_retryAfterCap = DefaultRetryAfterCap;
    int m_maxAttempts = DefaultMaxAttempts;
};

} // namespace km
