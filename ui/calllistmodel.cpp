#include "calllistmodel.h"

#include "callsummary.h"
#include "workspace.h"

#include <QIcon>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>

namespace km {

namespace {

constexpr auto kMimeType = "application/x-kmtester-call-row";

} // namespace

CallListModel::CallListModel(Workspace *workspace, QObject *parent)
    : QAbstractListModel(parent)
    , m_workspace(workspace)
{
    connect(workspace, &Workspace::callAboutToBeInserted, this, [this](int i) { beginInsertRows({}, i, i); });
    connect(workspace, &Workspace::callInserted, this, [this](int) { endInsertRows(); });
    connect(workspace, &Workspace::callAboutToBeRemoved, this, [this](int i) { beginRemoveRows({}, i, i); });
    connect(workspace, &Workspace::callRemoved, this, [this](int) { endRemoveRows(); });
    connect(workspace, &Workspace::callAboutToBeMoved, this, [this](int from, int to) {
        // QList::move semantics (to is the final index) -> beginMoveRows' destination row.
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    });
    connect(workspace, &Workspace::callMoved, this, [this](int, int) { endMoveRows(); });
    connect(workspace, &Workspace::callChanged, this, [this](int i) {
        const QModelIndex changed = index(i);
        emit dataChanged(changed, changed);
    });
    connect(workspace, &Workspace::callsAboutToBeReset, this, [this] { beginResetModel(); });
    connect(workspace, &Workspace::callsReset, this, [this] { endResetModel(); });
}

int CallListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_workspace->callCount();
}

QIcon CallListModel::iconForType(const QString &type)
{
    // A coloured disc with the type's initial: readable in light and dark themes alike.
    static QHash<QString, QIcon> cache;
    if (auto it = cache.constFind(type); it != cache.constEnd())
        return *it;
    static const QHash<QString, QColor> colours = {
            {QStringLiteral("page"), QColor(0x2e, 0x86, 0xde)},
            {QStringLiteral("screen"), QColor(0x16, 0xa0, 0x85)},
            {QStringLiteral("identify"), QColor(0x8e, 0x44, 0xad)},
            {QStringLiteral("track"), QColor(0xe6, 0x7e, 0x22)},
            {QStringLiteral("group"), QColor(0x27, 0xae, 0x60)},
            {QStringLiteral("alias"), QColor(0xc0, 0x39, 0x2b)},
    };
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colours.value(type, QColor(0x7f, 0x8c, 0x8d)));
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1));
        painter.setPen(Qt::white);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(size * 9 / 16);
        painter.setFont(font);
        painter.drawText(QRect(0, 0, size, size), Qt::AlignCenter,
                         type.isEmpty() ? QStringLiteral("?") : type.left(1).toUpper());
        painter.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(type, icon);
    return icon;
}

QVariant CallListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Call &call = m_workspace->call(index.row());
    const CallSummary summary = summarizeCall(call.json);
    switch (role) {
    case Qt::DisplayRole: {
        if (!summary.isValid)
            return tr("Invalid JSON");
        QString text = summary.label.isEmpty() ? summary.type : summary.label;
        if (!summary.user.isEmpty())
            text += QStringLiteral("  \u00b7  ") + summary.user;
        return text;
    }
    case Qt::DecorationRole:
        return iconForType(summary.isValid ? summary.type : QString());
    case Qt::ToolTipRole:
        if (!summary.isValid)
            return summary.error;
        return tr("%1 %2\nuser: %3")
                .arg(summary.type, summary.label, summary.user.isEmpty() ? tr("(none)") : summary.user);
    case TypeRole:
        return summary.type;
    case LabelRole:
        return summary.label;
    case UserRole:
        return summary.user;
    case IdRole:
        return call.id;
    case IsValidRole:
        return summary.isValid;
    case ErrorRole:
        return summary.error;
    default:
        return {};
    }
}

Qt::ItemFlags CallListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    return QAbstractListModel::flags(index) | Qt::ItemIsDragEnabled;
}

QHash<int, QByteArray> CallListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(TypeRole, "type");
    names.insert(LabelRole, "label");
    names.insert(UserRole, "user");
    names.insert(IdRole, "callId");
    names.insert(IsValidRole, "isValid");
    names.insert(ErrorRole, "error");
    return names;
}

Qt::DropActions CallListModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList CallListModel::mimeTypes() const
{
    return {QString::fromLatin1(kMimeType)};
}

QMimeData *CallListModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(QString::fromLatin1(kMimeType), QByteArray::number(indexes.first().row()));
    return data;
}

bool CallListModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int, const QModelIndex &) const
{
    return action == Qt::MoveAction && data && data->hasFormat(QString::fromLatin1(kMimeType));
}

bool CallListModel::dropMimeData(
        const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    bool ok = false;
    const int from = data->data(QString::fromLatin1(kMimeType)).toInt(&ok);
    if (!ok || from < 0 || from >= rowCount())
        return false;
    int target = row >= 0 ? row : (parent.isValid() ? parent.row() : rowCount());
    // Dropping below the dragged row: the row itself leaves the list first.
    int to = target > from ? target - 1 : target;
    to = std::clamp(to, 0, rowCount() - 1);
    if (to != from)
        emit moveRequested(from, to);
    // The move is done by the window (undoably); tell the view not to remove the source row.
    return false;
}

void CallFilterModel::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

bool CallFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QString needle = m_text.trimmed();
    if (needle.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    for (int role : {int(CallListModel::TypeRole), int(CallListModel::LabelRole), int(CallListModel::UserRole)}) {
        if (index.data(role).toString().contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace km
