#pragma once

#include "sendrequest.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QWaitCondition>

#include <memory>
#include <optional>

class QLockFile;

namespace km {

// Requests to send, kept on disk so that quitting, a crash or kill -9 in the middle of a batch
// loses none of them. A directory holds an append-only journal (one JSON line per record):
//
//   {"op":"add","request":{...}}      written and fsync'd before the request may be sent
//   {"op":"done","id":"...","state":"sent"}   after its final response (sent or failed for good)
//   {"op":"source","id":"...","queued":N,"complete":false}   how far an input file has been queued
//   {"op":"source","id":"...","forget":true}   its run got to the end
//
// Opening replays the journal: a request without a done record is pending, to be offered for
// sending again, with the same wire (its own `_t`) so a resend is the same event. A torn last line
// (killed mid-write) is dropped with a warning; nothing before it is lost. Done records are only
// flushed, not fsync'd one by one: if the machine (not the process) dies, a request may be sent
// twice, never lost. When nothing is pending, or the journal passes compactionThreshold() and is
// more than half done records and their requests, it is rewritten with the pending requests
// alone (new file, fsync, rename): a journal at least doubles between two rewrites, so the cost
// per request stays constant however big the batch.
//
// A lock file keeps two processes (the app and the CLI) from using one outbox together; within a
// process, a mutex lets one thread add (the CLI translates and stores on a worker) while another
// marks done. Requests never hold the API key (see SendRequest), so neither does any file here:
// each holds a fingerprint of its key instead, an HMAC-SHA256 of the key under a random salt kept
// in the directory (`salt`, 0600), so that a resume sends a request only with the key it was
// queued with, and the key cannot be recovered from the files.
// How much of an input (a file a send reads, see sourceId()) is in the outbox: its first `queued`
// messages, or all of it.
struct SourceProgress
{
    qint64 queued = 0;
    bool complete = false;
};

class Outbox
{
public:
    static constexpr qint64 DefaultCompactionThreshold = 8 * 1024 * 1024;

    explicit Outbox(const QString &directory);
    ~Outbox();
    Outbox(const Outbox &) = delete;
    Outbox &operator=(const Outbox &) = delete;

    // <generic data location>/kmtester/outbox (~/.local/share/kmtester/outbox): one place
    // for the app and the CLI, so either offers what the other left unsent.
    static QString defaultDirectory();

    // Creates the directory if needed, takes the lock and replays the journal.
    bool open();
    // Syncs and releases the lock (the destructor does it too).
    void close();
    bool isOpen() const;

    QString directory() const { return m_directory; }
    QString journalPath() const;
    QString errorString() const;
    // What the last open() had to skip (a torn last line, a line that is not a record).
    QStringList warnings() const { return m_warnings; }

    // Pending requests in the order they were added; with a target, only those for it
    // (trailing slashes ignored).
    QList<SendRequest> pending() const;
    QList<SendRequest> pending(const QString &target) const;
    int pendingCount() const;
    bool isPending(const QString &id) const;

    // The fingerprint to store with a request sent with `apiKey` (empty for an empty key); the
    // outbox must be open (the salt is read or made by open()).
    QByteArray keyFingerprint(const QByteArray &apiKey) const;
    // Whether `request` may be sent with `apiKey`: it needs no key, or was queued with this one.
    bool isQueuedWithKey(const SendRequest &request, const QByteArray &apiKey) const;

    // Durable on return (written, flushed and fsync'd): only then may the requests be sent.
    // Ids already pending are not written twice. On failure nothing is added.
    bool add(const SendRequest &request);
    bool add(const QList<SendRequest> &requests);
    // The same, and in the same write, how far the input `sourceId` has now been queued.
    bool add(const QList<SendRequest> &requests, const QString &sourceId, SourceProgress progress);

    // An input file's identity for add(): the file (path, size, modification time) and what its
    // requests are made with. A run interrupted while queuing a file leaves its progress here, so
    // the same command goes on after the messages already queued instead of queuing them twice.
    static QString sourceId(const QString &path,
                            const QString &target,
                            const QString &engine,
                            const QString &settingsSnapshot,
                            const QByteArray &keyFingerprint);
    // The last progress recorded for an input, until forgetSource(): a run that stopped before
    // its end (killed, interrupted) leaves it behind, complete or not.
    std::optional<SourceProgress> sourceProgress(const QString &sourceId) const;
    // At the end of a run that got through its input: the next run of it is a new send.
    bool forgetSource(const QString &sourceId);
    // After the final response. Cancelled also counts as done (the user dropped the request).
    bool markDone(const QString &id, SendResult::State outcome);
    // Several at once, in one write.
    bool markDone(const QList<QPair<QString, SendResult::State>> &outcomes);
    // Makes the done records written so far durable too.
    bool sync();
    // Rewrites the journal with the pending requests alone, atomically.
    bool compact();

    qint64 journalSize() const;
    qint64 compactionThreshold() const { return m_compactionThreshold; }
    void setCompactionThreshold(qint64 bytes) { m_compactionThreshold = bytes; }

private:
    bool replay();
    bool readOrMakeSalt();
    bool openJournalForAppend();
    bool appendDurably(const QByteArray &bytes, bool fsync);
    bool syncLocked();
    bool compactLocked();
    void fail(const QString &error);

    mutable QMutex m_mutex;
    QString m_directory;
    QFile m_file;
    qint64 m_journalBytes = 0; // the journal's size, kept here: no fstat per record
    int m_syncing = 0;         // add()s written and fsyncing without the lock: no rewrite meanwhile
    QWaitCondition m_syncDone;
    QByteArray m_salt;
    std::unique_ptr<QLockFile> m_lock;
    QString m_error;
    QStringList m_warnings;
    QHash<QString, SendRequest> m_pending;
    QHash<QString, SourceProgress> m_sources; // inputs of runs that have not got to their end
    QList<QString> m_order;                   // add order; ids no longer pending are skipped, dropped on compaction
    QHash<QString, qint64> m_recordBytes;     // the size of each pending request's add record
    qint64 m_liveBytes = 0;                   // their sum: what a compacted journal would hold
    qint64 m_compactionThreshold = DefaultCompactionThreshold;
    bool m_unsynced = false;
};

} // namespace km
