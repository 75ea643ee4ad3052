#pragma once

#include <QString>

namespace km {

// Light and dark themes: Fusion with a palette. "System" follows the palette the platform gave
// the application at start-up (Qt 6.4 has no colour-scheme hint yet).
enum class Theme { System, Light, Dark };

void rememberSystemPalette();
void applyTheme(Theme theme);
bool isDarkPalette();
QString themeName(Theme theme);
Theme themeFromName(const QString &name);

} // namespace km
