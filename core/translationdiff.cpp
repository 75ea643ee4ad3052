#include "translationdiff.h"

#include "jsonformat.h"
#include "jsops.h"
#include "outputformat.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>

namespace km {

namespace {

constexpr std::string_view kReserved[] = {"_k", "_p", "_n", "_t", "_d"};

bool isReserved(std::string_view key)
{
    return std::find(std::begin(kReserved), std::end(kReserved), key) != std::end(kReserved);
}

// The text a value stands for when types are set aside: a string's own characters, else JSON.
std::string plainText(const Value &v)
{
    if (v.isString())
        return std::string(v.toString());
    return compactJson(v);
}

// A list, as the diff calls arrays; otherwise the usual words.
const char *typeWord(const Value &v)
{
    return v.isArray() ? "a list" : js::typeDescription(v);
}

bool sameType(const Value &a, const Value &b)
{
    return a.type() == b.type() || (a.isNullish() && b.isNullish());
}

std::string typeNote(const Value &left, const Value &right)
{
    std::string note = typeWord(left);
    note += " on the left, ";
    note += typeWord(right);
    note += " on the right";
    return note;
}

struct OutputCall
{
    int index = -1;
    std::string category; // "event", "set", "alias", "identify", or the push verb
    std::string name;     // outputCallName()
    std::string event;    // the event name of an event call, else empty
    Value properties;     // an object (empty when the call has none)
};

std::string textOf(const Value &v)
{
    return v.isUndefined() ? std::string("undefined") : plainText(v);
}

std::vector<OutputCall> outputCalls(const Translation &t, Arena &arena)
{
    std::vector<OutputCall> calls;
    if (outputKind(t.engine) == OutputKind::Http) {
        for (std::size_t i = 0; i < t.requests.size(); ++i) {
            const HttpRequest &r = t.requests[i];
            OutputCall c;
            c.index = static_cast<int>(i);
            c.properties = OutputFormat::params(r, t.engine, arena);
            if (!c.properties.isObject())
                c.properties = Value::object({});
            switch (r.endpoint) {
            case Endpoint::Event:
                c.category = "event";
                c.event = textOf(r.payload.get("_n"));
                break;
            case Endpoint::Set:
                c.category = "set";
                break;
            case Endpoint::Alias:
                c.category = "alias";
                break;
            }
            c.name = outputCallName(t, c.index);
            calls.push_back(std::move(c));
        }
        return calls;
    }
    for (std::size_t i = 0; i < t.pushes.size(); ++i) {
        const auto args = t.pushes[i].args.items();
        const std::string verb = !args.empty() && args[0].isString() ? std::string(args[0].toString()) : std::string();
        if (verb == "function")
            continue; // bookkeeping: the KM.set calls it makes follow as their own entries
        OutputCall c;
        c.index = static_cast<int>(i);
        c.properties = Value::object({});
        if (verb == "record") {
            c.category = "event";
            c.event = args.size() > 1 ? textOf(args[1]) : std::string("undefined");
            if (args.size() > 2 && args[2].isObject())
                c.properties = args[2];
        } else if (verb == "set" || verb == "KM.set") {
            c.category = "set";
            if (args.size() > 1 && args[1].isObject())
                c.properties = args[1];
        } else {
            c.category = verb;
        }
        c.name = outputCallName(t, c.index);
        calls.push_back(std::move(c));
    }
    return calls;
}

// Which prefix words may stand before a key: every event name of either side (order products are
// prefixed with the order's event name) and the fixed words of page, screen and group calls.
std::vector<std::string> prefixWords(const std::vector<OutputCall> &left, const std::vector<OutputCall> &right)
{
    std::vector<std::string> words = {"Page", "Screen", "Group"};
    for (const auto *side : {&left, &right})
        for (const OutputCall &c : *side)
            if (!c.event.empty())
                words.push_back(c.event);
    std::sort(words.begin(), words.end(), [](const std::string &a, const std::string &b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b; // longest first: "Page View" before "Page"
    });
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

std::string_view baseKey(std::string_view key, const std::vector<std::string> &words)
{
    for (const std::string &w : words) {
        if (key.size() <= w.size() || key.substr(0, w.size()) != w)
            continue;
        const std::string_view rest = key.substr(w.size());
        if (rest.size() > 3 && rest.substr(0, 3) == " - ")
            return rest.substr(3);
        if (rest.size() > 1 && rest[0] == '-')
            return rest.substr(1);
    }
    return key;
}

std::string missingNote(std::string_view key, bool otherIsDevice)
{
    if (otherIsDevice && isReserved(key))
        return "in device mode the Kissmetrics library sends this itself";
    return {};
}

std::vector<PropertyChange> diffProperties(const OutputCall *left,
                                           const OutputCall *right,
                                           const std::vector<std::string> &words,
                                           bool leftIsDevice,
                                           bool rightIsDevice)
{
    std::vector<PropertyChange> changes;
    const std::span<const Member> lm = left ? left->properties.members() : std::span<const Member>();
    const std::span<const Member> rm = right ? right->properties.members() : std::span<const Member>();

    std::unordered_map<std::string_view, std::size_t> rightByKey;
    for (std::size_t j = 0; j < rm.size(); ++j)
        rightByKey.emplace(rm[j].key, j);
    std::vector<bool> rightUsed(rm.size(), false);
    std::vector<int> leftMatch(lm.size(), -1);
    for (std::size_t i = 0; i < lm.size(); ++i) {
        const auto it = rightByKey.find(lm[i].key);
        if (it != rightByKey.end() && !rightUsed[it->second]) {
            leftMatch[i] = static_cast<int>(it->second);
            rightUsed[it->second] = true;
        }
    }
    // Keys left over on both sides that differ only by a prefix.
    std::vector<bool> renamed(lm.size(), false);
    for (std::size_t i = 0; i < lm.size(); ++i) {
        if (leftMatch[i] >= 0)
            continue;
        const std::string_view base = baseKey(lm[i].key, words);
        for (std::size_t j = 0; j < rm.size(); ++j) {
            if (!rightUsed[j] && baseKey(rm[j].key, words) == base) {
                leftMatch[i] = static_cast<int>(j);
                rightUsed[j] = true;
                renamed[i] = true;
                break;
            }
        }
    }

    for (std::size_t i = 0; i < lm.size(); ++i) {
        PropertyChange change;
        change.leftKey = std::string(lm[i].key);
        change.leftValue = compactJson(lm[i].value);
        if (leftMatch[i] < 0) {
            change.kind = ChangeKind::Removed;
            change.note = missingNote(lm[i].key, rightIsDevice && !leftIsDevice);
            changes.push_back(std::move(change));
            continue;
        }
        const Member &r = rm[static_cast<std::size_t>(leftMatch[i])];
        change.rightKey = std::string(r.key);
        change.rightValue = compactJson(r.value);
        const bool sameJson = change.leftValue == change.rightValue;
        const bool sameText = sameJson || plainText(lm[i].value) == plainText(r.value);
        const bool typesDiffer = !sameType(lm[i].value, r.value);
        if (renamed[i]) {
            change.kind = ChangeKind::Renamed;
            if (!sameText)
                change.note = "the value differs too";
            else if (!sameJson && typesDiffer)
                change.note = "the same text, but " + typeNote(lm[i].value, r.value);
        } else if (sameJson) {
            change.kind = ChangeKind::Same;
        } else {
            change.kind = ChangeKind::Changed;
            if (sameText)
                change.note = "the same text, but " + typeNote(lm[i].value, r.value);
            else if (typesDiffer)
                change.note = typeNote(lm[i].value, r.value);
        }
        changes.push_back(std::move(change));
    }
    for (std::size_t j = 0; j < rm.size(); ++j) {
        if (rightUsed[j])
            continue;
        PropertyChange change;
        change.kind = ChangeKind::Added;
        change.rightKey = std::string(rm[j].key);
        change.rightValue = compactJson(rm[j].value);
        change.note = missingNote(rm[j].key, leftIsDevice && !rightIsDevice);
        changes.push_back(std::move(change));
    }
    return changes;
}

// Pairs of positions into left/right (-1 for a missing side), in output order.
std::vector<std::pair<int, int>> align(const std::vector<OutputCall> &left, const std::vector<OutputCall> &right)
{
    const std::size_t n = left.size();
    const std::size_t m = right.size();
    const auto sameKind = [&](std::size_t i, std::size_t j) {
        return left[i].category == right[j].category && left[i].event == right[j].event;
    };
    // Anchors: a longest common subsequence of calls of the same kind and event name. Outputs are
    // short; a huge order (thousands of products) falls back to plain positions.
    std::vector<std::pair<std::size_t, std::size_t>> anchors;
    if (n * m <= 4'000'000) {
        std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                lcs[i][j] = sameKind(i, j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        for (std::size_t i = 0, j = 0; i < n && j < m;) {
            if (sameKind(i, j) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                anchors.emplace_back(i, j);
                ++i;
                ++j;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                ++i;
            } else {
                ++j;
            }
        }
    }
    anchors.emplace_back(n, m); // sentinel: the gap after the last anchor

    std::vector<std::pair<int, int>> pairs;
    std::size_t i = 0;
    std::size_t j = 0;
    for (const auto &[ai, aj] : anchors) {
        // The gap before this anchor: pair by position, the rest is one-sided.
        while (i < ai && j < aj)
            pairs.emplace_back(static_cast<int>(i++), static_cast<int>(j++));
        while (i < ai)
            pairs.emplace_back(static_cast<int>(i++), -1);
        while (j < aj)
            pairs.emplace_back(-1, static_cast<int>(j++));
        if (ai < n && aj < m)
            pairs.emplace_back(static_cast<int>(i++), static_cast<int>(j++));
    }
    return pairs;
}

} // namespace

int outputCallCount(const Translation &translation)
{
    return static_cast<int>(outputKind(translation.engine) == OutputKind::Http ? translation.requests.size()
                                                                               : translation.pushes.size());
}

std::string outputCallName(const Translation &translation, int index)
{
    if (index < 0 || index >= outputCallCount(translation))
        return {};
    const auto i = static_cast<std::size_t>(index);
    if (outputKind(translation.engine) == OutputKind::Http) {
        const HttpRequest &r = translation.requests[i];
        std::string name = "/";
        name += endpointName(r.endpoint);
        if (r.endpoint == Endpoint::Event) {
            name += ' ';
            name += textOf(r.payload.get("_n"));
        }
        return name;
    }
    const auto args = translation.pushes[i].args.items();
    if (args.empty())
        return {};
    std::string name = plainText(args[0]);
    if (name == "record" || name == "identify") {
        name += ' ';
        name += args.size() > 1 ? textOf(args[1]) : std::string("undefined");
    } else if (name == "alias") {
        for (std::size_t k = 1; k < 3; ++k) {
            name += ' ';
            name += args.size() > k ? textOf(args[k]) : std::string("undefined");
        }
    }
    return name;
}

std::vector<CallChange> diffTranslations(const Translation &left, const Translation &right, Arena &arena)
{
    const std::vector<OutputCall> leftCalls = outputCalls(left, arena);
    const std::vector<OutputCall> rightCalls = outputCalls(right, arena);
    const std::vector<std::string> words = prefixWords(leftCalls, rightCalls);
    const bool leftIsDevice = outputKind(left.engine) == OutputKind::Client;
    const bool rightIsDevice = outputKind(right.engine) == OutputKind::Client;

    std::vector<CallChange> changes;
    for (const auto &[li, ri] : align(leftCalls, rightCalls)) {
        const OutputCall *l = li >= 0 ? &leftCalls[static_cast<std::size_t>(li)] : nullptr;
        const OutputCall *r = ri >= 0 ? &rightCalls[static_cast<std::size_t>(ri)] : nullptr;
        CallChange change;
        change.leftIndex = l ? l->index : -1;
        change.rightIndex = r ? r->index : -1;
        change.leftName = l ? l->name : std::string();
        change.rightName = r ? r->name : std::string();
        change.properties = diffProperties(l, r, words, leftIsDevice, rightIsDevice);
        if (!r) {
            change.kind = ChangeKind::Removed;
        } else if (!l) {
            change.kind = ChangeKind::Added;
        } else {
            const bool allSame = std::all_of(change.properties.begin(), change.properties.end(),
                                             [](const PropertyChange &p) { return p.kind == ChangeKind::Same; });
            change.kind = allSame && change.leftName == change.rightName ? ChangeKind::Same : ChangeKind::Changed;
        }
        changes.push_back(std::move(change));
    }
    return changes;
}

} // namespace km
