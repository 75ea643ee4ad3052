#pragma once

#include "configuration.h"

#include <QString>
#include <QStringList>

#include <string>
#include <string_view>
#include <vector>

namespace km {

// What one combination of the three toggles makes of a call.
struct MatrixRow
{
    bool prefix = false;      // prefixProperties
    bool categorized = false; // trackCategorizedPages
    bool named = false;       // trackNamedPages
    QStringList eventNames;   // one per output call: "/e Viewed Docs Page", "record Viewed Docs Page", "set"
    int propertyCount = 0;    // properties over all output calls, Kissmetrics' _k _p _n _t _d not counted
    QString error;            // the engine rejects the call (or the text is not a message); no output then
    std::string output;       // the output in the CLI contract's JSON form, to tell rows apart exactly
};

// The 8 combinations of prefixProperties x trackCategorizedPages x trackNamedPages for one call
// and the engine and other settings of base, in the order (on,on,on), (on,on,off), (on,off,on)
// ... (off,off,off): prefix varies slowest, named fastest. The "function" pushes of the device
// engines are not listed among the event names.
std::vector<MatrixRow> settingsMatrix(std::string_view json, const Configuration &base, double nowMillis);

// The setting keys ("prefixProperties", "trackCategorizedPages", "trackNamedPages") whose
// flip changes the output for at least one combination of the other two, in that order.
QStringList settingsThatMatter(const std::vector<MatrixRow> &rows);

// The row the configuration itself produces (as its engine reads its settings, defaults
// included), or -1 when rows is not a full matrix.
int matrixRowFor(const std::vector<MatrixRow> &rows, const Configuration &configuration);

} // namespace km
