#include "historyview.h"

#include "sendcontroller.h"

#include <QAbstractTableModel>
#include <QAction>
#include <QCheckBox>
#include <QDateTime>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QSet>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>

namespace km {

namespace {

// A form-encoded value as people read it ('+' is a space there, QUrlQuery leaves it).
QString formValue(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

// "event — person" for /e, the person for /s, "person ↔ alias" for /a.
QString whoText(const SendRequest &request)
{
    QByteArray wire = request.wire;
    wire.replace('+', "%20");
    const QUrlQuery query(QString::fromLatin1(wire));
    const QString person = formValue(query, QStringLiteral("_p"));
    const QString name = formValue(query, QStringLiteral("_n"));
    switch (request.endpoint) {
    case Endpoint::Event:
        return person.isEmpty() ? name : QStringLiteral("%1 — %2").arg(name, person);
    case Endpoint::Alias:
        return QStringLiteral("%1 ↔ %2").arg(person, name);
    case Endpoint::Set:
        break;
    }
    return person;
}

} // namespace

// The entries of one query of the history (oldest first), with what the table shows worked out once.
class HistoryModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(const QList<HistoryEntry> &entries)
    {
        beginResetModel();
        m_entries = entries;
        m_who.clear();
        m_who.reserve(entries.size());
        for (const HistoryEntry &entry : entries)
            m_who << whoText(entry.request);
        endResetModel();
    }

    const HistoryEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent) const override { return parent.isValid() ? 0 : int(m_entries.size()); }
    int columnCount(const QModelIndex &parent) const override
    {
        return parent.isValid() ? 0 : HistoryView::ColumnCount;
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case HistoryView::TimeColumn:
            return HistoryView::tr("Finished");
        case HistoryView::TargetColumn:
            return HistoryView::tr("Target");
        case HistoryView::EngineColumn:
            return HistoryView::tr("Engine");
        case HistoryView::EndpointColumn:
            return HistoryView::tr("Endpoint");
        case HistoryView::WhoColumn:
            return HistoryView::tr("Event / person");
        case HistoryView::StatusColumn:
            return HistoryView::tr("Status");
        case HistoryView::LatencyColumn:
            return HistoryView::tr("Latency");
        case HistoryView::AttemptsColumn:
            return HistoryView::tr("Attempts");
        }
        return {};
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const HistoryEntry &entry = m_entries.at(index.row());
        const SendRequest &request = entry.request;
        const SendResult &result = entry.result;
        if (role == HistoryView::IdRole)
            return entry.id();
        if (role == Qt::ToolTipRole) {
            QStringList lines;
            lines << QStringLiteral("%1 %2").arg(QLatin1String(methodName(request.method)), request.displayUrl());
            if (!result.failureReason.isEmpty())
                lines << result.failureReason;
            if (!request.warnings.isEmpty())
                lines << HistoryView::tr("Preview warnings (a 200 does not clear them):") << request.warnings;
            lines << HistoryView::tr("Response: %n byte(s)", nullptr, int(result.bodySize));
            if (!request.settingsSnapshot.isEmpty())
                lines << HistoryView::tr("Settings: %1").arg(request.settingsSnapshot);
            return lines.join(QLatin1Char('\n'));
        }
        if (role == Qt::TextAlignmentRole
            && (index.column() == HistoryView::StatusColumn || index.column() == HistoryView::LatencyColumn
                || index.column() == HistoryView::AttemptsColumn))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case HistoryView::TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(entry.finishedAt).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case HistoryView::TargetColumn:
            return request.target;
        case HistoryView::EngineColumn:
            return request.engine;
        case HistoryView::EndpointColumn:
            return QStringLiteral("%1 /%2").arg(QLatin1String(methodName(request.method)),
                                                QLatin1String(endpointName(request.endpoint)));
        case HistoryView::WhoColumn:
            return m_who.at(index.row());
        case HistoryView::StatusColumn:
            if (result.httpStatus > 0)
                return result.state == SendResult::State::Sent ? QString::number(result.httpStatus)
                                                               : QStringLiteral("%1 (%2)")
                                                                         .arg(result.httpStatus)
                                                                         .arg(SendResult::stateName(result.state));
            return SendResult::stateName(result.state);
        case HistoryView::LatencyColumn:
            return HistoryView::tr("%1 ms").arg(result.latencyMs);
        case HistoryView::AttemptsColumn:
            return result.attempts;
        }
        return {};
    }

private:
    QList<HistoryEntry> m_entries;
    QStringList m_who;
};

HistoryView::HistoryView(SendController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_model = new HistoryModel(this);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("Search the history (every word, any field: event, person, target, status…)"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("historyCount"));
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(WhoColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    auto makeAction = [this](const QString &text, const QString &name, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setToolTip(tip);
        m_table->addAction(action);
        return action;
    };
    m_resendAction = makeAction(tr("Re-&send"), QStringLiteral("historyResendAction"),
                                tr("Send the selected requests again to the same target: each keeps its own _t, "
                                   "so Kissmetrics sees the same event"));
    m_openAsCallAction = makeAction(tr("&Open as new call"), QStringLiteral("historyOpenAsCallAction"),
                                    tr("Add the Segment call the request was made from to the workspace"));
    m_exportNdjsonAction = makeAction(tr("Export as &NDJSON…"), QStringLiteral("historyExportNdjsonAction"),
                                      tr("The selection (or everything shown), one entry a line, API key redacted"));
    m_exportCurlAction = makeAction(tr("Export as c&URL script…"), QStringLiteral("historyExportCurlAction"),
                                    tr("The selection (or everything shown) as a sh script of curl commands"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_count);
    for (QAction *action : {m_resendAction, m_openAsCallAction, m_exportNdjsonAction, m_exportCurlAction}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        bar->addWidget(button);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    // Each search reads the history file afresh: wait for a pause in the typing.
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(200);
    connect(m_searchTimer, &QTimer::timeout, this, &HistoryView::refresh);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &HistoryView::refresh);
    connect(m_resendAction, &QAction::triggered, this, &HistoryView::resendSelected);
    connect(m_openAsCallAction, &QAction::triggered, this, &HistoryView::openSelectedAsCalls);
    connect(m_exportNdjsonAction, &QAction::triggered, this,
            [this] { exportDialog(SendHistory::ExportFormat::Ndjson); });
    connect(m_exportCurlAction, &QAction::triggered, this,
            [this] { exportDialog(SendHistory::ExportFormat::CurlScript); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryView::updateActions);
    // Once per batch, not per request: a query reads the whole file.
    connect(controller, &SendController::finished, this, &HistoryView::refresh);
    refresh();
}

HistoryView::~HistoryView() = default;

QAbstractItemModel *HistoryView::model() const
{
    return m_model;
}

void HistoryView::refresh()
{
    m_searchTimer->stop();
    SendHistory *history = m_controller->openHistory();
    QSet<QString> selected;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        selected.insert(index.data(IdRole).toString());
    m_model->setEntries(history->search(m_search->text()));
    // The reset drops the selection: keep the user's rows selected.
    QItemSelection selection;
    for (int row = 0; row < m_model->rowCount({}) && !selected.isEmpty(); ++row)
        if (selected.contains(m_model->entry(row).id()))
            selection.select(m_model->index(row, 0), m_model->index(row, ColumnCount - 1));
    m_table->selectionModel()->select(selection, QItemSelectionModel::Select);
    m_count->setText(tr("%n request(s)", nullptr, m_model->rowCount({})));
    m_table->scrollToBottom();
    updateActions();
}

QList<HistoryEntry> HistoryView::selectedEntries(bool allWhenNone) const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && allWhenNone)
        for (int row = 0; row < m_model->rowCount({}); ++row)
            rows << row;
    QList<HistoryEntry> entries;
    for (int row : std::as_const(rows))
        entries << m_model->entry(row);
    return entries;
}

void HistoryView::updateActions()
{
    const bool hasSelection = m_table->selectionModel()->hasSelection();
    const bool hasRows = m_model->rowCount({}) > 0;
    m_resendAction->setEnabled(hasSelection);
    m_openAsCallAction->setEnabled(hasSelection);
    m_exportNdjsonAction->setEnabled(hasRows);
    m_exportCurlAction->setEnabled(hasRows);
}

void HistoryView::fail(const QString &title, const QString &text)
{
    // Not modal: the reason stays readable while the user looks at the rows.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("historyErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
    emit message(text);
}

void HistoryView::resendSelected()
{
    const QList<HistoryEntry> entries = selectedEntries();
    if (entries.isEmpty())
        return;
    QList<SendRequest> requests;
    QString target;
    for (const HistoryEntry &entry : entries) {
        // One key per batch (the controller's rule), and a key belongs to one target.
        if (!target.isEmpty() && entry.request.target != target) {
            fail(tr("Re-send"), tr("The selection goes to more than one target: re-send one target at a time."));
            return;
        }
        target = entry.request.target;
        requests << entry.request;
    }
    if (!SendController::isLoopbackTarget(target)) {
        const auto answer = QMessageBox::question(
                this, tr("Re-send to %1?").arg(target),
                tr("%n request(s) go to %1, outside this machine: the data lands next to real data. Send?", nullptr,
                   int(requests.size()))
                        .arg(target),
                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    const QPointer<HistoryView> self(this);
    auto send = [self, requests](const QByteArray &key, const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            self->fail(tr("Re-send"), tr("The API key cannot be read: %1").arg(error));
            return;
        }
        const SendReport report = self->m_controller->resend(requests, key);
        if (!report.isOk()) {
            self->fail(tr("Re-send"), report.error);
            return;
        }
        emit self->message(tr("Sending %n request(s) again (each with its own _t)", nullptr, report.requests));
    };
    const bool needsKey = std::any_of(requests.cbegin(), requests.cend(),
                                      [](const SendRequest &request) { return request.needsApiKey(); });
    if (needsKey && m_keyProvider)
        m_keyProvider(target, send);
    else
        send({}, {});
}

void HistoryView::openSelectedAsCalls()
{
    const QList<HistoryEntry> entries = selectedEntries();
    QSet<QByteArray> opened;
    int missing = 0;
    for (const HistoryEntry &entry : entries) {
        // Requests sent from the app keep their call; older history entries (and the CLI's) may not,
        // in which case this session's send list may still know it.
        std::string json = entry.request.call.toStdString();
        if (json.empty()) {
            const int index = m_controller->indexOfEntry(entry.id());
            json = index >= 0 ? m_controller->entries().at(index).callJson : std::string();
        }
        if (json.empty()) {
            ++missing;
            continue;
        }
        const QByteArray data = QByteArray::fromStdString(json);
        if (opened.contains(data)) // the calls that make two requests (identify with traits)
            continue;
        opened.insert(data);
        emit openAsCallRequested(data);
    }
    if (missing > 0)
        fail(tr("Open as new call"),
             tr("%n request(s) cannot be opened as a call: they were stored without the Segment call they were made "
                "from (sent by kmtester-cli or an older version), and a Kissmetrics request cannot be turned back "
                "into one.",
                nullptr, missing));
}

void HistoryView::exportTo(const QString &path, SendHistory::ExportFormat format, bool includeKey)
{
    const QList<HistoryEntry> entries = selectedEntries(true);
    if (entries.isEmpty())
        return;
    const QPointer<HistoryView> self(this);
    auto write = [self, path, format, entries](const QByteArray &key, const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            self->fail(tr("Export"), tr("The API key cannot be read: %1. Nothing was written.").arg(error));
            return;
        }
        QString writeError;
        const KeyVisibility visibility = key.isEmpty() ? KeyVisibility::Redacted : KeyVisibility::Shown;
        if (!SendHistory::exportToFile(path, entries, format, visibility, key, &writeError)) {
            self->fail(tr("Export"), tr("%1 cannot be written: %2").arg(path, writeError));
            return;
        }
        emit self->message(tr("Exported %n request(s) to %1", nullptr, int(entries.size())).arg(path));
        emit self->exported(path);
    };
    if (!includeKey || format != SendHistory::ExportFormat::CurlScript || !m_keyProvider) {
        write({}, {});
        return;
    }
    const QString target = entries.first().request.target;
    for (const HistoryEntry &entry : entries)
        if (entry.request.target != target) {
            fail(tr("Export"), tr("The selection goes to more than one target: the key can only be included for one "
                                  "target at a time. Nothing was written."));
            return;
        }
    m_keyProvider(target, write);
}

void HistoryView::exportDialog(SendHistory::ExportFormat format)
{
    const bool curl = format == SendHistory::ExportFormat::CurlScript;
    // Qt's own dialog, since the platform ones cannot hold the "Include API key" box.
    QFileDialog dialog(this, curl ? tr("Export as cURL script") : tr("Export as NDJSON"));
    dialog.setObjectName(QStringLiteral("historyExportDialog"));
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilter(curl ? tr("Shell scripts (*.sh);;All files (*)")
                              : tr("NDJSON (*.ndjson *.jsonl);;All files (*)"));
    dialog.setDefaultSuffix(curl ? QStringLiteral("sh") : QStringLiteral("ndjson"));
    dialog.selectFile(curl ? QStringLiteral("kmtester-history.sh") : QStringLiteral("kmtester-history.ndjson"));
    auto *includeKey = new QCheckBox(tr("Include API key (otherwise <API_KEY> stands in its place)"), &dialog);
    includeKey->setObjectName(QStringLiteral("includeApiKeyBox"));
    if (!curl) {
        includeKey->setEnabled(false);
        includeKey->setToolTip(tr("The NDJSON history never holds the key"));
    }
    if (auto *grid = qobject_cast<QGridLayout *>(dialog.layout()))
        grid->addWidget(includeKey, grid->rowCount(), 0, 1, grid->columnCount());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    exportTo(dialog.selectedFiles().constFirst(), format, curl && includeKey->isChecked());
}

} // namespace km
