#pragma once

#include "translation.h"
#include "value.h"

#include <string>
#include <vector>

namespace km {

enum class ChangeKind {
    Same,    // same key, same value
    Added,   // only on the right
    Removed, // only on the left
    Changed, // same key, different value (or the same text with another JSON type)
    Renamed, // keys that differ only by a prefix ("E - x" / "E-x" / "x", "Page - x", "Group - x")
};

// One property of two aligned output calls. Values are compact JSON ("\"Pro\"", "42", "null").
struct PropertyChange
{
    ChangeKind kind = ChangeKind::Same;
    std::string leftKey;  // empty for Added
    std::string rightKey; // empty for Removed
    std::string leftValue;
    std::string rightValue;
    // Why it matters, when there is more to say than the kind: "the same text, but a string on
    // the left and a number on the right"; for Renamed, that the value differs too.
    std::string note;
};

// Two output calls aligned with each other, or one that only one side sends.
struct CallChange
{
    // Same: same name and every property Same. Changed: anything differs. Added / Removed: the
    // call is only on the right / left (its properties are then all Added / Removed).
    ChangeKind kind = ChangeKind::Same;
    int leftIndex = -1; // into left.requests (HTTP engines) or left.pushes (device engines)
    int rightIndex = -1;
    std::string leftName; // outputCallName(): "/e Signed Up", "record Signed Up", "set", ...
    std::string rightName;
    std::vector<PropertyChange> properties;
};

// Property-level comparison of two translations of the same call (two engines, or one engine
// with other settings). Output calls are aligned in order: calls with the same kind and event
// name anchor the alignment and the calls between anchors pair up by position, so one extra call
// on either side (a "Page View" record, an identify push) shows as added or removed instead of
// shifting every pair after it. The queued-function pushes ["function"] carry nothing and are
// left out. HTTP calls are compared by the CLI-contract params (OutputFormat::params), device
// calls by the properties object of record / set / KM.set. arena holds the params built.
std::vector<CallChange> diffTranslations(const Translation &left, const Translation &right, Arena &arena);

// How many output calls a translation sends (requests or pushes) and a short name for one:
// "/e <event>", "/s", "/a" for HTTP; "record <event>", "set", "identify <id>", "alias <to> <from>",
// "KM.set", "function" for the device engines.
int outputCallCount(const Translation &translation);
std::string outputCallName(const Translation &translation, int index);

} // namespace km
