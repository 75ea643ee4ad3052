#include "historywriter.h"

#include "threadpriority.h"

namespace km {

HistoryWriter::HistoryWriter(SendHistory *history)
    : m_history(history)
{
    // A run may append thousands of entries: the file is rewritten (trimmed) when it grows a
    // cap's worth past the cap, rather than every quarter of the cap. It may end a run over the
    // cap (by less than the slack); the next append without slack (the app's) trims it, and no
    // rewrite holds up the end of this run.
    m_history->setTrimSlack(m_history->cap());
    m_thread = std::thread([this] { run(); });
}

HistoryWriter::~HistoryWriter()
{
    finish();
}

void HistoryWriter::add(QList<HistoryEntry> entries)
{
    if (entries.isEmpty())
        return;
    bool wasEmpty = false;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        wasEmpty = m_queue.isEmpty();
        if (wasEmpty)
            m_queue.swap(entries);
        else
            m_queue.append(std::move(entries));
    }
    if (wasEmpty)
        m_wake.notify_one();
}

void HistoryWriter::finish()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void HistoryWriter::run()
{
    lowerThreadPriority();
    QList<HistoryEntry> batch;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [this] { return m_finishing || !m_queue.isEmpty(); });
            if (m_queue.isEmpty())
                break; // finishing, and everything written
            batch.swap(m_queue);
        }
        if (!m_history->append(batch) && m_error.isEmpty())
            m_error = m_history->errorString();
        batch.clear();
    }
}

} // namespace km
