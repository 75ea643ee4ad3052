#include "mainwindow.h"

#include "callform.h"
#include "calllistmodel.h"
#include "calltemplates.h"
#include "capturecomparison.h"
#include "filesecretstore.h"
#include "historyview.h"
#include "jsoneditor.h"
#include "jsonlocate.h"
#include "outbox.h"
#include "previewpanel.h"
#include "profilesdialog.h"
#include "profilestore.h"
#include "receivedview.h"
#include "secretstore.h"
#include "sendcontroller.h"
#include "sendhistory.h"
#include "sendpanel.h"
#include "settingspanel.h"
#include "undocommands.h"
#include "workspace.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextDocument>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace km {

namespace {

constexpr int kMaxRecentFiles = 8;
const QString kFileFilter = QStringLiteral("kmtester workspaces (*.kmtest.json);;JSON files (*.json);;All files (*)");
const QString kImportFilter =
        QStringLiteral("Segment calls (*.json *.ndjson *.jsonl *.txt *.har);;HAR captures (*.har);;All files (*)");

QString shortcutHint(const QAction *action)
{
    return action->shortcut().isEmpty()
                   ? action->text().remove(QLatin1Char('&'))
                   : QStringLiteral("%1 (%2)").arg(action->text().remove(QLatin1Char('&')),
                                                   action->shortcut().toString(QKeySequence::NativeText));
}

} // namespace

MainWindow::MainWindow(QSettings *settings, QWidget *parent, const QString &dataDirectory)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_dataDirectory(dataDirectory)
{
    setObjectName(QStringLiteral("MainWindow"));
    m_workspace = new Workspace(this);
    m_undoStack = new QUndoStack(this);
    createWidgets();
    createSending();
    createProfiles();
    createHistory();
    createActions();
    createMenus();
    connectWorkspace();
    setAcceptDrops(true);
    restoreLayout();
    m_settingsPanel->setConfiguration(m_workspace->configuration());
    m_previewPanel->setConfiguration(m_workspace->configuration());
    updateTitle();
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    // Children are deleted after this body, the workspace before the undo stack; the stack's
    // destructor still emits indexChanged, whose handler reads the workspace.
    disconnect(m_undoStack, nullptr, this, nullptr);
    m_undoStack->clear();
}

void MainWindow::setClock(std::function<qint64()> nowMillis)
{
    m_clock = std::move(nowMillis);
    m_callForm->setClock(m_clock);
    m_previewPanel->setClock([this] { return static_cast<double>(m_clock()); });
    m_sendController->setClock([this] { return m_clock(); });
    updatePreview();
}

void MainWindow::createProfiles()
{
    const QString directory = m_dataDirectory.isEmpty()
                                      ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                      : m_dataDirectory;
    m_profileStore = new ProfileStore(QDir(directory).filePath(QStringLiteral("profiles.json")), nullptr, this);
    QString error;
    if (!m_profileStore->load(&error))
        statusBar()->showMessage(tr("The profiles cannot be read: %1").arg(error), 10000);
    // Saved on the user's changes only: a first start that changes nothing writes nothing.
    connect(m_profileStore, &ProfileStore::changed, this, [this] {
        QString saveError;
        QDir().mkpath(QFileInfo(m_profileStore->filePath()).absolutePath());
        if (!m_profileStore->save(&saveError))
            statusBar()->showMessage(tr("The profiles cannot be saved: %1").arg(saveError), 10000);
        updateProfileLabel();
    });
    m_profileLabel = new QLabel(this);
    m_profileLabel->setObjectName(QStringLiteral("profileLabel"));
    statusBar()->addPermanentWidget(m_profileLabel);
    updateProfileLabel();
}

void MainWindow::updateProfileLabel()
{
    const Profile profile = m_profileStore->activeProfile();
    const QString where = profile.target() == Profile::Target::BuiltInEndpoint ? m_sendController->endpointUrl()
                                                                               : profile.baseUrl().toString();
    m_profileLabel->setText(tr("<span style=\"color:%1\">●</span> Profile: <b>%2</b>")
                                    .arg(profile.color().isEmpty() ? QStringLiteral("gray") : profile.color(),
                                         profile.name().toHtmlEscaped()));
    m_profileLabel->setToolTip(tr("Sends go to %1").arg(where));
}

void MainWindow::setSecretStore(std::unique_ptr<SecretStore> store, const QString &unavailableReason)
{
    m_secretStore = std::move(store);
    m_noSecretStoreReason = unavailableReason;
    m_profileStore->setSecretStore(m_secretStore.get());
    if (!m_secretStore)
        statusBar()->showMessage(
                tr("No system keychain (%1): API keys can be kept in a file only you can read "
                   "(Calls > Profiles…). Until then, the workspace's apiKey setting is sent.")
                        .arg(unavailableReason.isEmpty() ? tr("none is available") : unavailableReason),
                15000);
}

void MainWindow::useFileSecretStore()
{
    const QString path = m_dataDirectory.isEmpty() ? FileSecretStore::defaultFilePath()
                                                   : QDir(m_dataDirectory).filePath(QStringLiteral("secrets.json"));
    // Remembered as a choice only; the key itself never goes to the settings.
    m_settings->setValue(QStringLiteral("secrets/useFile"), true);
    setSecretStore(std::make_unique<FileSecretStore>(path), QString());
    statusBar()->showMessage(tr("API keys are kept in %1").arg(m_secretStore->description()), 8000);
}

void MainWindow::showProfilesDialog()
{
    ProfilesDialog dialog(m_profileStore, m_noSecretStoreReason, this);
    connect(&dialog, &ProfilesDialog::fileStoreRequested, this, [this, &dialog] {
        useFileSecretStore();
        dialog.setNoSecretStoreReason(QString());
    });
    dialog.exec();
    updateProfileLabel();
}

void MainWindow::createSending()
{
    m_sendController = new SendController(this);
    m_sendController->setClock([this] { return m_clock(); });
    if (!m_dataDirectory.isEmpty()) {
        m_sendController->setOutboxDirectory(QDir(m_dataDirectory).filePath(QStringLiteral("outbox")));
        m_sendController->setHistoryDirectory(QDir(m_dataDirectory).filePath(QStringLiteral("history")));
    }
    m_sendController->setEndpointPort(quint16(m_settings->value(QStringLiteral("endpoint/port"), 0).toUInt()));
    m_sendController->sender()->setConcurrency(
            m_settings->value(QStringLiteral("send/concurrency"), Sender::DefaultConcurrency).toInt());
    m_sendController->sender()->setRateLimit(m_settings->value(QStringLiteral("send/rateLimit"), 0.0).toDouble());
    // Started at once so the Received view can show its URL to other senders (the CLI, curl).
    if (!m_sendController->startEndpoint())
        statusBar()->showMessage(m_sendController->errorString(), 10000);

    m_sendPanel = new SendPanel(m_sendController, this);
    m_sendPanel->setObjectName(QStringLiteral("sendPanel"));
    m_sendDock = new QDockWidget(tr("Sending"), this);
    m_sendDock->setObjectName(QStringLiteral("sendDock"));
    m_sendDock->setWidget(m_sendPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_sendDock);
    m_receivedView = new ReceivedView(m_sendController, this);
    m_receivedView->setObjectName(QStringLiteral("receivedView"));
    m_receivedDock = new QDockWidget(tr("Received"), this);
    m_receivedDock->setObjectName(QStringLiteral("receivedDock"));
    m_receivedDock->setWidget(m_receivedView);
    addDockWidget(Qt::BottomDockWidgetArea, m_receivedDock);
    tabifyDockWidget(m_sendDock, m_receivedDock);
    m_sendDock->hide();
    m_receivedDock->hide();

    connect(m_sendController, &SendController::storageWarning, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_sendController, &SendController::finished, this, [this] {
        const SendProgress p = m_sendController->progress();
        statusBar()->showMessage(
                tr("Sending done: %1 sent, %2 failed, %3 cancelled.").arg(p.sent).arg(p.failed).arg(p.cancelled), 8000);
    });
    connect(m_sendController, &SendController::receivedAdded, this, [this] {
        if (!m_receivedDock->isVisible())
            m_receivedDock->show();
    });
    connect(m_sendPanel->concurrencySpinBox(), &QSpinBox::valueChanged, this,
            [this](int value) { m_settings->setValue(QStringLiteral("send/concurrency"), value); });
    connect(m_sendPanel->rateLimitSpinBox(), &QDoubleSpinBox::valueChanged, this,
            [this](double value) { m_settings->setValue(QStringLiteral("send/rateLimit"), value); });
    connect(m_sendPanel, &SendPanel::endpointPortChanged, this, [this](quint16 port) {
        m_settings->setValue(QStringLiteral("endpoint/port"), port);
        m_receivedView->updateEndpointText();
        if (m_profileLabel)
            updateProfileLabel();
        statusBar()->showMessage(tr("The built-in endpoint listens on %1").arg(m_sendController->endpointUrl()), 8000);
    });
}

void MainWindow::createHistory()
{
    m_historyView = new HistoryView(m_sendController, this);
    m_historyView->setObjectName(QStringLiteral("historyView"));
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(QStringLiteral("historyDock"));
    m_historyDock->setWidget(m_historyView);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    tabifyDockWidget(m_receivedDock, m_historyDock);
    m_historyDock->hide();
    m_historyView->setKeyProvider(
            [this](const QString &target, HistoryView::KeyCallback done) { readApiKeyFor(target, done); });
    connect(m_historyView, &HistoryView::openAsCallRequested, this,
            [this](const QByteArray &json) { addCallsFromData(json, tr("History")); });
    connect(m_historyView, &HistoryView::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
}

void MainWindow::readApiKeyFor(const QString &target,
                               const std::function<void(const QByteArray &, const QString &)> &done)
{
    // The active profile first, then any other that sends to this target.
    QList<Profile> candidates{m_profileStore->activeProfile()};
    candidates << m_profileStore->profiles();
    for (const Profile &profile : std::as_const(candidates)) {
        const QString url = profile.target() == Profile::Target::BuiltInEndpoint
                                    ? m_sendController->endpointUrl()
                                    : SendController::normalizedTarget(profile.baseUrl().toString());
        if (url != target)
            continue;
        if (profile.isKeyStored() && m_secretStore)
            if (SecretJob *job = m_profileStore->readApiKey(profile.id())) {
                connect(job, &SecretJob::finished, this, [done](SecretJob *finished) {
                    if (finished->error() != SecretStore::Error::NoError)
                        done({}, finished->errorString());
                    else
                        done(finished->secret(), {});
                });
                return;
            }
        break;
    }
    done(SendRequest::apiKeyText(m_workspace->configuration().settings.apiKey()), {});
}

void MainWindow::createWidgets()
{
    // Calls (left).
    auto *callsPane = new QWidget(this);
    auto *callsLayout = new QVBoxLayout(callsPane);
    callsLayout->setContentsMargins(6, 6, 0, 6);
    auto *callsHeader = new QHBoxLayout;
    auto *callsTitle = new QLabel(tr("<b>Calls</b>"), callsPane);
    m_templatesMenu = new QMenu(tr("&Add call"), this);
    auto *addButton = new QToolButton(callsPane);
    addButton->setObjectName(QStringLiteral("addCallButton"));
    addButton->setText(tr("Add"));
    addButton->setToolTip(tr("Add a call from a template"));
    addButton->setPopupMode(QToolButton::InstantPopup);
    addButton->setMenu(m_templatesMenu);
    callsHeader->addWidget(callsTitle);
    callsHeader->addStretch(1);
    callsHeader->addWidget(addButton);
    m_filterEdit = new QLineEdit(callsPane);
    m_filterEdit->setObjectName(QStringLiteral("filterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter by type, name or user"));
    m_filterEdit->setClearButtonEnabled(true);
    m_callListModel = new CallListModel(m_workspace, this);
    m_filterModel = new CallFilterModel(this);
    m_filterModel->setSourceModel(m_callListModel);
    m_callList = new QListView(callsPane);
    m_callList->setObjectName(QStringLiteral("callList"));
    m_callList->setModel(m_filterModel);
    m_callList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_callList->setDragDropMode(QAbstractItemView::InternalMove);
    m_callList->setDefaultDropAction(Qt::MoveAction);
    m_callList->setDragEnabled(true);
    m_callList->setAcceptDrops(true);
    m_callList->setDropIndicatorShown(true);
    m_callList->setIconSize(QSize(20, 20));
    m_callList->setUniformItemSizes(true);
    callsLayout->addLayout(callsHeader);
    callsLayout->addWidget(m_filterEdit);
    callsLayout->addWidget(m_callList, 1);

    // Compose (centre).
    m_composeTabs = new QTabWidget(this);
    m_composeTabs->setObjectName(QStringLiteral("composeTabs"));
    m_callForm = new CallForm(m_composeTabs);
    m_callForm->setObjectName(QStringLiteral("callForm"));
    m_callForm->setClock(m_clock);
    auto *jsonPane = new QWidget(m_composeTabs);
    auto *jsonLayout = new QVBoxLayout(jsonPane);
    jsonLayout->setContentsMargins(0, 0, 0, 0);
    m_jsonEditor = new JsonEditor(jsonPane);
    m_jsonEditor->setObjectName(QStringLiteral("jsonEditor"));
    m_jsonEditor->setUndoRedoEnabled(false); // the window's QUndoStack covers both views
    m_jsonStatus = new QLabel(jsonPane);
    m_jsonStatus->setObjectName(QStringLiteral("jsonStatus"));
    m_jsonStatus->setWordWrap(true);
    m_jsonStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    jsonLayout->addWidget(m_jsonEditor, 1);
    jsonLayout->addWidget(m_jsonStatus);
    m_composeTabs->addTab(m_callForm, tr("&Form"));
    m_composeTabs->addTab(jsonPane, tr("&JSON"));

    // Settings and preview (right).
    m_settingsPanel = new SettingsPanel(this);
    m_settingsPanel->setObjectName(QStringLiteral("settingsPanel"));
    m_previewPanel = new PreviewPanel(this);
    m_previewPanel->setObjectName(QStringLiteral("previewPanel"));
    m_previewPanel->setClock([this] { return static_cast<double>(m_clock()); });
    m_rightSplitter = new QSplitter(Qt::Horizontal, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(m_previewPanel);
    m_rightSplitter->addWidget(m_settingsPanel);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setSizes({620, 300});

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(callsPane);
    m_mainSplitter->addWidget(m_composeTabs);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 2);
    m_mainSplitter->setStretchFactor(2, 3);
    m_mainSplitter->setSizes({230, 430, 940});
    setCentralWidget(m_mainSplitter);
    resize(1480, 860);

    connect(m_filterEdit, &QLineEdit::textChanged, m_filterModel, &CallFilterModel::setFilterText);
    connect(m_callList->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onCurrentChanged);
    connect(m_callListModel, &CallListModel::moveRequested, this, &MainWindow::moveCall);
    connect(m_jsonEditor, &JsonEditor::textEdited, this, &MainWindow::onJsonEdited);
    // A cursor move that is not the result of typing (arrows, a click) ends the typing run, so
    // the next edit is its own undo step.
    connect(m_jsonEditor->document(), &QTextDocument::contentsChanged, this, [this] { m_textJustChanged = true; });
    connect(m_jsonEditor, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (!m_textJustChanged)
            ++m_typingRun;
        m_textJustChanged = false;
    });
    connect(m_composeTabs, &QTabWidget::currentChanged, this, [this] { ++m_typingRun; });
    connect(m_jsonEditor, &JsonEditor::validationChanged, this, [this](bool valid, const QString &message, int, int) {
        m_jsonStatus->setText(valid ? QString() : message);
        m_jsonStatus->setVisible(!valid);
    });
    connect(m_callForm, &CallForm::callJsonEdited, this, &MainWindow::onFormEdited);
    connect(m_settingsPanel, &SettingsPanel::configurationEdited, this, &MainWindow::onConfigurationEdited);
    connect(m_settingsPanel, &SettingsPanel::pinComparisonRequested, this, &MainWindow::pinComparison);
    connect(m_settingsPanel, &SettingsPanel::clearComparisonRequested, this, &MainWindow::clearComparison);
    connect(m_previewPanel, &PreviewPanel::fieldActivated, this, &MainWindow::activateField);
    m_jsonStatus->hide();
}

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const QKeySequence &shortcut, auto slot) {
        auto *action = new QAction(text, this);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_newAction = make(tr("&New workspace"), QKeySequence::New, &MainWindow::newWorkspace);
    m_openAction = make(tr("&Open…"), QKeySequence::Open, &MainWindow::openWorkspaceDialog);
    m_saveAction = make(tr("&Save"), QKeySequence::Save, [this] { save(); });
    m_saveAsAction = make(tr("Save &As…"), QKeySequence::SaveAs, [this] { saveAs(); });
    m_importAction = make(tr("&Import calls…"), QKeySequence(Qt::CTRL | Qt::Key_I), &MainWindow::importDialog);
    m_quitAction = make(tr("&Quit"), QKeySequence::Quit, &QWidget::close);
    m_undoAction = m_undoStack->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_undoStack->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_duplicateAction = make(tr("&Duplicate call"), QKeySequence(Qt::CTRL | Qt::Key_D), &MainWindow::duplicateSelected);
    m_deleteAction = make(tr("De&lete call"), QKeySequence::Delete, &MainWindow::deleteSelected);
    // Delete only applies to the call list: in the editors it deletes text.
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_callList->addAction(m_deleteAction);
    m_pasteCallsAction =
            make(tr("&Paste calls"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V), &MainWindow::pasteCalls);
    m_findAction = make(tr("&Find call"), QKeySequence::Find, [this] {
        m_filterEdit->setFocus();
        m_filterEdit->selectAll();
    });
    m_prettyAction = make(tr("&Pretty JSON"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_P), [this] {
        m_composeTabs->setCurrentIndex(1);
        ++m_typingRun; // a reformat is its own undo step
        m_jsonEditor->prettyPrint();
    });
    m_compactAction = make(tr("&Compact JSON"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C), [this] {
        m_composeTabs->setCurrentIndex(1);
        ++m_typingRun;
        m_jsonEditor->compact();
    });
    m_pinAction = make(tr("&Pin current settings for comparison"), QKeySequence(Qt::CTRL | Qt::Key_K),
                       &MainWindow::pinComparison);
    m_clearComparisonAction = make(tr("C&lear comparison"), {}, &MainWindow::clearComparison);
    m_sendAction = make(tr("&Send selected calls"), QKeySequence(Qt::CTRL | Qt::Key_Return), &MainWindow::sendSelected);
    m_profilesAction = make(tr("&Profiles and API keys…"), {}, &MainWindow::showProfilesDialog);
    m_sendAllAction =
            make(tr("Send &all calls"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), [this] { sendCalls({}); });
    m_aboutAction = make(tr("&About kmtester"), {}, &MainWindow::showAbout);

    for (QAction *action : {m_newAction, m_openAction, m_saveAction, m_saveAsAction, m_importAction, m_duplicateAction,
                            m_deleteAction, m_pasteCallsAction, m_findAction, m_prettyAction, m_compactAction,
                            m_pinAction, m_sendAction, m_sendAllAction})
        action->setToolTip(shortcutHint(action));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    updateRecentMenu();

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_duplicateAction);
    edit->addAction(m_deleteAction);
    edit->addAction(m_pasteCallsAction);
    edit->addSeparator();
    edit->addAction(m_findAction);
    edit->addSeparator();
    edit->addAction(m_prettyAction);
    edit->addAction(m_compactAction);

    QMenu *calls = menuBar()->addMenu(tr("&Calls"));
    calls->addMenu(m_templatesMenu);
    for (const QString &group : callTemplateGroups()) {
        QMenu *groupMenu = m_templatesMenu->addMenu(group);
        for (const CallTemplate &t : callTemplates()) {
            if (t.group != group)
                continue;
            QAction *action = groupMenu->addAction(t.title);
            const QString title = t.title;
            connect(action, &QAction::triggered, this, [this, group, title] { addTemplate(group, title); });
        }
    }
    calls->addSeparator();
    calls->addAction(m_pinAction);
    calls->addAction(m_clearComparisonAction);
    calls->addSeparator();
    calls->addAction(m_sendAction);
    calls->addAction(m_sendAllAction);
    calls->addAction(m_profilesAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_sendDock->toggleViewAction());
    view->addAction(m_receivedDock->toggleViewAction());
    view->addAction(m_historyDock->toggleViewAction());
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        QAction *action = theme->addAction(t == Theme::System  ? tr("Follow the &system")
                                           : t == Theme::Light ? tr("&Light")
                                                               : tr("&Dark"));
        action->setCheckable(true);
        action->setData(themeName(t));
        m_themeGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, t] { setTheme(t); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::connectWorkspace()
{
    connect(m_workspace, &Workspace::callChanged, this, &MainWindow::onCallChanged);
    connect(m_workspace, &Workspace::callsReset, this, [this] {
        m_currentId = QUuid();
        selectCall(0);
        showCallInViews();
    });
    connect(m_workspace, &Workspace::callRemoved, this, [this](int) {
        if (m_workspace->indexOf(m_currentId) < 0) {
            m_currentId = QUuid();
            showCallInViews();
        }
    });
    connect(m_workspace, &Workspace::configurationChanged, this, [this] {
        m_settingsPanel->setConfiguration(m_workspace->configuration());
        m_previewPanel->setConfiguration(m_workspace->configuration());
        updatePreview();
    });
    connect(m_workspace, &Workspace::comparisonChanged, this, [this] {
        m_settingsPanel->setComparison(m_workspace->comparison());
        m_previewPanel->setComparison(m_workspace->comparison());
        m_clearComparisonAction->setEnabled(m_workspace->hasComparison());
        updatePreview();
    });
    connect(m_workspace, &Workspace::modifiedChanged, this, [this] { updateTitle(); });
    connect(m_workspace, &Workspace::filePathChanged, this, [this] { updateTitle(); });
    connect(m_undoStack, &QUndoStack::cleanChanged, this, [this](bool clean) {
        if (clean)
            m_workspace->setModified(false);
    });
    connect(m_undoStack, &QUndoStack::indexChanged, this, [this] {
        if (!m_undoStack->isClean())
            m_workspace->setModified(true);
    });
    m_clearComparisonAction->setEnabled(false);
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(m_settings->value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(m_settings->value(QStringLiteral("window/rightSplitter")).toByteArray());
    const Theme theme = themeFromName(m_settings->value(QStringLiteral("view/theme")).toString());
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toString() == themeName(theme));
}

void MainWindow::saveLayout()
{
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    m_settings->setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
}

void MainWindow::setTheme(Theme theme)
{
    applyTheme(theme);
    m_settings->setValue(QStringLiteral("view/theme"), themeName(theme));
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toString() == themeName(theme));
}

void MainWindow::openInitialWorkspace()
{
    const QString last = m_settings->value(QStringLiteral("workspace/last")).toString();
    if (!last.isEmpty() && QFileInfo::exists(last) && openWorkspace(last))
        return;
    m_workspace->loadSamples();
    m_undoStack->clear();
    m_workspace->setModified(false);
    statusBar()->showMessage(tr("The sample workspace: the examples of Segment's Kissmetrics documentation."), 8000);
}

bool MainWindow::openWorkspace(const QString &path)
{
    QString error;
    if (!m_workspace->load(path, &error)) {
        QMessageBox::warning(this, tr("Open workspace"),
                             tr("Cannot open %1:\n%2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    m_undoStack->clear();
    addRecentFile(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::saveWorkspace(const QString &path)
{
    QString error;
    if (!m_workspace->save(path, &error)) {
        QMessageBox::warning(this, tr("Save workspace"),
                             tr("Cannot save %1:\n%2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    m_undoStack->setClean();
    addRecentFile(path);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::newWorkspace()
{
    if (!maybeSave())
        return;
    m_workspace->clear();
    m_undoStack->clear();
    m_workspace->setModified(false);
}

void MainWindow::openWorkspaceDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open workspace"), QString(), kFileFilter);
    if (!path.isEmpty())
        openWorkspace(path);
}

bool MainWindow::save()
{
    if (m_workspace->filePath().isEmpty())
        return saveAs();
    return saveWorkspace(m_workspace->filePath());
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save workspace"), m_workspace->filePath(), kFileFilter);
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json")))
        path += QString::fromLatin1(Workspace::FileSuffix);
    return saveWorkspace(path);
}

void MainWindow::importDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import calls"), QString(), kImportFilter);
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Import calls"), tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    addCallsFromData(file.readAll(), QFileInfo(path).fileName());
}

bool MainWindow::maybeSave()
{
    if (!m_workspace->isModified())
        return true;
    const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"), tr("The workspace has unsaved changes. Save them first?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = m_settings->value(QStringLiteral("workspace/recent")).toStringList();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    m_settings->setValue(QStringLiteral("workspace/recent"), recent);
    m_settings->setValue(QStringLiteral("workspace/last"), absolute);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_settings->value(QStringLiteral("workspace/recent")).toStringList();
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(QFileInfo(path).fileName());
        action->setToolTip(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] {
            if (maybeSave())
                openWorkspace(path);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    const QString path = m_workspace->filePath();
    const QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
    setWindowTitle(tr("%1[*] — kmtester").arg(name));
    setWindowModified(m_workspace->isModified());
}

int MainWindow::addCallsFromData(const QByteArray &data, const QString &source)
{
    const ImportResult imported = importCalls(data);
    if (!imported.calls.empty()) {
        const int at = m_workspace->callCount();
        m_undoStack->push(new InsertCallsCommand(m_workspace, at, imported.calls,
                                                 tr("Add %n call(s)", nullptr, int(imported.calls.size()))));
        selectCall(at);
    }
    if (!imported.errors.isEmpty()) {
        // Not modal: what was good is already added, this only says what was left out and where.
        auto *box = new QMessageBox(
                QMessageBox::Warning, tr("Add calls"),
                tr("%1: %n item(s) could not be read and were left out.", nullptr, int(imported.errors.size()))
                        .arg(source),
                QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("importErrorsBox"));
        box->setDetailedText(imported.errors.mid(0, 200).join(QLatin1Char('\n')));
        box->setInformativeText(imported.errors.first());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
    }
    statusBar()->showMessage(tr("%1: added %n call(s)", nullptr, int(imported.calls.size())).arg(source), 5000);
    if (imported.capture)
        showCapture(*imported.capture, source);
    return int(imported.calls.size());
}

void MainWindow::showCapture(const HarCapture &capture, const QString &source)
{
    const Configuration before = m_workspace->configuration();
    const CaptureSetup setup = capture.setup();
    const Configuration captured = setup.applyTo(before);
    const bool differs = !(captured == before);
    // What Kissmetrics received, beside what the capture's setup predicts for its calls.
    QStringList comparison;
    if (!capture.kissmetricsRequests().empty()) {
        for (const std::string &line : compareCapture(capture, captured, double(m_clock())).lines())
            comparison << QString::fromStdString(line);
    }
    if (!differs && comparison.isEmpty())
        return; // nothing to say beyond the calls added

    // Not modal, and nothing changes until asked: the calls are in either way.
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("captureSetupBox"));
    box->setWindowTitle(tr("HAR capture"));
    QString informative;
    if (differs) {
        box->setIcon(QMessageBox::Question);
        box->setText(tr("%1 was recorded with other Kissmetrics settings than the workspace's. Use the "
                        "capture's?")
                             .arg(source));
        box->setStandardButtons(QMessageBox::Yes | QMessageBox::No);
        box->button(QMessageBox::Yes)->setText(tr("Use the capture's settings"));
        box->button(QMessageBox::No)->setText(tr("Keep the workspace's"));
        informative = tr("Workspace: %1\nCapture: %2")
                              .arg(SettingsPanel::describe(before), SettingsPanel::describe(captured));
    } else {
        box->setIcon(QMessageBox::Information);
        box->setText(tr("%1 was recorded with the workspace's settings.").arg(source));
        box->setStandardButtons(QMessageBox::Ok);
    }
    if (!comparison.isEmpty()) {
        informative += (informative.isEmpty() ? QString() : QStringLiteral("\n\n"))
                       + tr("What Kissmetrics received, against the capture's settings:\n%1")
                                 .arg(comparison.mid(0, 4).join(QLatin1Char('\n')));
    }
    box->setInformativeText(informative);
    box->setDetailedText(QString::fromStdString(capture.summary()) + QLatin1Char('\n')
                         + comparison.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    connect(box, &QMessageBox::finished, this, [this, setup](int result) {
        if (result != QMessageBox::Yes)
            return;
        const Configuration current = m_workspace->configuration();
        const Configuration after = setup.applyTo(current);
        if (!(after == current))
            m_undoStack->push(new ConfigurationCommand(m_workspace, current, after, tr("Use the capture's settings")));
    });
    box->show();
}

void MainWindow::addTemplate(const QString &group, const QString &title)
{
    const CallTemplate *t = findCallTemplate(group, title);
    if (!t)
        return;
    const int at = m_workspace->callCount();
    m_undoStack->push(
            new InsertCallsCommand(m_workspace, at, {templateJsonWithNow(*t, m_clock())}, tr("Add %1").arg(title)));
    selectCall(at);
}

QList<int> MainWindow::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_callList->selectionModel()->selectedIndexes())
        rows << m_filterModel->mapToSource(index).row();
    if (rows.isEmpty() && currentCallIndex() >= 0)
        rows << currentCallIndex();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void MainWindow::duplicateSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    std::vector<std::string> copies;
    for (int row : rows)
        copies.push_back(m_workspace->call(row).json);
    const int at = rows.last() + 1;
    m_undoStack->push(new InsertCallsCommand(m_workspace, at, std::move(copies), tr("Duplicate")));
    selectCall(at);
}

void MainWindow::deleteSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const int next = rows.first();
    m_undoStack->push(new RemoveCallsCommand(m_workspace, rows));
    selectCall(std::min(next, m_workspace->callCount() - 1));
}

void MainWindow::pasteCalls()
{
    const QString text = QGuiApplication::clipboard()->text();
    if (text.trimmed().isEmpty()) {
        statusBar()->showMessage(tr("The clipboard holds no text."), 4000);
        return;
    }
    addCallsFromData(text.toUtf8(), tr("Clipboard"));
}

void MainWindow::moveCall(int from, int to)
{
    m_undoStack->push(new MoveCallCommand(m_workspace, from, to));
    selectCall(to);
}

void MainWindow::pinComparison()
{
    m_undoStack->push(new ComparisonCommand(m_workspace, m_workspace->configuration()));
    statusBar()->showMessage(tr("Pinned: %1. Change the settings to compare.")
                                     .arg(SettingsPanel::describe(m_workspace->configuration())),
                             6000);
}

void MainWindow::clearComparison()
{
    if (m_workspace->hasComparison())
        m_undoStack->push(new ComparisonCommand(m_workspace, std::nullopt));
}

void MainWindow::sendSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty()) {
        statusBar()->showMessage(tr("Select the calls to send (or use Calls > Send all calls)."), 5000);
        return;
    }
    sendCalls(rows);
}

int MainWindow::sendCalls(const QList<int> &rows)
{
    const Profile profile = m_profileStore->activeProfile();
    QString target;
    if (profile.target() != Profile::Target::BuiltInEndpoint) {
        if (const QString error = profile.validationError(); !error.isEmpty()) {
            QMessageBox::warning(this, tr("Send"),
                                 tr("The profile \"%1\" cannot be used: %2").arg(profile.name(), error));
            return 0;
        }
        target = profile.baseUrl().toString();
    }
    // The session's first real send to a profile: the data lands next to production data.
    if (profile.needsConfirmation() && !m_confirmedProfiles.contains(profile.id())) {
        const auto answer = QMessageBox::question(
                this, tr("Send to %1?").arg(profile.name()),
                tr("The profile \"%1\" sends to %2, outside this machine: the data lands next to real data. Send?")
                        .arg(profile.name(), target),
                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return 0;
        m_confirmedProfiles << profile.id();
    }
    if (profile.isKeyStored() && m_secretStore) {
        if (SecretJob *job = m_profileStore->readApiKey(profile.id())) {
            const QString name = profile.name();
            connect(job, &SecretJob::finished, this, [this, rows, target, name](SecretJob *done) {
                if (done->error() != SecretStore::Error::NoError) {
                    QMessageBox::warning(this, tr("Send"),
                                         tr("The API key of \"%1\" cannot be read: %2").arg(name, done->errorString()));
                    return;
                }
                startSend(rows, target, done->secret(), name);
            });
            statusBar()->showMessage(tr("Reading the API key of \"%1\"…").arg(name), 5000);
            return 0;
        }
    }
    return startSend(rows, target, {}, profile.name());
}

int MainWindow::startSend(const QList<int> &rows,
                          const QString &target,
                          const QByteArray &apiKey,
                          const QString &profileName)
{
    const SendReport report = m_sendController->send(*m_workspace, rows, m_workspace->configuration(), target, apiKey);
    m_sendDock->show();
    m_sendDock->raise();
    if (!report.isOk()) {
        // Not modal: the reason stays readable while the user fixes the settings.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Send"), report.error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("sendErrorBox"));
        if (!report.problems.isEmpty())
            box->setDetailedText(report.problems.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
        return 0;
    }
    m_sendPanel->setTargetText(
            tr("Profile \"%1\": %2")
                    .arg(profileName, target.isEmpty()
                                              ? tr("the built-in endpoint, %1").arg(m_sendController->endpointUrl())
                                              : target));
    m_receivedView->updateEndpointText();
    QString message = tr("Sending %n request(s)", nullptr, report.requests);
    if (!report.problems.isEmpty())
        message += tr("; %n call(s) with nothing to send: %1", nullptr, int(report.problems.size()))
                           .arg(report.problems.first());
    statusBar()->showMessage(message, 8000);
    return report.requests;
}

void MainWindow::offerUnsentRequests()
{
    const QList<SendRequest> pending = m_sendController->pendingFromLastRun();
    if (pending.isEmpty())
        return;
    // Only what was queued with the current key is offered: never send a request with another key.
    const QByteArray key = SendRequest::apiKeyText(m_workspace->configuration().settings.apiKey());
    QList<SendRequest> sendable;
    QList<SendRequest> otherKeyRequests;
    QStringList targets;
    for (const SendRequest &request : pending) {
        if (!m_sendController->isQueuedWithKey(request, key)) {
            otherKeyRequests << request;
            continue;
        }
        sendable << request;
        if (!targets.contains(request.target))
            targets << request.target;
    }
    const int otherKey = int(otherKeyRequests.size());
    const QString otherKeyText =
            otherKey > 0 ? tr("%n unsent request(s) were queued with a different API key; they stay in the outbox.",
                              nullptr, otherKey)
                         : QString();
    if (sendable.isEmpty()) {
        // They can only go with their own key: keep them for it, or let them go for good.
        const auto answer = QMessageBox::question(
                this, tr("Unsent requests"),
                tr("An earlier session left %n request(s) unsent, queued with a different API key than the "
                   "current one; they can only be sent with that key. Keep them in the outbox?",
                   nullptr, otherKey),
                QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
        if (answer == QMessageBox::Discard && !m_sendController->discard(otherKeyRequests))
            QMessageBox::warning(this, tr("Unsent requests"), m_sendController->outbox()->errorString());
        else if (answer != QMessageBox::Discard)
            statusBar()->showMessage(otherKeyText, 15000);
        return;
    }
    QString question = tr("An earlier session left %n request(s) unsent (to %1). Send them now? Each keeps its own "
                          "_t, so a resend is the same event.",
                          nullptr, int(sendable.size()))
                               .arg(targets.join(QLatin1String(", ")));
    if (!otherKeyText.isEmpty())
        question += QLatin1Char('\n') + otherKeyText;
    const auto answer = QMessageBox::question(this, tr("Unsent requests"), question, QMessageBox::Yes | QMessageBox::No,
                                              QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return;
    const SendReport report = m_sendController->resend(sendable, key);
    if (!report.isOk())
        QMessageBox::warning(this, tr("Unsent requests"), report.error);
    m_sendDock->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About kmtester"),
                       tr("<h3>kmtester %1</h3><p>A debugger and event tester for the Segment → Kissmetrics "
                          "destination: compose Segment calls and see exactly what Kissmetrics receives from "
                          "Segment's and RudderStack's device- and cloud-mode integrations, and why.</p>")
                               .arg(QApplication::applicationVersion()));
}

void MainWindow::selectCall(int index)
{
    if (index < 0 || index >= m_workspace->callCount()) {
        m_callList->selectionModel()->clear();
        return;
    }
    const QModelIndex proxy = m_filterModel->mapFromSource(m_callListModel->index(index));
    if (!proxy.isValid()) {
        m_filterEdit->clear();
        return selectCall(index);
    }
    m_callList->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect);
    m_callList->scrollTo(proxy);
}

int MainWindow::currentCallIndex() const
{
    return m_workspace->indexOf(m_currentId);
}

void MainWindow::onCurrentChanged()
{
    const QModelIndex current = m_filterModel->mapToSource(m_callList->currentIndex());
    const QUuid id = current.isValid() ? m_workspace->call(current.row()).id : QUuid();
    if (id == m_currentId)
        return;
    m_currentId = id;
    ++m_typingRun;
    showCallInViews();
}

void MainWindow::showCallInViews()
{
    const int index = currentCallIndex();
    const std::string json = index >= 0 ? m_workspace->call(index).json : std::string();
    m_showingCall = true;
    if (m_jsonEditor->jsonText() != json)
        m_jsonEditor->setJsonText(json);
    m_callForm->setCallJson(json);
    m_showingCall = false;
    m_jsonEditor->setEnabled(index >= 0);
    m_callForm->setEnabled(index >= 0);
    updatePreview();
}

void MainWindow::onJsonEdited(const std::string &json)
{
    const int index = currentCallIndex();
    if (m_showingCall || index < 0 || m_workspace->call(index).json == json)
        return;
    m_undoStack->push(new EditCallCommand(m_workspace, m_currentId, m_workspace->call(index).json, json,
                                          EditCallCommand::Source::JsonEditor, m_typingRun));
}

void MainWindow::onFormEdited(const std::string &json)
{
    const int index = currentCallIndex();
    if (m_showingCall || index < 0 || m_workspace->call(index).json == json)
        return;
    m_undoStack->push(new EditCallCommand(m_workspace, m_currentId, m_workspace->call(index).json, json,
                                          EditCallCommand::Source::Form, m_typingRun));
}

void MainWindow::onCallChanged(int index)
{
    if (index != currentCallIndex())
        return;
    showCallInViews();
}

void MainWindow::onConfigurationEdited()
{
    const Configuration after = m_settingsPanel->configuration();
    if (after == m_workspace->configuration())
        return;
    m_undoStack->push(new ConfigurationCommand(m_workspace, m_workspace->configuration(), after));
}

void MainWindow::updatePreview()
{
    const int index = currentCallIndex();
    m_previewPanel->setCall(index >= 0 ? std::string_view(m_workspace->call(index).json) : std::string_view());
}

void MainWindow::activateField(const QString &path)
{
    const int index = currentCallIndex();
    if (index < 0 || path.isEmpty() || path.startsWith(QLatin1String("settings."))
        || path.startsWith(QLatin1String("env.")))
        return;
    const std::string &json = m_workspace->call(index).json;
    const auto span = locateJsonPath(json, path.toStdString());
    if (!span)
        return;
    // Line and column (in code points) of the member's key, for the editor.
    const std::size_t offset = span->keyBegin;
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset && i < json.size(); ++i) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    m_composeTabs->setCurrentIndex(1);
    m_jsonEditor->goToLineColumn(line, column);
    m_jsonEditor->setFocus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls() || mime->hasText())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    int added = 0;
    if (mime->hasUrls()) {
        for (const QUrl &url : mime->urls()) {
            if (!url.isLocalFile())
                continue;
            QFile file(url.toLocalFile());
            if (file.open(QIODevice::ReadOnly))
                added += addCallsFromData(file.readAll(), QFileInfo(file).fileName());
        }
    } else if (mime->hasText()) {
        added += addCallsFromData(mime->text().toUtf8(), tr("Dropped text"));
    }
    if (added > 0)
        event->acceptProposedAction();
}

} // namespace km
