#pragma once

#include "configuration.h"
#include "outputformat.h"
#include "preview.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

class QCheckBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace km {

class ChipDelegate;
class CompareModel;
class MatrixModel;
class PreviewModel;

// The right-hand preview of the main window: what Kissmetrics receives for one call with one
// configuration, and why. Tabs: "Kissmetrics calls" (a tree of the output calls and their
// properties with origins and rule chips), "Raw" (the exact URLs / POST bodies or _kmq.push
// lines, with Copy and Copy as cURL), "Why" (the call's warnings; clicking one emits
// fieldActivated), "Compare" (a property diff against a pinned configuration) and "Settings
// matrix" (what each combination of the three toggles makes of the call).
//
// Every setter recomputes the preview at once (one translation) and emits previewUpdated().
// The tabs that cost more (Raw, Compare with its second translation, the settings matrix with
// eight) are filled only while they are the current tab, when they become current, or by
// updateAllTabs(). The Why tab's title counts its entries ("Why (2)").
class PreviewPanel : public QWidget
{
    Q_OBJECT

public:
    enum Tab { CallsTab, RawTab, WhyTab, CompareTab, MatrixTab };
    Q_ENUM(Tab)

    // Data of the Why list's items.
    enum WhyRole {
        WhyPathRole = Qt::UserRole + 1, // QString: the input path the entry is about ("" for none)
        WhyCodeRole,                    // QString: the warning code ("nothing-sent"), "json" for input warnings
        WhyLineRole,                    // int: line of an input warning (0 for translation warnings)
        WhyColumnRole,                  // int: its column
    };
    Q_ENUM(WhyRole)

    explicit PreviewPanel(QWidget *parent = nullptr);
    ~PreviewPanel() override;

    // The text of the call (a Segment message as JSON). A text equal to the current one is a no-op.
    void setCall(std::string_view json);
    // No call: the panel is empty and says to pick one.
    void clearCall();
    bool hasCall() const { return m_hasCall; }
    const std::string &call() const { return m_json; }

    // An equal configuration is a no-op.
    void setConfiguration(const Configuration &configuration);
    const Configuration &configuration() const { return m_configuration; }

    // The configuration to compare with (the right side of the Compare tab); none shows a hint.
    void setComparison(const std::optional<Configuration> &comparison);
    const std::optional<Configuration> &comparison() const { return m_comparison; }

    // The clock (milliseconds since the epoch) used for calls without a timestamp. Tests pass a
    // fixed one. The default is the system clock. Does not recompute.
    void setClock(std::function<double()> nowMillis);

    // Whether the API key shows in the tree, the raw text and the cURL commands (the "Show
    // API key" check box).
    void setKeyVisibility(KeyVisibility visibility);
    KeyVisibility keyVisibility() const { return m_keyVisibility; }

    Tab currentTab() const;
    void setCurrentTab(Tab tab);

    // The banner text when nothing is shown ("Not a valid call: ...", "Nothing is sent: ..."),
    // else empty.
    QString statusText() const;

    // For the window's actions and for tests.
    const PreviewResult *currentResult() const { return m_result.get(); }
    std::shared_ptr<const PreviewResult> result() const { return m_result; }
    PreviewModel *previewModel() const { return m_previewModel; }
    CompareModel *compareModel() const { return m_compareModel; }
    MatrixModel *matrixModel() const { return m_matrixModel; }
    QTabWidget *tabWidget() const { return m_tabs; }
    QTreeView *previewTree() const { return m_tree; }

public Q_SLOTS:
    // Recomputes the preview now (the lazy tabs follow when shown).
    void refresh();
    // Fills every tab now, the lazy ones included (screenshots, tests).
    void updateAllTabs();
    // The raw text as shown / every request as a cURL command, to the clipboard.
    void copyRaw();
    void copyCurl();

Q_SIGNALS:
    // A Why entry about a field of the message was clicked (or Enter pressed on it).
    void fieldActivated(const QString &path);
    // A Why entry about a place in the JSON text (an input warning) was activated.
    void locationActivated(int line, int column);
    // After each recompute of the preview.
    void previewUpdated();
    void keyVisibilityChanged(km::KeyVisibility visibility);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    enum Part : unsigned { RawPart = 1, WhyHintPart = 2, ComparePart = 4, MatrixPart = 8, AllParts = 15 };

    QWidget *createCallsTab();
    QWidget *createRawTab();
    QWidget *createWhyTab();
    QWidget *createComparePage();
    QWidget *createMatrixTab();

    void updateCurrentTab();
    void updateStatus();
    void updateWhyList();
    void updateWhyHint();
    void updateRaw();
    void updateCompare();
    void updateMatrix();
    void ensureMatrix();
    void updateColors();
    void activateWhyItem(QListWidgetItem *item);
    bool fitPreviewColumns();

    std::string m_json;
    bool m_hasCall = false;
    Configuration m_configuration;
    std::optional<Configuration> m_comparison;
    std::function<double()> m_clock;
    double m_resultNow = 0; // the clock reading of the current result, reused by the lazy tabs
    KeyVisibility m_keyVisibility = KeyVisibility::Redacted;
    std::shared_ptr<const PreviewResult> m_result;
    unsigned m_dirty = AllParts;
    bool m_matrixFresh = false;
    bool m_fitPending = false; // the tree was reset while hidden: fit its columns when shown

    PreviewModel *m_previewModel = nullptr;
    CompareModel *m_compareModel = nullptr;
    MatrixModel *m_matrixModel = nullptr;
    ChipDelegate *m_chipDelegate = nullptr;

    QTabWidget *m_tabs = nullptr;
    QLabel *m_previewBanner = nullptr;
    QTreeView *m_tree = nullptr;
    QPlainTextEdit *m_rawText = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_copyCurlButton = nullptr;
    QCheckBox *m_showKeyCheck = nullptr;
    QLabel *m_whyBanner = nullptr;
    QLabel *m_whyHint = nullptr;
    QListWidget *m_whyList = nullptr;
    QLabel *m_whyEmpty = nullptr;
    QStackedWidget *m_compareStack = nullptr;
    QLabel *m_compareHint = nullptr;
    QLabel *m_compareHeader = nullptr;
    QLabel *m_compareStatus = nullptr;
    QCheckBox *m_hideUnchangedCheck = nullptr;
    QTreeView *m_compareTree = nullptr;
    QLabel *m_matterLabel = nullptr;
    QTableView *m_matrixTable = nullptr;
};

} // namespace km
