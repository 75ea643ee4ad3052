#pragma once

#include "configuration.h"
#include "jsonreader.h"
#include "preview.h"
#include "receivedrequest.h"
#include "sender.h"
#include "sendrequest.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QUuid>

#include <functional>
#include <memory>
#include <vector>

namespace km {

class NetworkManager;
class Outbox;
class SendHistory;
class TrackingEndpoint;
class Workspace;

// Why calls translated by `engine` cannot be sent over HTTP; empty for the HTTP engines. The device
// engines push calls to window._kmq and the Kissmetrics script in the browser sends them.
QString unsendableEngineReason(EngineId engine);

// The requests one translated call makes, as SendRequests for `target`, appended to `out`. Each
// carries the translation's warnings and then the input's ("input: line 1, column 9: ..."), since a
// 200 from Kissmetrics does not make them go away. Shared by the app and `kmtester-cli send`.
void appendSendRequests(QList<SendRequest> &out,
                        const Translation &translation,
                        const std::vector<JsonIssue> &inputWarnings,
                        const QString &target,
                        const Value &apiKey,
                        const QString &settingsSnapshot,
                        qint64 createdAt);

// One request the controller sends or sent, with the call and preview it came from.
struct SendEntry
{
    SendRequest request;
    SendResult result;
    QUuid callId;                                 // null for a resend of what an earlier session left in the outbox
    int callIndex = -1;                           // in the workspace when it was sent
    int output = 0;                               // which of the call's requests
    std::shared_ptr<const PreviewResult> preview; // owns the previewed request; null for resends
    std::string callJson;                         // the call's text as sent, for "open as new call"; empty for resends

    // The HttpRequest the preview showed for this request; null for resends.
    const HttpRequest *previewed() const;
};

// A request the built-in endpoint received, and whether it is one this controller sent, exactly.
struct ReceivedEntry
{
    enum class Match {
        Matching,    // exactly the previewed request (or, for a resend, the stored one)
        NotMatching, // closest to requestId, but different: see difference
        Unknown,     // nothing sent from here resembles it (another program, the CLI)
    };

    ReceivedRequest request;
    Match match = Match::Unknown;
    QString requestId;  // the SendEntry it matches or is closest to
    QString difference; // for NotMatching, in words

    static QString matchName(Match match); // "matching", "not matching", "not sent from here"
};

// What send() did with a batch.
struct SendReport
{
    int requests = 0;     // enqueued
    QStringList problems; // calls with nothing to send, and why (invalid JSON, rejected by the engine)
    QString error;        // when set, nothing was sent: why

    bool isOk() const { return error.isEmpty(); }
};

// Sends workspace calls the way the preview shows them: translates each selected call with the
// active configuration, writes the requests to the durable Outbox BEFORE enqueueing them in a
// Sender, marks each done after its final response and appends it to the SendHistory. It also runs
// the built-in TrackingEndpoint (127.0.0.1 only) and tells, for every request the endpoint
// receives, whether it is exactly the previewed request it was sent from.
//
// No widgets: the window shows entries() and received() and forwards pause/resume/cancel. The
// API key is only held in memory (to send, and to find sent requests among received ones); the
// outbox and history hold `<API_KEY>`.
class SendController : public QObject
{
    Q_OBJECT

public:
    // Owns a NetworkManager and a TrackingEndpoint of its own.
    explicit SendController(QObject *parent = nullptr);
    // `network` and `endpoint` are not owned and must outlive the controller; null ones are made.
    SendController(NetworkManager *network, TrackingEndpoint *endpoint, QObject *parent = nullptr);
    ~SendController() override;

    // Where the outbox and the history live (defaults: Outbox::defaultDirectory() and
    // SendHistory::defaultDirectory()). Set before the first send; the outbox opens lazily.
    QString outboxDirectory() const { return m_outboxDirectory; }
    void setOutboxDirectory(const QString &directory);
    QString historyDirectory() const { return m_historyDirectory; }
    void setHistoryDirectory(const QString &directory);
    // Stamps createdAt / finishedAt and is the translation's "now" (default: the real clock).
    void setClock(std::function<qint64()> nowMillis);

    Sender *sender() const { return m_sender; }
    NetworkManager *networkManager() const { return m_network; }
    TrackingEndpoint *endpoint() const { return m_endpoint; }

    // The built-in endpoint's port: 0 lets the system choose one.
    quint16 endpointPort() const { return m_endpointPort; }
    void setEndpointPort(quint16 port) { m_endpointPort = port; }
    // Starts (or restarts on another port) the built-in endpoint; false and errorString() on failure.
    bool startEndpoint();
    QString endpointUrl() const; // http://127.0.0.1:PORT, empty when not listening
    // Moves the built-in endpoint to `port` (0: a free one), even when it listens already. On
    // failure it goes back to the port it had, so sending keeps working; false and errorString().
    bool restartEndpoint(quint16 port);

    // The last error (outbox, endpoint), for people.
    QString errorString() const { return m_error; }

    // Opens the outbox if it is not yet open; false (errorString()) when another program holds it
    // or it cannot be written. Sending needs it.
    bool openOutbox();
    Outbox *outbox() const { return m_outbox.get(); }
    SendHistory *history() const { return m_history.get(); }
    // The history, opened on first use (history() stays null until something was sent).
    SendHistory *openHistory();

    // What an earlier session (of the app or the CLI) left unsent, still pending in the outbox.
    QList<SendRequest> pendingFromLastRun();
    // Whether a pending request may be sent with `apiKey`: it needs none, or was queued with it.
    bool isQueuedWithKey(const SendRequest &request, const QByteArray &apiKey);
    // Drops pending requests from the outbox unsent (those queued with a key no longer at hand).
    bool discard(const QList<SendRequest> &requests);

    // Sends the calls at `indexes` (all calls when empty) translated with `configuration`, to
    // `target` (a base URL; empty: the built-in endpoint, started if needed). `apiKey`, when not
    // empty, replaces the configuration's apiKey; it is never written anywhere.
    SendReport send(const Workspace &workspace,
                    const QList<int> &indexes,
                    const Configuration &configuration,
                    const QString &target = {},
                    const QByteArray &apiKey = {});
    // Sends stored requests again as they are (their own _t): what pendingFromLastRun() gave, or
    // entries of the history. Requests still pending in the outbox keep their id, and are only sent
    // with the key they were queued with: the others stay in the outbox (a problem in the report).
    SendReport resend(const QList<SendRequest> &requests, const QByteArray &apiKey);

    bool isBusy() const { return !m_sender->isIdle(); }
    bool isPaused() const { return m_sender->isPaused(); }
    SendProgress progress() const { return m_sender->progress(); }

    const QList<SendEntry> &entries() const { return m_entries; }
    int indexOfEntry(const QString &id) const { return m_entryIndex.value(id, -1); }
    // Forgets the entries of finished batches (only when idle).
    void clearEntries();

    const QList<ReceivedEntry> &received() const { return m_received; }
    void clearReceived();

    // Whether `target` is the built-in endpoint or another loopback URL (nothing leaves the machine).
    static bool isLoopbackTarget(const QString &target);
    // An http(s) base URL without query or fragment, trailing '/' removed; empty when unusable.
    static QString normalizedTarget(const QString &target, QString *error = nullptr);

public Q_SLOTS:
    void pause();
    void resume();
    void cancel();

Q_SIGNALS:
    void entriesAboutToBeReset();
    void entriesReset();
    void entriesAdded(int first, int last);
    void entryChanged(int index);
    void progressChanged(const km::SendProgress &progress);
    void pausedChanged(bool paused);
    void finished();
    void receivedAdded(int index);
    void receivedCleared();
    // The outbox or the history could not be written (the send itself went on).
    void storageWarning(const QString &message);

private:
    void init();
    SendReport enqueue(QList<SendEntry> entries, const QByteArray &apiKey);
    void onStateChanged(const QString &id, const SendResult &result);
    void onFinished(const SendRequest &request, const SendResult &result);
    void onReceived(const ReceivedRequest &request);
    ReceivedEntry classify(const ReceivedRequest &request) const;
    qint64 now() const { return m_clock(); }

    NetworkManager *m_network = nullptr;
    TrackingEndpoint *m_endpoint = nullptr;
    Sender *m_sender = nullptr;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<SendHistory> m_history;
    QString m_outboxDirectory;
    QString m_historyDirectory;
    std::function<qint64()> m_clock;
    quint16 m_endpointPort = 0;
    QString m_error;
    QByteArray m_apiKey; // in memory only, for the batch in progress
    bool m_outboxTried = false;
    QList<SendRequest> m_pendingAtOpen;

    QList<SendEntry> m_entries;
    QHash<QString, int> m_entryIndex;     // request id -> entries index
    QHash<QByteArray, int> m_entryByWire; // the raw query (GET) or body (POST) as sent -> entries index
    QList<ReceivedEntry> m_received;
};

} // namespace km
