#pragma once

#include "sendrequest.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class QLockFile;

namespace km {

// Requests to send, kept on disk so that quitting, a crash or kill -9 in the middle of a batch
// loses none of them. A directory holds an append-only journal (one JSON line per record):
//
//   {"op":"add","request":{...}}      written and fsync'd before the request may be sent
//   {"op":"done","id":"...","state":"sent"}   after its final response (sent or failed for good)
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
// A lock file keeps two processes (the app and the CLI) from using one outbox together.
// Requests never hold the API key (see SendRequest), so neither does any file here.
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
    bool isOpen() const { return m_file.isOpen(); }

    QString directory() const { return m_directory; }
    QString journalPath() const;
    QString errorString() const { return m_error; }
    // What the last open() had to skip (a torn last line, a line that is not a record).
    QStringList warnings() const { return m_warnings; }

    // Pending requests in the order they were added; with a target, only those for it
    // (trailing slashes ignored).
    QList<SendRequest> pending() const;
    QList<SendRequest> pending(const QString &target) const;
    int pendingCount() const { return int(m_pending.size()); }
    bool isPending(const QString &id) const { return m_pending.contains(id); }

    // Durable on return (written, flushed and fsync'd): only then may the requests be sent.
    // Ids already pending are not written twice. On failure nothing is added.
    bool add(const SendRequest &request);
    bool add(const QList<SendRequest> &requests);
    // After the final response. Cancelled also counts as done (the user dropped the request).
    bool markDone(const QString &id, SendResult::State outcome);
    // Makes the done records written so far durable too.
    bool sync();
    // Rewrites the journal with the pending requests alone, atomically.
    bool compact();

    qint64 journalSize() const;
    qint64 compactionThreshold() const { return m_compactionThreshold; }
    void setCompactionThreshold(qint64 bytes) { m_compactionThreshold = bytes; }

private:
    bool replay();
    bool openJournalForAppend();
    bool appendDurably(const QByteArray &bytes, bool fsync);
    void fail(const QString &error);

    QString m_directory;
    QFile m_file;
    std::unique_ptr<QLockFile> m_lock;
    QString m_error;
    QStringList m_warnings;
    QHash<QString, SendRequest> m_pending;
    QList<QString> m_order; // add order; ids no longer pending are skipped, dropped on compaction
    QHash<QString, qint64> m_recordBytes; // the size of each pending request's add record
    qint64 m_liveBytes = 0; // their sum: what a compacted journal would hold
    qint64 m_compactionThreshold = DefaultCompactionThreshold;
    bool m_unsynced = false;
};

} // namespace km
