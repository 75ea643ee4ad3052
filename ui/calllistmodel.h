#pragma once

#include <QAbstractListModel>
#include <QSortFilterProxyModel>

namespace km {

class Workspace;

// The workspace's calls as a list: type icon, event/page name and user. Follows every change of
// the workspace (inserts, removals, moves, edits). Rows can be dragged to reorder them; the move
// goes through `moveRequested` so the window can make it undoable.
class CallListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        TypeRole = Qt::UserRole + 1, // "track", "page", …
        LabelRole,                   // event / page name
        UserRole,                    // userId or anonymousId
        IdRole,                      // QUuid
        IsValidRole,                 // the JSON parses as an object
        ErrorRole,                   // why not
    };

    explicit CallListModel(Workspace *workspace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data,
                         Qt::DropAction action,
                         int row,
                         int column,
                         const QModelIndex &parent) const override;
    bool
    dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;

    static QIcon iconForType(const QString &type);

signals:
    // The user dragged the call at `from` so that it should end up at `to`.
    void moveRequested(int from, int to);

private:
    Workspace *m_workspace;
};

// Filters the call list by a text that matches the type, the name or the user.
class CallFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace km
