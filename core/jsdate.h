#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// JavaScript Date arithmetic, formatting and parsing, byte-exact with V8 (Node 20), always as if
// the runtime's time zone were UTC: local time == UTC, offset +0000, "Coordinated Universal
// Time". The machine's TZ is never read, so results do not depend on where the tool runs.
// Time values are milliseconds since the epoch as doubles; NaN is an Invalid Date.
namespace km::js {

inline constexpr double kMsPerDay = 86400000.0;
inline constexpr double kMaxTimeValue = 8.64e15; // |t| beyond this is an Invalid Date

// TimeClip: NaN outside +-8.64e15 or non-finite, else the value truncated towards zero (+0 for -0).
double timeClip(double t);

// Date.UTC(year, month0, day, hours, minutes, seconds, ms): truncates each argument, maps
// years 0..99 to 1900..1999, rolls over out-of-range fields (month 12, day 0, minute 99...).
// NaN if any argument is not finite or the result is out of range. Follows V8's MakeDay, which
// also gives NaN for |year| > 1e6 or |month| > 1e7 before any roll-over.
double makeUtc(double year,
               double month0,
               double day = 1,
               double hours = 0,
               double minutes = 0,
               double seconds = 0,
               double ms = 0);

// A valid time value broken down (UTC).
struct DateFields
{
    int year = 1970; // may be negative (astronomical numbering, year 0 exists)
    int month0 = 0;  // 0 = January
    int day = 1;     // 1..31
    int hours = 0;
    int minutes = 0;
    int seconds = 0;
    int ms = 0;
    int weekDay = 4; // 0 = Sunday
};
// Precondition: timeClip(t) is not NaN (t is truncated first, like new Date(t)).
DateFields dateFields(double t);

// Date.prototype.toISOString(): "2014-01-02T03:04:05.000Z", years outside 0..9999 as
// "+YYYYYY" / "-YYYYYY". JavaScript throws a RangeError for an Invalid Date; here
// dateToIsoString returns "Invalid Date" and appendDateIsoString appends nothing and returns
// false, so each caller decides (JSON.stringify writes null, for instance).
std::string dateToIsoString(double t);
bool appendDateIsoString(std::string &out, double t);

// Date.prototype.toString() in the UTC zone as Node 20 prints it:
// "Thu Jan 02 2014 00:00:00 GMT+0000 (Coordinated Universal Time)"; "Invalid Date" for NaN.
// Years print with at least 4 digits; negative years as "-" plus at least 4 digits
// ("-0001", "-271821"), which is V8's "%05d" for them.
std::string dateToString(double t);
void appendDateString(std::string &out, double t);

// Date.parse(s) as V8 does it (ISO format first, then V8's legacy fallback parser), with the
// local zone being UTC. NaN when the string is not a date V8 accepts.
double parseDate(std::string_view s);

// The Segment "isodate" helper (@segment/isodate) used by analytics.js and the server-side
// integrations to turn ISO-looking strings into Dates. Its pattern:
//   ^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:([ T])(\d{2}):?(\d{2})(?::?(\d{2})(?:[,\.](\d{1,}))?)?
//   (?:(Z)|([+\-])(\d{2})(?::?(\d{2}))?)?)?$
enum class IsoStrictness {
    Strict, // is(s, true): the string must also start with \d{4}-\d{2}-\d{2}
    Loose,  // is(s): the pattern alone, so "2014" and "20140102" count
};
bool isIsoDate(std::string_view s, IsoStrictness strictness);

enum class IsoFraction {
    Truncate,    // device mode: first three fraction digits, zero padded ("05" -> 50 ms)
    WholeNumber, // cloud mode: parseInt(fraction) first, so ".05" -> "5" -> 500 ms; from 1e21 on
                 // String(n) is an exponent form: ".1234567890123456789012" -> "1.2" -> 1 ms,
                 // 21 nines -> "1e+" -> NaN
};
// isodate.parse(s): field by field, then Date.UTC with roll-over; a string the pattern does
// not match goes to parseDate (the helper falls back to new Date(s)).
double parseIsoDate(std::string_view s, IsoFraction fraction);
// isIsoDate(s, Strict) and parseIsoDate(s, fraction) in one match: false when s is not one.
bool parseStrictIsoDate(std::string_view s, IsoFraction fraction, double *millis);

} // namespace km::js
