#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <string>
#include <vector>

namespace km {

// A ready-made Segment call for the window's "Add" menu.
struct CallTemplate
{
    QString group;    // "Blank", "Segment docs", "E-commerce", "A/B testing", "Engage"
    QString title;    // what the menu shows
    std::string json; // the message, pretty-printed as the editor shows it
};

// Every template, grouped, in menu order. Each carries "type", ids, "channel": "server" and the
// fixed "timestamp" 2026-01-15T10:00:00.000Z, so previews of them do not change with the clock.
const std::vector<CallTemplate> &callTemplates();
// The group names in menu order.
QStringList callTemplateGroups();
// The template with this group and title, or nullptr.
const CallTemplate *findCallTemplate(const QString &group, const QString &title);
// What the first start opens: the examples of Segment's Kissmetrics documentation, the same
// messages as resources/samples/docs-examples.ndjson, in the same order.
std::vector<const CallTemplate *> sampleCallTemplates();

// The template's message with its "timestamp" (kept in place; appended when absent) set to
// nowMillis as ISO text in UTC ("2026-01-15T10:00:00.000Z"): a call added now happens now.
std::string templateJsonWithNow(const CallTemplate &callTemplate, qint64 nowMillis);

} // namespace km
