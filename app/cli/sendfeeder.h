#pragma once

#include "engine.h"
#include "outbox.h"
#include "sendrequest.h"
#include "settings.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

class QObject;

namespace km {

// Reads and translates `kmtester-cli send`'s input on a thread of its own and stores the requests
// in the outbox chunk by chunk (one write and one fsync a chunk), handing each chunk over only
// once it is on disk. So the first requests leave within milliseconds, the sending thread spends
// no time translating or waiting for the disk, and the promise holds: a request is durable before
// it is sent. Chunks start small (the first request soon) and grow (few fsyncs).
//
// The callbacks run on `context`'s thread, in order: message() for a line to show on standard
// error (a message that cannot be read, with its place; one that is rejected), chunk() for
// requests now durable, finished() once at the end.
class SendFeeder
{
public:
    struct Job
    {
        std::unique_ptr<QFile> input; // open for reading
        EngineId engine = EngineId::SegmentCloud;
        Settings settings;
        Environment environment;
        TranslateOptions options;
        QString target;
        QString settingsSnapshot;
        QByteArray keyFingerprint; // stored with each request that carries the key
        qint64 createdAt = 0;
        // A file's Outbox::sourceId (empty for standard input): each chunk records how far the
        // input is queued, so an interrupted run can be continued.
        QString sourceId;
        qint64 skipMessages = 0; // already queued by an earlier run of the same command
    };
    struct Callbacks
    {
        std::function<void(const QByteArray &line)> message;
        std::function<void(const QList<SendRequest> &requests)> chunk;
        std::function<void()> finished;
    };

    static constexpr int FirstChunkMessages = 16;
    static constexpr int MaxChunkMessages = 512;

    // `outbox` must stay open until the feeder is stopped or destroyed.
    SendFeeder(Outbox *outbox, Job job);
    ~SendFeeder();
    SendFeeder(const SendFeeder &) = delete;
    SendFeeder &operator=(const SendFeeder &) = delete;

    void start(QObject *context, Callbacks callbacks);
    // Stops reading at the next message and waits for the thread.
    void stop();

    // Valid after finished().
    int unreadable() const { return m_unreadable; }
    int rejected() const { return m_rejected; }
    // Set when the outbox could not be written: what was not stored was not handed over.
    QString storageError() const { return m_storageError; }

private:
    void run();
    bool store(QList<SendRequest> &chunk, SourceProgress progress);
    void post(std::function<void()> fn);

    Outbox *m_outbox;
    Job m_job;
    QObject *m_context = nullptr;
    Callbacks m_callbacks;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    int m_unreadable = 0;
    int m_rejected = 0;
    QString m_storageError;
};

} // namespace km
