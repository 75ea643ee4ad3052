#include "outbox.h"

#include "jsonwriter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace km {

namespace {

const QString kJournalName = QStringLiteral("outbox.ndjson");
const QString kLockName = QStringLiteral("outbox.lock");
const QString kSaltName = QStringLiteral("salt");
// 128 bits of HMAC-SHA256 in hex: plenty to tell keys apart, and all that is kept.
constexpr qsizetype kFingerprintHexLength = 32;

bool syncFd(int fd)
{
#ifdef Q_OS_UNIX
    return ::fdatasync(fd) == 0;
#else
    Q_UNUSED(fd);
    return true;
#endif
}

// After a create or a rename, the directory entry itself has to reach the disk.
void syncDirectory(const QString &path)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    Q_UNUSED(path);
#endif
}

QString normalizedTarget(QString target)
{
    while (target.endsWith(QLatin1Char('/')))
        target.chop(1);
    return target;
}

QByteArray addRecord(const SendRequest &request)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key("op");
    writer.value("add");
    writer.key("request");
    request.writeJson(writer);
    writer.endObject();
    writer.buffer() += '\n';
    return QByteArray::fromStdString(writer.buffer());
}

// How far an input is queued; without a progress, that its run got to the end (forget it).
QByteArray sourceRecord(const QString &id, std::optional<SourceProgress> progress)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key("op");
    writer.value("source");
    writer.key("id");
    const QByteArray idText = id.toUtf8();
    writer.value(std::string_view(idText.constData(), std::size_t(idText.size())));
    if (progress) {
        writer.key("queued");
        writer.value(static_cast<double>(progress->queued));
        writer.key("complete");
        writer.value(progress->complete);
    } else {
        writer.key("forget");
        writer.value(true);
    }
    writer.endObject();
    writer.buffer() += '\n';
    return QByteArray::fromStdString(writer.buffer());
}

QByteArray doneRecord(const QString &id, SendResult::State outcome)
{
    JsonWriter writer;
    writer.beginObject();
    writer.key("op");
    writer.value("done");
    writer.key("id");
    const QByteArray idText = id.toUtf8();
    writer.value(std::string_view(idText.constData(), std::size_t(idText.size())));
    writer.key("state");
    const QByteArray state = SendResult::stateName(outcome).toUtf8();
    writer.value(std::string_view(state.constData(), std::size_t(state.size())));
    writer.endObject();
    writer.buffer() += '\n';
    return QByteArray::fromStdString(writer.buffer());
}

} // namespace

Outbox::Outbox(const QString &directory)
    : m_directory(directory)
{ }

Outbox::~Outbox()
{
    close();
}

QString Outbox::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1String("/kmtester/outbox");
}

QString Outbox::journalPath() const
{
    return m_directory + QLatin1Char('/') + kJournalName;
}

bool Outbox::isOpen() const
{
    QMutexLocker locker(&m_mutex);
    return m_file.isOpen();
}

QString Outbox::errorString() const
{
    QMutexLocker locker(&m_mutex);
    return m_error;
}

int Outbox::pendingCount() const
{
    QMutexLocker locker(&m_mutex);
    return int(m_pending.size());
}

bool Outbox::isPending(const QString &id) const
{
    QMutexLocker locker(&m_mutex);
    return m_pending.contains(id);
}

QByteArray Outbox::keyFingerprint(const QByteArray &apiKey) const
{
    QMutexLocker locker(&m_mutex);
    if (apiKey.isEmpty() || m_salt.isEmpty())
        return {};
    return QMessageAuthenticationCode::hash(apiKey, m_salt, QCryptographicHash::Sha256)
            .toHex()
            .left(kFingerprintHexLength);
}

bool Outbox::isQueuedWithKey(const SendRequest &request, const QByteArray &apiKey) const
{
    if (!request.needsApiKey())
        return true;
    // A request stored without a fingerprint (before there were any) has an unknown key: not sent.
    return !request.keyFingerprint.isEmpty() && request.keyFingerprint == keyFingerprint(apiKey);
}

void Outbox::fail(const QString &error)
{
    m_error = error;
}

bool Outbox::open()
{
    QMutexLocker locker(&m_mutex);
    if (m_file.isOpen())
        return true;
    m_error.clear();
    m_warnings.clear();
    m_pending.clear();
    m_sources.clear();
    m_order.clear();
    m_recordBytes.clear();
    m_liveBytes = 0;
    if (!QDir().mkpath(m_directory)) {
        fail(QStringLiteral("cannot create the outbox directory %1").arg(m_directory));
        return false;
    }
    m_lock = std::make_unique<QLockFile>(m_directory + QLatin1Char('/') + kLockName);
    // Never stale by age: only when the process holding it is gone (kill -9 included).
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        fail(QStringLiteral("the outbox %1 is in use by %2 (process %3)")
                     .arg(m_directory, app.isEmpty() ? QStringLiteral("another program") : app)
                     .arg(pid));
        m_lock.reset();
        return false;
    }
    if (!readOrMakeSalt() || !replay() || !openJournalForAppend()) {
        m_lock.reset();
        return false;
    }
    return true;
}

void Outbox::close()
{
    QMutexLocker locker(&m_mutex);
    while (m_syncing > 0)
        m_syncDone.wait(&m_mutex);
    if (m_file.isOpen()) {
        syncLocked();
        m_file.close();
    }
    m_lock.reset();
}

bool Outbox::readOrMakeSalt()
{
    const QString path = m_directory + QLatin1Char('/') + kSaltName;
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly)) {
        m_salt = existing.readAll().trimmed();
        if (!m_salt.isEmpty())
            return true;
    }
    QByteArray salt(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), salt.size() / 4);
    salt = salt.toHex();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        fail(QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
        return false;
    }
    // With the salt, a fingerprint could be checked against guessed keys: readable by the owner only.
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (out.write(salt) != salt.size() || !out.commit()) {
        fail(QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
        return false;
    }
    syncDirectory(m_directory);
    m_salt = salt;
    return true;
}

bool Outbox::replay()
{
    QFile journal(journalPath());
    if (!journal.exists())
        return true;
    if (!journal.open(QIODevice::ReadWrite)) {
        fail(QStringLiteral("cannot read %1: %2").arg(journalPath(), journal.errorString()));
        return false;
    }
    const QByteArray data = journal.readAll();
    qsizetype start = 0;
    int lineNumber = 0;
    while (start < data.size()) {
        ++lineNumber;
        const qsizetype end = data.indexOf('\n', start);
        if (end < 0) {
            // Killed mid-write: the record never finished, so nothing relied on it (an add is
            // synced before its send starts; a lost done only means a second send).
            m_warnings << QStringLiteral("%1: line %2 is incomplete (%3 bytes, the program was stopped while "
                                         "writing it); skipped")
                                  .arg(journalPath())
                                  .arg(lineNumber)
                                  .arg(data.size() - start);
            // Cut it off so that the next record starts on a line of its own.
            if (!journal.resize(start) || !syncFd(journal.handle())) {
                fail(QStringLiteral("cannot repair %1: %2").arg(journalPath(), journal.errorString()));
                return false;
            }
            break;
        }
        const QByteArray line = data.mid(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject record = QJsonDocument::fromJson(line, &error).object();
        const QString op = record.value(QStringLiteral("op")).toString();
        if (error.error != QJsonParseError::NoError || op.isEmpty()) {
            m_warnings << QStringLiteral("%1: line %2 is not an outbox record; skipped")
                                  .arg(journalPath())
                                  .arg(lineNumber);
            continue;
        }
        if (op == QLatin1String("add")) {
            bool ok = false;
            const SendRequest request = SendRequest::fromJson(record.value(QStringLiteral("request")).toObject(), &ok);
            if (!ok) {
                m_warnings << QStringLiteral("%1: line %2 holds a request that cannot be read; skipped")
                                      .arg(journalPath())
                                      .arg(lineNumber);
                continue;
            }
            if (!m_pending.contains(request.id))
                m_order << request.id;
            m_pending.insert(request.id, request);
            m_liveBytes += line.size() + 1 - m_recordBytes.value(request.id);
            m_recordBytes.insert(request.id, line.size() + 1);
        } else if (op == QLatin1String("done")) {
            const QString id = record.value(QStringLiteral("id")).toString();
            m_pending.remove(id);
            m_liveBytes -= m_recordBytes.take(id);
        } else if (op == QLatin1String("source")) {
            const QString id = record.value(QStringLiteral("id")).toString();
            if (record.value(QStringLiteral("forget")).toBool())
                m_sources.remove(id);
            else
                m_sources.insert(id, {qint64(record.value(QStringLiteral("queued")).toDouble()),
                                      record.value(QStringLiteral("complete")).toBool()});
        } else {
            m_warnings << QStringLiteral("%1: line %2 has an unknown record \"%3\"; skipped")
                                  .arg(journalPath())
                                  .arg(lineNumber)
                                  .arg(op);
        }
    }
    return true;
}

bool Outbox::openJournalForAppend()
{
    const bool existed = QFile::exists(journalPath());
    m_file.setFileName(journalPath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        fail(QStringLiteral("cannot write %1: %2").arg(journalPath(), m_file.errorString()));
        return false;
    }
    if (!existed)
        syncDirectory(m_directory);
    m_journalBytes = m_file.size();
    return true;
}

bool Outbox::appendDurably(const QByteArray &bytes, bool fsync)
{
    if (!m_file.isOpen()) {
        fail(QStringLiteral("the outbox is not open"));
        return false;
    }
    const qint64 written = m_file.write(bytes);
    if (written != bytes.size() || !m_file.flush() || (fsync && !syncFd(m_file.handle()))) {
        fail(QStringLiteral("cannot write %1: %2").arg(journalPath(), m_file.errorString()));
        // Take back a partial record, so the journal stays whole lines.
        m_file.resize(m_journalBytes);
        return false;
    }
    m_journalBytes += written;
    if (fsync)
        m_unsynced = false;
    else
        m_unsynced = true;
    return true;
}

QList<SendRequest> Outbox::pending() const
{
    QMutexLocker locker(&m_mutex);
    QList<SendRequest> list;
    list.reserve(m_pending.size());
    for (const QString &id : m_order) {
        const auto it = m_pending.constFind(id);
        if (it != m_pending.cend())
            list << *it;
    }
    return list;
}

QList<SendRequest> Outbox::pending(const QString &target) const
{
    const QString wanted = normalizedTarget(target);
    QMutexLocker locker(&m_mutex);
    QList<SendRequest> list;
    for (const QString &id : m_order) {
        const auto it = m_pending.constFind(id);
        if (it != m_pending.cend() && normalizedTarget(it->target) == wanted)
            list << *it;
    }
    return list;
}

bool Outbox::add(const SendRequest &request)
{
    return add(QList<SendRequest>{request});
}

bool Outbox::add(const QList<SendRequest> &requests)
{
    return add(requests, {}, {});
}

QString Outbox::sourceId(const QString &path,
                         const QString &target,
                         const QString &engine,
                         const QString &settingsSnapshot,
                         const QByteArray &keyFingerprint)
{
    const QFileInfo info(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QByteArray &part :
         {info.canonicalFilePath().toUtf8(), QByteArray::number(info.size()),
          QByteArray::number(info.lastModified().toMSecsSinceEpoch()), normalizedTarget(target).toUtf8(),
          engine.toUtf8(), settingsSnapshot.toUtf8(), keyFingerprint}) {
        hash.addData(part);
        hash.addData(QByteArrayView("\n"));
    }
    return QString::fromLatin1(hash.result().toHex().left(32));
}

std::optional<SourceProgress> Outbox::sourceProgress(const QString &sourceId) const
{
    QMutexLocker locker(&m_mutex);
    const auto it = m_sources.constFind(sourceId);
    if (it == m_sources.cend())
        return std::nullopt;
    return *it;
}

bool Outbox::forgetSource(const QString &sourceId)
{
    QMutexLocker locker(&m_mutex);
    if (!m_sources.remove(sourceId))
        return true;
    // Nothing left to keep: an empty journal says it.
    if (m_pending.isEmpty() && m_sources.isEmpty() && m_syncing == 0)
        return compactLocked();
    return appendDurably(sourceRecord(sourceId, std::nullopt), false);
}

bool Outbox::add(const QList<SendRequest> &requests, const QString &sourceId, SourceProgress progress)
{
    // Formatted before the lock is taken: the thread marking done meanwhile does not wait for it.
    QList<QByteArray> records;
    records.reserve(requests.size());
    for (const SendRequest &r : requests) {
        if (!r.isValid()) {
            QMutexLocker locker(&m_mutex);
            fail(QStringLiteral("a request without an id or target cannot be stored"));
            return false;
        }
        records << addRecord(r);
    }
    QMutexLocker locker(&m_mutex);
    QByteArray bytes;
    QList<QPair<const SendRequest *, qint64>> fresh;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        if (m_pending.contains(requests[i].id))
            continue;
        bytes += records[i];
        fresh.append({&requests[i], records[i].size()});
    }
    if (!sourceId.isEmpty())
        bytes += sourceRecord(sourceId, progress);
    if (bytes.isEmpty())
        return true;
    // One write and one fsync for a whole batch: a 2,000-request file costs one disk flush. The
    // fsync runs without the lock (markDone() may write meanwhile), and no rewrite of the journal
    // may happen until it is done, as the requests are not pending yet.
    if (!appendDurably(bytes, false))
        return false;
    ++m_syncing;
    const int fd = m_file.handle();
    locker.unlock();
    const bool synced = syncFd(fd);
    locker.relock();
    --m_syncing;
    m_syncDone.wakeAll();
    if (!synced) {
        // Written but maybe not on disk: not pending, so the caller must not send them.
        fail(QStringLiteral("cannot sync %1").arg(journalPath()));
        return false;
    }
    if (!sourceId.isEmpty())
        m_sources.insert(sourceId, progress);
    for (const auto &[r, size] : fresh) {
        if (!m_pending.contains(r->id))
            m_order << r->id;
        m_pending.insert(r->id, *r);
        m_liveBytes += size - m_recordBytes.value(r->id);
        m_recordBytes.insert(r->id, size);
    }
    return true;
}

bool Outbox::markDone(const QString &id, SendResult::State outcome)
{
    return markDone(QList<QPair<QString, SendResult::State>>{{id, outcome}});
}

bool Outbox::markDone(const QList<QPair<QString, SendResult::State>> &outcomes)
{
    QMutexLocker locker(&m_mutex);
    QByteArray bytes;
    for (const auto &[id, outcome] : outcomes)
        if (m_pending.contains(id))
            bytes += doneRecord(id, outcome);
    if (bytes.isEmpty())
        return true;
    if (!appendDurably(bytes, false))
        return false;
    for (const auto &[id, outcome] : outcomes) {
        if (m_pending.remove(id))
            m_liveBytes -= m_recordBytes.take(id);
    }
    // Not while an add is syncing: its requests are in the journal but not pending yet.
    if (m_syncing == 0
        && (m_pending.isEmpty() || (m_journalBytes > m_compactionThreshold && m_journalBytes > 2 * m_liveBytes)))
        return compactLocked();
    return true;
}

bool Outbox::sync()
{
    QMutexLocker locker(&m_mutex);
    return syncLocked();
}

bool Outbox::syncLocked()
{
    if (!m_file.isOpen() || !m_unsynced)
        return true;
    if (!syncFd(m_file.handle())) {
        fail(QStringLiteral("cannot sync %1").arg(journalPath()));
        return false;
    }
    m_unsynced = false;
    return true;
}

bool Outbox::compact()
{
    QMutexLocker locker(&m_mutex);
    while (m_syncing > 0)
        m_syncDone.wait(&m_mutex);
    return compactLocked();
}

bool Outbox::compactLocked()
{
    if (!m_file.isOpen()) {
        fail(QStringLiteral("the outbox is not open"));
        return false;
    }
    QSaveFile out(journalPath());
    if (!out.open(QIODevice::WriteOnly)) {
        fail(QStringLiteral("cannot compact %1: %2").arg(journalPath(), out.errorString()));
        return false;
    }
    QList<QString> order;
    order.reserve(m_pending.size());
    for (const QString &id : std::as_const(m_order)) {
        const auto it = m_pending.constFind(id);
        if (it == m_pending.cend())
            continue;
        order << id;
        out.write(addRecord(*it));
    }
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it)
        out.write(sourceRecord(it.key(), it.value()));
    // commit() fsyncs the new file before renaming it over the old one.
    if (!out.commit()) {
        fail(QStringLiteral("cannot compact %1: %2").arg(journalPath(), out.errorString()));
        return false;
    }
    syncDirectory(m_directory);
    m_order = order;
    m_file.close();
    m_unsynced = false;
    return openJournalForAppend();
}

qint64 Outbox::journalSize() const
{
    QMutexLocker locker(&m_mutex);
    return m_file.isOpen() ? m_journalBytes : QFileInfo(journalPath()).size();
}

} // namespace km
