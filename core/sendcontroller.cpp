#include "sendcontroller.h"

#include "networkmanager.h"
#include "outbox.h"
#include "sendhistory.h"
#include "trackingendpoint.h"
#include "workspace.h"

#include <QDateTime>
#include <QHostAddress>
#include <QUrl>

#include <algorithm>

namespace km {

namespace {

std::string_view pairValue(const HttpRequest &request, std::string_view key)
{
    for (const QueryPair &pair : request.pairs)
        if (pair.key == key)
            return pair.value;
    return {};
}

// How much a received request resembles a previewed one, to name the closest when none matches.
int resemblance(const ReceivedRequest &received, const HttpRequest &previewed)
{
    int score = 0;
    if (received.trackingEndpoint() == previewed.endpoint)
        score += 1;
    for (const char *key : {"_p", "_n"}) {
        const std::optional<std::string> value = received.value(key);
        if (value && *value == pairValue(previewed, key))
            score += 2;
    }
    const std::optional<std::string> t = received.value("_t");
    if (t && *t == pairValue(previewed, "_t"))
        score += 1;
    return score;
}

QString callLabel(int index)
{
    return SendController::tr("Call %1").arg(index + 1);
}

} // namespace

QString unsendableEngineReason(EngineId engine)
{
    if (outputKind(engine) == OutputKind::Http)
        return {};
    return SendController::tr("%1 runs in the browser: it pushes calls to window._kmq and the Kissmetrics script "
                              "sends them, so there are no HTTP requests to send from here. Choose segment-cloud or "
                              "rudder-cloud to send.")
            .arg(QLatin1String(engineName(engine)));
}

void appendSendRequests(QList<SendRequest> &out,
                        const Translation &translation,
                        const std::vector<JsonIssue> &inputWarnings,
                        const QString &target,
                        const Value &apiKey,
                        const QString &settingsSnapshot,
                        qint64 createdAt)
{
    if (translation.requests.empty())
        return;
    const std::vector<Warning> *warnings = &translation.warnings;
    std::vector<Warning> combined;
    if (!inputWarnings.empty()) {
        combined = translation.warnings;
        for (const JsonIssue &issue : inputWarnings)
            combined.push_back(Warning{"input", issue.toString(), {}});
        warnings = &combined;
    }
    for (const HttpRequest &request : translation.requests)
        out << SendRequest::fromHttpRequest(request, translation.engine, target, apiKey, settingsSnapshot, *warnings,
                                            createdAt);
}

const HttpRequest *SendEntry::previewed() const
{
    if (!preview || output < 0 || output >= int(preview->translation.requests.size()))
        return nullptr;
    return &preview->translation.requests[std::size_t(output)];
}

QString ReceivedEntry::matchName(Match match)
{
    switch (match) {
    case Match::Matching:
        return SendController::tr("matching");
    case Match::NotMatching:
        return SendController::tr("not matching");
    case Match::Unknown:
        break;
    }
    return SendController::tr("not sent from here");
}

SendController::SendController(QObject *parent)
    : SendController(nullptr, nullptr, parent)
{ }

SendController::SendController(NetworkManager *network, TrackingEndpoint *endpoint, QObject *parent)
    : QObject(parent)
    , m_network(network ? network : new NetworkManager(this))
    , m_endpoint(endpoint ? endpoint : new TrackingEndpoint(this))
    , m_outboxDirectory(Outbox::defaultDirectory())
    , m_historyDirectory(SendHistory::defaultDirectory())
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_sender = new Sender(m_network, this);
    connect(m_sender, &Sender::requestStateChanged, this, &SendController::onStateChanged);
    connect(m_sender, &Sender::requestFinished, this, &SendController::onFinished);
    connect(m_sender, &Sender::progressChanged, this, &SendController::progressChanged);
    connect(m_sender, &Sender::finished, this, [this] {
        m_apiKey.clear();
        if (m_outbox)
            m_outbox->sync();
        emit finished();
    });
    connect(m_endpoint, &TrackingEndpoint::requestReceived, this, &SendController::onReceived);
}

SendController::~SendController()
{
    // The Sender's requests end Cancelled while it is destroyed; the outbox keeps them pending.
    disconnect(m_sender, nullptr, this, nullptr);
    delete m_sender;
}

void SendController::setOutboxDirectory(const QString &directory)
{
    m_outboxDirectory = directory;
    m_outbox.reset();
    m_outboxTried = false;
    m_pendingAtOpen.clear();
}

void SendController::setHistoryDirectory(const QString &directory)
{
    m_historyDirectory = directory;
    m_history.reset();
}

void SendController::setClock(std::function<qint64()> nowMillis)
{
    m_clock = std::move(nowMillis);
}

bool SendController::startEndpoint()
{
    if (m_endpoint->isListening() && (m_endpointPort == 0 || m_endpoint->port() == m_endpointPort))
        return true;
    if (!m_endpoint->listen(m_endpointPort)) {
        m_error = tr("The built-in endpoint cannot listen on 127.0.0.1:%1: %2")
                          .arg(m_endpointPort)
                          .arg(m_endpoint->errorString());
        return false;
    }
    return true;
}

QString SendController::endpointUrl() const
{
    return m_endpoint->baseUrl().toString();
}

bool SendController::restartEndpoint(quint16 port)
{
    const quint16 previous = m_endpoint->isListening() ? m_endpoint->port() : 0;
    const bool wasListening = m_endpoint->isListening();
    // Already there: an automatic port stays as it is, a fixed one that is the current one too.
    if (wasListening && ((port == 0 && m_endpointPort == 0) || (port != 0 && previous == port))) {
        m_endpointPort = port;
        return true;
    }
    if (m_endpoint->listen(port)) {
        m_endpointPort = port;
        return true;
    }
    m_error = tr("The built-in endpoint cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_endpoint->errorString());
    // listen() closed the old listener first: take its port back.
    if (wasListening)
        m_endpoint->listen(previous);
    return false;
}

SendHistory *SendController::openHistory()
{
    if (!m_history)
        m_history = std::make_unique<SendHistory>(m_historyDirectory);
    return m_history.get();
}

bool SendController::openOutbox()
{
    if (m_outbox && m_outbox->isOpen())
        return true;
    auto outbox = std::make_unique<Outbox>(m_outboxDirectory);
    if (!outbox->open()) {
        m_error = tr("The outbox (%1) cannot be opened: %2").arg(m_outboxDirectory, outbox->errorString());
        return false;
    }
    for (const QString &warning : outbox->warnings())
        emit storageWarning(warning);
    if (!m_outboxTried)
        m_pendingAtOpen = outbox->pending();
    m_outboxTried = true;
    m_outbox = std::move(outbox);
    return true;
}

QList<SendRequest> SendController::pendingFromLastRun()
{
    if (!openOutbox())
        return {};
    QList<SendRequest> pending;
    for (const SendRequest &request : std::as_const(m_pendingAtOpen))
        if (m_outbox->isPending(request.id) && indexOfEntry(request.id) < 0)
            pending << request;
    return pending;
}

bool SendController::isQueuedWithKey(const SendRequest &request, const QByteArray &apiKey)
{
    return openOutbox() && m_outbox->isQueuedWithKey(request, apiKey);
}

bool SendController::discard(const QList<SendRequest> &requests)
{
    if (!openOutbox())
        return false;
    QList<QPair<QString, SendResult::State>> outcomes;
    for (const SendRequest &request : requests)
        outcomes.append({request.id, SendResult::State::Cancelled});
    return m_outbox->markDone(outcomes);
}

QString SendController::normalizedTarget(const QString &target, QString *error)
{
    const QUrl url(target.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.hasQuery()
        || url.hasFragment()) {
        if (error)
            *error = tr("\"%1\" is not an http:// or https:// base URL").arg(target);
        return {};
    }
    QString text = url.toString();
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text;
}

bool SendController::isLoopbackTarget(const QString &target)
{
    const QString host = QUrl(target).host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

SendReport SendController::send(const Workspace &workspace,
                                const QList<int> &indexes,
                                const Configuration &configuration,
                                const QString &target,
                                const QByteArray &apiKey)
{
    SendReport report;
    if (const QString reason = unsendableEngineReason(configuration.engine); !reason.isEmpty()) {
        report.error = reason;
        return report;
    }
    QString base;
    if (target.isEmpty()) {
        if (!startEndpoint()) {
            report.error = m_error;
            return report;
        }
        base = endpointUrl();
    } else {
        base = normalizedTarget(target, &report.error);
        if (base.isEmpty())
            return report;
    }

    Configuration config = configuration;
    if (!apiKey.isEmpty())
        config.settings.values().set("apiKey",
                                     Value::string(std::string_view(apiKey.constData(), std::size_t(apiKey.size()))));
    const QByteArray key = SendRequest::apiKeyText(config.settings.apiKey());
    const QString snapshot = SendRequest::settingsSnapshotOf(config.settings);
    const qint64 createdAt = now();

    QList<int> rows = indexes;
    if (rows.isEmpty())
        for (int i = 0; i < workspace.callCount(); ++i)
            rows << i;
    QList<SendEntry> entries;
    for (int row : std::as_const(rows)) {
        if (row < 0 || row >= workspace.callCount())
            continue;
        const Call &call = workspace.call(row);
        auto preview = std::make_shared<const PreviewResult>(translateCall(call.json, config, double(createdAt)));
        if (!preview->isValid) {
            report.problems << tr("%1 is not valid JSON (%2): nothing to send for it")
                                       .arg(callLabel(row), QString::fromStdString(preview->parseError.toString()));
            continue;
        }
        if (preview->translation.isRejected()) {
            report.problems << tr("%1 is rejected by %2 (%3): nothing to send for it")
                                       .arg(callLabel(row), QLatin1String(engineName(config.engine)),
                                            QString::fromStdString(preview->translation.error));
            continue;
        }
        QList<SendRequest> requests;
        appendSendRequests(requests, preview->translation, preview->inputWarnings, base, config.settings.apiKey(),
                           snapshot, createdAt);
        if (requests.isEmpty())
            report.problems << tr("%1 makes no request with these settings").arg(callLabel(row));
        for (int i = 0; i < requests.size(); ++i) {
            requests[i].call = QByteArray::fromStdString(call.json);
            SendEntry entry;
            entry.request = requests[i];
            entry.result.warnings = entry.request.warnings;
            entry.callId = call.id;
            entry.callIndex = row;
            entry.output = i;
            entry.preview = preview;
            entry.callJson = call.json;
            entries << entry;
        }
    }
    if (entries.isEmpty()) {
        report.error = report.problems.isEmpty() ? tr("There is nothing to send.")
                                                 : tr("None of the calls makes a request to send.");
        return report;
    }
    const SendReport enqueued = enqueue(std::move(entries), key);
    report.requests = enqueued.requests;
    report.error = enqueued.error;
    return report;
}

SendReport SendController::resend(const QList<SendRequest> &requests, const QByteArray &apiKey)
{
    QList<SendEntry> entries;
    int otherKey = 0;
    for (const SendRequest &request : requests) {
        SendEntry entry;
        // A request still pending keeps its id (the outbox knows it); any other is a new send of
        // the same event (same wire, same _t).
        const bool pending = m_outbox && m_outbox->isPending(request.id) && indexOfEntry(request.id) < 0;
        if (pending && !m_outbox->isQueuedWithKey(request, apiKey)) {
            ++otherKey;
            continue;
        }
        entry.request = pending ? request : request.copyForResend(now());
        entry.result.warnings = entry.request.warnings;
        entries << entry;
    }
    const QString otherKeyProblem = tr(
            "%n unsent request(s) were queued with a different API key; they stay in the outbox.", nullptr, otherKey);
    if (entries.isEmpty()) {
        SendReport report;
        report.error = otherKey > 0 ? otherKeyProblem : tr("There is nothing to send.");
        return report;
    }
    SendReport report = enqueue(std::move(entries), apiKey);
    if (otherKey > 0)
        report.problems << otherKeyProblem;
    return report;
}

SendReport SendController::enqueue(QList<SendEntry> entries, const QByteArray &apiKey)
{
    SendReport report;
    const bool needsKey =
            std::any_of(entries.cbegin(), entries.cend(), [](const SendEntry &e) { return e.request.needsApiKey(); });
    if (needsKey && apiKey.isEmpty()) {
        report.error = tr("The requests carry _k but there is no API key: set one in the settings or the profile.");
        return report;
    }
    if (isBusy() && apiKey != m_apiKey) {
        report.error = tr("Another batch with a different API key is still being sent: wait for it or cancel it.");
        return report;
    }
    if (!openOutbox()) {
        report.error = m_error + tr(": nothing was sent.");
        return report;
    }
    // Each new request is stored with its key's fingerprint, so that a later resume sends it with
    // this key only; one already pending keeps its own (resend() checked that it is this key's).
    const QByteArray fingerprint = m_outbox->keyFingerprint(apiKey);
    QList<SendRequest> requests;
    for (SendEntry &entry : entries) {
        if (!m_outbox->isPending(entry.request.id))
            entry.request.keyFingerprint = entry.request.needsApiKey() ? fingerprint : QByteArray();
        requests << entry.request;
    }
    // Durable before anything leaves: a crash from here on loses nothing.
    if (!m_outbox->add(requests)) {
        report.error = tr("The outbox cannot be written: %1: nothing was sent.").arg(m_outbox->errorString());
        return report;
    }
    m_apiKey = apiKey;
    m_sender->setApiKey(apiKey);

    const int first = int(m_entries.size());
    for (SendEntry &entry : entries) {
        const int index = int(m_entries.size());
        m_entryIndex.insert(entry.request.id, index);
        const QByteArray wire = entry.request.wireWithKey(apiKey);
        if (!m_entryByWire.contains(wire))
            m_entryByWire.insert(wire, index);
        m_entries << std::move(entry);
    }
    emit entriesAdded(first, int(m_entries.size()) - 1);
    report.requests = int(requests.size());
    m_sender->enqueue(requests);
    return report;
}

void SendController::clearEntries()
{
    if (isBusy())
        return;
    emit entriesAboutToBeReset();
    m_entries.clear();
    m_entryIndex.clear();
    m_entryByWire.clear();
    m_sender->clear();
    emit entriesReset();
    emit progressChanged(m_sender->progress());
}

void SendController::clearReceived()
{
    m_received.clear();
    emit receivedCleared();
}

void SendController::pause()
{
    if (m_sender->isPaused())
        return;
    m_sender->pause();
    emit pausedChanged(true);
}

void SendController::resume()
{
    if (!m_sender->isPaused())
        return;
    m_sender->resume();
    emit pausedChanged(false);
}

void SendController::cancel()
{
    m_sender->cancel();
}

void SendController::onStateChanged(const QString &id, const SendResult &result)
{
    const int index = indexOfEntry(id);
    if (index < 0)
        return;
    m_entries[index].result = result;
    emit entryChanged(index);
}

void SendController::onFinished(const SendRequest &request, const SendResult &result)
{
    if (m_outbox && !m_outbox->markDone(request.id, result.state))
        emit storageWarning(
                tr("The outbox cannot be updated: %1 (the request may be offered again)").arg(m_outbox->errorString()));
    openHistory();
    if (!m_history->append(request, result, now()))
        emit storageWarning(tr("The history cannot be written: %1").arg(m_history->errorString()));
    onStateChanged(request.id, result);
}

void SendController::onReceived(const ReceivedRequest &request)
{
    m_received << classify(request);
    emit receivedAdded(int(m_received.size()) - 1);
}

ReceivedEntry SendController::classify(const ReceivedRequest &request) const
{
    ReceivedEntry entry;
    entry.request = request;
    std::string difference;
    // Fast path: the bytes as sent name the entry.
    const QByteArray raw = request.method() == "POST" ? request.body() : request.query();
    if (const int index = m_entryByWire.value(raw, -1); index >= 0) {
        const SendEntry &sent = m_entries[index];
        entry.requestId = sent.request.id;
        const HttpRequest *previewed = sent.previewed();
        if (!previewed || matchesPreview(request, *previewed, &difference)) {
            entry.match = ReceivedEntry::Match::Matching;
            return entry;
        }
        entry.match = ReceivedEntry::Match::NotMatching;
        entry.difference = QString::fromStdString(difference);
        return entry;
    }
    int best = -1;
    int bestScore = -1;
    for (int i = 0; i < m_entries.size(); ++i) {
        const HttpRequest *previewed = m_entries[i].previewed();
        if (!previewed)
            continue;
        if (matchesPreview(request, *previewed)) {
            entry.match = ReceivedEntry::Match::Matching;
            entry.requestId = m_entries[i].request.id;
            return entry;
        }
        const int score = resemblance(request, *previewed);
        if (score > bestScore) {
            best = i;
            bestScore = score;
        }
    }
    // Only a request that shares the person or the event with a sent one is "not matching" it;
    // anything else came from somewhere else.
    if (best >= 0 && bestScore >= 2) {
        matchesPreview(request, *m_entries[best].previewed(), &difference);
        entry.match = ReceivedEntry::Match::NotMatching;
        entry.requestId = m_entries[best].request.id;
        entry.difference = QString::fromStdString(difference);
    }
    return entry;
}

} // namespace km
