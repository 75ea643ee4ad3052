#include "comparemodel.h"

#include "previewmodel.h"
#include "theme.h"

#include <QFont>
#include <QGuiApplication>

#include <algorithm>
#include <array>

namespace km {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

// The semantic hue of a kind, at a lightness that suits the palette: light tints on dark
// bases, deeper ones on light bases. Same has none.
QColor tint(ChangeKind kind, const QPalette &palette)
{
    int hue = -1;
    switch (kind) {
    case ChangeKind::Same:
        return {};
    case ChangeKind::Added:
        hue = 125;
        break;
    case ChangeKind::Removed:
        hue = 2;
        break;
    case ChangeKind::Changed:
        hue = 40;
        break;
    case ChangeKind::Renamed:
        hue = 212;
        break;
    }
    const bool dark = isDark(palette);
    return QColor::fromHslF(static_cast<float>(hue) / 360.0f, dark ? 0.55f : 0.75f, dark ? 0.62f : 0.36f);
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString callTitle(const CallChange &c)
{
    if (c.leftName == c.rightName || c.rightName.empty())
        return fromStd(c.leftName);
    if (c.leftName.empty())
        return fromStd(c.rightName);
    return CompareModel::tr("%1 \u2192 %2").arg(fromStd(c.leftName), fromStd(c.rightName));
}

struct Toggle
{
    const char *key;
    const char *word;
};
constexpr std::array<Toggle, 3> kToggles = {{{"prefixProperties", "prefix"},
                                             {"trackCategorizedPages", "categorized pages"},
                                             {"trackNamedPages", "named pages"}}};

bool toggleValue(const Configuration &c, const char *key)
{
    const std::string_view k(key);
    if (k == "prefixProperties")
        return c.settings.isPrefixProperties(c.engine);
    if (k == "trackCategorizedPages")
        return c.settings.isTrackCategorizedPages(c.engine);
    return c.settings.isTrackNamedPages(c.engine);
}

} // namespace

CompareModel::CompareModel(QObject *parent)
    : CallTreeModel(parent)
    , m_palette(QGuiApplication::palette())
{ }

CompareModel::~CompareModel() = default;

void CompareModel::setTranslations(const Translation &left, const Translation &right)
{
    Arena arena; // the diff copies what it keeps into strings
    setChanges(diffTranslations(left, right, arena));
}

void CompareModel::setChanges(std::vector<CallChange> changes)
{
    beginResetModel();
    m_changes = std::move(changes);
    rebuildVisible();
    endResetModel();
}

void CompareModel::clear()
{
    setChanges({});
}

void CompareModel::setSameRows(SameRows rows)
{
    if (rows == m_sameRows)
        return;
    beginResetModel();
    m_sameRows = rows;
    rebuildVisible();
    endResetModel();
}

void CompareModel::rebuildVisible()
{
    m_visible.clear();
    const bool hideSame = m_sameRows == SameRows::Hidden;
    for (std::size_t i = 0; i < m_changes.size(); ++i) {
        const CallChange &call = m_changes[i];
        VisibleCall v;
        v.change = i;
        for (std::size_t j = 0; j < call.properties.size(); ++j)
            if (!hideSame || call.properties[j].kind != ChangeKind::Same)
                v.properties.push_back(j);
        if (hideSame && call.kind == ChangeKind::Same && v.properties.empty())
            continue;
        m_visible.push_back(std::move(v));
    }
}

void CompareModel::setKeyVisibility(KeyVisibility visibility)
{
    if (visibility == m_keyVisibility)
        return;
    m_keyVisibility = visibility;
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex parent = index(row, 0);
        const int children = rowCount(parent);
        if (children > 0)
            Q_EMIT dataChanged(index(0, LeftColumn, parent), index(children - 1, RightColumn, parent));
    }
}

void CompareModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    const QList<int> roles = {Qt::BackgroundRole, Qt::ForegroundRole};
    if (rowCount() == 0)
        return;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), roles);
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex parent = index(row, 0);
        const int children = rowCount(parent);
        if (children > 0)
            Q_EMIT dataChanged(index(0, 0, parent), index(children - 1, ColumnCount - 1, parent), roles);
    }
}

int CompareModel::count(ChangeKind kind) const
{
    int n = 0;
    for (const CallChange &c : m_changes)
        n += static_cast<int>(std::count_if(c.properties.begin(), c.properties.end(),
                                            [kind](const PropertyChange &p) { return p.kind == kind; }));
    return n;
}

QString CompareModel::changeName(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Same:
        return tr("Same");
    case ChangeKind::Added:
        return tr("Added");
    case ChangeKind::Removed:
        return tr("Removed");
    case ChangeKind::Changed:
        return tr("Changed");
    case ChangeKind::Renamed:
        return tr("Renamed by prefixing");
    }
    return {};
}

QColor CompareModel::background(ChangeKind kind, const QPalette &palette)
{
    if (kind == ChangeKind::Same)
        return {};
    return mixColors(palette.color(QPalette::Base), tint(kind, palette), isDark(palette) ? 0.26 : 0.16);
}

QColor CompareModel::foreground(ChangeKind kind, const QPalette &palette)
{
    if (kind == ChangeKind::Same)
        return palette.color(QPalette::PlaceholderText);
    // Halfway between the text colour and the tint: the hue shows, the contrast stays.
    return mixColors(palette.color(QPalette::Text), tint(kind, palette), 0.55);
}

QString CompareModel::describeComparison(const Configuration &left, const Configuration &right)
{
    QStringList leftParts;
    QStringList rightParts;
    for (const Toggle &t : kToggles) {
        if (!Settings::isReadBy(left.engine, t.key) || !Settings::isReadBy(right.engine, t.key))
            continue; // one side ignores it: its value says nothing about the difference
        const bool l = toggleValue(left, t.key);
        const bool r = toggleValue(right, t.key);
        if (l == r)
            continue;
        const QString word = QLatin1String(t.word);
        leftParts.append(l ? tr("%1 on").arg(word) : tr("%1 off").arg(word));
        rightParts.append(r ? tr("%1 on").arg(word) : tr("%1 off").arg(word));
    }
    const bool device = outputKind(left.engine) == OutputKind::Client && outputKind(right.engine) == OutputKind::Client;
    if (device && left.environment.isSkipPageView() != right.environment.isSkipPageView()) {
        leftParts.append(left.environment.isSkipPageView() ? tr("KM_SKIP_PAGE_VIEW set")
                                                           : tr("KM_SKIP_PAGE_VIEW not set"));
        rightParts.append(right.environment.isSkipPageView() ? tr("KM_SKIP_PAGE_VIEW set")
                                                             : tr("KM_SKIP_PAGE_VIEW not set"));
    }
    if (leftParts.isEmpty() && left.engine == right.engine) {
        // Nothing the toggles say: name what else differs, if anything.
        const QString other = left == right ? tr("same settings") : tr("other settings");
        leftParts.append(other);
        rightParts.append(other);
    }
    const auto side = [](EngineId engine, const QStringList &parts) {
        QString text = QLatin1String(engineName(engine));
        if (!parts.isEmpty())
            text += QStringLiteral(" (%1)").arg(parts.join(QLatin1String(", ")));
        return text;
    };
    return side(left.engine, leftParts) + QStringLiteral(" \u27F7 ") + side(right.engine, rightParts);
}

QString CompareModel::valueText(const std::string &key, const std::string &value) const
{
    QString text = fromStd(value);
    if (key == "_k" && m_keyVisibility == KeyVisibility::Redacted) {
        if (text.size() >= 2 && text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')))
            text = text.mid(1, text.size() - 2);
        return PreviewModel::maskedKey(text);
    }
    return text;
}

int CompareModel::callCount() const
{
    return static_cast<int>(m_visible.size());
}

int CompareModel::propertyCount(int call) const
{
    return static_cast<int>(m_visible[static_cast<std::size_t>(call)].properties.size());
}

int CompareModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (isCallIndex(index)) {
        const VisibleCall &v = m_visible[static_cast<std::size_t>(index.row())];
        return callData(m_changes[v.change], index.column(), role);
    }
    const VisibleCall &v = m_visible[static_cast<std::size_t>(index.internalId() - 1)];
    const CallChange &call = m_changes[v.change];
    return propertyData(call.properties[v.properties[static_cast<std::size_t>(index.row())]], index.column(), role);
}

QVariant CompareModel::callData(const CallChange &call, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case PropertyColumn:
            return callTitle(call);
        case LeftColumn:
            return call.leftName.empty() ? tr("(not sent)") : fromStd(call.leftName);
        case RightColumn:
            return call.rightName.empty() ? tr("(not sent)") : fromStd(call.rightName);
        case ChangeColumn:
            return changeName(call.kind);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        if (call.kind == ChangeKind::Added)
            return tr("Only the right side sends this call");
        if (call.kind == ChangeKind::Removed)
            return tr("Only the left side sends this call");
        QStringList counts;
        for (ChangeKind kind : {ChangeKind::Added, ChangeKind::Removed, ChangeKind::Changed, ChangeKind::Renamed}) {
            const auto n = std::count_if(call.properties.begin(), call.properties.end(),
                                         [kind](const PropertyChange &p) { return p.kind == kind; });
            if (n > 0)
                counts.append(QStringLiteral("%1 %2").arg(n).arg(changeName(kind).toLower()));
        }
        return counts.isEmpty() ? tr("No difference") : counts.join(QLatin1String(", "));
    }
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::BackgroundRole:
        // Only one-sided calls are tinted: a changed call's rows carry their own colours.
        if (call.kind == ChangeKind::Added || call.kind == ChangeKind::Removed)
            return background(call.kind, m_palette);
        return {};
    case Qt::ForegroundRole:
        if (column == ChangeColumn)
            return foreground(call.kind, m_palette);
        return {};
    case ChangeKindRole:
        return static_cast<int>(call.kind);
    case NoteRole:
        return QString();
    case LeftKeyRole:
        return fromStd(call.leftName);
    case RightKeyRole:
        return fromStd(call.rightName);
    case IsCallRole:
        return true;
    default:
        return {};
    }
}

QVariant CompareModel::propertyData(const PropertyChange &p, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case PropertyColumn:
            if (p.kind == ChangeKind::Renamed)
                return tr("%1 \u2192 %2").arg(fromStd(p.leftKey), fromStd(p.rightKey));
            return fromStd(p.leftKey.empty() ? p.rightKey : p.leftKey);
        case LeftColumn:
            return p.kind == ChangeKind::Added ? QString() : valueText(p.leftKey, p.leftValue);
        case RightColumn:
            return p.kind == ChangeKind::Removed ? QString() : valueText(p.rightKey, p.rightValue);
        case ChangeColumn:
            return changeName(p.kind);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = changeName(p.kind);
        if (!p.note.empty())
            tip += QStringLiteral(": ") + fromStd(p.note);
        return tip;
    }
    case Qt::BackgroundRole:
        return p.kind == ChangeKind::Same ? QVariant() : QVariant(background(p.kind, m_palette));
    case Qt::ForegroundRole:
        if (p.kind == ChangeKind::Same)
            return foreground(p.kind, m_palette); // dimmed: nothing to look at
        if (column == ChangeColumn)
            return foreground(p.kind, m_palette);
        return {};
    case ChangeKindRole:
        return static_cast<int>(p.kind);
    case NoteRole:
        return fromStd(p.note);
    case LeftKeyRole:
        return fromStd(p.leftKey);
    case RightKeyRole:
        return fromStd(p.rightKey);
    case IsCallRole:
        return false;
    default:
        return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case PropertyColumn:
        return tr("Property");
    case LeftColumn:
        return tr("Left");
    case RightColumn:
        return tr("Right");
    case ChangeColumn:
        return tr("Change");
    default:
        return {};
    }
}

} // namespace km
