#include "sendpanel.h"

#include "sendcontroller.h"

#include <QAbstractTableModel>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace km {

namespace {

// The controller's entries as rows; it follows the controller's signals.
class SendEntryModel : public QAbstractTableModel
{
public:
    explicit SendEntryModel(SendController *controller, QObject *parent)
        : QAbstractTableModel(parent)
        , m_controller(controller)
    {
        connect(controller, &SendController::entriesAdded, this, [this](int first, int last) {
            // The controller appended already: announce the rows after the fact.
            beginInsertRows({}, first, last);
            m_rows = int(m_controller->entries().size());
            endInsertRows();
        });
        connect(controller, &SendController::entriesAboutToBeReset, this, [this] { beginResetModel(); });
        connect(controller, &SendController::entriesReset, this, [this] {
            m_rows = int(m_controller->entries().size());
            endResetModel();
        });
        connect(controller, &SendController::entryChanged, this, [this](int row) {
            if (row < m_rows)
                emit dataChanged(index(row, 0), index(row, SendPanel::ColumnCount - 1));
        });
        m_rows = int(controller->entries().size());
    }

    int rowCount(const QModelIndex &parent) const override { return parent.isValid() ? 0 : m_rows; }
    int columnCount(const QModelIndex &parent) const override { return parent.isValid() ? 0 : SendPanel::ColumnCount; }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case SendPanel::CallColumn:
            return SendPanel::tr("Call");
        case SendPanel::RequestColumn:
            return SendPanel::tr("Request");
        case SendPanel::StateColumn:
            return SendPanel::tr("State");
        case SendPanel::StatusColumn:
            return SendPanel::tr("Status");
        case SendPanel::LatencyColumn:
            return SendPanel::tr("Latency");
        case SendPanel::AttemptsColumn:
            return SendPanel::tr("Attempts");
        case SendPanel::NotesColumn:
            return SendPanel::tr("Reason / preview warnings");
        }
        return {};
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || index.row() >= m_rows)
            return {};
        const SendEntry &entry = m_controller->entries().at(index.row());
        const SendResult &result = entry.result;
        const SendRequest &request = entry.request;
        if (role == Qt::ToolTipRole) {
            if (index.column() == SendPanel::RequestColumn)
                return QStringLiteral("%1 %2").arg(QLatin1String(methodName(request.method)), request.displayUrl());
            if (index.column() == SendPanel::NotesColumn || index.column() == SendPanel::StateColumn) {
                QStringList lines;
                if (!result.failureReason.isEmpty())
                    lines << result.failureReason;
                if (!request.warnings.isEmpty())
                    lines << SendPanel::tr("Preview warnings (a 200 does not clear them):") << request.warnings;
                return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
            }
            return {};
        }
        if (role == Qt::TextAlignmentRole
            && (index.column() == SendPanel::StatusColumn || index.column() == SendPanel::LatencyColumn
                || index.column() == SendPanel::AttemptsColumn))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case SendPanel::CallColumn:
            return entry.callIndex >= 0 ? QVariant(entry.callIndex + 1) : QVariant(SendPanel::tr("outbox"));
        case SendPanel::RequestColumn:
            return QStringLiteral("%1 /%2 → %3")
                    .arg(QLatin1String(methodName(request.method)), QLatin1String(endpointName(request.endpoint)),
                         request.target);
        case SendPanel::StateColumn:
            return SendResult::stateName(result.state);
        case SendPanel::StatusColumn:
            return result.httpStatus > 0 ? QVariant(result.httpStatus) : QVariant();
        case SendPanel::LatencyColumn:
            return result.state == SendResult::State::Sent || result.state == SendResult::State::Failed
                           ? QVariant(SendPanel::tr("%1 ms").arg(result.latencyMs))
                           : QVariant();
        case SendPanel::AttemptsColumn:
            return result.attempts;
        case SendPanel::NotesColumn:
            if (!result.failureReason.isEmpty())
                return result.failureReason;
            if (!request.warnings.isEmpty())
                return SendPanel::tr("⚠ %n preview warning(s): %1", nullptr, int(request.warnings.size()))
                        .arg(request.warnings.first());
            return {};
        }
        return {};
    }

private:
    SendController *m_controller;
    int m_rows = 0;
};

} // namespace

SendPanel::SendPanel(SendController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_model = new SendEntryModel(controller, this);

    auto *reminder = new QLabel(
            tr("A 200 only means \"transport OK\": Kissmetrics answers 200 even for bad parameters, so the preview's "
               "warnings stay with each request (hover a row to read them)."),
            this);
    reminder->setObjectName(QStringLiteral("sendReminder"));
    reminder->setWordWrap(true);
    reminder->setForegroundRole(QPalette::PlaceholderText);
    m_target = new QLabel(this);
    m_target->setObjectName(QStringLiteral("sendTarget"));
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("sendCounts"));
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_resume = new QPushButton(tr("&Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_clear = new QPushButton(tr("C&lear"), this);
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_clear->setToolTip(tr("Forget the finished requests (the history keeps them)"));
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("sendTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(RequestColumn, QHeaderView::Interactive);
    m_table->setColumnWidth(CallColumn, 50);
    m_table->setColumnWidth(RequestColumn, 260);
    m_table->setWordWrap(false);

    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("concurrencySpin"));
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(controller->sender()->concurrency());
    m_concurrency->setToolTip(tr("Requests in flight at once (default %1)").arg(Sender::DefaultConcurrency));
    m_rateLimit = new QDoubleSpinBox(this);
    m_rateLimit->setObjectName(QStringLiteral("rateLimitSpin"));
    m_rateLimit->setRange(0, 100000);
    m_rateLimit->setDecimals(1);
    m_rateLimit->setSuffix(tr(" req/s"));
    m_rateLimit->setSpecialValueText(tr("unlimited"));
    m_rateLimit->setValue(controller->sender()->rateLimit());
    m_rateLimit->setToolTip(tr("Requests started per second at most; 0 is unlimited"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("endpointPortSpin"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("automatic"));
    m_port->setValue(controller->endpointPort());
    m_port->setToolTip(tr("The port of the built-in endpoint on 127.0.0.1; 0 lets the system choose a free one"));
    m_applyPort = new QPushButton(tr("&Apply"), this);
    m_applyPort->setObjectName(QStringLiteral("applyPortButton"));
    m_applyPort->setToolTip(tr("Restart the built-in endpoint on this port"));
    m_endpointUrl = new QLabel(this);
    m_endpointUrl->setObjectName(QStringLiteral("endpointUrlLabel"));
    m_endpointUrl->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *limits = new QHBoxLayout;
    limits->addWidget(new QLabel(tr("Concurrency:"), this));
    limits->addWidget(m_concurrency);
    limits->addWidget(new QLabel(tr("Rate limit:"), this));
    limits->addWidget(m_rateLimit);
    limits->addSpacing(12);
    limits->addWidget(new QLabel(tr("Built-in endpoint port:"), this));
    limits->addWidget(m_port);
    limits->addWidget(m_applyPort);
    limits->addWidget(m_endpointUrl, 1);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_counts);
    bar->addWidget(m_pause);
    bar->addWidget(m_resume);
    bar->addWidget(m_cancel);
    bar->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(reminder);
    layout->addWidget(m_target);
    layout->addLayout(limits);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_concurrency, &QSpinBox::valueChanged, controller->sender(), &Sender::setConcurrency);
    connect(m_rateLimit, &QDoubleSpinBox::valueChanged, controller->sender(), &Sender::setRateLimit);
    connect(m_applyPort, &QPushButton::clicked, this, &SendPanel::applyEndpointPort);
    connect(m_port, &QSpinBox::editingFinished, this, [this] {
        // Enter applies too; leaving the box with the port unchanged does nothing.
        if (quint16(m_port->value()) != m_controller->endpointPort())
            applyEndpointPort();
    });
    updateEndpointText();

    connect(m_pause, &QPushButton::clicked, controller, &SendController::pause);
    connect(m_resume, &QPushButton::clicked, controller, &SendController::resume);
    connect(m_cancel, &QPushButton::clicked, controller, &SendController::cancel);
    connect(m_clear, &QPushButton::clicked, controller, &SendController::clearEntries);
    connect(controller, &SendController::progressChanged, this, &SendPanel::updateProgress);
    connect(controller, &SendController::pausedChanged, this, &SendPanel::updateButtons);
    connect(controller, &SendController::finished, this, &SendPanel::updateButtons);
    connect(controller, &SendController::entriesAdded, this, [this] { m_table->scrollToBottom(); });
    updateProgress(controller->progress());
}

SendPanel::~SendPanel() = default;

QAbstractItemModel *SendPanel::model() const
{
    return m_model;
}

QString SendPanel::countsText() const
{
    return m_counts->text();
}

void SendPanel::setTargetText(const QString &text)
{
    m_target->setText(text);
}

bool SendPanel::applyEndpointPort()
{
    const quint16 port = quint16(m_port->value());
    if (!m_controller->restartEndpoint(port)) {
        m_endpointUrl->setText(m_controller->errorString());
        m_port->setValue(m_controller->endpointPort());
        return false;
    }
    updateEndpointText();
    emit endpointPortChanged(port);
    return true;
}

void SendPanel::updateEndpointText()
{
    const QString url = m_controller->endpointUrl();
    m_endpointUrl->setText(url.isEmpty() ? tr("not running") : url);
}

void SendPanel::updateProgress(const SendProgress &p)
{
    const int done = p.sent + p.failed + p.cancelled;
    m_progress->setRange(0, std::max(1, p.total));
    m_progress->setValue(done);
    QString text = tr("Sent %1 · Failed %2 · Queued %3 · In flight %4")
                           .arg(p.sent)
                           .arg(p.failed)
                           .arg(p.queued)
                           .arg(p.inFlight);
    if (p.cancelled > 0)
        text += tr(" · Cancelled %1").arg(p.cancelled);
    m_counts->setText(text);
    updateButtons();
}

void SendPanel::updateButtons()
{
    const bool busy = m_controller->isBusy();
    const bool paused = m_controller->isPaused();
    m_pause->setEnabled(!paused);
    m_resume->setEnabled(paused);
    m_cancel->setEnabled(busy);
    m_clear->setEnabled(!busy && !m_controller->entries().isEmpty());
}

} // namespace km
