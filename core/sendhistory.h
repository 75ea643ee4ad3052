#pragma once

#include "outputformat.h"
#include "sendrequest.h"

#include <QFile>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace km {

// One finished send: the request as stored (key redacted), its final result (status, headers,
// body size, latency, attempts) and when it ended.
struct HistoryEntry
{
    SendRequest request;
    SendResult result;
    qint64 finishedAt = 0; // ms since the epoch

    QString id() const { return request.id; }
    void writeJson(JsonWriter &writer) const;
    QJsonObject toJson() const;
    static HistoryEntry fromJson(const QJsonObject &object, bool *ok = nullptr);
};

// Every finished send, as NDJSON (one entry a line, oldest first) in a data directory, with a
// size cap: past it, the oldest entries are dropped (down to three quarters of the cap, so the
// file is not rewritten on every send). The file stays open for appending but is reopened when
// another process (the app, the CLI) has replaced it by trimming; queries read it afresh, so both
// can share it. Appends, trims and clears hold an exclusive lock on `history.lock` beside it, so
// that a process trimming (rewriting) the file cannot drop a line another one is appending.
class SendHistory
{
public:
    static constexpr qint64 DefaultCapBytes = 10 * 1024 * 1024;

    enum class ExportFormat { Ndjson, CurlScript };

    explicit SendHistory(const QString &directory, qint64 capBytes = DefaultCapBytes);
    ~SendHistory();
    SendHistory(const SendHistory &) = delete;
    SendHistory &operator=(const SendHistory &) = delete;

    // <generic data location>/kmtester/history, beside Outbox::defaultDirectory().
    static QString defaultDirectory();

    QString directory() const { return m_directory; }
    QString filePath() const;
    qint64 cap() const { return m_cap; }
    void setCap(qint64 bytes) { m_cap = bytes; }
    // How far past the cap the file may grow before an append trims it (default 0). A writer that
    // appends in bulk (the CLI) lets it grow further, so that it rewrites the file less often, and
    // calls trimToCap() when it is done.
    qint64 trimSlack() const { return m_trimSlack; }
    void setTrimSlack(qint64 bytes) { m_trimSlack = bytes; }
    // Trims now if the file is over the cap.
    bool trimToCap();
    QString errorString() const { return m_error; }

    bool append(const SendRequest &request, const SendResult &result, qint64 finishedAt);
    bool append(const HistoryEntry &entry);
    // Several in one write (and one lock).
    bool append(const QList<HistoryEntry> &entries);
    bool clear();

    QList<HistoryEntry> entries() const;
    // Entries holding every word of `text` (case-insensitive) in any field, the decoded query
    // included ("Signed Up" finds "Signed%20Up"); an empty text gives all.
    QList<HistoryEntry> search(const QString &text) const;
    // The newest entry with this request id: for "send again" and "open as new call".
    std::optional<HistoryEntry> entry(const QString &id) const;
    qint64 fileSize() const;

    static QByteArray toNdjson(const QList<HistoryEntry> &entries);
    // A sh script of curl commands, `<API_KEY>` in place of the key unless it is asked for.
    static QByteArray toCurlScript(const QList<HistoryEntry> &entries,
                                   KeyVisibility visibility = KeyVisibility::Redacted,
                                   const QByteArray &apiKey = {});
    // Writes an export atomically; a file holding the key is readable by its owner alone.
    static bool exportToFile(const QString &path,
                             const QList<HistoryEntry> &entries,
                             ExportFormat format,
                             KeyVisibility visibility = KeyVisibility::Redacted,
                             const QByteArray &apiKey = {},
                             QString *error = nullptr);

private:
    class Lock;
    bool trim();
    // The open file, or nullptr; reopened when the path no longer names it. Gives its size.
    QFile *appendFile(qint64 *size);
    template<typename Fn>
    void forEachLine(Fn fn) const;

    QString m_directory;
    qint64 m_cap;
    qint64 m_trimSlack = 0;
    std::unique_ptr<QFile> m_file;
    int m_lockFd = -1; // history.lock, kept open
    mutable QString m_error;
};

} // namespace km
