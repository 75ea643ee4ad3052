#pragma once

#include <QAbstractItemModel>

namespace km {

// A two-level tree of output calls, each with its property rows: the index arithmetic shared by
// the preview and the comparison models. A call row's internal id is CallId; a property row's is
// its call's row + 1, so parent() needs no lookup.
class CallTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    using QAbstractItemModel::QAbstractItemModel;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    // Read-only rows; property rows never have children.
    Qt::ItemFlags flags(const QModelIndex &index) const override;

protected:
    static constexpr quintptr CallId = 0;
    static bool isCallIndex(const QModelIndex &index) { return index.internalId() == CallId; }

    virtual int callCount() const = 0;
    virtual int propertyCount(int call) const = 0;
};

} // namespace km
