#include "chipdelegate.h"

#include "theme.h"
#include "translation.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>

#include <cmath>

namespace km {

namespace {

// Sizes in font units, so chips scale with the font and the screen (no fixed pixels).
struct ChipGeometry
{
    explicit ChipGeometry(const QFont &font)
        : metrics(font)
    {
        padding = std::max(3.0, metrics.height() * 0.45);
        spacing = std::max(2.0, metrics.height() * 0.25);
        height = metrics.height() + 2.0;
        margin = std::max(2.0, metrics.height() * 0.2);
    }
    qreal width(const QString &text) const { return metrics.horizontalAdvance(text) + 2 * padding; }

    QFontMetricsF metrics;
    qreal padding;
    qreal spacing;
    qreal height;
    qreal margin;
};

// Known rules get well-spread hues (golden-angle steps in rule order); any other text a hue
// from a stable hash, so one rule keeps its colour from run to run.
int hueOffset(const QString &text)
{
    int position = 0;
    for (std::uint32_t bit = 1; bit != 0 && bit <= (1u << 11); bit <<= 1, ++position) {
        if (text == QString::fromUtf8(ruleDescription(static_cast<PropertyRule>(bit))))
            return static_cast<int>(std::lround(position * 137.508)) % 360;
    }
    std::uint32_t hash = 2166136261u; // FNV-1a over UTF-16 units: qHash is seeded per process
    for (const QChar c : text) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return static_cast<int>(hash % 360u);
}

void drawChip(QPainter *painter, const QRectF &rect, const QString &text, const ChipDelegate::ChipColors &colors)
{
    // Half-pixel inset keeps the 1-unit border crisp at any device pixel ratio.
    const QRectF r = rect.adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = r.height() / 2;
    painter->setPen(QPen(colors.border, 1.0));
    painter->setBrush(colors.fill);
    painter->drawRoundedRect(r, radius, radius);
    painter->setPen(colors.text);
    painter->drawText(rect, Qt::AlignCenter | Qt::TextSingleLine, text);
}

} // namespace

ChipDelegate::ChipDelegate(int chipsRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_chipsRole(chipsRole)
{ }

void ChipDelegate::setChipsRole(int role)
{
    m_chipsRole = role;
}

int ChipDelegate::chipHue(const QString &text, const QPalette &palette)
{
    int base = palette.color(QPalette::Highlight).hslHue();
    if (base < 0)
        base = 210; // an achromatic highlight has no hue: start from blue
    return (base + hueOffset(text)) % 360;
}

ChipDelegate::ChipColors ChipDelegate::chipColors(const QString &text, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    if (text == QString::fromUtf8(ruleDescription(PropertyRule::Reserved)))
        return neutralColors(palette); // bookkeeping, not a transformation: no hue to draw the eye
    const bool dark = base.lightnessF() < 0.5;
    const float hue = static_cast<float>(chipHue(text, palette)) / 360.0f;
    // A saturated tint, lighter on dark bases; the fill is mostly base so the palette's text
    // colour keeps its contrast, the border carries the hue.
    const QColor tint = QColor::fromHslF(hue, 0.65f, dark ? 0.62f : 0.42f);
    ChipColors colors;
    colors.fill = mixColors(base, tint, dark ? 0.32 : 0.18);
    colors.border = mixColors(base, tint, 0.7);
    colors.text = palette.color(QPalette::Text);
    return colors;
}

ChipDelegate::ChipColors ChipDelegate::neutralColors(const QPalette &palette)
{
    ChipColors colors;
    colors.fill = mixColors(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.08);
    colors.border = mixColors(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.35);
    colors.text = palette.color(QPalette::Text);
    return colors;
}

QStringList ChipDelegate::chipsOf(const QModelIndex &index) const
{
    return index.data(m_chipsRole).toStringList();
}

void ChipDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QStringList chips = chipsOf(index);
    if (chips.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // the style draws background, selection and focus; the chips replace the text
    opt.icon = QIcon();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const ChipGeometry g(opt.font);
    const QRectF area = QRectF(opt.rect).adjusted(g.margin, 0, -g.margin, 0);
    const qreal top = area.top() + (area.height() - g.height) / 2;
    // Chips keep their own (unselected) colours on a selected row: their text stays readable.
    QPalette palette = opt.palette;
    palette.setCurrentColorGroup(opt.state & QStyle::State_Enabled ? QPalette::Active : QPalette::Disabled);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(opt.rect);
    painter->setFont(opt.font);
    qreal x = area.left();
    for (qsizetype i = 0; i < chips.size(); ++i) {
        const qreal w = g.width(chips[i]);
        const qsizetype rest = chips.size() - i - 1;
        const qreal moreWidth = rest > 0 ? g.spacing + g.width(QStringLiteral("+%1").arg(rest)) : 0;
        if (i > 0 && x + w + moreWidth > area.right()) {
            const QString more = QStringLiteral("+%1").arg(chips.size() - i);
            drawChip(painter, QRectF(x, top, g.width(more), g.height), more, neutralColors(palette));
            break;
        }
        drawChip(painter, QRectF(x, top, w, g.height), chips[i], chipColors(chips[i], palette));
        x += w + g.spacing;
    }
    painter->restore();
}

QSize ChipDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QStringList chips = chipsOf(index);
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const ChipGeometry g(opt.font);
    // Cells without chips are as tall as chip cells, so views can use uniform row heights.
    if (chips.isEmpty())
        return {base.width(), std::max(base.height(), static_cast<int>(std::ceil(g.height + 2 * g.margin)))};
    qreal width = 2 * g.margin;
    for (const QString &chip : chips)
        width += g.width(chip);
    width += g.spacing * static_cast<qreal>(chips.size() - 1);
    const qreal height = g.height + 2 * g.margin;
    return {static_cast<int>(std::ceil(width)), std::max(base.height(), static_cast<int>(std::ceil(height)))};
}

} // namespace km
