// Rule table: `_t`, mapping reference section 18.5 (with 2.2), cases no reference vector covers.
// Every expectation is derived from the reference text (JavaScript Date/new-date/isodate behaviour in UTC).

#include "rulecase.h"

using namespace std::string_literals;

class TestRulesTimestamps : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    void timestamps_data();
    void timestamps() { KM_RULE_CHECK(knownBugs); }
};

namespace {

const std::string kCloud = R"({"apiKey":"k"})";
const std::string kDevice = R"({"apiKey":"k"})";

// segment-cloud: a bare track; `timestamp` is the JSON text of the field ("" = no timestamp key).
std::string scTrack(const std::string &timestamp)
{
    return R"({"type":"track","userId":"u1","event":"E","properties":{})"s
           + (timestamp.empty() ? "" : R"(,"timestamp":)" + timestamp) + "}";
}
std::string scOut(const std::string &t)
{
    return R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":")" + t + R"(","_n":"E"}}])";
}

// segment-device: a completed order (routed to completedOrder) with two products.
std::string sdOrder(const std::string &timestamp)
{
    return R"({"type":"track","event":"Completed Order","properties":{"orderId":"o1","products":[{"sku":"a"},{"sku":"b"}]})"s
           + (timestamp.empty() ? "" : R"(,"timestamp":)" + timestamp) + "}";
}
std::string sdOrderOut(long long t)
{
    return R"([["record","Completed Order",{"Completed Order - orderId":"o1"}],["function"],)"
           R"(["KM.set",{"Completed Order - sku":"a","_t":)"
           + std::to_string(t) + R"(,"_d":1}],["KM.set",{"Completed Order - sku":"b","_t":)" + std::to_string(t + 1)
           + R"(,"_d":1}]])";
}

// rudder-cloud: a bare track; `fields` are extra message members (",\"timestamp\":...").
std::string rcTrack(const std::string &fields)
{
    return R"({"type":"track","event":"E","userId":"u1","properties":{})" + fields + "}";
}
std::string rcOut(const std::string &t)
{
    return R"([{"endpoint":"e","method":"GET","params":{"_k":"k","_p":"u1","_n":"E","_t":")" + t + R"(","_d":1}}])";
}

} // namespace

void TestRulesTimestamps::timestamps_data()
{
    rules::addColumns();

    // --- segment-cloud: facade timestamp() + floor(ms / 1000) --------------------------------------
    rules::row("sc: no timestamp key -> the clock, floored to whole seconds", "segment-cloud", kCloud, "", scTrack(""),
               scOut("1600000000"), 1600000000.9);
    rules::row("sc: number just below 31,557,600,000 is seconds", "segment-cloud", kCloud, "", scTrack("31557599999"),
               scOut("31557599999"));
    rules::row("sc: number 31,557,600,000 (not below the threshold) is milliseconds", "segment-cloud", kCloud, "",
               scTrack("31557600000"), scOut("31557600"));
    rules::row("sc: fractional seconds number floors", "segment-cloud", kCloud, "", scTrack("1388534400.9"),
               scOut("1388534400"));
    rules::row("sc: 13-digit number is milliseconds", "segment-cloud", kCloud, "", scTrack("1388534400123"),
               scOut("1388534400"));
    rules::row("sc: date-only YYYY-MM is UTC midnight of the 1st", "segment-cloud", kCloud, "", scTrack(R"("2014-02")"),
               scOut("1391212800"));
    rules::row("sc: date-only YYYY-MM-DD is UTC", "segment-cloud", kCloud, "", scTrack(R"("2014-03-01")"),
               scOut("1393632000"));
    rules::row("sc: date-time without offset is local time (UTC here)", "segment-cloud", kCloud, "",
               scTrack(R"("2014-01-01T10:00:00")"), scOut("1388570400"));
    rules::row("sc: negative written offset is honoured", "segment-cloud", kCloud, "",
               scTrack(R"("2014-01-01T00:00:00-05:00")"), scOut("1388552400"));
    rules::row("sc: unparsable 10-digit string falls back to leading integer as seconds", "segment-cloud", kCloud, "",
               scTrack(R"("1388534400")"), scOut("1388534400"));
    rules::row("sc: unparsable 13-digit string falls back to leading integer as milliseconds", "segment-cloud", kCloud,
               "", scTrack(R"("1388534400000")"), scOut("1388534400"));
    rules::row("sc: RFC 1123 text goes through the JavaScript Date parser", "segment-cloud", kCloud, "",
               scTrack(R"("Wed, 01 Jan 2014 00:00:00 GMT")"), scOut("1388534400"));
    rules::row("sc: Date#toString text goes through the JavaScript Date parser", "segment-cloud", kCloud, "",
               scTrack(R"~("Wed Jan 01 2014 00:00:00 GMT+0000 (Coordinated Universal Time)")~"), scOut("1388534400"));
    rules::row("sc: null timestamp is the epoch (0)", "segment-cloud", kCloud, "", scTrack("null"), scOut("0"));
    rules::row("sc: unparsable string gives NaN", "segment-cloud", kCloud, "", scTrack(R"("not a date")"),
               scOut("NaN"));
    rules::row("sc: before 1970 floors down (-0.5 s -> -1)", "segment-cloud", kCloud, "",
               scTrack(R"("1969-12-31T23:59:59.500Z")"), scOut("-1"));
    rules::row("sc: negative seconds number floors down (-1.5 -> -2)", "segment-cloud", kCloud, "", scTrack("-1.5"),
               scOut("-2"));
    rules::row("sc: the last valid Date (8.64e15 ms)", "segment-cloud", kCloud, "", scTrack("8640000000000000"),
               scOut("8640000000000"));
    rules::row("sc: one millisecond past the Date range is an Invalid Date: NaN", "segment-cloud", kCloud, "",
               scTrack("8640000000000001"), scOut("NaN"));
    rules::row(
            "sc: order products _t = order seconds + index, from a milliseconds number", "segment-cloud", kCloud, "",
            R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":1388534400500,
            "properties":{"products":[{"sku":"a"},{"sku":"b"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
            {"endpoint":"s","method":"GET","params":{"sku":"a","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}},
            {"endpoint":"s","method":"GET","params":{"sku":"b","_d":"1","_k":"k","_p":"u1","_t":"1388534401"}}])");

    rules::row("sc: an empty-string timestamp is present, so not the clock: NaN", "segment-cloud", kCloud, "",
               scTrack(R"("")"), scOut("NaN"), 1600000000);
    rules::row("sc: timestamp 0 is the epoch, not the clock", "segment-cloud", kCloud, "", scTrack("0"), scOut("0"),
               1600000000);

    // --- segment-device: completed-order product _t = floor(message seconds) + index -----------------
    rules::row("sd: loose ISO year '2014' is 2014-01-01 UTC", "segment-device", kDevice, "", sdOrder(R"("2014")"),
               sdOrderOut(1388534400));
    rules::row("sd: 13-digit string is milliseconds", "segment-device", kDevice, "", sdOrder(R"("1388534400000")"),
               sdOrderOut(1388534400));
    rules::row("sd: 10-digit string is seconds", "segment-device", kDevice, "", sdOrder(R"("1388534400")"),
               sdOrderOut(1388534400));
    rules::row("sd: milliseconds number", "segment-device", kDevice, "", sdOrder("1388534400999"),
               sdOrderOut(1388534400));
    rules::row("sd: month 13 rolls over into the next year", "segment-device", kDevice, "", sdOrder(R"("2014-13-01")"),
               sdOrderOut(1420070400));
    rules::row("sd: day and month 00 count as 1", "segment-device", kDevice, "", sdOrder(R"("2014-00-00")"),
               sdOrderOut(1388534400));
    rules::row("sd: space separator applies the local offset, written offset ignored", "segment-device", kDevice, "",
               sdOrder(R"("2014-01-01 10:00:00+05:00")"), sdOrderOut(1388570400));
    rules::row("sd: T separator honours the written offset", "segment-device", kDevice, "",
               sdOrder(R"("2014-01-01T10:00:00+05:00")"), sdOrderOut(1388552400));
    rules::row("sd: neither ISO nor 10/13 digits: the JavaScript Date parser (RFC 1123)", "segment-device", kDevice, "",
               sdOrder(R"("Wed, 01 Jan 2014 00:00:00 GMT")"), sdOrderOut(1388534400));
    rules::row("sd: no timestamp key -> the clock, floored", "segment-device", kDevice, "", sdOrder(""),
               sdOrderOut(1600000000), 1600000000.75);

    rules::row("sd: seconds number", "segment-device", kDevice, "", sdOrder("1388534400"), sdOrderOut(1388534400));
    rules::row("sd: timestamp 0 is the epoch, not the clock", "segment-device", kDevice, "", sdOrder("0"),
               sdOrderOut(0), 1600000000);
    rules::row("sd: unparsable timestamp gives NaN, printed null", "segment-device", kDevice, "",
               sdOrder(R"("not a date")"),
               R"([["record","Completed Order",{"Completed Order - orderId":"o1"}],["function"],
                   ["KM.set",{"Completed Order - sku":"a","_t":null,"_d":1}],["KM.set",{"Completed Order - sku":"b","_t":null,"_d":1}]])");

    rules::row("sd: past the Date range: NaN, printed null", "segment-device", kDevice, "", sdOrder("8640000000000001"),
               R"([["record","Completed Order",{"Completed Order - orderId":"o1"}],["function"],
                   ["KM.set",{"Completed Order - sku":"a","_t":null,"_d":1}],["KM.set",{"Completed Order - sku":"b","_t":null,"_d":1}]])");

    // --- rudder-cloud: new Date(timestamp || originalTimestamp), never the clock ------------------------
    rules::row("rc: number is always milliseconds", "rudder-cloud", kCloud, "", rcTrack(R"(,"timestamp":1388534400)"),
               rcOut("1388534"));
    rules::row("rc: originalTimestamp when timestamp is missing", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"originalTimestamp":"2014-01-01T00:00:00.000Z")"), rcOut("1388534400"));
    rules::row("rc: timestamp wins over originalTimestamp", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":"2014-01-02T00:00:00Z","originalTimestamp":"2014-01-01T00:00:00Z")"),
               rcOut("1388620800"));
    rules::row("rc: falsy timestamp 0 falls back to originalTimestamp", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":0,"originalTimestamp":"2014-01-01T00:00:00Z")"), rcOut("1388534400"));
    rules::row("rc: null timestamp and no originalTimestamp -> NaN (not the epoch)", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":null)"), rcOut("NaN"));
    rules::row("rc: date-only string is UTC", "rudder-cloud", kCloud, "", rcTrack(R"(,"timestamp":"2014-01-01")"),
               rcOut("1388534400"));
    rules::row("rc: RFC 1123 text goes through new Date()", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":"Wed, 01 Jan 2014 00:00:00 GMT")"), rcOut("1388534400"));
    rules::row("rc: negative milliseconds floor down", "rudder-cloud", kCloud, "", rcTrack(R"(,"timestamp":-1500)"),
               rcOut("-2"));
    rules::row("rc: a digit string goes through new Date() as text: NaN", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":"1388534400")"), rcOut("NaN"));
    rules::row("rc: one millisecond past the Date range is an Invalid Date: NaN", "rudder-cloud", kCloud, "",
               rcTrack(R"(,"timestamp":8640000000000001)"), rcOut("NaN"));
    rules::row("rc: identify without any time -> NaN, the clock is never used", "rudder-cloud", kCloud, "",
               R"({"type":"identify","userId":"u1","traits":{"a":1}})",
               R"([{"endpoint":"s","method":"GET","params":{"a":1,"_k":"k","_p":"u1","_t":"NaN","_d":1}}])",
               1600000000);

    // --- rudder-device: product _t = clock + index, message time ignored ------------------------------
    rules::row("rd: product _t is the floored clock + index, not the message time", "rudder-device", kDevice, "",
               R"({"type":"track","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"products":[{"sku":"a"},{"sku":"b"}]}})",
               R"([["record","E",{}],["function"],["KM.set",{"sku":"a","_t":1600000000,"_d":1}],
                   ["KM.set",{"sku":"b","_t":1600000001,"_d":1}]])",
               1600000000.75);
}

QTEST_GUILESS_MAIN(TestRulesTimestamps)
#include "tst_rules_timestamps.moc"
