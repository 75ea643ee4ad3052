#include "sendfeeder.h"

#include "messagestream.h"
#include "outbox.h"
#include "sendcontroller.h"
#include "streamtranslator.h"
#include "threadpriority.h"

#include <QMetaObject>
#include <QObject>

#include <algorithm>

namespace km {

SendFeeder::SendFeeder(Outbox *outbox, Job job)
    : m_outbox(outbox)
    , m_job(std::move(job))
{ }

SendFeeder::~SendFeeder()
{
    stop();
}

void SendFeeder::start(QObject *context, Callbacks callbacks)
{
    m_context = context;
    m_callbacks = std::move(callbacks);
    m_thread = std::thread([this] { run(); });
}

void SendFeeder::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void SendFeeder::post(std::function<void()> fn)
{
    // Queued calls to one receiver from one thread arrive in the order they were made.
    QMetaObject::invokeMethod(m_context, std::move(fn), Qt::QueuedConnection);
}

bool SendFeeder::store(QList<SendRequest> &chunk, SourceProgress progress)
{
    if (chunk.isEmpty() && m_job.sourceId.isEmpty())
        return true;
    for (SendRequest &request : chunk)
        if (request.needsApiKey())
            request.keyFingerprint = m_job.keyFingerprint;
    // Durable before it is handed over: a crash from here on loses none of these, and the next
    // run of the same command goes on after them.
    if (!m_outbox->add(chunk, m_job.sourceId, progress)) {
        m_storageError = m_outbox->errorString();
        return false;
    }
    if (!chunk.isEmpty())
        post([this, requests = chunk] { m_callbacks.chunk(requests); });
    chunk.clear();
    return true;
}

void SendFeeder::run()
{
    lowerThreadPriority();
    MessageStream stream(m_job.input.get());
    StreamTranslator translator(stream, m_job.engine, m_job.settings, m_job.environment, m_job.options);
    Arena arena;
    InputMessage message;
    Translation translation;
    QList<SendRequest> chunk;
    int chunkLimit = FirstChunkMessages;
    int inChunk = 0;
    bool storing = true;
    qint64 consumed = 0; // messages read so far, the ones an earlier run queued included
    for (;;) {
        // What an earlier run queued is read again, not translated again.
        const bool skipping = consumed < m_job.skipMessages;
        if (m_stop || !(skipping ? translator.skip(message, arena) : translator.next(message, translation, arena)))
            break;
        consumed = qint64(message.index) + 1;
        if (skipping) {
            arena.reset();
            continue;
        }
        if (!message.isValid()) {
            ++m_unreadable;
            const QByteArray line = "kmtester-cli send: message " + QByteArray::number(qulonglong(message.index)) + ": "
                                    + QByteArray::fromStdString(message.error) + " (skipped)";
            post([this, line] { m_callbacks.message(line); });
            arena.reset();
            continue;
        }
        if (translation.isRejected()) {
            ++m_rejected;
            const QByteArray line = "kmtester-cli send: message " + QByteArray::number(qulonglong(message.index))
                                    + " is rejected by " + engineName(m_job.engine) + " ("
                                    + QByteArray::fromStdString(translation.error) + "): nothing to send for it";
            post([this, line] { m_callbacks.message(line); });
        }
        appendSendRequests(chunk, translation, message.warnings, m_job.target, m_job.settings.apiKey(),
                           m_job.settingsSnapshot, m_job.createdAt);
        arena.reset();
        if (++inChunk >= chunkLimit) {
            if (!(storing = store(chunk, {consumed, false})))
                break;
            inChunk = 0;
            chunkLimit = std::min(chunkLimit * 4, MaxChunkMessages);
        }
    }
    if (storing)
        store(chunk, {std::max(consumed, m_job.skipMessages), !m_stop});
    post([this] { m_callbacks.finished(); });
}

} // namespace km
