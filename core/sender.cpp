#include "sender.h"

#include "networkmanager.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace km {

namespace {

qint64 monotonicNowMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

QString attemptsText(int attempts)
{
    return attempts == 1 ? Sender::tr("1 attempt") : Sender::tr("%1 attempts").arg(attempts);
}

} // namespace

SystemClock::SystemClock()
    : m_start(monotonicNowMs())
{ }

qint64 SystemClock::monotonicMs() const
{
    return monotonicNowMs() - m_start;
}

QDateTime SystemClock::currentDateTimeUtc() const
{
    return QDateTime::currentDateTimeUtc();
}

void SystemClock::callAfter(qint64 delayMs, QObject *context, std::function<void()> fn)
{
    const int delay = int(std::clamp<qint64>(delayMs, 0, std::numeric_limits<int>::max()));
    QTimer::singleShot(delay, Qt::PreciseTimer, context, std::move(fn));
}

Sender::Sender(NetworkManager *network, QObject *parent)
    : Sender(network, nullptr, parent)
{ }

Sender::Sender(NetworkManager *network, SendClock *clock, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock)
{
    if (!m_clock) {
        m_ownClock = std::make_unique<SystemClock>();
        m_clock = m_ownClock.get();
    }
    m_lastRefill = m_clock->monotonicMs();
}

Sender::~Sender()
{
    for (Item &item : m_items) {
        if (item.handle) {
            item.handle->disconnect(this);
            item.handle->abort();
        }
    }
}

void Sender::setConcurrency(int concurrency)
{
    m_concurrency = std::max(1, concurrency);
    pump();
}

void Sender::setRateLimit(double requestsPerSecond)
{
    m_rate = requestsPerSecond > 0 ? requestsPerSecond : 0;
    m_tokens = 1;
    m_lastRefill = m_clock->monotonicMs();
    pump();
}

void Sender::enqueue(const SendRequest &request)
{
    enqueue(QList<SendRequest>{request});
}

void Sender::enqueue(const QList<SendRequest> &requests)
{
    for (const SendRequest &request : requests) {
        if (m_items.contains(request.id))
            continue;
        Item item;
        item.request = request;
        item.result.state = SendResult::State::Queued;
        item.result.warnings = request.warnings;
        m_items.insert(request.id, item);
        m_queue.push_back(request.id);
        ++m_progress.total;
        ++m_progress.queued;
    }
    emitProgress();
    pump();
}

SendResult Sender::result(const QString &id) const
{
    const auto it = m_items.constFind(id);
    return it == m_items.cend() ? SendResult() : it->result;
}

void Sender::pause()
{
    m_paused = true;
}

void Sender::resume()
{
    m_paused = false;
    pump();
}

void Sender::cancel()
{
    // Ids first: aborting finishes requests synchronously, which changes m_items.
    // Nothing new may start meanwhile (each abort would otherwise start the next queued one).
    const QList<QString> ids = m_items.keys();
    const bool wasPumping = m_pumping;
    m_pumping = true;
    m_queue.clear();
    for (const QString &id : ids)
        cancel(id);
    m_pumping = wasPumping;
}

void Sender::cancel(const QString &id)
{
    const auto it = m_items.find(id);
    if (it == m_items.end())
        return;
    if (it->handle) {
        it->handle->abort(); // onAttemptFinished() ends it as Cancelled
        return;
    }
    SendResult result = it->result;
    result.state = SendResult::State::Cancelled;
    result.error = SendResult::Error::Aborted;
    result.failureReason =
            result.attempts > 0
                    ? tr("cancelled after %1; last: %2").arg(attemptsText(result.attempts), result.failureReason)
                    : tr("cancelled before it was sent");
    const auto q = std::find(m_queue.begin(), m_queue.end(), id);
    if (q != m_queue.end())
        m_queue.erase(q);
    finalize(id, result);
}

void Sender::clear()
{
    if (!m_items.isEmpty())
        return;
    m_progress = SendProgress();
    emitProgress();
}

bool Sender::takeToken()
{
    if (m_rate <= 0)
        return true;
    const qint64 now = m_clock->monotonicMs();
    // A burst of up to a tenth of a second's worth, so late timers do not lose throughput.
    const double capacity = std::max(1.0, m_rate / 10.0);
    m_tokens = std::min(capacity, m_tokens + double(now - m_lastRefill) * m_rate / 1000.0);
    m_lastRefill = now;
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return true;
    }
    schedulePump(qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate)));
    return false;
}

void Sender::schedulePump(qint64 delayMs)
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    m_clock->callAfter(std::max<qint64>(delayMs, 1), this, [this] {
        m_pumpScheduled = false;
        pump();
    });
}

void Sender::pump()
{
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_paused && !m_queue.empty() && m_progress.inFlight < m_concurrency) {
        if (!takeToken())
            break;
        const QString id = m_queue.front();
        m_queue.pop_front();
        const auto it = m_items.find(id);
        if (it != m_items.end())
            start(*it);
    }
    m_pumping = false;
}

void Sender::start(Item &item)
{
    --m_progress.queued;
    ++m_progress.inFlight;
    ++m_progress.attempts;
    item.result.state = SendResult::State::InFlight;
    const QString id = item.request.id;
    SendHandle *handle = m_network->send(item.request, m_apiKey, m_timeout);
    item.handle = handle;
    connect(handle, &SendHandle::finished, this,
            [this, id](const SendResult &attempt) { onAttemptFinished(id, attempt); });
    const SendResult snapshot = item.result;
    Q_EMIT requestStateChanged(id, snapshot);
    emitProgress();
}

void Sender::onAttemptFinished(const QString &id, const SendResult &attempt)
{
    const auto it = m_items.find(id);
    if (it == m_items.end())
        return;
    --m_progress.inFlight;
    it->handle = nullptr;
    SendResult result = attempt;
    result.attempts = it->result.attempts + 1;
    result.warnings = it->request.warnings;

    if (result.state == SendResult::State::Cancelled || result.state == SendResult::State::Sent) {
        finalize(id, result);
        pump();
        return;
    }
    const RetryPolicy::Decision decision = m_policy.decide(result, m_clock->currentDateTimeUtc());
    if (!decision.isRetry()) {
        if (RetryPolicy::classify(result) == RetryPolicy::Verdict::Transient)
            result.failureReason = tr("%1; gave up after %2").arg(result.failureReason, attemptsText(result.attempts));
        else if (result.error == SendResult::Error::HttpError && result.httpStatus >= 400)
            result.failureReason = tr("%1 (not retried: the server refused this request)").arg(result.failureReason);
        finalize(id, result);
        pump();
        return;
    }
    // Wait out the delay, then go to the front of the queue (older than what is queued).
    const QString lastReason = result.failureReason;
    result.state = SendResult::State::Queued;
    result.failureReason =
            tr("%1; retrying in %2 s").arg(lastReason).arg(double(decision.delay.count()) / 1000.0, 0, 'f', 1);
    it->result = result;
    it->isWaiting = true;
    const quint64 wait = ++m_nextWait;
    it->wait = wait;
    ++m_progress.queued;
    m_clock->callAfter(decision.delay.count(), this, [this, id, wait] {
        const auto waiting = m_items.find(id);
        if (waiting == m_items.end() || !waiting->isWaiting || waiting->wait != wait)
            return;
        waiting->isWaiting = false;
        m_queue.push_front(id);
        pump();
    });
    Q_EMIT requestStateChanged(id, result);
    emitProgress();
    pump();
}

void Sender::finalize(const QString &id, SendResult result)
{
    const auto it = m_items.find(id);
    if (it == m_items.end())
        return;
    const SendRequest request = it->request;
    const bool wasQueued = !it->handle && it->result.state == SendResult::State::Queued;
    if (wasQueued)
        --m_progress.queued;
    m_items.erase(it);
    switch (result.state) {
    case SendResult::State::Sent:
        ++m_progress.sent;
        break;
    case SendResult::State::Cancelled:
        ++m_progress.cancelled;
        break;
    default:
        result.state = SendResult::State::Failed;
        ++m_progress.failed;
        break;
    }
    Q_EMIT requestStateChanged(id, result);
    Q_EMIT requestFinished(request, result);
    emitProgress();
    checkDrained();
}

void Sender::emitProgress()
{
    Q_EMIT progressChanged(m_progress);
}

void Sender::checkDrained()
{
    if (m_items.isEmpty())
        Q_EMIT finished();
}

} // namespace km
