#pragma once

#include "translation.h"
#include "value.h"

#include <string>
#include <vector>

namespace km::qs {

// How the `qs` module lays out arrays: `k[0]=a&k[1]=b` (its default) or `k=a&k=b` (`indices: false`).
enum class ArrayFormat { Indices, Repeat };
// `null` as `k=` (default) or a bare `k` (`strictNullHandling: true`).
enum class NullFormat { EmptyValue, BareKey };

// Walks a payload as qs.stringify does and appends the (not yet percent-encoded) pairs:
// nested members become `key[sub]`, Dates their ISO text, numbers and booleans their JavaScript
// text; undefined, empty arrays and empty objects give nothing.
void collectPairs(
        const Value &payload, ArrayFormat arrays, NullFormat nulls, Arena &arena, std::vector<QueryPair> &out);

// Percent-encoding as qs does it (RFC 3986: only A-Z a-z 0-9 - . _ ~ stay as they are).
void appendEncoded(std::string &out, std::string_view text);
void appendPairs(std::string &out, const std::vector<QueryPair> &pairs);

// How rudder-server puts the transformer's params on the URL: each value through Go's
// fmt.Sprint, keys sorted by url.Values.Encode (spaces as '+').
void appendGoQuery(std::string &out, const Value &params);
std::string goSprint(const Value &value);

// The CLI contract's `params` for a request: a key that repeats gives a list, a bare key null.
Value paramsFromPairs(const std::vector<QueryPair> &pairs, HttpMethod method, Arena &arena);

} // namespace km::qs
