#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// One decoded query or form parameter as it arrived, in arrival order.
struct ReceivedParam
{
    std::string key;
    std::optional<std::string> value; // nullopt: a bare key with no '='

    friend bool operator==(const ReceivedParam &, const ReceivedParam &) = default;
};

// Decodes application/x-www-form-urlencoded text (a query string or a form body) the way the
// WHATWG URL standard does: pairs split on '&' (empty ones skipped), the key ends at the first
// '=', '+' is a space, %XX is a byte (a malformed '%' stays as it is), and the bytes are read as
// UTF-8 with invalid sequences replaced by U+FFFD. Unlike the standard, a key without '=' keeps
// no value, so the strictNullHandling nulls the engines send stay visible.
std::vector<ReceivedParam> decodeFormParams(std::string_view text);

} // namespace km
