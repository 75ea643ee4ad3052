#pragma once

#include <QStyledItemDelegate>

namespace km {

// Paints a QStringList role as rounded "chips" (the rules that shaped a preview property).
// Each text gets its own hue, turned from the palette's highlight hue, and its colours are
// mixed with the view's base colour, so chips stay readable on light and dark palettes alike.
// Chips that do not fit end in a "+N" chip; the cell's tooltip still lists them all.
class ChipDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // chipsRole: the role holding the QStringList (e.g. PreviewModel::RulesRole).
    explicit ChipDelegate(int chipsRole, QObject *parent = nullptr);

    int chipsRole() const { return m_chipsRole; }
    void setChipsRole(int role);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The colours of one chip for a palette: fill, border and text. Stable for a given text.
    struct ChipColors
    {
        QColor fill;
        QColor border;
        QColor text;
    };
    // ("Kissmetrics parameter" chips are neutral: see neutralColors().)
    static ChipColors chipColors(const QString &text, const QPalette &palette);
    // Grey from the palette's base and text: the "+N" overflow chip and Kissmetrics parameters.
    static ChipColors neutralColors(const QPalette &palette);
    // The hue (0..359) of a chip text on a palette.
    static int chipHue(const QString &text, const QPalette &palette);

private:
    QStringList chipsOf(const QModelIndex &index) const;

    int m_chipsRole;
};

} // namespace km
