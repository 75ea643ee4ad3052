#pragma once

#include <QColor>
#include <QString>

namespace km {

// Light and dark themes: Fusion with a palette. "System" follows the palette the platform gave
// the application at start-up (Qt 6.4 has no colour-scheme hint yet).
enum class Theme { System, Light, Dark };

void rememberSystemPalette();
void applyTheme(Theme theme);
bool isDarkPalette();
// a blended towards b by t (0: a, 1: b), channel by channel: tints that follow the palette.
QColor mixColors(const QColor &a, const QColor &b, qreal t);
QString themeName(Theme theme);
Theme themeFromName(const QString &name);

} // namespace km
