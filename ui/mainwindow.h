#pragma once

#include "theme.h"

#include <QMainWindow>
#include <QUuid>

#include <functional>
#include <memory>
#include <string>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;
class QUndoStack;

namespace km {

class HarCapture;
class CallFilterModel;
class CallForm;
class CallListModel;
class HistoryView;
class JsonEditor;
class PreviewPanel;
class ProfileStore;
class ReceivedView;
class SecretStore;
class SendController;
class SendPanel;
class SettingsPanel;
class Workspace;

// The kmtester window: calls (left), the selected call as a form and as JSON (centre), the
// destination settings and the live preview (right). Everything the user does to the workspace
// goes through one QUndoStack, so undo works the same from the form, the JSON editor, the call
// list and the settings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // settings: where the window keeps its layout, recent files and theme (the app passes the
    // default QSettings; tests an isolated file). The window does not take ownership.
    // dataDirectory: where the outbox and the send history live; empty for the user's data folder
    // (shared with kmtester-cli), tests give a temporary one.
    explicit MainWindow(QSettings *settings, QWidget *parent = nullptr, const QString &dataDirectory = QString());
    ~MainWindow() override;

    Workspace *workspace() const { return m_workspace; }
    QUndoStack *undoStack() const { return m_undoStack; }
    JsonEditor *jsonEditor() const { return m_jsonEditor; }
    CallForm *callForm() const { return m_callForm; }
    SettingsPanel *settingsPanel() const { return m_settingsPanel; }
    PreviewPanel *previewPanel() const { return m_previewPanel; }
    QListView *callList() const { return m_callList; }
    CallListModel *callListModel() const { return m_callListModel; }
    QTabWidget *composeTabs() const { return m_composeTabs; }
    QAction *quitAction() const { return m_quitAction; }
    QAction *aboutAction() const { return m_aboutAction; }
    QAction *sendAction() const { return m_sendAction; }
    QAction *sendAllAction() const { return m_sendAllAction; }
    SendController *sendController() const { return m_sendController; }
    SendPanel *sendPanel() const { return m_sendPanel; }
    ReceivedView *receivedView() const { return m_receivedView; }
    HistoryView *historyView() const { return m_historyView; }

    // Sends the calls at `rows` (all calls when empty) with the active configuration to the
    // built-in endpoint; says in the window what could not be sent. Returns the number of requests.
    int sendCalls(const QList<int> &rows);
    // At start-up: offers to send again what an earlier session left in the outbox.
    void offerUnsentRequests();

    ProfileStore *profileStore() const { return m_profileStore; }
    QLabel *profileLabel() const { return m_profileLabel; }
    QAction *profilesAction() const { return m_profilesAction; }
    // Where API keys are kept (the window owns it); null when there is no keychain, and `reason`
    // says why: the window says so and offers the file store instead.
    void setSecretStore(std::unique_ptr<SecretStore> store, const QString &unavailableReason = QString());
    SecretStore *secretStore() const { return m_secretStore.get(); }
    void showProfilesDialog();

    // The clock the "Now" button, new templates and the preview use (tests fix it).
    void setClock(std::function<qint64()> nowMillis);

    // Opens the workspace shown at start: the last one used, else the samples (first start).
    void openInitialWorkspace();
    bool openWorkspace(const QString &path);
    bool saveWorkspace(const QString &path);
    // Adds calls from JSON / NDJSON / batch text (paste, drop, import); returns how many.
    int addCallsFromData(const QByteArray &data, const QString &source);

    void selectCall(int index);
    int currentCallIndex() const;
    void setTheme(Theme theme);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createWidgets();
    void createSending();
    void createProfiles();
    void createHistory();
    // The key for requests to `target`: its profile's stored key, else the workspace's apiKey.
    void readApiKeyFor(const QString &target, const std::function<void(const QByteArray &, const QString &)> &done);
    void updateProfileLabel();
    void useFileSecretStore();
    int startSend(const QList<int> &rows, const QString &target, const QByteArray &apiKey, const QString &profileName);
    void createActions();
    void createMenus();
    void connectWorkspace();
    void restoreLayout();
    void saveLayout();

    void newWorkspace();
    void openWorkspaceDialog();
    bool save();
    bool saveAs();
    void importDialog();
    void showCapture(const HarCapture &capture, const QString &source);
    bool maybeSave();
    void addRecentFile(const QString &path);
    void updateRecentMenu();
    void updateTitle();

    void addTemplate(const QString &group, const QString &title);
    void duplicateSelected();
    void deleteSelected();
    void pasteCalls();
    void moveCall(int from, int to);
    void pinComparison();
    void clearComparison();
    void sendSelected();
    void showAbout();

    void onCurrentChanged();
    void onJsonEdited(const std::string &json);
    void onFormEdited(const std::string &json);
    void onCallChanged(int index);
    void onConfigurationEdited();
    void showCallInViews();
    void updatePreview();
    void activateField(const QString &path);
    QList<int> selectedRows() const;

    QSettings *m_settings;
    Workspace *m_workspace = nullptr;
    QUndoStack *m_undoStack = nullptr;
    CallListModel *m_callListModel = nullptr;
    CallFilterModel *m_filterModel = nullptr;
    QListView *m_callList = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QTabWidget *m_composeTabs = nullptr;
    CallForm *m_callForm = nullptr;
    JsonEditor *m_jsonEditor = nullptr;
    QLabel *m_jsonStatus = nullptr;
    SettingsPanel *m_settingsPanel = nullptr;
    PreviewPanel *m_previewPanel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    QUuid m_currentId;
    bool m_showingCall = false; // views are being filled from the workspace: not user edits
    int m_typingRun = 0;        // edits merge into one undo step within a run
    bool m_textJustChanged = false;
    std::function<qint64()> m_clock;

    QMenu *m_recentMenu = nullptr;
    QMenu *m_templatesMenu = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_pasteCallsAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_prettyAction = nullptr;
    QAction *m_compactAction = nullptr;
    QAction *m_pinAction = nullptr;
    QAction *m_clearComparisonAction = nullptr;
    QAction *m_sendAction = nullptr;
    QAction *m_sendAllAction = nullptr;
    QAction *m_aboutAction = nullptr;

    QString m_dataDirectory;
    SendController *m_sendController = nullptr;
    SendPanel *m_sendPanel = nullptr;
    ReceivedView *m_receivedView = nullptr;
    QDockWidget *m_sendDock = nullptr;
    QDockWidget *m_receivedDock = nullptr;
    HistoryView *m_historyView = nullptr;
    QDockWidget *m_historyDock = nullptr;
    ProfileStore *m_profileStore = nullptr;
    std::unique_ptr<SecretStore> m_secretStore;
    QString m_noSecretStoreReason;
    QLabel *m_profileLabel = nullptr;
    QAction *m_profilesAction = nullptr;
    QList<QUuid> m_confirmedProfiles; // non-loopback profiles the user confirmed this session
};

} // namespace km
