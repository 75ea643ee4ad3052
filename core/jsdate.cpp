#include "jsdate.h"

#include "jsnumber.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace km::js {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMsPerHour = 3600000.0;
constexpr double kMsPerMinute = 60000.0;
constexpr double kMsPerSecond = 1000.0;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, the only calendar ECMAScript knows).

// Days since 1970-01-01 of the given civil date; Howard Hinnant's days_from_civil algorithm.
std::int64_t daysFromCivil(std::int64_t year, int month, int day)
{
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<std::int64_t>(year - era * 400);
    const std::int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

// The inverse, Hinnant's civil_from_days.
void civilFromDays(std::int64_t days, int &year, int &month0, int &day)
{
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t mp = (5 * dayOfYear + 2) / 153; // March-based month
    day = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
    month0 = static_cast<int>(mp < 10 ? mp + 2 : mp - 10);
    year = static_cast<int>(yearOfEra + era * 400 + (month0 <= 1 ? 1 : 0));
}

// ECMAScript MakeDay with V8's extra range limits (it rejects |year| > 1e6, |month| > 1e7 up
// front; those can never give a valid time value anyway except with huge opposite days).
double makeDay(double year, double month, double date)
{
    if (!(year >= -1e6 && year <= 1e6) || !(month >= -1e7 && month <= 1e7) || !std::isfinite(date))
        return kNaN;
    int y = static_cast<int>(year); // truncation == ToIntegerOrInfinity here
    int m = static_cast<int>(month);
    y += m / 12;
    m %= 12;
    if (m < 0) {
        m += 12;
        y -= 1;
    }
    return static_cast<double>(daysFromCivil(y, m + 1, 1) - 1) + std::trunc(date);
}

double makeTime(double hours, double minutes, double seconds, double ms)
{
    if (!std::isfinite(hours) || !std::isfinite(minutes) || !std::isfinite(seconds) || !std::isfinite(ms))
        return kNaN;
    // Same operation order as the spec (and V8), so rounding of huge values matches.
    return std::trunc(hours) * kMsPerHour + std::trunc(minutes) * kMsPerMinute + std::trunc(seconds) * kMsPerSecond
           + std::trunc(ms);
}

double makeDate(double day, double time)
{
    if (!std::isfinite(day) || !std::isfinite(time))
        return kNaN;
    return time + day * kMsPerDay;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers (no iostreams: these run once per date in every output line).

constexpr const char *kWeekDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Zero-padded decimal of a non-negative value, at least `width` digits.
char *putPadded(char *p, unsigned value, int width)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    for (int i = n; i < width; ++i)
        *p++ = '0';
    while (n)
        *p++ = digits[--n];
    return p;
}

char *putText(char *p, const char *text)
{
    const std::size_t n = std::strlen(text);
    std::memcpy(p, text, n);
    return p + n;
}

char *putTimeOfDay(char *p, const DateFields &f)
{
    p = putPadded(p, static_cast<unsigned>(f.hours), 2);
    *p++ = ':';
    p = putPadded(p, static_cast<unsigned>(f.minutes), 2);
    *p++ = ':';
    return putPadded(p, static_cast<unsigned>(f.seconds), 2);
}

unsigned magnitude(int v)
{
    return v < 0 ? 0u - static_cast<unsigned>(v) : static_cast<unsigned>(v);
}

// ---------------------------------------------------------------------------------------------
// Date.parse: a re-implementation of V8's DateParser (src/date/dateparser*), which first reads
// as much of an ES Date Time String as it can and then hands the rest of the tokens to its
// "legacy" parser. The V8 behaviour reproduced here, including its quirks:
//  - Numbers keep their first 9 digits only; the token length is the full digit count.
//  - A NUL character ends the input; "(...)" (nested) is skipped; ',' '/' and other
//    punctuation are ignored; any run of chars >= 'A' is a word, non-ASCII ones included,
//    except the Unicode spaces (U+00A0, U+FEFF, Zs), which are spaces; U+2028/U+2029 are not.
//  - Words are matched on their first three letters, case-insensitively: any word starting
//    with a month's three letters is that month ("Janxyz"); am/pm, ut/utc/gmt/z and the US
//    zones EST/EDT/CST/CDT/MST/MDT/PST/PDT, and "T", must be exact.
//  - Day numbers without a month name are M/D/Y, except Y/M/D when the first one cannot be a
//    day (> 31); missing parts are 1, and a missing year is 1 -> 2001: "12" is 2001-12-01,
//    "Jan 1" is 2001-01-01. Legacy two-digit years: 0-49 -> 20xx, 50-99 -> 19xx.
//  - A bare number that cannot be a day ("1388534400") is a year, far out of range: NaN.
//  - ISO strings: 1+ fraction digits (truncated to ms), +hhmm accepted like +hh:mm, 24:00 only
//    with zero minutes/seconds, day 01..31 whatever the month ("2014-02-31" is March 3), no
//    "T" time without minutes ("2014-01-01T10" is NaN). Date-only ISO forms are UTC, others
//    without an offset local (UTC here). "2014-01-01 10:00" goes to the legacy parser.

constexpr int kNone = std::numeric_limits<int>::max();

bool inRange(int x, int lo, int hi)
{
    return lo <= x && x <= hi;
}
bool isMonth(int x)
{
    return inRange(x, 1, 12);
}
bool isDay(int x)
{
    return inRange(x, 1, 31);
}
bool isHour(int x)
{
    return inRange(x, 0, 23);
}
bool isMinute(int x)
{
    return inRange(x, 0, 59);
}

enum class TokenKind : std::uint8_t { End, Number, Symbol, Word, Space, Other };
enum class WordKind : std::uint8_t { Unknown, Month, Zone, TimeSeparator, AmPm };

struct Token
{
    TokenKind kind = TokenKind::End;
    WordKind word = WordKind::Unknown;
    char symbol = 0;
    int length = 0; // digits of a number, bytes of a word (only "<= 3" and "== 1" matter)
    int value = 0;  // number (first 9 digits), month 1..12, zone hours, am/pm hour offset

    bool isEnd() const { return kind == TokenKind::End; }
    bool isNumber() const { return kind == TokenKind::Number; }
    bool isNumber(int digits) const { return kind == TokenKind::Number && length == digits; }
    bool isSymbol(char c) const { return kind == TokenKind::Symbol && symbol == c; }
    bool isSign() const { return isSymbol('+') || isSymbol('-'); }
    int sign() const { return symbol == '-' ? -1 : 1; }
    bool isZ() const { return kind == TokenKind::Word && word == WordKind::Zone && length == 1 && value == 0; }
};

struct Keyword
{
    char prefix[4]; // up to three lower-case letters
    WordKind kind;
    int value;
};

constexpr Keyword kKeywords[] = {
        {"jan", WordKind::Month, 1},  {"feb", WordKind::Month, 2},  {"mar", WordKind::Month, 3},
        {"apr", WordKind::Month, 4},  {"may", WordKind::Month, 5},  {"jun", WordKind::Month, 6},
        {"jul", WordKind::Month, 7},  {"aug", WordKind::Month, 8},  {"sep", WordKind::Month, 9},
        {"oct", WordKind::Month, 10}, {"nov", WordKind::Month, 11}, {"dec", WordKind::Month, 12},
        {"am", WordKind::AmPm, 0},    {"pm", WordKind::AmPm, 12},   {"ut", WordKind::Zone, 0},
        {"utc", WordKind::Zone, 0},   {"z", WordKind::Zone, 0},     {"gmt", WordKind::Zone, 0},
        {"cdt", WordKind::Zone, -5},  {"cst", WordKind::Zone, -6},  {"edt", WordKind::Zone, -4},
        {"est", WordKind::Zone, -5},  {"mdt", WordKind::Zone, -6},  {"mst", WordKind::Zone, -7},
        {"pdt", WordKind::Zone, -7},  {"pst", WordKind::Zone, -8},  {"t", WordKind::TimeSeparator, 0},
};

bool isWordChar(char c)
{
    return static_cast<unsigned char>(c) >= 'A';
}

// Byte length of a non-ASCII WhiteSpace character at s[pos] (U+00A0, U+FEFF, Zs), else 0.
// V8 treats those as spaces but U+2028/U+2029 (line terminators) as word characters.
std::size_t unicodeSpaceLength(std::string_view s, std::size_t pos)
{
    if (static_cast<unsigned char>(s[pos]) < 0x80)
        return 0;
    const std::size_t length = whiteSpaceLengthAt(s, pos);
    if (length == 3 && s[pos] == '\xe2' && s[pos + 1] == '\x80' && (s[pos + 2] == '\xa8' || s[pos + 2] == '\xa9'))
        return 0;
    return length;
}

class DateTokenizer
{
public:
    explicit DateTokenizer(std::string_view s)
        : m_s(s.substr(0, s.find('\0')))
        , m_next(scan())
    { }

    const Token &peek() const { return m_next; }
    Token next()
    {
        const Token t = m_next;
        m_next = scan();
        return t;
    }
    bool skipSymbol(char c)
    {
        if (!m_next.isSymbol(c))
            return false;
        m_next = scan();
        return true;
    }

private:
    Token scan();

    std::string_view m_s;
    std::size_t m_pos = 0;
    Token m_next;
};

Token DateTokenizer::scan()
{
    Token t;
    if (m_pos >= m_s.size())
        return t;
    const char c = m_s[m_pos];
    if (isDigit(c)) {
        t.kind = TokenKind::Number;
        for (; m_pos < m_s.size() && isDigit(m_s[m_pos]); ++m_pos) {
            if (t.length < 9)
                t.value = t.value * 10 + (m_s[m_pos] - '0');
            ++t.length;
        }
        return t;
    }
    if (std::string_view(":-+.)").find(c) != std::string_view::npos) {
        ++m_pos;
        t.kind = TokenKind::Symbol;
        t.symbol = c;
        t.length = 1;
        return t;
    }
    if (const std::size_t space = unicodeSpaceLength(m_s, m_pos)) {
        m_pos += space;
        t.kind = TokenKind::Space;
        return t;
    }
    if (isWordChar(c)) {
        char prefix[3] = {0, 0, 0};
        for (; m_pos < m_s.size() && isWordChar(m_s[m_pos]) && !unicodeSpaceLength(m_s, m_pos); ++m_pos) {
            if (t.length < 3)
                prefix[t.length] = static_cast<char>(m_s[m_pos] | 0x20); // V8's ASCII lower-casing
            ++t.length;
        }
        t.kind = TokenKind::Word;
        for (const Keyword &k : kKeywords) {
            if (std::memcmp(prefix, k.prefix, 3) == 0 && (t.length <= 3 || k.kind == WordKind::Month)) {
                t.word = k.kind;
                t.value = k.value;
                break;
            }
        }
        return t;
    }
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
        ++m_pos;
        t.kind = TokenKind::Space;
        return t;
    }
    t.kind = TokenKind::Other;
    if (c == '(') {
        int depth = 0;
        do {
            if (m_s[m_pos] == '(')
                ++depth;
            else if (m_s[m_pos] == ')')
                --depth;
            ++m_pos;
        } while (depth > 0 && m_pos < m_s.size());
        return t;
    }
    ++m_pos;
    return t;
}

// The first three significant digits of a fraction, from its (capped) value and length.
int fractionToMs(const Token &t)
{
    int value = t.value;
    int length = t.length > 9 ? 9 : t.length;
    if (length == 1)
        return value * 100;
    if (length == 2)
        return value * 10;
    for (; length > 3; --length)
        value /= 10;
    return value;
}

struct DayParts
{
    int comp[3] = {0, 0, 0};
    int count = 0;
    int namedMonth = kNone;
    bool iso = false;

    bool empty() const { return count == 0; }
    bool add(int n)
    {
        if (count == 3)
            return false;
        comp[count++] = n;
        return true;
    }
    bool write(int &year, int &month, int &day)
    {
        if (count == 0)
            return false;
        while (count < 3)
            comp[count++] = 1;
        year = 0;
        if (namedMonth == kNone) {
            if (iso || !isDay(comp[0])) {
                year = comp[0];
                month = comp[1];
                day = comp[2];
            } else {
                month = comp[0];
                day = comp[1];
                year = comp[2];
            }
        } else {
            month = namedMonth;
            if (!isDay(comp[0])) {
                year = comp[0];
                day = comp[1];
            } else {
                day = comp[0];
                year = comp[1];
            }
        }
        if (!iso) {
            if (inRange(year, 0, 49))
                year += 2000;
            else if (inRange(year, 50, 99))
                year += 1900;
        }
        return isMonth(month) && isDay(day);
    }
};

struct TimeParts
{
    int comp[4] = {0, 0, 0, 0};
    int count = 0;
    int hourOffset = kNone; // am = 0, pm = 12

    bool empty() const { return count == 0; }
    bool expecting(int n) const
    {
        return (count == 1 && isMinute(n)) || (count == 2 && isMinute(n)) || (count == 3 && inRange(n, 0, 999));
    }
    bool add(int n)
    {
        if (count == 4)
            return false;
        comp[count++] = n;
        return true;
    }
    bool addFinal(int n)
    {
        if (!add(n))
            return false;
        while (count < 4)
            comp[count++] = 0;
        return true;
    }
    bool write(int &hour, int &minute, int &second, int &ms)
    {
        while (count < 4)
            comp[count++] = 0;
        hour = comp[0];
        minute = comp[1];
        second = comp[2];
        ms = comp[3];
        if (hourOffset != kNone) {
            if (!inRange(hour, 0, 12))
                return false;
            hour = hour % 12 + hourOffset;
        }
        if (isHour(hour) && isMinute(minute) && isMinute(second) && inRange(ms, 0, 999))
            return true;
        return hour == 24 && minute == 0 && second == 0 && ms == 0; // 24:00 is the next midnight
    }
};

struct ZoneParts
{
    int sign = kNone;
    int hour = kNone;
    int minute = kNone;

    bool empty() const { return hour == kNone; }
    bool isUtc() const { return hour == 0 && minute == 0; }
    bool expecting(int n) const { return hour != kNone && minute == kNone && isMinute(n); }
    void setHours(int hours)
    {
        sign = hours < 0 ? -1 : 1;
        hour = hours * sign;
        minute = 0;
    }
    // False when V8 rejects the offset (more seconds than fit its small integers).
    bool write(bool &present, int &offsetSeconds) const
    {
        present = sign != kNone;
        if (!present)
            return true;
        // V8 computes this in unsigned 32-bit arithmetic and refuses results above 2^31 - 1.
        const std::uint32_t total = static_cast<std::uint32_t>(hour == kNone ? 0 : hour) * 3600u
                                    + static_cast<std::uint32_t>(minute == kNone ? 0 : minute) * 60u;
        if (total > 0x7fffffffu)
            return false;
        offsetSeconds = sign < 0 ? -static_cast<int>(total) : static_cast<int>(total);
        return true;
    }
};

enum class IsoResult { Complete, Invalid, Fallback };

// Reads an ES Date Time String prefix. Complete: the whole string was one. Invalid: it was
// one up to a point where nothing else can be valid (after a "T"). Fallback: `resume` is the
// token the legacy parser continues with (whatever was read stays in the parts).
IsoResult parseIsoPrefix(DateTokenizer &in, DayParts &day, TimeParts &time, ZoneParts &zone, Token &resume)
{
    if (in.peek().isSign()) {
        const Token signToken = in.next();
        resume = signToken;
        if (!in.peek().isNumber(6))
            return IsoResult::Fallback;
        const int year = in.next().value;
        if (signToken.sign() < 0 && year == 0)
            return IsoResult::Fallback; // "-000000"; V8 drops the number here
        day.add(signToken.sign() * year);
    } else if (in.peek().isNumber(4)) {
        day.add(in.next().value);
    } else {
        resume = in.next();
        return IsoResult::Fallback;
    }
    if (in.skipSymbol('-')) {
        if (!in.peek().isNumber(2) || !isMonth(in.peek().value)) {
            resume = in.next();
            return IsoResult::Fallback;
        }
        day.add(in.next().value);
        if (in.skipSymbol('-')) {
            if (!in.peek().isNumber(2) || !isDay(in.peek().value)) {
                resume = in.next();
                return IsoResult::Fallback;
            }
            day.add(in.next().value);
        }
    }
    const bool hasTime = in.peek().kind == TokenKind::Word && in.peek().word == WordKind::TimeSeparator;
    if (!hasTime && !in.peek().isEnd()) {
        resume = in.next();
        return IsoResult::Fallback;
    }
    if (hasTime) {
        in.next();
        if (!in.peek().isNumber(2) || !inRange(in.peek().value, 0, 24))
            return IsoResult::Invalid;
        const bool hourIs24 = in.peek().value == 24;
        time.add(in.next().value);
        if (!in.skipSymbol(':'))
            return IsoResult::Invalid;
        if (!in.peek().isNumber(2) || !isMinute(in.peek().value) || (hourIs24 && in.peek().value > 0))
            return IsoResult::Invalid;
        time.add(in.next().value);
        if (in.skipSymbol(':')) {
            if (!in.peek().isNumber(2) || !isMinute(in.peek().value) || (hourIs24 && in.peek().value > 0))
                return IsoResult::Invalid;
            time.add(in.next().value);
            if (in.skipSymbol('.')) {
                if (!in.peek().isNumber() || (hourIs24 && in.peek().value > 0))
                    return IsoResult::Invalid;
                time.add(fractionToMs(in.next()));
            }
        }
        if (in.peek().isZ()) {
            in.next();
            zone.setHours(0);
        } else if (in.peek().isSign()) {
            zone.sign = in.next().sign();
            if (in.peek().isNumber(4)) { // +hhmm
                const int hhmm = in.next().value;
                if (!isHour(hhmm / 100) || !isMinute(hhmm % 100))
                    return IsoResult::Invalid;
                zone.hour = hhmm / 100;
                zone.minute = hhmm % 100;
            } else {
                if (!in.peek().isNumber(2) || !isHour(in.peek().value))
                    return IsoResult::Invalid;
                zone.hour = in.next().value;
                if (!in.skipSymbol(':'))
                    return IsoResult::Invalid;
                if (!in.peek().isNumber(2) || !isMinute(in.peek().value))
                    return IsoResult::Invalid;
                zone.minute = in.next().value;
            }
        }
        if (!in.peek().isEnd())
            return IsoResult::Invalid;
    }
    if (zone.empty() && time.empty())
        zone.setHours(0); // date-only forms are UTC
    day.iso = true;
    return IsoResult::Complete;
}

// V8's legacy loop over the remaining tokens. False when the string is rejected.
bool parseLegacy(DateTokenizer &in, Token token, DayParts &day, TimeParts &time, ZoneParts &zone)
{
    bool hasReadNumber = !day.empty();
    for (; !token.isEnd(); token = in.next()) {
        if (token.isNumber()) {
            hasReadNumber = true;
            const int n = token.value;
            if (in.skipSymbol(':')) {
                if (in.skipSymbol(':')) { // "n::" means n:00
                    if (!time.empty())
                        return false;
                    time.add(n);
                    time.add(0);
                } else {
                    if (!time.add(n))
                        return false;
                    if (in.peek().isSymbol('.'))
                        in.next();
                }
            } else if (in.skipSymbol('.') && time.expecting(n)) { // the '.' is consumed either way
                time.add(n);
                if (!in.peek().isNumber())
                    return false;
                time.addFinal(fractionToMs(in.next()));
            } else if (zone.expecting(n)) {
                zone.minute = n;
            } else if (time.expecting(n)) {
                time.addFinal(n);
                const Token &after = in.peek();
                if (!after.isEnd() && after.kind != TokenKind::Space && !after.isZ() && !after.isSign())
                    return false;
            } else {
                if (!day.add(n))
                    return false;
                in.skipSymbol('-');
            }
        } else if (token.kind == TokenKind::Word) {
            if (token.word == WordKind::AmPm && !time.empty()) {
                time.hourOffset = token.value;
            } else if (token.word == WordKind::Month) {
                day.namedMonth = token.value;
                in.skipSymbol('-');
            } else if (token.word == WordKind::Zone && hasReadNumber) {
                zone.setHours(token.value);
            } else {
                // Unknown words are fine only before the first number, and not glued to it.
                if (hasReadNumber || in.peek().isNumber())
                    return false;
            }
        } else if (token.isSign() && (zone.isUtc() || !time.empty())) {
            // A UTC offset, only after a zone name or a time: +h, +hh, +hmm, +hhmm or +hh:mm.
            zone.sign = token.sign();
            int n = 0;
            int length = 0;
            if (in.peek().isNumber()) {
                const Token number = in.next();
                n = number.value;
                length = number.length;
            }
            hasReadNumber = true;
            if (in.peek().isSymbol(':')) {
                zone.hour = n;
                zone.minute = kNone; // the minutes come as the next number
            } else if (length == 1 || length == 2) {
                zone.hour = n;
                zone.minute = 0;
            } else if (length == 3 || length == 4) {
                zone.hour = n / 100;
                zone.minute = n % 100;
            } else {
                return false;
            }
        } else if ((token.isSign() || token.isSymbol(')')) && hasReadNumber) {
            return false;
        }
        // Anything else (spaces, punctuation, parenthesised text) is ignored.
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// The Segment isodate pattern, matched by hand (see jsdate.h). Each optional group of the
// pattern is attempted greedily and dropped when it does not match; no backtracking is
// needed because whatever follows a group can never start with a character the group starts
// with.

struct IsoMatch
{
    std::string_view year, month, day, hour, minute, second, fraction, offsetHours, offsetMinutes;
    char separator = 0;  // ' ' or 'T' when there is a time
    char offsetSign = 0; // '+' or '-' when there is a numeric offset
    bool zulu = false;
};

bool digitsAt(std::string_view s, std::size_t pos, std::size_t count)
{
    if (pos + count > s.size())
        return false;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(s[i]))
            return false;
    }
    return true;
}

// ":?" / "-?" : the position after an optional separator character.
std::size_t skipOptional(std::string_view s, std::size_t pos, char c)
{
    return pos < s.size() && s[pos] == c ? pos + 1 : pos;
}

bool matchIso(std::string_view s, IsoMatch &m)
{
    if (!digitsAt(s, 0, 4))
        return false;
    m.year = s.substr(0, 4);
    std::size_t pos = 4;

    // (?:-?(\d{2})(?:-?(\d{2}))?)?
    if (std::size_t p = skipOptional(s, pos, '-'); digitsAt(s, p, 2)) {
        m.month = s.substr(p, 2);
        pos = p + 2;
        if (p = skipOptional(s, pos, '-'); digitsAt(s, p, 2)) {
            m.day = s.substr(p, 2);
            pos = p + 2;
        }
    }

    if (pos < s.size() && (s[pos] == ' ' || s[pos] == 'T')) {
        // ([ T])(\d{2}):?(\d{2})
        m.separator = s[pos];
        std::size_t p = pos + 1;
        if (!digitsAt(s, p, 2))
            return false;
        m.hour = s.substr(p, 2);
        p = skipOptional(s, p + 2, ':');
        if (!digitsAt(s, p, 2))
            return false;
        m.minute = s.substr(p, 2);
        pos = p + 2;

        // (?::?(\d{2})(?:[,\.](\d{1,}))?)?
        if (p = skipOptional(s, pos, ':'); digitsAt(s, p, 2)) {
            m.second = s.substr(p, 2);
            pos = p + 2;
            if (pos + 1 < s.size() && (s[pos] == ',' || s[pos] == '.') && isDigit(s[pos + 1])) {
                std::size_t end = pos + 1;
                while (end < s.size() && isDigit(s[end]))
                    ++end;
                m.fraction = s.substr(pos + 1, end - pos - 1);
                pos = end;
            }
        }

        // (?:(Z)|([+\-])(\d{2})(?::?(\d{2}))?)?
        if (pos < s.size() && s[pos] == 'Z') {
            m.zulu = true;
            ++pos;
        } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-') && digitsAt(s, pos + 1, 2)) {
            m.offsetSign = s[pos];
            m.offsetHours = s.substr(pos + 1, 2);
            pos += 3;
            if (p = skipOptional(s, pos, ':'); digitsAt(s, p, 2)) {
                m.offsetMinutes = s.substr(p, 2);
                pos = p + 2;
            }
        }
    }
    return pos == s.size();
}

// Value of an all-ASCII-digit string, as parseInt(digits, 10) gives it.
double digitsValue(std::string_view digits)
{
    if (digits.size() > 15) // beyond exact integer accumulation: let the correctly rounding parser do it
        return parseInt10(digits);
    std::int64_t v = 0;
    for (const char c : digits)
        v = v * 10 + (c - '0');
    return static_cast<double>(v);
}

// parseInt(field, 10) || fallback, for a field the pattern matched (digits or absent).
double fieldOr(std::string_view digits, double fallback)
{
    if (digits.empty())
        return fallback;
    const double v = digitsValue(digits);
    return v == 0 ? fallback : v;
}

} // namespace

double timeClip(double t)
{
    if (!(std::fabs(t) <= kMaxTimeValue))
        return kNaN;
    return std::trunc(t) + 0.0; // + 0.0 turns -0 into +0
}

double makeUtc(double year, double month0, double day, double hours, double minutes, double seconds, double ms)
{
    if (!std::isfinite(year) || !std::isfinite(month0) || !std::isfinite(day) || !std::isfinite(hours)
        || !std::isfinite(minutes) || !std::isfinite(seconds) || !std::isfinite(ms)) {
        return kNaN;
    }
    const double y = std::trunc(year);
    if (y >= 0 && y <= 99)
        year = 1900 + y;
    return timeClip(makeDate(makeDay(year, month0, day), makeTime(hours, minutes, seconds, ms)));
}

DateFields dateFields(double t)
{
    const auto ms = static_cast<std::int64_t>(timeClip(t));
    const std::int64_t perDay = 86400000;
    std::int64_t days = ms / perDay;
    std::int64_t msOfDay = ms % perDay;
    if (msOfDay < 0) {
        msOfDay += perDay;
        --days;
    }
    DateFields f;
    civilFromDays(days, f.year, f.month0, f.day);
    f.hours = static_cast<int>(msOfDay / 3600000);
    f.minutes = static_cast<int>(msOfDay / 60000 % 60);
    f.seconds = static_cast<int>(msOfDay / 1000 % 60);
    f.ms = static_cast<int>(msOfDay % 1000);
    f.weekDay = static_cast<int>(((days + 4) % 7 + 7) % 7); // 1970-01-01 was a Thursday
    return f;
}

bool appendDateIsoString(std::string &out, double t)
{
    if (std::isnan(timeClip(t)))
        return false;
    const DateFields f = dateFields(t);
    char buffer[32];
    char *p = buffer;
    if (f.year >= 0 && f.year <= 9999) {
        p = putPadded(p, static_cast<unsigned>(f.year), 4);
    } else {
        *p++ = f.year < 0 ? '-' : '+';
        p = putPadded(p, magnitude(f.year), 6);
    }
    *p++ = '-';
    p = putPadded(p, static_cast<unsigned>(f.month0 + 1), 2);
    *p++ = '-';
    p = putPadded(p, static_cast<unsigned>(f.day), 2);
    *p++ = 'T';
    p = putTimeOfDay(p, f);
    *p++ = '.';
    p = putPadded(p, static_cast<unsigned>(f.ms), 3);
    *p++ = 'Z';
    out.append(buffer, static_cast<std::size_t>(p - buffer));
    return true;
}

std::string dateToIsoString(double t)
{
    std::string out;
    if (!appendDateIsoString(out, t))
        out = "Invalid Date";
    return out;
}

void appendDateString(std::string &out, double t)
{
    if (std::isnan(timeClip(t))) {
        out += "Invalid Date";
        return;
    }
    const DateFields f = dateFields(t);
    char buffer[80];
    char *p = putText(buffer, kWeekDays[f.weekDay]);
    *p++ = ' ';
    p = putText(p, kMonths[f.month0]);
    *p++ = ' ';
    p = putPadded(p, static_cast<unsigned>(f.day), 2);
    *p++ = ' ';
    if (f.year < 0)
        *p++ = '-';
    p = putPadded(p, magnitude(f.year), 4);
    *p++ = ' ';
    p = putTimeOfDay(p, f);
    p = putText(p, " GMT+0000 (Coordinated Universal Time)");
    out.append(buffer, static_cast<std::size_t>(p - buffer));
}

std::string dateToString(double t)
{
    std::string out;
    appendDateString(out, t);
    return out;
}

double parseDate(std::string_view s)
{
    DateTokenizer in(s);
    DayParts day;
    TimeParts time;
    ZoneParts zone;
    Token resume;
    switch (parseIsoPrefix(in, day, time, zone, resume)) {
    case IsoResult::Invalid:
        return kNaN;
    case IsoResult::Fallback:
        if (!parseLegacy(in, resume, day, time, zone))
            return kNaN;
        break;
    case IsoResult::Complete:
        break;
    }

    int year = 0, month = 0, dayOfMonth = 0, hour = 0, minute = 0, second = 0, ms = 0, offsetSeconds = 0;
    bool hasOffset = false;
    if (!day.write(year, month, dayOfMonth) || !time.write(hour, minute, second, ms)
        || !zone.write(hasOffset, offsetSeconds)) {
        return kNaN;
    }
    double t = makeDate(makeDay(year, month - 1, dayOfMonth), makeTime(hour, minute, second, ms));
    // Without an offset the fields are local time, which is UTC here.
    if (hasOffset)
        t -= offsetSeconds * 1000.0;
    return timeClip(t);
}

namespace {

// The milliseconds isodate reads from a fraction's digits: both modes end in
// Number((text + "00").substring(0, 3)).
double fractionMillis(std::string_view digits, IsoFraction fraction)
{
    double ms = 0;
    if (!digits.empty()) {
        // Both modes end in Number((text + "00").substring(0, 3)).
        if (fraction == IsoFraction::Truncate) {
            for (std::size_t i = 0; i < 3; ++i)
                ms = ms * 10 + (i < digits.size() ? digits[i] - '0' : 0);
        } else {
            std::string_view significant = digits;
            while (!significant.empty() && significant.front() == '0')
                significant.remove_prefix(1);
            if (significant.empty()) {
                // "000" is falsy after parseInt: no fraction at all
            } else if (significant.size() <= 15) {
                // An exact integer: String(whole) is just its digits.
                for (std::size_t i = 0; i < 3; ++i)
                    ms = ms * 10 + (i < significant.size() ? significant[i] - '0' : 0);
            } else if (const double whole = digitsValue(digits); whole != 0) {
                // String(whole) can be "1.2345678901234568e+21", so this is not just digits.
                char text[kNumberBufferSize + 2];
                std::size_t length = formatNumber(text, whole);
                text[length++] = '0';
                text[length++] = '0';
                ms = stringToNumber(std::string_view(text, 3));
            }
        }
    }

    return ms;
}

// The common form "YYYY-MM-DDTHH:MM:SS[.fff…]Z" (years from 100, months 01-12, days from 01), in
// integer arithmetic: what isoMillis computes for it, without the general field handling.
bool canonicalIsoMillis(std::string_view s, IsoFraction fraction, double *millis)
{
    auto digit = [&](std::size_t i) { return static_cast<unsigned>(s[i] - '0'); };
    auto two = [&](std::size_t i) { return digit(i) * 10 + digit(i + 1); };
    if (s.size() < 20 || s.back() != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (digit(i) > 9)
            return false;
    std::string_view fractionDigits;
    if (s.size() > 20) {
        if (s[19] != '.' && s[19] != ',')
            return false;
        fractionDigits = s.substr(20, s.size() - 21);
        if (fractionDigits.empty())
            return false;
        for (char c : fractionDigits)
            if (c < '0' || c > '9')
                return false;
    }
    const unsigned year = two(0) * 100 + two(2);
    const unsigned month = two(5);
    const unsigned day = two(8);
    if (year < 100 || month < 1 || month > 12 || day < 1)
        return false; // two-digit years, "00" fields: the general path
    const std::int64_t days = daysFromCivil(year, static_cast<int>(month), 1) - 1 + day;
    const std::int64_t time = ((static_cast<std::int64_t>(two(11)) * 60 + two(14)) * 60 + two(17)) * 1000;
    // MakeTime truncates the milliseconds ("8.8" from a fraction whose digits print in exponent form).
    const double ms = fractionMillis(fractionDigits, fraction);
    if (std::isnan(ms)) { // "1e+" from a fraction that reads as 1e21
        *millis = kNaN;
        return true;
    }
    *millis = static_cast<double>(days * 86400000 + time + static_cast<std::int64_t>(ms));
    return true;
}

bool hasStrictPrefix(std::string_view s)
{
    return digitsAt(s, 0, 4) && s.size() > 4 && s[4] == '-' && digitsAt(s, 5, 2) && s.size() > 7 && s[7] == '-'
           && digitsAt(s, 8, 2);
}

double isoMillis(const IsoMatch &m, IsoFraction fraction);

} // namespace

bool isIsoDate(std::string_view s, IsoStrictness strictness)
{
    if (strictness == IsoStrictness::Strict && !hasStrictPrefix(s))
        return false;
    IsoMatch m;
    return matchIso(s, m);
}

bool parseStrictIsoDate(std::string_view s, IsoFraction fraction, double *millis)
{
    if (canonicalIsoMillis(s, fraction, millis))
        return true;
    IsoMatch m;
    if (!hasStrictPrefix(s) || !matchIso(s, m))
        return false;
    *millis = isoMillis(m, fraction);
    return true;
}

double parseIsoDate(std::string_view s, IsoFraction fraction)
{
    IsoMatch m;
    if (!matchIso(s, m))
        return parseDate(s); // the helper falls back to new Date(s)
    return isoMillis(m, fraction);
}

namespace {

double isoMillis(const IsoMatch &m, IsoFraction fraction)
{
    const double year = fieldOr(m.year, 0);
    const double month0 = fieldOr(m.month, 1) - 1; // absent or "00" is January
    const double day = fieldOr(m.day, 1);
    const double hour = fieldOr(m.hour, 0);
    const double minute = fieldOr(m.minute, 0);
    const double second = fieldOr(m.second, 0);

    const double ms = fractionMillis(m.fraction, fraction);

    double offsetMinutes = 0;
    if (m.separator == ' ') {
        offsetMinutes = 0; // new Date().getTimezoneOffset() in UTC; a written offset is ignored
    } else if (!m.zulu && m.offsetSign) {
        offsetMinutes = fieldOr(m.offsetHours, 0) * 60 + fieldOr(m.offsetMinutes, 0);
        if (m.offsetSign == '+')
            offsetMinutes = -offsetMinutes;
    }
    return makeUtc(year, month0, day, hour, minute + offsetMinutes, second, ms);
}

} // namespace

} // namespace km::js
