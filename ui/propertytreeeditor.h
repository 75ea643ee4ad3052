#pragma once

#include <QWidget>

#include <string>
#include <string_view>

class QAction;
class QModelIndex;
class QToolBar;
class QTreeView;

namespace km {

class PropertyTreeModel;

// Edits one JSON value (a call's properties or traits) as a tree: Key | Type | Value, with
// a type combo box, number validation and boolean check boxes, plus Add member / Add child /
// Delete actions (Insert and Delete keys on the tree). Everything stays expanded.
class PropertyTreeEditor : public QWidget
{
    Q_OBJECT

public:
    explicit PropertyTreeEditor(QWidget *parent = nullptr);
    ~PropertyTreeEditor() override;

    PropertyTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

    QAction *addMemberAction() const { return m_addMemberAction; }
    QAction *addChildAction() const { return m_addChildAction; }
    QAction *deleteAction() const { return m_deleteAction; }

    // Shortcuts for model()->setJson() / model()->toJson().
    bool setJson(std::string_view utf8);
    std::string toJson() const;

public Q_SLOTS:
    // A new member or element after the current row, at its level (at the end of the top
    // level when nothing is current), then edits its key (or value, in an array).
    void addMember();
    // A new member or element at the end of the current object or array.
    void addChild();
    // Removes the selected rows (a selected row's selected descendants go with it).
    void deleteSelected();

Q_SIGNALS:
    // Relayed from the model: the user changed the value.
    void jsonEdited();

private:
    void updateActions();
    void editNew(const QModelIndex &index);

    PropertyTreeModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QToolBar *m_toolBar = nullptr;
    QAction *m_addMemberAction = nullptr;
    QAction *m_addChildAction = nullptr;
    QAction *m_deleteAction = nullptr;
};

} // namespace km
