#pragma once

#include "theme.h"

#include <QMainWindow>
#include <QUuid>

#include <functional>
#include <memory>
#include <string>

class QAction;
class QActionGroup;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;
class QUndoStack;

namespace km {

class CallFilterModel;
class CallForm;
class CallListModel;
class JsonEditor;
class PreviewPanel;
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
    explicit MainWindow(QSettings *settings, QWidget *parent = nullptr);
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
    int m_typingRun = 0; // edits merge into one undo step within a run
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
    QAction *m_aboutAction = nullptr;
};

} // namespace km
