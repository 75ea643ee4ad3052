#pragma once

#include "configuration.h"
#include "harcapture.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// One Segment call as the user edits it: the JSON text, which may be invalid while typing.
struct Call
{
    QUuid id; // stable across edits and moves, so views can follow a call
    std::string json;
};

// What importCalls() makes of dropped or pasted data.
struct ImportResult
{
    std::vector<std::string> calls; // each valid message, pretty-printed
    QStringList errors;             // one per broken item: "line 2, column 5: ..."
    // For a HAR capture: what it holds besides the calls (its setup, its Kissmetrics requests).
    std::shared_ptr<const HarCapture> capture;
};

// Accepts one message, a JSON array of messages, a batch body {"batch": [...]}, NDJSON or a HAR
// capture (its Segment calls; see HarCapture). A
// broken item does not stop the others, so the app can add what is good and say what is not.
// A workspace file (.kmtest.json) gives its calls, as they would be loaded.
ImportResult importCalls(const QByteArray &data);

// The document the window edits: an ordered list of calls, the configuration they are translated
// with, an optional pinned configuration to compare with, and where it is saved.
//
// Every change is announced after it happened; changes to the call list are also announced
// before (the "AboutTo" signals), so an item model can wrap the list. Indexes are checked: an
// out-of-range index is a programming error (asserted) and does nothing in release builds.
//
// File format (.kmtest.json), written and read member order intact:
//   {"format": "kmtester-workspace", "version": 1,
//    "configuration": {"engine": ..., "settings": {...}, "environment": {...}},
//    "comparison": null | {same shape},
//    "calls": [<each call as its JSON value, or {"$invalidJson": "<text>"} for text that does not
//               parse (or would not come back the same, see save())>]}
class Workspace : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *FileFormat = "kmtester-workspace";
    static constexpr int FileVersion = 1;
    static constexpr const char *FileSuffix = ".kmtest.json";

    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    const std::vector<Call> &calls() const { return m_calls; }
    int callCount() const { return static_cast<int>(m_calls.size()); }
    const Call &call(int index) const;
    int indexOf(const QUuid &id) const; // -1 when absent

    // index is clamped to [0, callCount()]. Returns the new call's id.
    QUuid insertCall(int index, std::string json);
    // Re-inserts a call with its id (undo of a removal); a null or already used id is replaced.
    QUuid insertCall(int index, const Call &call);
    QUuid appendCall(std::string json);
    // A copy right after the original, with a new id.
    QUuid duplicateCall(int index);
    void removeCall(int index);
    // Moves the call at `from` so that it ends up at index `to` (as QList::move).
    void moveCall(int from, int to);
    void setCallJson(int index, std::string json);

    const Configuration &configuration() const { return m_configuration; }
    void setConfiguration(const Configuration &configuration);
    const std::optional<Configuration> &comparison() const { return m_comparison; }
    bool hasComparison() const { return m_comparison.has_value(); }
    void setComparison(const Configuration &configuration);
    void clearComparison();

    bool isModified() const { return m_modified; }
    void setModified(bool modified);
    QString filePath() const { return m_filePath; }

    // A new, empty workspace: no calls, the default configuration, no comparison, no file.
    void clear();
    // The sample workspace the first start opens: the examples of Segment's Kissmetrics
    // documentation, with the default configuration and the placeholder API key "demo-key" (the
    // default engine, segment-cloud, rejects every call without one). Not modified, no file.
    void loadSamples();

    // The file text. A call that does not parse, or parses only with reader warnings (a lone
    // surrogate, a number beyond a double: re-writing it would change it), is kept as its text.
    std::string toJson() const;
    // Replaces calls, configuration and comparison with what the text holds; calls that are JSON
    // are pretty-printed for the editor. On failure nothing changes and error says where and
    // what ("line 3, column 7: ..."). Leaves the file path and the modified flag alone.
    bool fromJson(std::string_view json, QString *error = nullptr);

    // Writes atomically; on success the workspace takes the path and is no longer modified.
    bool save(const QString &path, QString *error = nullptr);
    // Reads a workspace file; on success it takes the path and is not modified. On failure
    // nothing changes.
    bool load(const QString &path, QString *error = nullptr);

signals:
    void callAboutToBeInserted(int index);
    void callInserted(int index);
    void callAboutToBeRemoved(int index);
    void callRemoved(int index);
    void callAboutToBeMoved(int from, int to);
    void callMoved(int from, int to);
    void callChanged(int index);
    // Everything in the list changed (clear, load, samples).
    void callsAboutToBeReset();
    void callsReset();
    void configurationChanged();
    void comparisonChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    bool isValidIndex(int index) const { return index >= 0 && index < callCount(); }
    QUuid uniqueId(const QUuid &wanted) const;
    void replaceContent(std::vector<Call> calls, Configuration configuration, std::optional<Configuration> comparison);
    void setFilePath(const QString &path);

    std::vector<Call> m_calls;
    Configuration m_configuration;
    std::optional<Configuration> m_comparison;
    QString m_filePath;
    bool m_modified = false;
};

} // namespace km
