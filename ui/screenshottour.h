#pragma once

#include <QString>

namespace km {

class MainWindow;

// Drives a window through the views the README shows (the preview, the Why panel on a call that
// hits a quirk, a comparison, the dark theme) and saves a PNG of each into a folder. Used by
// scripts/screenshots under Xvfb; returns the files written (empty on failure).
QStringList takeScreenshots(MainWindow &window, const QString &directory);

} // namespace km
