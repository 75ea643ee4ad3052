#pragma once

#include "configuration.h"
#include "settingsmatrix.h"

#include <QAbstractTableModel>
#include <QPalette>

#include <string_view>
#include <vector>

namespace km {

// What each combination of the three toggles makes of one call (km::settingsMatrix): a row
// per combination, Prefix Properties | Track Categorized Pages | Track Named Pages | Event
// names | Properties. The row the current configuration produces is highlighted, the columns
// of the settings that matter are bold in the header, and summary() says it in words.
class MatrixModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { PrefixColumn, CategorizedColumn, NamedColumn, EventNamesColumn, PropertiesColumn, ColumnCount };

    enum Role {
        IsCurrentRole = Qt::UserRole + 1, // bool: the row of the current configuration
        ErrorRole,                        // QString: the engine rejects the call with this row's toggles
        EventNamesRole,                   // QStringList
        IsSettingReadRole,                // bool, toggle columns: whether the engine reads that setting
    };
    Q_ENUM(Role)

    explicit MatrixModel(QObject *parent = nullptr);
    ~MatrixModel() override;

    // Shows rows made for configuration (its engine says which settings are read, and
    // matrixRowFor() picks the highlighted row).
    void setMatrix(std::vector<MatrixRow> rows, const Configuration &configuration);
    // Computes the matrix of a call (8 translations) and shows it.
    void compute(std::string_view json, const Configuration &configuration, double nowMillis);
    void clear();

    const std::vector<MatrixRow> &rows() const { return m_rows; }
    int currentRow() const { return m_currentRow; }
    // When the current row sends nothing: the fewest toggle flips that would send something,
    // "Turning on Track Named Pages would send: record Viewed Docs Page". Else empty.
    QString suggestion() const { return suggestionFor(m_rows, m_currentRow); }
    static QString suggestionFor(const std::vector<MatrixRow> &rows, int currentRow);
    // The setting keys whose flip changes the output (km::settingsThatMatter).
    QStringList settingsThatMatter() const { return m_matter; }
    // "Only Track Named Pages changes anything for this call", "None of the three toggles
    // changes anything for this call", ... Empty when there are no rows.
    QString summary() const;

    // The highlight of the current row comes from this palette; QGuiApplication::palette() until set.
    void setPalette(const QPalette &palette);
    QPalette palette() const { return m_palette; }

    // "Prefix Properties", "Track Categorized Pages", "Track Named Pages" for the setting keys.
    static QString settingLabel(QStringView key);
    static QString summaryFor(const QStringList &matter, const std::vector<MatrixRow> &rows);
    // The setting key of a toggle column, or empty.
    static QString settingKey(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    bool toggleOf(const MatrixRow &row, int column) const;

    std::vector<MatrixRow> m_rows;
    QStringList m_matter;
    int m_currentRow = -1;
    EngineId m_engine = EngineId::SegmentCloud;
    QPalette m_palette;
};

} // namespace km
