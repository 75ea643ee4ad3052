#include "propertytreeeditor.h"

#include "propertytreemodel.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPersistentModelIndex>
#include <QRegularExpressionValidator>
#include <QStyledItemDelegate>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace km {

namespace {

using NodeType = PropertyTreeModel::NodeType;

NodeType typeAt(const QModelIndex &index)
{
    return static_cast<NodeType>(index.data(PropertyTreeModel::NodeTypeRole).toInt());
}

// A combo box for the Type column, a validated line edit for numbers, and muted text for
// what is not a typed-in value (null, container summaries, array indices).
class PropertyTreeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() == PropertyTreeModel::TypeColumn) {
            auto *combo = new QComboBox(parent);
            combo->setObjectName(QStringLiteral("typeEditor"));
            combo->addItems(PropertyTreeModel::typeNames());
            // Picking a type is the whole edit: commit at once rather than on focus loss.
            connect(combo, &QComboBox::activated, this, [this, combo] {
                auto *self = const_cast<PropertyTreeDelegate *>(this);
                emit self->commitData(combo);
                emit self->closeEditor(combo);
            });
            return combo;
        }
        if (index.column() == PropertyTreeModel::ValueColumn && typeAt(index) == NodeType::Number) {
            auto *edit = new QLineEdit(parent);
            edit->setObjectName(QStringLiteral("numberEditor"));
            edit->setFrame(false);
            // JSON number grammar; the validator allows the partial states typing goes through.
            static const QRegularExpression number(QStringLiteral("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"));
            edit->setValidator(new QRegularExpressionValidator(number, edit));
            edit->setPlaceholderText(tr("a JSON number, e.g. 12.5"));
            return edit;
        }
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *edit = qobject_cast<QLineEdit *>(editor))
            edit->setObjectName(index.column() == PropertyTreeModel::KeyColumn ? QStringLiteral("keyEditor")
                                                                               : QStringLiteral("valueEditor"));
        return editor;
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            combo->setCurrentIndex(index.data(PropertyTreeModel::NodeTypeRole).toInt());
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }

    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            model->setData(index, combo->currentIndex(), PropertyTreeModel::NodeTypeRole);
            return;
        }
        if (auto *edit = qobject_cast<QLineEdit *>(editor); edit && edit->validator()) {
            // A half-typed number ("1e") is dropped rather than stored.
            if (edit->hasAcceptableInput())
                model->setData(index, edit->text());
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const NodeType type = typeAt(index);
        const auto *model = qobject_cast<const PropertyTreeModel *>(index.model());
        const JsonNode *node = model ? model->node(index) : nullptr;
        if (index.column() == PropertyTreeModel::KeyColumn && node && node->parent()
            && node->parent()->type() == NodeType::Array) {
            // The model leaves an element's index to the view (see PropertyTreeModel::data).
            option->text = QString::number(index.row());
            option->features |= QStyleOptionViewItem::HasDisplay;
        }
        const bool muted = (index.column() == PropertyTreeModel::ValueColumn
                            && (type == NodeType::Null || type == NodeType::Object || type == NodeType::Array))
                           || (index.column() == PropertyTreeModel::KeyColumn && !(index.flags() & Qt::ItemIsEditable));
        if (muted)
            option->palette.setBrush(QPalette::Text, option->palette.brush(QPalette::PlaceholderText));
    }
};

} // namespace

PropertyTreeEditor::PropertyTreeEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new PropertyTreeModel(this))
    , m_view(new QTreeView(this))
    , m_toolBar(new QToolBar(this))
{
    m_view->setObjectName(QStringLiteral("propertyTree"));
    m_view->setAccessibleName(tr("Properties tree"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new PropertyTreeDelegate(m_view));
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::SelectedClicked);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(PropertyTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_view->header()->resizeSection(PropertyTreeModel::KeyColumn, 18 * m_view->fontMetrics().averageCharWidth());

    m_toolBar->setObjectName(QStringLiteral("propertyToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setIconSize(QSize(16, 16));

    m_addMemberAction = new QAction(tr("Add member"), this);
    m_addMemberAction->setObjectName(QStringLiteral("addMemberAction"));
    m_addMemberAction->setShortcut(QKeySequence(Qt::Key_Insert));
    m_addMemberAction->setToolTip(tr("Add a member after the current one (Insert)"));
    m_addChildAction = new QAction(tr("Add child"), this);
    m_addChildAction->setObjectName(QStringLiteral("addChildAction"));
    m_addChildAction->setToolTip(tr("Add a member inside the current object or array"));
    m_deleteAction = new QAction(tr("Delete"), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setToolTip(tr("Delete the selected members (Delete)"));
    for (QAction *action : {m_addMemberAction, m_addChildAction, m_deleteAction}) {
        // Only while the tree itself has focus, so Delete still edits text in an open editor.
        action->setShortcutContext(Qt::WidgetShortcut);
        m_toolBar->addAction(action);
        m_view->addAction(action);
    }
    connect(m_addMemberAction, &QAction::triggered, this, &PropertyTreeEditor::addMember);
    connect(m_addChildAction, &QAction::triggered, this, &PropertyTreeEditor::addChild);
    connect(m_deleteAction, &QAction::triggered, this, &PropertyTreeEditor::deleteSelected);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_view);
    setFocusProxy(m_view);

    connect(m_model, &PropertyTreeModel::jsonEdited, this, &PropertyTreeEditor::jsonEdited);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->expandAll();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        m_view->expand(parent);
        for (int row = first; row <= last; ++row)
            m_view->expandRecursively(m_model->index(row, 0, parent));
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &PropertyTreeEditor::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &PropertyTreeEditor::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &PropertyTreeEditor::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PropertyTreeEditor::updateActions);
    updateActions();
}

PropertyTreeEditor::~PropertyTreeEditor()
{
    // The view, destroyed after this class, may still commit an open editor into the model.
    m_model->disconnect(this);
    m_view->selectionModel()->disconnect(this);
}

bool PropertyTreeEditor::setJson(std::string_view utf8)
{
    return m_model->setJson(utf8);
}

std::string PropertyTreeEditor::toJson() const
{
    return m_model->toJson();
}

void PropertyTreeEditor::addMember()
{
    const QModelIndex current = m_view->currentIndex();
    QModelIndex index;
    if (current.isValid() && m_model->isContainer(current.parent()))
        index = m_model->addChild(current.parent(), {}, NodeType::String, {}, current.row() + 1);
    else if (!current.isValid())
        index = m_model->addChild({});
    editNew(index);
}

void PropertyTreeEditor::addChild()
{
    const QModelIndex current = m_view->currentIndex();
    const QModelIndex parent =
            current.isValid() ? current.siblingAtColumn(PropertyTreeModel::KeyColumn) : QModelIndex();
    editNew(m_model->addChild(parent));
}

void PropertyTreeEditor::deleteSelected()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows(PropertyTreeModel::KeyColumn);
    if (rows.isEmpty() && m_view->currentIndex().isValid())
        rows << m_view->currentIndex().siblingAtColumn(PropertyTreeModel::KeyColumn);
    // Rows under another selected row go with it; the rest are removed by persistent index,
    // since every removal shifts the rows after it.
    const auto hasSelectedAncestor = [&rows](const QModelIndex &index) {
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent()) {
            if (rows.contains(p))
                return true;
        }
        return false;
    };
    QList<QPersistentModelIndex> targets;
    for (const QModelIndex &index : std::as_const(rows)) {
        if (!hasSelectedAncestor(index))
            targets << QPersistentModelIndex(index);
    }
    int nextRow = -1;
    QPersistentModelIndex nextParent;
    for (const QPersistentModelIndex &target : std::as_const(targets)) {
        if (!target.isValid() || !m_model->isContainer(target.parent()))
            continue;
        nextRow = target.row();
        nextParent = target.parent();
        m_model->removeRows(target.row(), 1, target.parent());
    }
    // Keep the keyboard on a neighbour so Delete can be pressed again.
    if (nextRow >= 0) {
        const int count = m_model->rowCount(nextParent);
        QModelIndex next =
                count > 0 ? m_model->index(std::min(nextRow, count - 1), 0, nextParent) : QModelIndex(nextParent);
        if (next.isValid())
            m_view->selectionModel()->setCurrentIndex(next,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    updateActions();
}

void PropertyTreeEditor::updateActions()
{
    const QModelIndex current = m_view->currentIndex();
    m_addMemberAction->setEnabled(current.isValid() ? m_model->isContainer(current.parent())
                                                    : m_model->isContainer({}));
    m_addChildAction->setEnabled(m_model->isContainer(
            current.isValid() ? current.siblingAtColumn(PropertyTreeModel::KeyColumn) : QModelIndex()));
    bool deletable = current.isValid() && m_model->isContainer(current.parent());
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        deletable = deletable || m_model->isContainer(row.parent());
    m_deleteAction->setEnabled(deletable);
}

void PropertyTreeEditor::editNew(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    m_view->expand(index.parent());
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    // Members are named first; elements only have a value.
    const int column =
            (index.flags() & Qt::ItemIsEditable) ? PropertyTreeModel::KeyColumn : PropertyTreeModel::ValueColumn;
    m_view->edit(index.siblingAtColumn(column));
}

} // namespace km
