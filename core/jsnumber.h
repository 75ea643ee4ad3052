#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// JavaScript's number <-> string conversions, byte-exact with V8 (Node 20). The integrations
// we reproduce stringify and parse numbers with these rules, so any other formatting
// (printf, QString::number) would change what Kissmetrics receives.
namespace km::js {

// Enough for the longest Number::toString output ("-1.2345678901234567e-100" is 24 chars).
inline constexpr std::size_t kNumberBufferSize = 32;

// Number.prototype.toString() (radix 10). formatNumber writes into a caller buffer of at least
// kNumberBufferSize bytes (no terminator) and returns the length: no allocation at all.
std::size_t formatNumber(char *buffer, double value);
std::string numberToString(double value);
void appendNumber(std::string &out, double value);

// ToNumber applied to a string (Number("...")): JS whitespace trimmed, "" -> 0,
// 0x/0o/0b literals, [+-]Infinity, decimal literals; anything else NaN.
double stringToNumber(std::string_view s);

// Global parseFloat: longest decimal (or Infinity) prefix after leading whitespace, else NaN.
double parseFloat(std::string_view s);

// parseInt(s, 10): leading whitespace, optional sign, leading ASCII digits, else NaN.
double parseInt10(std::string_view s);

// JS StrWhiteSpaceChar (WhiteSpace or LineTerminator) in UTF-8: byte length of the one
// starting at s[pos], or 0 if there is none there.
std::size_t whiteSpaceLengthAt(std::string_view s, std::size_t pos);
// String.prototype.trim() / trimStart() on UTF-8 text.
std::string_view trim(std::string_view s);
std::string_view trimStart(std::string_view s);

} // namespace km::js
