#include "previewpanel.h"

#include "chipdelegate.h"
#include "comparemodel.h"
#include "matrixmodel.h"
#include "previewmodel.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace km {

namespace {

// Resizing columns to their contents measures every row: only worth it for small outputs.
constexpr int kResizeRowLimit = 300;

// Columns as wide as their contents, up to a third of the view each, for small expanded trees.
// False when the tree is not shown yet: its width is not known.
bool fitColumns(QTreeView *tree, std::initializer_list<int> columns)
{
    if (!tree->isVisible())
        return false;
    const QAbstractItemModel *model = tree->model();
    int rows = model->rowCount();
    for (int row = 0; row < model->rowCount() && rows <= kResizeRowLimit; ++row)
        rows += model->rowCount(model->index(row, 0));
    if (rows == 0 || rows > kResizeRowLimit)
        return true;
    const int maxWidth = std::max(tree->viewport()->width() / 3, 12 * tree->fontMetrics().averageCharWidth());
    for (int column : columns) {
        tree->resizeColumnToContents(column);
        if (tree->columnWidth(column) > maxWidth)
            tree->setColumnWidth(column, maxWidth);
    }
    return true;
}

enum class BannerKind { Error, Notice };

QLabel *createBanner(const QString &objectName, QWidget *parent)
{
    auto *banner = new QLabel(parent);
    banner->setObjectName(objectName);
    banner->setWordWrap(true);
    banner->setTextFormat(Qt::PlainText);
    banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner->setFrameShape(QFrame::StyledPanel);
    banner->setAutoFillBackground(true);
    banner->setMargin(banner->fontMetrics().height() / 3);
    banner->hide();
    return banner;
}

// A red-ish (error) or amber (notice) tint of the window colour; the text keeps the palette's.
void styleBanner(QLabel *banner, BannerKind kind, const QPalette &base)
{
    const bool dark = base.color(QPalette::Window).lightnessF() < 0.5;
    const float hue = kind == BannerKind::Error ? 2.0f / 360.0f : 40.0f / 360.0f;
    const QColor tint = QColor::fromHslF(hue, 0.7f, dark ? 0.55f : 0.5f);
    QPalette palette = base;
    palette.setColor(QPalette::Window, mixColors(base.color(QPalette::Window), tint, dark ? 0.3 : 0.2));
    palette.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
    banner->setPalette(palette);
    QFont font = banner->font();
    font.setBold(kind == BannerKind::Error);
    banner->setFont(font);
}

BannerKind bannerKind(PreviewModel::Status status)
{
    return status == PreviewModel::Status::NothingSent ? BannerKind::Notice : BannerKind::Error;
}

QStringList toQStringList(const std::vector<std::string> &lines)
{
    QStringList list;
    list.reserve(static_cast<qsizetype>(lines.size()));
    for (const std::string &line : lines)
        list.append(QString::fromStdString(line));
    return list;
}

} // namespace

PreviewPanel::PreviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_clock([] { return static_cast<double>(QDateTime::currentMSecsSinceEpoch()); })
    , m_previewModel(new PreviewModel(this))
    , m_compareModel(new CompareModel(this))
    , m_matrixModel(new MatrixModel(this))
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("previewTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(createCallsTab(), tr("Kissmetrics calls"));
    m_tabs->addTab(createRawTab(), tr("Raw"));
    m_tabs->addTab(createWhyTab(), tr("Why"));
    m_tabs->addTab(createComparePage(), tr("Compare"));
    m_tabs->addTab(createMatrixTab(), tr("Settings matrix"));
    m_tabs->setTabToolTip(CallsTab, tr("What Kissmetrics receives, property by property, and where each came from"));
    m_tabs->setTabToolTip(RawTab, tr("The exact requests, or the JavaScript the page runs"));
    m_tabs->setTabToolTip(WhyTab, tr("Quirks, Kissmetrics limits, and why nothing is sent"));
    m_tabs->setTabToolTip(CompareTab, tr("The same call with a pinned configuration, property by property"));
    m_tabs->setTabToolTip(MatrixTab, tr("What each combination of the three toggles makes of this call"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &PreviewPanel::updateCurrentTab);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    updateColors();
    updateStatus();
}

PreviewPanel::~PreviewPanel() = default;

QWidget *PreviewPanel::createCallsTab()
{
    auto *page = new QWidget;
    m_previewBanner = createBanner(QStringLiteral("previewBanner"), page);

    m_tree = new QTreeView(page);
    m_tree->setObjectName(QStringLiteral("previewTree"));
    m_tree->setModel(m_previewModel);
    m_chipDelegate = new ChipDelegate(PreviewModel::RulesRole, m_tree);
    m_tree->setItemDelegateForColumn(PreviewModel::RulesColumn, m_chipDelegate);
    m_tree->setUniformRowHeights(true); // fast layout for thousands of properties
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(true);
    const int ch = m_tree->fontMetrics().averageCharWidth();
    header->resizeSection(PreviewModel::NameColumn, 22 * ch);
    header->resizeSection(PreviewModel::ValueColumn, 18 * ch);
    header->resizeSection(PreviewModel::TypeColumn, 10 * ch);
    header->resizeSection(PreviewModel::OriginColumn, 20 * ch);
    // After a reset (other calls or keys) the tree opens fully; a value edit keeps the view.
    connect(m_previewModel, &QAbstractItemModel::modelReset, m_tree, [this] {
        m_tree->expandAll();
        m_fitPending = !fitPreviewColumns();
    });

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_previewBanner);
    layout->addWidget(m_tree, 1);
    return page;
}

QWidget *PreviewPanel::createRawTab()
{
    auto *page = new QWidget;
    m_rawText = new QPlainTextEdit(page);
    m_rawText->setObjectName(QStringLiteral("rawText"));
    m_rawText->setReadOnly(true);
    m_rawText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawText->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_rawText->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere); // URLs have no spaces
    m_rawText->setPlaceholderText(tr("Nothing is sent."));

    m_copyButton = new QPushButton(tr("Copy"), page);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_copyButton->setToolTip(tr("Copy the requests as shown"));
    m_copyCurlButton = new QPushButton(tr("Copy as cURL"), page);
    m_copyCurlButton->setObjectName(QStringLiteral("copyCurlButton"));
    m_showKeyCheck = new QCheckBox(tr("Show API key"), page);
    m_showKeyCheck->setObjectName(QStringLiteral("showKeyCheck"));
    m_showKeyCheck->setToolTip(
            tr("Show the real API key instead of <API_KEY> here, in cURL commands and in the calls"));
    connect(m_copyButton, &QPushButton::clicked, this, &PreviewPanel::copyRaw);
    connect(m_copyCurlButton, &QPushButton::clicked, this, &PreviewPanel::copyCurl);
    connect(m_showKeyCheck, &QCheckBox::toggled, this,
            [this](bool checked) { setKeyVisibility(checked ? KeyVisibility::Shown : KeyVisibility::Redacted); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyButton);
    buttons->addWidget(m_copyCurlButton);
    buttons->addStretch(1);
    buttons->addWidget(m_showKeyCheck);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_rawText, 1);
    layout->addLayout(buttons);
    return page;
}

QWidget *PreviewPanel::createWhyTab()
{
    auto *page = new QWidget;
    m_whyBanner = createBanner(QStringLiteral("whyBanner"), page);
    m_whyHint = new QLabel(page);
    m_whyHint->setObjectName(QStringLiteral("whyHint"));
    m_whyHint->setWordWrap(true);
    m_whyHint->setTextFormat(Qt::PlainText);
    m_whyHint->hide();

    m_whyList = new QListWidget(page);
    m_whyList->setObjectName(QStringLiteral("whyList"));
    m_whyList->setWordWrap(true);
    m_whyList->setResizeMode(QListView::Adjust);
    m_whyList->setAlternatingRowColors(true);
    m_whyList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_whyList->installEventFilter(this); // Enter on an entry activates it, like a click
    connect(m_whyList, &QListWidget::itemClicked, this, &PreviewPanel::activateWhyItem);

    m_whyEmpty = new QLabel(tr("Nothing unusual: the call goes through as it is."), page);
    m_whyEmpty->setObjectName(QStringLiteral("whyEmpty"));
    m_whyEmpty->setWordWrap(true);
    m_whyEmpty->setEnabled(false);
    m_whyEmpty->hide();

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_whyBanner);
    layout->addWidget(m_whyHint);
    layout->addWidget(m_whyEmpty);
    layout->addWidget(m_whyList, 1);
    return page;
}

QWidget *PreviewPanel::createComparePage()
{
    m_compareStack = new QStackedWidget;

    m_compareHint = new QLabel(tr("Pin a configuration to compare: Calls > Pin current settings for comparison"));
    m_compareHint->setObjectName(QStringLiteral("compareHint"));
    m_compareHint->setWordWrap(true);
    m_compareHint->setAlignment(Qt::AlignCenter);
    m_compareHint->setEnabled(false);
    m_compareStack->addWidget(m_compareHint);

    auto *page = new QWidget;
    m_compareHeader = new QLabel(page);
    m_compareHeader->setObjectName(QStringLiteral("compareHeader"));
    m_compareHeader->setWordWrap(true);
    m_compareHeader->setTextFormat(Qt::PlainText);
    QFont bold = m_compareHeader->font();
    bold.setBold(true);
    m_compareHeader->setFont(bold);
    m_compareHeader->setToolTip(tr("Left: the current configuration. Right: the pinned one."));
    m_compareStatus = new QLabel(page);
    m_compareStatus->setObjectName(QStringLiteral("compareStatus"));
    m_compareStatus->setWordWrap(true);
    m_compareStatus->setTextFormat(Qt::PlainText);
    m_hideUnchangedCheck = new QCheckBox(tr("Hide unchanged"), page);
    m_hideUnchangedCheck->setObjectName(QStringLiteral("hideUnchangedCheck"));
    connect(m_hideUnchangedCheck, &QCheckBox::toggled, this, [this](bool checked) {
        m_compareModel->setSameRows(checked ? CompareModel::SameRows::Hidden : CompareModel::SameRows::Shown);
    });

    m_compareTree = new QTreeView(page);
    m_compareTree->setObjectName(QStringLiteral("compareTree"));
    m_compareTree->setModel(m_compareModel);
    m_compareTree->setUniformRowHeights(true);
    m_compareTree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_compareTree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_compareTree->setTextElideMode(Qt::ElideMiddle);
    m_compareTree->header()->setStretchLastSection(true);
    const int ch = m_compareTree->fontMetrics().averageCharWidth();
    m_compareTree->header()->resizeSection(CompareModel::PropertyColumn, 26 * ch);
    m_compareTree->header()->resizeSection(CompareModel::LeftColumn, 18 * ch);
    m_compareTree->header()->resizeSection(CompareModel::RightColumn, 18 * ch);
    connect(m_compareModel, &QAbstractItemModel::modelReset, m_compareTree, [this] {
        m_compareTree->expandAll();
        fitColumns(m_compareTree, {CompareModel::PropertyColumn, CompareModel::LeftColumn, CompareModel::RightColumn});
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_compareHeader, 1);
    top->addWidget(m_hideUnchangedCheck);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_compareStatus);
    layout->addWidget(m_compareTree, 1);
    m_compareStack->addWidget(page);
    return m_compareStack;
}

QWidget *PreviewPanel::createMatrixTab()
{
    auto *page = new QWidget;
    m_matterLabel = new QLabel(page);
    m_matterLabel->setObjectName(QStringLiteral("matterLabel"));
    m_matterLabel->setWordWrap(true);
    m_matterLabel->setTextFormat(Qt::PlainText);

    m_matrixTable = new QTableView(page);
    m_matrixTable->setObjectName(QStringLiteral("matrixTable"));
    m_matrixTable->setModel(m_matrixModel);
    m_matrixTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_matrixTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrixTable->setWordWrap(false);
    m_matrixTable->horizontalHeader()->setStretchLastSection(false);
    m_matrixTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents); // 8 rows: cheap
    m_matrixTable->horizontalHeader()->setSectionResizeMode(MatrixModel::EventNamesColumn, QHeaderView::Stretch);
    m_matrixTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_matterLabel);
    layout->addWidget(m_matrixTable, 1);
    return page;
}

bool PreviewPanel::fitPreviewColumns()
{
    return fitColumns(m_tree, {PreviewModel::NameColumn, PreviewModel::ValueColumn, PreviewModel::OriginColumn});
}

void PreviewPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_fitPending)
        m_fitPending = !fitPreviewColumns();
}

void PreviewPanel::setCall(std::string_view json)
{
    if (m_hasCall && json == m_json)
        return;
    m_json.assign(json);
    m_hasCall = true;
    refresh();
}

void PreviewPanel::clearCall()
{
    m_json.clear();
    m_hasCall = false;
    refresh();
}

void PreviewPanel::setConfiguration(const Configuration &configuration)
{
    if (configuration == m_configuration)
        return;
    m_configuration = configuration;
    refresh();
}

void PreviewPanel::setComparison(const std::optional<Configuration> &comparison)
{
    if (comparison.has_value() == m_comparison.has_value() && (!comparison || *comparison == *m_comparison))
        return;
    m_comparison = comparison;
    m_dirty |= ComparePart;
    updateCurrentTab();
}

void PreviewPanel::setClock(std::function<double()> nowMillis)
{
    m_clock = std::move(nowMillis);
}

void PreviewPanel::setKeyVisibility(KeyVisibility visibility)
{
    if (visibility == m_keyVisibility)
        return;
    m_keyVisibility = visibility;
    m_previewModel->setKeyVisibility(visibility);
    m_compareModel->setKeyVisibility(visibility);
    {
        const QSignalBlocker blocker(m_showKeyCheck);
        m_showKeyCheck->setChecked(visibility == KeyVisibility::Shown);
    }
    m_dirty |= RawPart;
    updateCurrentTab();
    Q_EMIT keyVisibilityChanged(visibility);
}

PreviewPanel::Tab PreviewPanel::currentTab() const
{
    return static_cast<Tab>(m_tabs->currentIndex());
}

void PreviewPanel::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

QString PreviewPanel::statusText() const
{
    if (!m_hasCall)
        return tr("Select or add a call to see what Kissmetrics receives.");
    return m_result ? PreviewModel::statusText(*m_result) : QString();
}

void PreviewPanel::refresh()
{
    if (m_hasCall) {
        m_resultNow = m_clock ? m_clock() : 0.0;
        m_result = std::make_shared<const PreviewResult>(translateCall(m_json, m_configuration, m_resultNow));
    } else {
        m_result.reset();
    }
    // A value edit updates the tree in place; a reset would scroll it to the top.
    const int scroll = m_tree->verticalScrollBar()->value();
    m_previewModel->setResult(m_result);
    m_tree->verticalScrollBar()->setValue(scroll);

    m_dirty = AllParts;
    m_matrixFresh = false;
    updateStatus();
    updateWhyList();
    updateCurrentTab();
    Q_EMIT previewUpdated();
}

void PreviewPanel::updateAllTabs()
{
    updateRaw();
    updateWhyHint();
    updateCompare();
    updateMatrix();
}

void PreviewPanel::updateCurrentTab()
{
    switch (currentTab()) {
    case RawTab:
        if (m_dirty & RawPart)
            updateRaw();
        break;
    case WhyTab:
        if (m_dirty & WhyHintPart)
            updateWhyHint();
        break;
    case CompareTab:
        if (m_dirty & ComparePart)
            updateCompare();
        break;
    case MatrixTab:
        if (m_dirty & MatrixPart)
            updateMatrix();
        break;
    case CallsTab:
        if (m_fitPending)
            m_fitPending = !fitPreviewColumns();
        break;
    }
}

void PreviewPanel::updateStatus()
{
    const QString text = statusText();
    const BannerKind kind = m_result ? bannerKind(PreviewModel::statusOf(*m_result)) : BannerKind::Notice;
    for (QLabel *banner : {m_previewBanner, m_whyBanner}) {
        banner->setText(text);
        banner->setVisible(!text.isEmpty());
        styleBanner(banner, kind, palette());
    }
}

void PreviewPanel::updateWhyList()
{
    m_whyList->clear();
    if (m_result) {
        const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
        const QIcon infoIcon = style()->standardIcon(QStyle::SP_MessageBoxInformation);
        // The JSON the engines read differently from its text, then the call's own warnings.
        for (const JsonIssue &issue : m_result->inputWarnings) {
            auto *item = new QListWidgetItem(warningIcon, QString::fromStdString(issue.toString()), m_whyList);
            item->setData(WhyPathRole, QString());
            item->setData(WhyCodeRole, QStringLiteral("json"));
            item->setData(WhyLineRole, issue.line);
            item->setData(WhyColumnRole, issue.column);
            item->setToolTip(tr("In the JSON text: click to go there"));
        }
        const std::vector<const Warning *> explaining =
                PreviewModel::statusOf(*m_result) == PreviewModel::Status::NothingSent
                        ? PreviewModel::explainingWarnings(m_result->translation)
                        : std::vector<const Warning *>();
        for (const Warning &w : m_result->translation.warnings) {
            const bool explains = std::find(explaining.begin(), explaining.end(), &w) != explaining.end();
            const QString path = QString::fromStdString(w.path);
            QString text = QString::fromStdString(w.message);
            if (!path.isEmpty())
                text += QStringLiteral("\n\u21B3 ") + path;
            auto *item = new QListWidgetItem(explains ? infoIcon : warningIcon, text, m_whyList);
            item->setData(WhyPathRole, path);
            item->setData(WhyCodeRole, QString::fromStdString(w.code));
            item->setData(WhyLineRole, 0);
            item->setData(WhyColumnRole, 0);
            item->setToolTip(path.isEmpty() ? QString::fromStdString(w.code)
                                            : tr("%1: click to select %2").arg(QString::fromStdString(w.code), path));
        }
    }
    const int count = m_whyList->count();
    m_whyList->setVisible(count > 0);
    m_whyEmpty->setVisible(count == 0 && m_result
                           && PreviewModel::statusOf(*m_result) == PreviewModel::Status::Sending);
    m_tabs->setTabText(WhyTab, count > 0 ? tr("Why (%1)").arg(count) : tr("Why"));
}

void PreviewPanel::updateWhyHint()
{
    m_dirty &= ~WhyHintPart;
    // Only a call the engine accepts but does not send gets a hint: the matrix says which
    // toggles would make it send.
    QString hint;
    if (m_result && PreviewModel::statusOf(*m_result) == PreviewModel::Status::NothingSent) {
        ensureMatrix();
        hint = m_matrixModel->suggestion();
    }
    m_whyHint->setText(hint);
    m_whyHint->setVisible(!hint.isEmpty());
}

void PreviewPanel::updateRaw()
{
    m_dirty &= ~RawPart;
    QStringList entries;
    bool http = false;
    if (m_result && m_result->isValid && !m_result->translation.isRejected()) {
        entries = toQStringList(rawRequests(*m_result, m_result->configuration, m_keyVisibility));
        http = !m_result->translation.requests.empty();
    }
    m_rawText->setPlainText(entries.join(QLatin1String("\n\n")));
    m_rawText->setPlaceholderText(m_hasCall ? tr("Nothing is sent.") : statusText());
    m_copyButton->setEnabled(!entries.isEmpty());
    m_copyCurlButton->setEnabled(http);
    m_copyCurlButton->setToolTip(http || entries.isEmpty()
                                         ? tr("Copy each request as a cURL command line")
                                         : tr("Device mode runs in the browser: there is no HTTP request to copy"));
}

void PreviewPanel::copyRaw()
{
    if (m_dirty & RawPart)
        updateRaw();
    QGuiApplication::clipboard()->setText(m_rawText->toPlainText());
}

void PreviewPanel::copyCurl()
{
    if (!m_result)
        return;
    const QStringList commands = toQStringList(curlCommands(*m_result, m_result->configuration, m_keyVisibility));
    if (!commands.isEmpty())
        QGuiApplication::clipboard()->setText(commands.join(QLatin1String("\n\n")));
}

void PreviewPanel::updateCompare()
{
    m_dirty &= ~ComparePart;
    if (!m_comparison) {
        m_compareStack->setCurrentWidget(m_compareHint);
        m_compareModel->clear();
        return;
    }
    m_compareStack->setCurrentIndex(1);
    m_compareHeader->setText(CompareModel::describeComparison(m_configuration, *m_comparison));
    if (!m_result) {
        m_compareModel->clear();
        m_compareStatus->setText(statusText());
        return;
    }
    if (!m_result->isValid) {
        m_compareModel->clear();
        m_compareStatus->setText(PreviewModel::statusText(*m_result));
        return;
    }
    // The same clock reading as the preview: a call without a timestamp must not differ in _t.
    const PreviewResult right = translateCall(m_json, *m_comparison, m_resultNow, ExplainMode::Off);
    m_compareModel->setTranslations(m_result->translation, right.translation);

    QStringList status;
    if (m_result->translation.isRejected())
        status.append(tr("Left: %1 rejects the call: %2")
                              .arg(QLatin1String(engineName(m_configuration.engine)),
                                   QString::fromStdString(m_result->translation.error)));
    if (right.translation.isRejected())
        status.append(tr("Right: %1 rejects the call: %2")
                              .arg(QLatin1String(engineName(m_comparison->engine)),
                                   QString::fromStdString(right.translation.error)));
    QStringList counts;
    for (ChangeKind kind : {ChangeKind::Added, ChangeKind::Removed, ChangeKind::Changed, ChangeKind::Renamed}) {
        if (const int n = m_compareModel->count(kind))
            counts.append(QStringLiteral("%1 %2").arg(n).arg(CompareModel::changeName(kind).toLower()));
    }
    const bool callsDiffer = std::any_of(m_compareModel->changes().begin(), m_compareModel->changes().end(),
                                         [](const CallChange &c) { return c.kind != ChangeKind::Same; });
    if (counts.isEmpty() && !callsDiffer)
        status.append(m_compareModel->changes().empty() ? tr("Neither side sends anything.")
                                                        : tr("Both sides send the same."));
    else if (!counts.isEmpty())
        status.append(counts.join(QLatin1String(", ")));
    m_compareStatus->setText(status.join(QLatin1Char('\n')));
}

void PreviewPanel::ensureMatrix()
{
    if (m_matrixFresh)
        return;
    m_matrixFresh = true;
    if (!m_hasCall) {
        m_matrixModel->clear();
        return;
    }
    m_matrixModel->compute(m_json, m_configuration, m_resultNow);
}

void PreviewPanel::updateMatrix()
{
    m_dirty &= ~MatrixPart;
    ensureMatrix();
    const QString summary = m_hasCall ? m_matrixModel->summary() : statusText();
    m_matterLabel->setText(summary);
}

void PreviewPanel::activateWhyItem(QListWidgetItem *item)
{
    if (!item)
        return;
    const QString path = item->data(WhyPathRole).toString();
    if (!path.isEmpty()) {
        Q_EMIT fieldActivated(path);
        return;
    }
    const int line = item->data(WhyLineRole).toInt();
    if (line > 0)
        Q_EMIT locationActivated(line, item->data(WhyColumnRole).toInt());
}

bool PreviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_whyList && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            activateWhyItem(m_whyList->currentItem());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PreviewPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange
        || event->type() == QEvent::StyleChange)
        updateColors();
}

void PreviewPanel::updateColors()
{
    if (!m_previewBanner)
        return; // a change event during construction
    m_compareModel->setPalette(palette());
    m_matrixModel->setPalette(palette());
    if (m_result || !m_hasCall)
        updateStatus();
}

} // namespace km
