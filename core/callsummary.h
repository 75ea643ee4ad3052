#pragma once

#include <QString>

#include <string_view>

namespace km {

// One line of the call list: what kind of call, what it is about, and whose it is.
struct CallSummary
{
    QString type; // the message's "type" ("track", "page", ...); empty when missing
    // track: the event; page/screen: the name, else the category; group: the group's name
    // trait, else groupId; alias: "previousId → userId"; identify: "identify"; when the field
    // is missing, the type itself (or "(no type)").
    QString label;
    QString user;         // userId, else anonymousId (the first truthy one); empty when neither
    bool isValid = false; // the text is a JSON object
    QString error;        // why it is not ("line 3, column 7: ..."); empty when valid
};

// Never fails: for text that is not valid JSON (the user is typing) the fields are read from the
// part before the error where they can be, so the list line does not flicker while typing.
CallSummary summarizeCall(std::string_view json);

} // namespace km
