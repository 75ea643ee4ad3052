#pragma once

#include "sendhistory.h"

#include <QList>
#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace km {

// Writes `kmtester-cli send`'s history entries on a thread of its own, in batches: formatting an
// entry, the write and the occasional trim (a rewrite of the whole file) then cost the sending
// thread nothing. The history is a record, not the outbox: an entry still queued when the process
// is killed is lost, a request never is.
class HistoryWriter
{
public:
    // `history` is not owned and must outlive the writer.
    explicit HistoryWriter(SendHistory *history);
    ~HistoryWriter();
    HistoryWriter(const HistoryWriter &) = delete;
    HistoryWriter &operator=(const HistoryWriter &) = delete;

    // Hands entries over (one wake-up of the thread for many: the caller batches them).
    void add(QList<HistoryEntry> entries);
    // Writes what is queued and stops the thread.
    void finish();
    // The first error, if any (after finish()).
    QString errorString() const { return m_error; }

private:
    void run();

    SendHistory *m_history;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    QList<HistoryEntry> m_queue;
    bool m_finishing = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace km
