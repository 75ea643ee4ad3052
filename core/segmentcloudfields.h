#pragma once

#include <string_view>

namespace km::cloudfields {

// The top-level message fields segment-cloud reads, shared by its engine and its wire route.
enum Field {
    Type,
    Event,
    Properties,
    Traits,
    Name,
    Category,
    UserId,
    AnonymousId,
    SessionId,
    PreviousId,
    GroupId,
    From,
    To,
    Timestamp,
    Context,
    Channel,
    Count
};

inline constexpr std::string_view kNames[Count] = {
        "type",      "event",      "properties", "traits", "name", "category",  "userId",  "anonymousId",
        "sessionId", "previousId", "groupId",    "from",   "to",   "timestamp", "context", "channel"};

} // namespace km::cloudfields
