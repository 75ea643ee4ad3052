// Rule table: ISO date strings, mapping reference section 18.6 (with 4.1), cases no reference vector covers.
// A Date is only visible as ISO text where it is printed uncleaned or nested; top-level in a cleaned payload
// it becomes Unix seconds. Evaluated in UTC.

#include "rulecase.h"

class TestRulesIsoDates : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    void isoDates_data();
    void isoDates() { KM_RULE_CHECK(knownBugs); }
};

namespace {

const char *kOff = R"({"apiKey":"k","prefixProperties":false})";
const char *kKey = R"({"apiKey":"k"})";
const char *kSkip = R"({"KM_SKIP_PAGE_VIEW":1})";

const char *kWed = "Wed Jan 01 2014 00:00:00 GMT+0000 (Coordinated Universal Time)";

} // namespace

void TestRulesIsoDates::isoDates_data()
{
    rules::addColumns();
    const std::string wed = kWed;

    // --- which strings count: strict YYYY-MM-DD prefix, full match ----------------------------------
    rules::row(
            "sd: only YYYY-MM-DD-prefixed strings convert (2014, 2014-01, 20140101 stay text)", "segment-device", kOff,
            kSkip,
            R"({"type":"track","event":"E","properties":{"y":"2014","ym":"2014-01","ymd":"2014-01-01","compact":"20140101"}})",
            R"([["record","E",{"y":"2014","ym":"2014-01","ymd":1388534400,"compact":"20140101"}]])");
    rules::row(
            "sc: only YYYY-MM-DD-prefixed strings convert (2014, 2014-01, 20140101 stay text)", "segment-cloud", kKey,
            "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"y":"2014","ym":"2014-01","ymd":"2014-01-01","compact":"20140101"}})",
            R"([{"endpoint":"e","method":"GET","params":{"y":"2014","ym":"2014-01","ymd":"1388534400","compact":"20140101",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sd: month 13 rolls over (2014-13-01 is 2015-01-01)", "segment-device", kOff, kSkip,
               R"({"type":"track","event":"E","properties":{"d":"2014-13-01"}})",
               R"([["record","E",{"d":1420070400}]])");
    rules::row("sc: T25:99 is a date and rolls over (nested, printed as ISO text)", "segment-cloud", kKey, "",
               R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"m":{"d":"2014-01-01T25:99"}}})",
               R"([{"endpoint":"e","method":"GET","params":{"m.d":"2014-01-02T02:39:00.000Z",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sd: hours without minutes is not a date", "segment-device", kOff, kSkip,
               R"({"type":"track","event":"E","properties":{"d":"2014-01-01T10"}})",
               R"([["record","E",{"d":"2014-01-01T10"}]])");
    rules::row("sc: surrounding spaces or trailing text disqualify", "segment-cloud", kKey, "",
               R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"a":" 2014-01-01","b":"2014-01-01 ","c":"2014-01-01x"}})",
               R"([{"endpoint":"e","method":"GET","params":{"a":" 2014-01-01","b":"2014-01-01 ","c":"2014-01-01x",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    rules::row("sd: comma fraction, no colons, compact offset; lower-case t/z is not a date", "segment-device", kOff,
               kSkip,
               R"({"type":"track","event":"E","properties":{"m":{"a":"2014-01-01T00:00:00,5Z","b":"2014-01-01T1030Z",
                   "c":"2014-01-01T10:30:00+0530","d":"2014-01-01t10:00:00z","e":"2014-01-01T10:30"}}})",
               R"([["record","E",{"m.a":"2014-01-01T00:00:00.500Z","m.b":"2014-01-01T10:30:00.000Z",
                   "m.c":"2014-01-01T05:00:00.000Z","m.d":"2014-01-01t10:00:00z","m.e":"2014-01-01T10:30:00.000Z"}]])");
    rules::row(
            "sc: comma fraction, no colons, compact offset; lower-case t/z is not a date", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"m":{"a":"2014-01-01T00:00:00,5Z","b":"2014-01-01T1030Z",
                   "c":"2014-01-01T10:30:00+0530","d":"2014-01-01t10:00:00z","e":"2014-01-01T10:30"}}})",
            R"([{"endpoint":"e","method":"GET","params":{"m.a":"2014-01-01T00:00:00.500Z","m.b":"2014-01-01T10:30:00.000Z",
                   "m.c":"2014-01-01T05:00:00.000Z","m.d":"2014-01-01t10:00:00z","m.e":"2014-01-01T10:30:00.000Z",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    // --- fractions: device truncates to ms, cloud reads the digits as a whole number first ------------
    rules::row(
            "sd: fraction truncated to milliseconds (.05 -> 050, .1239 -> 123), nested", "segment-device", kOff, kSkip,
            R"({"type":"track","event":"E","properties":{"m":{"a":"2014-01-01T00:00:00.05Z","b":"2014-01-01T00:00:00.1239Z"}}})",
            R"([["record","E",{"m.a":"2014-01-01T00:00:00.050Z","m.b":"2014-01-01T00:00:00.123Z"}]])");
    rules::row(
            "sc: fraction digits read as a whole number (.05, .050, .5 all 500 ms), nested", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"m":{"a":"2014-01-01T00:00:00.05Z","b":"2014-01-01T00:00:00.050Z","c":"2014-01-01T00:00:00.5Z","d":"2014-01-01T00:00:00.123Z"}}})",
            R"([{"endpoint":"e","method":"GET","params":{"m.a":"2014-01-01T00:00:00.500Z","m.b":"2014-01-01T00:00:00.500Z",
                   "m.c":"2014-01-01T00:00:00.500Z","m.d":"2014-01-01T00:00:00.123Z",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sc: page properties keep Dates, printed as ISO text (.05 -> 500 ms)", "segment-cloud", kKey, "",
               R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"at":"2014-01-01T00:00:00.05Z"}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - at":"2014-01-01T00:00:00.500Z","Page - name":"Home",
                   "_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row("sd: page properties keep Dates, printed as ISO text (.05 -> 50 ms)", "segment-device", kKey, kSkip,
               R"({"type":"page","name":"Home","properties":{"at":"2014-01-01T00:00:00.05Z"}})",
               R"([["record","Viewed Home Page",{"Page - at":"2014-01-01T00:00:00.050Z","Page - name":"Home"}]])");

    // --- arrays and array-likes ----------------------------------------------------------------------
    rules::row(
            "sd: group traits are uncleaned, an array keeps its Date elements", "segment-device", kKey, kSkip,
            R"({"type":"group","groupId":"g1","traits":{"at":"2014-01-01","dates":["2014-01-01","x"]}})",
            R"([["set",{"Group - at":"2014-01-01T00:00:00.000Z","Group - dates":["2014-01-01T00:00:00.000Z","x"],"Group - id":"g1"}]])");
    rules::row("sc: string elements and object elements of an array are converted (page, GET)", "segment-cloud", kKey,
               "",
               R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"items":[{"at":"2014-01-01"},"2014-01-02"]}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - items[at]":"2014-01-01T00:00:00.000Z",
                   "Page - items":"2014-01-02T00:00:00.000Z","Page - name":"Home",
                   "_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row("sc: a doubly nested one-element array [[iso]] is one Date -> Unix seconds", "segment-cloud", kKey, "",
               R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"x":[["2014-01-01"]]}})",
               R"([{"endpoint":"e","method":"GET","params":{"x":"1388534400",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "sc: page one-element ISO array is one Date: a single ISO value, not a list", "segment-cloud", kKey, "",
            R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z","properties":{"one":["2014-01-01"]}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - one":"2014-01-01T00:00:00.000Z","Page - name":"Home",
                   "_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row("sd: page one-element ISO array stays an array holding one Date", "segment-device", kKey, kSkip,
               R"({"type":"page","name":"Home","properties":{"one":["2014-01-01"]}})",
               R"([["record","Viewed Home Page",{"Page - one":["2014-01-01T00:00:00.000Z"],"Page - name":"Home"}]])");
    rules::row(
            "sc: nested one-element ISO array is one Date (ISO text after flattening)", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"m":{"l":["2014-01-01"]}}})",
            R"([{"endpoint":"e","method":"GET","params":{"m.l":"2014-01-01T00:00:00.000Z",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sd: nested one-element ISO array keeps an array of one Date, joined as Date#toString", "segment-device",
               kOff, kSkip, R"({"type":"track","event":"E","properties":{"m":{"l":["2014-01-01"]}}})",
               R"~([["record","E",{"m.l":"Wed Jan 01 2014 00:00:00 GMT+0000 (Coordinated Universal Time)"}]])~");
    rules::row(
            "sc: page array of two ISO strings: repeated ISO texts", "segment-cloud", kKey, "",
            R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z","properties":{"ds":["2014-01-01","2014-01-02"]}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - ds":["2014-01-01T00:00:00.000Z","2014-01-02T00:00:00.000Z"],
                   "Page - name":"Home","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row("sc: a nested object with numeric length is skipped (page keeps ISO text as written)", "segment-cloud",
               kKey, "",
               R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"meta":{"length":1,"at":"2014-01-01"}}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - meta[length]":"1","Page - meta[at]":"2014-01-01",
                   "Page - name":"Home","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row(
            "sc: mixed array in cleaned traits joins Date#toString with plain text", "segment-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{"d":["2014-01-01","x"]}})",
            R"([{"endpoint":"s","method":"GET","params":{"d":")" + wed
                    + R"(,x","id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}}])");
    rules::row("sd: Date#toString join in identify traits (different weekdays)", "segment-device", kKey, "",
               R"({"type":"identify","traits":{"d":["2014-01-01","2014-06-01T12:00:00Z"]}})",
               R"([["set",{"d":")" + wed + R"~(,Sun Jun 01 2014 12:00:00 GMT+0000 (Coordinated Universal Time)"}]])~");

    // --- cleaned (top-level) vs uncleaned paths ------------------------------------------------------
    rules::row(
            "sc: group traits are cleaned, a top-level Date becomes Unix seconds text", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","traits":{"at":"2014-01-02"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - at":"1388620800","Group - id":"g1",
                   "_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row(
            "sc: order products are cleaned, a top-level Date becomes Unix seconds text", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"products":[{"sku":"a","at":"2014-01-02"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","at":"1388620800","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row("sd: completed-order payloads are uncleaned, Dates stay Dates (record and KM.set)", "segment-device",
               kKey, kSkip,
               R"({"type":"track","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"at":"2014-01-01","products":[{"sku":"a","at":"2014-01-02"}]}})",
               R"([["record","Completed Order",{"Completed Order - at":"2014-01-01T00:00:00.000Z"}],["function"],
                   ["KM.set",{"Completed Order - sku":"a","Completed Order - at":"2014-01-02T00:00:00.000Z","_t":1388534400,"_d":1}]])");

    // --- the whole message is walked: ids and the event name too --------------------------------------
    rules::row(
            "sd: context is walked too: ISO url and referrer reach Page View as Dates", "segment-device", kKey, "",
            R"({"type":"page","properties":{"url":"2014-01-01"},"context":{"page":{"referrer":"2014-01-02"}}})",
            R"([["record","Page View",{"Viewed URL":"2014-01-01T00:00:00.000Z","Referrer":"2014-01-02T00:00:00.000Z"}]])");
    rules::row("sd: an ISO revenue is a Date: no revenue parse, cleaned to seconds, prefix copies it", "segment-device",
               kKey, kSkip, R"({"type":"track","event":"E","properties":{"revenue":"2014-01-01"}})",
               R"([["record","E",{"E - revenue":1388534400,"Billing Amount":1388534400}]])");
    rules::row("sd: an ISO userId becomes a Date (identify arg) and the id trait Unix seconds", "segment-device", kKey,
               "", R"({"type":"identify","userId":"2014-01-01","traits":{}})",
               R"([["identify","2014-01-01T00:00:00.000Z"],["set",{"id":1388534400}]])");
    rules::row("sc: an ISO userId becomes a Date: _p as ISO text, id trait as Unix seconds", "segment-cloud", kKey, "",
               R"({"type":"identify","userId":"2014-01-01T00:00:00Z","timestamp":"2014-01-01T00:00:00Z","traits":{}})",
               R"([{"endpoint":"s","method":"GET","params":{"id":"1388534400","_k":"k","_p":"2014-01-01T00:00:00.000Z",
                   "_t":"1388534400","_d":"1"}}])");
    rules::row(
            "sc: an ISO event name becomes a Date: _n ISO text, prefix uses Date#toString", "segment-cloud",
            R"({"apiKey":"k","prefixProperties":true})", "",
            R"({"type":"track","userId":"u1","event":"2014-01-01","timestamp":"2014-01-01T00:00:00Z","properties":{"a":"b","revenue":5}})",
            R"([{"endpoint":"e","method":"GET","params":{")" + wed + R"( - a":"b",")" + wed
                    + R"( - revenue":"5","Billing Amount":"5","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"2014-01-01T00:00:00.000Z"}}])");

    rules::row(
            "sd: an ISO page name becomes a Date: event text uses Date#toString", "segment-device", kKey, kSkip,
            R"({"type":"page","name":"2014-01-01"})",
            R"~([["record","Viewed Wed Jan 01 2014 00:00:00 GMT+0000 (Coordinated Universal Time) Page",{"Page - name":"2014-01-01T00:00:00.000Z"}]])~");

    // --- RudderStack engines never convert --------------------------------------------------------------
    rules::row("rd: ISO strings stay strings", "rudder-device", kOff, "",
               R"({"type":"track","event":"E","properties":{"at":"2014-01-01","m":{"at":"2014-01-01T00:00:00Z"}}})",
               R"([["record","E",{"at":"2014-01-01","m.at":"2014-01-01T00:00:00Z"}]])");
    rules::row(
            "rc: ISO strings stay strings", "rudder-cloud", kKey, "",
            R"({"type":"identify","userId":"2014-01-01","timestamp":"2014-01-01T00:00:00Z","traits":{"at":"2014-01-01T00:00:00Z"}})",
            R"([{"endpoint":"s","method":"GET","params":{"at":"2014-01-01T00:00:00Z","_k":"k","_p":"2014-01-01",
                   "_t":"1388534400","_d":1}}])");
}

QTEST_GUILESS_MAIN(TestRulesIsoDates)
#include "tst_rules_isodates.moc"
