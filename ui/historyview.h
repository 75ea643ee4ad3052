#pragma once

#include "sendhistory.h"

#include <QWidget>

#include <functional>

class QAbstractItemModel;
class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace km {

class HistoryModel;
class SendController;

// Every finished send, as the SendHistory keeps it (shared with kmtester-cli): searchable, and the
// selection can be sent again (same request, same _t), opened as a new call, or exported as NDJSON
// or a cURL script. Re-reads the history when a batch finishes.
class HistoryView : public QWidget
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        TargetColumn,
        EngineColumn,
        EndpointColumn,
        WhoColumn,
        StatusColumn,
        LatencyColumn,
        AttemptsColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1 };

    // Hands over the API key for requests to `target` (empty when there is none), or says why it
    // cannot; maybe later, since a keychain read is asynchronous.
    using KeyCallback = std::function<void(const QByteArray &key, const QString &error)>;
    using KeyProvider = std::function<void(const QString &target, KeyCallback done)>;

    explicit HistoryView(SendController *controller, QWidget *parent = nullptr);
    ~HistoryView() override;

    QAbstractItemModel *model() const;
    QTableView *table() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QAction *resendAction() const { return m_resendAction; }
    QAction *openAsCallAction() const { return m_openAsCallAction; }
    QAction *exportNdjsonAction() const { return m_exportNdjsonAction; }
    QAction *exportCurlAction() const { return m_exportCurlAction; }

    // Without one, requests that need a key cannot be sent again and exports stay redacted.
    void setKeyProvider(KeyProvider provider) { m_keyProvider = std::move(provider); }

    // The selected entries, in table order; all shown ones when nothing is selected (for exports).
    QList<HistoryEntry> selectedEntries(bool allWhenNone = false) const;

    // Re-reads the history with the current search.
    void refresh();

    // The actions, without their dialogs (the export dialogs end here).
    void resendSelected();
    void openSelectedAsCalls();
    // Writes the selection (or everything shown) to `path`; `includeKey` asks the key provider
    // for the key of the entries' target (cURL scripts only: NDJSON never holds a key).
    void exportTo(const QString &path, SendHistory::ExportFormat format, bool includeKey = false);

Q_SIGNALS:
    // The Segment call a request was made from, to add to the workspace.
    void openAsCallRequested(const QByteArray &json);
    // What an action did or why it could not, for the status bar.
    void message(const QString &text);
    void exported(const QString &path);

private:
    void exportDialog(SendHistory::ExportFormat format);
    void updateActions();
    void fail(const QString &title, const QString &text);

    SendController *m_controller;
    HistoryModel *m_model = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    QTimer *m_searchTimer = nullptr;
    QAction *m_resendAction = nullptr;
    QAction *m_openAsCallAction = nullptr;
    QAction *m_exportNdjsonAction = nullptr;
    QAction *m_exportCurlAction = nullptr;
    KeyProvider m_keyProvider;
};

} // namespace km
