#include "receivedview.h"

#include "sendcontroller.h"
#include "theme.h"
#include "trackingendpoint.h"

#include <QAbstractTableModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace km {

namespace {

QString text(const std::optional<std::string> &value)
{
    return value ? QString::fromStdString(*value) : QString();
}

class ReceivedModel : public QAbstractTableModel
{
public:
    ReceivedModel(SendController *controller, QObject *parent)
        : QAbstractTableModel(parent)
        , m_controller(controller)
    {
        m_rows = int(controller->received().size());
        connect(controller, &SendController::receivedAdded, this, [this](int index) {
            beginInsertRows({}, index, index);
            m_rows = int(m_controller->received().size());
            endInsertRows();
        });
        connect(controller, &SendController::receivedCleared, this, [this] {
            beginResetModel();
            m_rows = int(m_controller->received().size());
            endResetModel();
        });
    }

    int rowCount(const QModelIndex &parent) const override { return parent.isValid() ? 0 : m_rows; }
    int columnCount(const QModelIndex &parent) const override
    {
        return parent.isValid() ? 0 : ReceivedView::ColumnCount;
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case ReceivedView::TimeColumn:
            return ReceivedView::tr("Received");
        case ReceivedView::RequestColumn:
            return ReceivedView::tr("Request");
        case ReceivedView::PersonColumn:
            return ReceivedView::tr("Person (_p)");
        case ReceivedView::EventColumn:
            return ReceivedView::tr("Event (_n)");
        case ReceivedView::PropertiesColumn:
            return ReceivedView::tr("Properties");
        case ReceivedView::MatchColumn:
            return ReceivedView::tr("Preview");
        }
        return {};
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || index.row() >= m_rows)
            return {};
        const ReceivedEntry &entry = m_controller->received().at(index.row());
        const ReceivedRequest &request = entry.request;
        if (role == ReceivedView::MatchRole)
            return int(entry.match);
        if (role == Qt::ToolTipRole) {
            if (index.column() == ReceivedView::MatchColumn) {
                if (entry.match == ReceivedEntry::Match::NotMatching)
                    return entry.difference;
                if (entry.match == ReceivedEntry::Match::Unknown)
                    return ReceivedView::tr(
                            "No request sent from this window resembles it (another program sent it?).");
                return ReceivedView::tr("Exactly the request the preview showed.");
            }
            if (index.column() == ReceivedView::PropertiesColumn)
                return data(index, Qt::DisplayRole).toString().replace(QLatin1String("; "), QLatin1String("\n"));
            return {};
        }
        if (role == Qt::ForegroundRole && index.column() == ReceivedView::MatchColumn
            && entry.match == ReceivedEntry::Match::NotMatching)
            return isDarkPalette() ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case ReceivedView::TimeColumn:
            return request.receivedAt().toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case ReceivedView::RequestColumn: {
            QString text = QStringLiteral("%1 /%2").arg(QString::fromStdString(request.method()),
                                                        QString::fromStdString(request.endpoint()));
            if (!request.isAccepted())
                text += QStringLiteral(" (%1)").arg(request.status());
            return text;
        }
        case ReceivedView::PersonColumn:
            return text(request.person());
        case ReceivedView::EventColumn:
            return text(request.eventName());
        case ReceivedView::PropertiesColumn: {
            QStringList parts;
            for (const ReceivedParam &p : request.properties())
                parts << (p.value ? QStringLiteral("%1=%2").arg(QString::fromStdString(p.key),
                                                                QString::fromStdString(*p.value))
                                  : QString::fromStdString(p.key));
            return parts.join(QLatin1String("; "));
        }
        case ReceivedView::MatchColumn:
            switch (entry.match) {
            case ReceivedEntry::Match::Matching:
                return ReceivedView::tr("✓ matching");
            case ReceivedEntry::Match::NotMatching:
                return ReceivedView::tr("✗ not matching");
            case ReceivedEntry::Match::Unknown:
                break;
            }
            return ReceivedEntry::matchName(entry.match);
        }
        return {};
    }

private:
    SendController *m_controller;
    int m_rows = 0;
};

} // namespace

ReceivedView::ReceivedView(SendController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_model = new ReceivedModel(controller, this);
    m_endpoint = new QLabel(this);
    m_endpoint->setObjectName(QStringLiteral("endpointLabel"));
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(QStringLiteral("clearReceivedButton"));
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("receivedTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(PropertiesColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_endpoint, 1);
    bar->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(clear, &QPushButton::clicked, this, [this] {
        m_controller->endpoint()->clearReceived();
        m_controller->clearReceived();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, &QTableView::scrollToBottom);
    updateEndpointText();
}

ReceivedView::~ReceivedView() = default;

QAbstractItemModel *ReceivedView::model() const
{
    return m_model;
}

void ReceivedView::updateEndpointText()
{
    const QString url = m_controller->endpointUrl();
    m_endpoint->setText(url.isEmpty() ? tr("The built-in endpoint is not running.")
                                      : tr("Built-in endpoint (127.0.0.1 only): %1 — answers /e, /s and /a like "
                                           "trk.kissmetrics.io")
                                                .arg(url));
}

} // namespace km
