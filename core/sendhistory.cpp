#include "sendhistory.h"

#include "jsonwriter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimeZone>
#include <QUrl>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace km {

namespace {

const QString kFileName = QStringLiteral("history.ndjson");
const QString kLockName = QStringLiteral("history.lock");

QByteArray entryLine(const HistoryEntry &entry)
{
    JsonWriter writer;
    entry.writeJson(writer);
    writer.buffer() += '\n';
    return QByteArray::fromStdString(writer.buffer());
}

QString decodedWire(const QByteArray &wire)
{
    QByteArray spaced = wire;
    spaced.replace('+', ' ');
    QString text = QUrl::fromPercentEncoding(spaced);
    text.replace(QLatin1Char('&'), QLatin1Char(' '));
    return text;
}

QByteArray shellQuote(const QByteArray &text)
{
    QByteArray out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + '\'';
}

} // namespace

// Held while the file is written: flock() on Unix (one call each way, cheap enough for every
// append; released by the kernel if the process dies), a QLockFile elsewhere.
class SendHistory::Lock
{
public:
    explicit Lock(SendHistory *history)
    {
        if (!QDir().mkpath(history->m_directory)) {
            history->m_error = QStringLiteral("cannot create %1").arg(history->m_directory);
            return;
        }
        const QString path = history->m_directory + QLatin1Char('/') + kLockName;
#ifdef Q_OS_UNIX
        if (history->m_lockFd < 0)
            history->m_lockFd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        int rc = -1;
        if (history->m_lockFd >= 0) {
            do
                rc = ::flock(history->m_lockFd, LOCK_EX);
            while (rc != 0 && errno == EINTR);
        }
        if (rc == 0)
            m_fd = history->m_lockFd;
        else
            history->m_error =
                    QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(::strerror(errno)));
#else
        m_lockFile = std::make_unique<QLockFile>(path);
        if (!m_lockFile->lock()) {
            history->m_error = QStringLiteral("cannot lock %1").arg(path);
            m_lockFile.reset();
        }
#endif
    }
    ~Lock()
    {
#ifdef Q_OS_UNIX
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_UN);
#endif
    }
    Lock(const Lock &) = delete;
    Lock &operator=(const Lock &) = delete;

    bool isLocked() const
    {
#ifdef Q_OS_UNIX
        return m_fd >= 0;
#else
        return m_lockFile != nullptr;
#endif
    }

private:
#ifdef Q_OS_UNIX
    int m_fd = -1;
#else
    std::unique_ptr<QLockFile> m_lockFile;
#endif
};

void HistoryEntry::writeJson(JsonWriter &w) const
{
    w.beginObject();
    w.key("id");
    const QByteArray id = request.id.toUtf8();
    w.value(std::string_view(id.constData(), std::size_t(id.size())));
    w.key("finishedAt");
    w.value(finishedAt);
    w.key("request");
    request.writeJson(w);
    w.key("response");
    result.writeJson(w);
    w.endObject();
}

QJsonObject HistoryEntry::toJson() const
{
    return QJsonDocument::fromJson(entryLine(*this)).object();
}

HistoryEntry HistoryEntry::fromJson(const QJsonObject &o, bool *ok)
{
    HistoryEntry e;
    bool requestOk = false;
    e.request = SendRequest::fromJson(o.value(QStringLiteral("request")).toObject(), &requestOk);
    e.result = SendResult::fromJson(o.value(QStringLiteral("response")).toObject());
    e.result.warnings = e.request.warnings;
    e.finishedAt = qint64(o.value(QStringLiteral("finishedAt")).toDouble());
    if (ok)
        *ok = requestOk;
    return e;
}

SendHistory::SendHistory(const QString &directory, qint64 capBytes)
    : m_directory(directory)
    , m_cap(capBytes)
{ }

QString SendHistory::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1String("/kmtester/history");
}

QString SendHistory::filePath() const
{
    return m_directory + QLatin1Char('/') + kFileName;
}

bool SendHistory::append(const SendRequest &request, const SendResult &result, qint64 finishedAt)
{
    return append(HistoryEntry{request, result, finishedAt});
}

SendHistory::~SendHistory()
{
#ifdef Q_OS_UNIX
    if (m_lockFd >= 0)
        ::close(m_lockFd);
#endif
}

QFile *SendHistory::appendFile(qint64 *size)
{
#ifdef Q_OS_UNIX
    if (m_file) {
        // Still the file at our path? Another process may have trimmed (replaced) or cleared it.
        struct stat atPath, opened;
        if (::stat(QFile::encodeName(filePath()).constData(), &atPath) == 0 && ::fstat(m_file->handle(), &opened) == 0
            && atPath.st_ino == opened.st_ino && atPath.st_dev == opened.st_dev) {
            *size = opened.st_size;
            return m_file.get();
        }
        m_file.reset();
    }
#else
    m_file.reset();
#endif
    if (!QDir().mkpath(m_directory)) {
        m_error = QStringLiteral("cannot create %1").arg(m_directory);
        return nullptr;
    }
    auto file = std::make_unique<QFile>(filePath());
    if (!file->open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(filePath(), file->errorString());
        return nullptr;
    }
    *size = file->size();
    m_file = std::move(file);
    return m_file.get();
}

bool SendHistory::append(const HistoryEntry &entry)
{
    return append(QList<HistoryEntry>{entry});
}

bool SendHistory::append(const QList<HistoryEntry> &entries)
{
    if (entries.isEmpty())
        return true;
    QByteArray line;
    for (const HistoryEntry &entry : entries)
        line += entryLine(entry);
    const Lock lock(this);
    if (!lock.isLocked())
        return false;
    qint64 size = 0;
    QFile *file = appendFile(&size);
    if (!file)
        return false;
    if (file->write(line) != line.size() || !file->flush()) {
        m_error = QStringLiteral("cannot write %1: %2").arg(filePath(), file->errorString());
        m_file.reset();
        return false;
    }
    if (size + line.size() <= m_cap + m_trimSlack)
        return true;
    m_file.reset();
    return trim();
}

bool SendHistory::trimToCap()
{
    const Lock lock(this);
    if (!lock.isLocked())
        return false;
    if (fileSize() <= m_cap)
        return true;
    m_file.reset();
    return trim();
}

bool SendHistory::trim()
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(filePath(), file.errorString());
        return false;
    }
    // Keep the newest whole lines that fit in three quarters of the cap: only that much of the end
    // is read (and one byte before it), and kept from the first line that starts in it.
    const qint64 budget = m_cap / 4 * 3;
    const qint64 size = file.size();
    const qint64 from = qMax<qint64>(0, size - budget - 1);
    if (!file.seek(from)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(filePath(), file.errorString());
        return false;
    }
    const QByteArray data = file.readAll();
    file.close();
    qsizetype keepFrom = 0;
    if (size > budget) {
        const qsizetype newline = data.indexOf('\n');
        keepFrom = newline < 0 ? data.size() : newline + 1;
    }
    QSaveFile out(filePath());
    if (!out.open(QIODevice::WriteOnly) || out.write(data.constData() + keepFrom, data.size() - keepFrom) < 0
        || !out.commit()) {
        m_error = QStringLiteral("cannot trim %1: %2").arg(filePath(), out.errorString());
        return false;
    }
    return true;
}

bool SendHistory::clear()
{
    const Lock lock(this);
    if (!lock.isLocked())
        return false;
    m_file.reset();
    if (QFile::exists(filePath()) && !QFile::remove(filePath())) {
        m_error = QStringLiteral("cannot remove %1").arg(filePath());
        return false;
    }
    return true;
}

template<typename Fn>
void SendHistory::forEachLine(Fn fn) const
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray data = file.readAll();
    qsizetype start = 0;
    while (start < data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            break; // a line still being written (or torn): not an entry yet
        const QByteArray line = data.mid(start, end - start);
        start = end + 1;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError)
            continue;
        bool ok = false;
        const HistoryEntry entry = HistoryEntry::fromJson(doc.object(), &ok);
        if (ok)
            fn(entry, line);
    }
}

QList<HistoryEntry> SendHistory::entries() const
{
    QList<HistoryEntry> list;
    forEachLine([&](const HistoryEntry &e, const QByteArray &) { list << e; });
    return list;
}

QList<HistoryEntry> SendHistory::search(const QString &text) const
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QList<HistoryEntry> list;
    forEachLine([&](const HistoryEntry &e, const QByteArray &line) {
        const QString haystack = QString::fromUtf8(line) + QLatin1Char(' ') + decodedWire(e.request.wire)
                                 + QLatin1Char(' ') + SendResult::stateName(e.result.state) + QLatin1Char(' ')
                                 + e.request.displayUrl();
        for (const QString &w : words)
            if (!haystack.contains(w, Qt::CaseInsensitive))
                return;
        list << e;
    });
    return list;
}

std::optional<HistoryEntry> SendHistory::entry(const QString &id) const
{
    std::optional<HistoryEntry> found;
    forEachLine([&](const HistoryEntry &e, const QByteArray &) {
        if (e.request.id == id)
            found = e;
    });
    return found;
}

qint64 SendHistory::fileSize() const
{
    return QFileInfo(filePath()).size();
}

QByteArray SendHistory::toNdjson(const QList<HistoryEntry> &entries)
{
    QByteArray out;
    for (const HistoryEntry &e : entries)
        out += entryLine(e);
    return out;
}

QByteArray
SendHistory::toCurlScript(const QList<HistoryEntry> &entries, KeyVisibility visibility, const QByteArray &apiKey)
{
    const bool showKey = visibility == KeyVisibility::Shown && !apiKey.isEmpty();
    QByteArray out = "#!/bin/sh\n# kmtester send history: " + QByteArray::number(entries.size()) + " request(s).\n";
    if (!showKey)
        out += "# The API key is written as <API_KEY>: put yours in its place before running.\n";
    for (const HistoryEntry &e : entries) {
        const SendRequest &r = e.request;
        out += "\n# "
               + QDateTime::fromMSecsSinceEpoch(e.finishedAt, QTimeZone::utc()).toString(Qt::ISODateWithMs).toUtf8()
               + ' ' + SendResult::stateName(e.result.state).toUtf8();
        if (e.result.httpStatus)
            out += " HTTP " + QByteArray::number(e.result.httpStatus);
        out += ", " + r.engine.toUtf8() + ", id " + r.id.toUtf8() + '\n';
        for (const QString &w : r.warnings)
            out += "#   warning: " + w.toUtf8().replace('\n', ' ') + '\n';
        const QByteArray wire = showKey ? r.wireWithKey(apiKey) : r.wire;
        QByteArray base = r.target.toUtf8();
        while (base.endsWith('/'))
            base.chop(1);
        const QByteArray url = base + '/' + endpointName(r.endpoint);
        if (r.method == HttpMethod::Get)
            out += "curl " + shellQuote(url + '?' + wire) + '\n';
        else
            out += "curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data " + shellQuote(wire) + ' '
                   + shellQuote(url) + '\n';
    }
    return out;
}

bool SendHistory::exportToFile(const QString &path,
                               const QList<HistoryEntry> &entries,
                               ExportFormat format,
                               KeyVisibility visibility,
                               const QByteArray &apiKey,
                               QString *error)
{
    const bool holdsKey = format == ExportFormat::CurlScript && visibility == KeyVisibility::Shown && !apiKey.isEmpty();
    const QByteArray bytes =
            format == ExportFormat::Ndjson ? toNdjson(entries) : toCurlScript(entries, visibility, apiKey);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    // Before the first byte: a key must never sit in a file others can read, even briefly.
    QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (format == ExportFormat::CurlScript)
        permissions |= QFileDevice::ExeOwner;
    if (!holdsKey)
        permissions |= QFileDevice::ReadGroup | QFileDevice::ReadOther;
    out.setPermissions(permissions);
    if (out.write(bytes) != bytes.size() || !out.commit()) {
        if (error)
            *error = out.errorString();
        return false;
    }
    return true;
}

} // namespace km
