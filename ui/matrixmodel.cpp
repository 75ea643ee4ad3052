#include "matrixmodel.h"

#include "theme.h"

#include <QFont>
#include <QGuiApplication>

#include <algorithm>

namespace km {

namespace { } // namespace

MatrixModel::MatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_palette(QGuiApplication::palette())
{ }

MatrixModel::~MatrixModel() = default;

void MatrixModel::setMatrix(std::vector<MatrixRow> rows, const Configuration &configuration)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_engine = configuration.engine;
    m_currentRow = matrixRowFor(m_rows, configuration);
    m_matter = km::settingsThatMatter(m_rows);
    endResetModel();
}

void MatrixModel::compute(std::string_view json, const Configuration &configuration, double nowMillis)
{
    setMatrix(settingsMatrix(json, configuration, nowMillis), configuration);
}

void MatrixModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_matter.clear();
    m_currentRow = -1;
    endResetModel();
}

void MatrixModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (m_currentRow >= 0)
        Q_EMIT dataChanged(index(m_currentRow, 0), index(m_currentRow, ColumnCount - 1), {Qt::BackgroundRole});
}

QString MatrixModel::settingLabel(QStringView key)
{
    if (key == QLatin1String("prefixProperties"))
        return tr("Prefix Properties");
    if (key == QLatin1String("trackCategorizedPages"))
        return tr("Track Categorized Pages");
    if (key == QLatin1String("trackNamedPages"))
        return tr("Track Named Pages");
    return key.toString();
}

QString MatrixModel::settingKey(int column)
{
    switch (column) {
    case PrefixColumn:
        return QStringLiteral("prefixProperties");
    case CategorizedColumn:
        return QStringLiteral("trackCategorizedPages");
    case NamedColumn:
        return QStringLiteral("trackNamedPages");
    default:
        return {};
    }
}

QString MatrixModel::summaryFor(const QStringList &matter, const std::vector<MatrixRow> &rows)
{
    if (rows.empty())
        return {};
    const bool allFail = std::all_of(rows.begin(), rows.end(), [](const MatrixRow &r) { return !r.error.isEmpty(); });
    if (allFail && matter.isEmpty())
        return tr("Nothing is sent with any combination: %1").arg(rows.front().error);
    QStringList labels;
    for (const QString &key : matter)
        labels.append(settingLabel(key));
    switch (labels.size()) {
    case 0:
        return tr("None of the three toggles changes anything for this call");
    case 1:
        return tr("Only %1 changes anything for this call").arg(labels[0]);
    case 2:
        return tr("Only %1 and %2 change anything for this call").arg(labels[0], labels[1]);
    default:
        return tr("All three toggles change this call: %1, %2 and %3").arg(labels[0], labels[1], labels[2]);
    }
}

QString MatrixModel::suggestionFor(const std::vector<MatrixRow> &rows, int currentRow)
{
    if (currentRow < 0 || currentRow >= static_cast<int>(rows.size()))
        return {};
    const auto sends = [](const MatrixRow &r) { return r.error.isEmpty() && !r.eventNames.isEmpty(); };
    const MatrixRow &current = rows[static_cast<std::size_t>(currentRow)];
    if (sends(current))
        return {};
    const MatrixRow *best = nullptr;
    int bestFlips = 4;
    for (const MatrixRow &r : rows) {
        const int flips = int(r.prefix != current.prefix) + int(r.categorized != current.categorized)
                          + int(r.named != current.named);
        if (sends(r) && flips < bestFlips) {
            best = &r;
            bestFlips = flips;
        }
    }
    if (!best)
        return {};
    QStringList changes;
    const auto flip = [&changes](bool from, bool to, const char *key) {
        if (from != to)
            changes.append(to ? tr("turning on %1").arg(settingLabel(QString::fromLatin1(key)))
                              : tr("turning off %1").arg(settingLabel(QString::fromLatin1(key))));
    };
    flip(current.prefix, best->prefix, "prefixProperties");
    flip(current.categorized, best->categorized, "trackCategorizedPages");
    flip(current.named, best->named, "trackNamedPages");
    QString text = tr("%1 would send: %2").arg(changes.join(tr(" and ")), best->eventNames.join(QLatin1String(", ")));
    text[0] = text[0].toUpper();
    return text;
}

QString MatrixModel::summary() const
{
    return summaryFor(m_matter, m_rows);
}

bool MatrixModel::toggleOf(const MatrixRow &row, int column) const
{
    switch (column) {
    case PrefixColumn:
        return row.prefix;
    case CategorizedColumn:
        return row.categorized;
    case NamedColumn:
        return row.named;
    default:
        return false;
    }
}

int MatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int MatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MatrixModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MatrixRow &row = m_rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    const bool isToggle = column <= NamedColumn;
    const bool isRead = isToggle && Settings::isReadBy(m_engine, settingKey(column).toStdString());
    const bool isCurrent = index.row() == m_currentRow;
    switch (role) {
    case Qt::DisplayRole:
        if (isToggle)
            return toggleOf(row, column) ? tr("on") : tr("off");
        if (column == EventNamesColumn) {
            if (!row.error.isEmpty())
                return tr("rejected: %1").arg(row.error);
            return row.eventNames.isEmpty() ? tr("nothing sent") : row.eventNames.join(QLatin1String(", "));
        }
        if (column == PropertiesColumn)
            return row.error.isEmpty() ? QVariant(row.propertyCount) : QVariant(QString());
        return {};
    case Qt::ToolTipRole:
        if (!row.error.isEmpty())
            return row.error; // the engine's own words, whichever cell the pointer is on
        if (isToggle && !isRead)
            return tr("%1 does not read %2: it makes no difference here")
                    .arg(QLatin1String(engineName(m_engine)), settingLabel(settingKey(column)));
        if (column == EventNamesColumn)
            return row.eventNames.isEmpty() ? tr("Nothing is sent with these settings")
                                            : row.eventNames.join(QLatin1Char('\n'));
        if (column == PropertiesColumn)
            return tr("Properties over all calls, without Kissmetrics' own _k _p _n _t _d");
        if (isCurrent)
            return tr("The current settings");
        return {};
    case Qt::TextAlignmentRole:
        if (isToggle)
            return QVariant::fromValue(Qt::AlignCenter);
        if (column == PropertiesColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (isCurrent || (column == EventNamesColumn && (row.eventNames.isEmpty() || !row.error.isEmpty()))) {
            QFont font;
            font.setBold(isCurrent);
            font.setItalic(row.eventNames.isEmpty() && column == EventNamesColumn);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (isToggle && !isRead)
            return m_palette.color(QPalette::PlaceholderText);
        if (column == EventNamesColumn && row.eventNames.isEmpty())
            return m_palette.color(QPalette::PlaceholderText);
        return {};
    case Qt::BackgroundRole:
        if (isCurrent)
            return mixColors(m_palette.color(QPalette::Base), m_palette.color(QPalette::Highlight), 0.28);
        return {};
    case IsCurrentRole:
        return isCurrent;
    case ErrorRole:
        return row.error;
    case EventNamesRole:
        return row.eventNames;
    case IsSettingReadRole:
        return isToggle ? QVariant(isRead) : QVariant();
    default:
        return {};
    }
}

QVariant MatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
            return section == m_currentRow ? QStringLiteral("\u25B6") : QString::number(section + 1);
        if (role == Qt::ToolTipRole && section == m_currentRow)
            return tr("The current settings");
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    const QString key = settingKey(section);
    switch (role) {
    case Qt::DisplayRole:
        switch (section) {
        case PrefixColumn:
        case CategorizedColumn:
        case NamedColumn:
            return settingLabel(key);
        case EventNamesColumn:
            return tr("Event names");
        case PropertiesColumn:
            return tr("Properties");
        default:
            return {};
        }
    case Qt::FontRole:
        if (!key.isEmpty() && m_matter.contains(key)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (key.isEmpty())
            return {};
        return m_matter.contains(key) ? tr("%1 changes what this call sends").arg(settingLabel(key))
                                      : tr("%1 makes no difference for this call").arg(settingLabel(key));
    default:
        return {};
    }
}

Qt::ItemFlags MatrixModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace km
