#include "calltreemodel.h"

namespace km {

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= columnCount(parent))
        return {};
    if (!parent.isValid())
        return row < callCount() ? createIndex(row, column, CallId) : QModelIndex();
    if (!isCallIndex(parent) || parent.row() >= callCount() || row >= propertyCount(parent.row()))
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex CallTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || isCallIndex(child))
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, CallId);
}

int CallTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return callCount();
    if (!isCallIndex(parent) || parent.column() != 0)
        return 0;
    return propertyCount(parent.row());
}

bool CallTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags CallTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!isCallIndex(index))
        f |= Qt::ItemNeverHasChildren;
    return f;
}

} // namespace km
