#pragma once

#include "retrypolicy.h"
#include "sendrequest.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

namespace km {

class NetworkManager;
class SendHandle;

// The time the Sender runs on: the real clock and timers, or a test's hand-driven ones.
class SendClock
{
public:
    virtual ~SendClock() = default;
    // A monotonic clock, for the rate limit.
    virtual qint64 monotonicMs() const = 0;
    // The wall clock, for Retry-After dates.
    virtual QDateTime currentDateTimeUtc() const = 0;
    // Calls fn after delayMs on context's thread, unless context is destroyed first.
    virtual void callAfter(qint64 delayMs, QObject *context, std::function<void()> fn) = 0;
};

// QElapsedTimer, QDateTime::currentDateTimeUtc() and QTimer::singleShot.
class SystemClock : public SendClock
{
public:
    SystemClock();
    qint64 monotonicMs() const override;
    QDateTime currentDateTimeUtc() const override;
    void callAfter(qint64 delayMs, QObject *context, std::function<void()> fn) override;

private:
    qint64 m_start;
};

struct SendProgress
{
    int total = 0;  // everything enqueued since the last reset (clear())
    int queued = 0; // waiting to start, retries waiting out their delay included
    int inFlight = 0;
    int sent = 0;
    int failed = 0;
    int cancelled = 0;
    int attempts = 0; // attempts started, retries included
    int remaining() const { return queued + inFlight; }
    friend bool operator==(const SendProgress &, const SendProgress &) = default;
};

// Sends a queue of requests: at most concurrency() at once, at most rateLimit() started per
// second (a token bucket on the injected clock), each retried as the RetryPolicy says. A request
// ends Sent (any 2xx: transport OK, nothing more - the preview's warnings stay on the result),
// Failed (a permanent error, or retries used up) or Cancelled.
//
// Durability is the caller's: write a request to the Outbox before enqueue(), mark it done on
// requestFinished().
class Sender : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultConcurrency = 6;
    static constexpr std::chrono::milliseconds DefaultTimeout{10000};

    // `network` is not owned and must outlive the Sender. The clock, when given, too.
    explicit Sender(NetworkManager *network, QObject *parent = nullptr);
    Sender(NetworkManager *network, SendClock *clock, QObject *parent = nullptr);
    ~Sender() override;

    void setApiKey(const QByteArray &apiKey) { m_apiKey = apiKey; }
    int concurrency() const { return m_concurrency; }
    void setConcurrency(int concurrency);
    // Requests started per second at most; 0 is unlimited.
    double rateLimit() const { return m_rate; }
    void setRateLimit(double requestsPerSecond);
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    const RetryPolicy &retryPolicy() const { return m_policy; }
    void setRetryPolicy(const RetryPolicy &policy) { m_policy = policy; }

    // Adds to the end of the queue (a request whose id is already queued or in flight is ignored).
    void enqueue(const SendRequest &request);
    void enqueue(const QList<SendRequest> &requests);

    bool isPaused() const { return m_paused; }
    bool isIdle() const { return m_items.isEmpty(); }
    SendProgress progress() const { return m_progress; }
    // The current result of a request that has not finished yet (final results are only signalled).
    SendResult result(const QString &id) const;

public Q_SLOTS:
    // Starts nothing new; what is in flight finishes.
    void pause();
    void resume();
    // Aborts everything in flight and drops the queue (each ends Cancelled), then finished().
    void cancel();
    void cancel(const QString &id);
    // Forgets the counts of finished requests (only when idle).
    void clear();

Q_SIGNALS:
    void requestStateChanged(const QString &id, const km::SendResult &result);
    // Once per request, with its final result (Sent, Failed or Cancelled).
    void requestFinished(const km::SendRequest &request, const km::SendResult &result);
    void progressChanged(const km::SendProgress &progress);
    // The queue has drained: nothing queued, waiting or in flight.
    void finished();

private:
    struct Item
    {
        SendRequest request;
        SendResult result;
        QPointer<SendHandle> handle;
        bool isWaiting = false; // for a retry delay
        quint64 wait = 0;       // which scheduled retry is the current one
    };

    void pump();
    bool takeToken();
    void schedulePump(qint64 delayMs);
    void start(Item &item);
    void onAttemptFinished(const QString &id, const SendResult &attempt);
    void finalize(const QString &id, SendResult result);
    void emitProgress();
    void checkDrained();

    NetworkManager *m_network;
    std::unique_ptr<SystemClock> m_ownClock;
    SendClock *m_clock;
    RetryPolicy m_policy;
    QByteArray m_apiKey;
    int m_concurrency = DefaultConcurrency;
    double m_rate = 0;
    double m_tokens = 1;
    qint64 m_lastRefill = 0;
    bool m_pumpScheduled = false;
    std::chrono::milliseconds m_timeout = DefaultTimeout;
    bool m_paused = false;
    bool m_pumping = false;
    quint64 m_nextWait = 0;

    QHash<QString, Item> m_items; // not final yet
    std::deque<QString> m_queue;  // ready to start, in order
    SendProgress m_progress;
};

} // namespace km

Q_DECLARE_METATYPE(km::SendProgress)
