#pragma once

#include "configuration.h"
#include "outputformat.h"
#include "translationdiff.h"

#include "calltreemodel.h"
#include <QPalette>

#include <vector>

namespace km {

// The property-level difference of two translations of one call (km::diffTranslations): a
// top-level row per pair of output calls, a child row per property: Property | Left | Right |
// Change. Rows are tinted from the palette by kind: green-ish added, red-ish removed, amber
// changed, blue-ish renamed by prefixing. Unchanged rows can be hidden.
class CompareModel : public CallTreeModel
{
    Q_OBJECT

public:
    enum Column { PropertyColumn, LeftColumn, RightColumn, ChangeColumn, ColumnCount };

    enum Role {
        ChangeKindRole = Qt::UserRole + 1, // int(km::ChangeKind), every column
        NoteRole,                          // QString: why it matters (PropertyChange::note)
        LeftKeyRole,                       // QString: the key (or call name) on the left
        RightKeyRole,                      // QString: the key (or call name) on the right
        IsCallRole,                        // bool: a top-level output call row
    };
    Q_ENUM(Role)

    enum class SameRows { Shown, Hidden };
    Q_ENUM(SameRows)

    explicit CompareModel(QObject *parent = nullptr);
    ~CompareModel() override;

    // Compares two translations (left: the current configuration, right: the pinned one).
    void setTranslations(const Translation &left, const Translation &right);
    void setChanges(std::vector<CallChange> changes);
    void clear();
    const std::vector<CallChange> &changes() const { return m_changes; }

    // Hidden: property rows of kind Same are left out, and call rows with nothing but Same.
    void setSameRows(SameRows rows);
    SameRows sameRows() const { return m_sameRows; }

    // The API key (_k) values show as "••••" + their last 4 characters unless Shown.
    void setKeyVisibility(KeyVisibility visibility);
    KeyVisibility keyVisibility() const { return m_keyVisibility; }

    // The colours come from this palette (the view's); QGuiApplication::palette() until set.
    void setPalette(const QPalette &palette);
    QPalette palette() const { return m_palette; }

    // How many property rows of a kind there are (hidden ones included).
    int count(ChangeKind kind) const;

    // "Same", "Added", "Removed", "Changed", "Renamed by prefixing".
    static QString changeName(ChangeKind kind);
    // The tint of a kind on a palette: a row background and a readable text colour.
    static QColor background(ChangeKind kind, const QPalette &palette);
    static QColor foreground(ChangeKind kind, const QPalette &palette);
    // "segment-cloud (prefix on) ⟷ segment-device (prefix off)": each side's engine and the
    // settings both engines read where the sides differ.
    static QString describeComparison(const Configuration &left, const Configuration &right);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    int callCount() const override;
    int propertyCount(int call) const override;

private:
    struct VisibleCall
    {
        std::size_t change = 0;              // into m_changes
        std::vector<std::size_t> properties; // into m_changes[change].properties
    };

    void rebuildVisible();
    QVariant callData(const CallChange &call, int column, int role) const;
    QVariant propertyData(const PropertyChange &change, int column, int role) const;
    QString valueText(const std::string &key, const std::string &value) const;

    std::vector<CallChange> m_changes;
    std::vector<VisibleCall> m_visible;
    SameRows m_sameRows = SameRows::Shown;
    KeyVisibility m_keyVisibility = KeyVisibility::Redacted;
    QPalette m_palette;
};

} // namespace km
