// Rule table: case-insensitive look-ups (mapping reference 18.7) and `options` as the legacy name of
// `context` (18.2), cases no reference vector covers.

#include "rulecase.h"

class TestRulesLookups : public QObject
{
    Q_OBJECT

    // No known engine bugs: the two empty-ip rows failed until _ip/_ua were sent only when truthy.
    const rules::KnownBugs knownBugs = {};

private slots:
    void lookups_data();
    void lookups() { KM_RULE_CHECK(knownBugs); }
};

namespace {

const char *kKey = R"({"apiKey":"k"})";
const char *kOff = R"({"apiKey":"k","prefixProperties":false})";
const char *kOn = R"({"apiKey":"k","prefixProperties":true})";
const char *kSkip = R"({"KM_SKIP_PAGE_VIEW":1})";

} // namespace

void TestRulesLookups::lookups_data()
{
    rules::addColumns();

    // --- revenue: case-insensitive, first match even when falsy, only exact `revenue` renamed ---------
    rules::row("sd: {Revenue} gives E - Revenue, E - revenue and Billing Amount", "segment-device", kKey, kSkip,
               R"({"type":"track","event":"E","properties":{"Revenue":10}})",
               R"([["record","E",{"E - Revenue":10,"Billing Amount":10,"E - revenue":10}]])");
    rules::row(
            "sc: {Revenue} is kept and adds revenue + Billing Amount", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"Revenue":10}})",
            R"([{"endpoint":"e","method":"GET","params":{"Revenue":"10","revenue":"10","Billing Amount":"10",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sd: first match {revenue:0} wins over a later Revenue:5 -> no revenue", "segment-device", kKey, kSkip,
               R"({"type":"track","event":"E","properties":{"revenue":0,"Revenue":5}})",
               R"([["record","E",{"E - revenue":0,"Billing Amount":0,"E - Revenue":5}]])");
    rules::row(
            "sc: first match {Revenue:5} wins over a later revenue:0", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"Revenue":5,"revenue":0}})",
            R"([{"endpoint":"e","method":"GET","params":{"Revenue":"5","revenue":"5","Billing Amount":"5",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "sc: characters outside letters/digits/. are ignored (re_venue)", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"re_venue":7}})",
            R"([{"endpoint":"e","method":"GET","params":{"re_venue":"7","revenue":"7","Billing Amount":"7",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    // --- total and products ----------------------------------------------------------------------------
    rules::row(
            "sd: TOTAL found case-insensitively for an order-like generic track", "segment-device", kKey, kSkip,
            R"({"type":"track","event":"Order Completed","properties":{"TOTAL":30}})",
            R"([["record","Order Completed",{"Order Completed - TOTAL":30,"Billing Amount":30,"Order Completed - revenue":30}]])");
    rules::row(
            "sc: Total found case-insensitively in the order handler", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"Total":30}})",
            R"([{"endpoint":"e","method":"GET","params":{"Total":"30","revenue":"30","Billing Amount":"30",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Completed Order"}}])");
    rules::row("sc: Products found case-insensitively (product calls), but only exact products is removed",
               "segment-cloud", kOff, "",
               R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"Products":[{"sku":"a"},{"sku":"b"}]}})",
               R"([{"endpoint":"e","method":"GET","params":{"Products":"[object Object],[object Object]",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"b","_d":"1","_k":"k","_p":"u1","_t":"1388534401"}}])");

    rules::row(
            "sc: a truthy unparsable revenue blocks the total fallback", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":"abc","total":30}})",
            R"([{"endpoint":"e","method":"GET","params":{"revenue":"abc","total":"30","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Completed Order"}}])");
    rules::row(
            "sd: a truthy unparsable revenue blocks the total fallback", "segment-device", kKey, kSkip,
            R"({"type":"track","event":"Order Completed","properties":{"revenue":"abc","total":30}})",
            R"([["record","Order Completed",{"Order Completed - revenue":"abc","Billing Amount":"abc","Order Completed - total":30}]])");
    rules::row(
            "sd: revenue 0 is falsy, so total is used and revenue:0 is renamed away", "segment-device", kKey, kSkip,
            R"({"type":"track","event":"Order Completed","properties":{"revenue":0,"total":30}})",
            R"([["record","Order Completed",{"Order Completed - total":30,"Billing Amount":30,"Order Completed - revenue":30}]])");
    rules::row(
            "sc: revenue 0 is falsy, so total is used", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":0,"total":30}})",
            R"([{"endpoint":"e","method":"GET","params":{"revenue":"30","total":"30","Billing Amount":"30","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Completed Order"}}])");

    // --- url, referrer, ip, userAgent --------------------------------------------------------------------
    rules::row("sd: URL and REFERRER found case-insensitively for the Page View record", "segment-device", kKey, "",
               R"({"type":"page","properties":{"URL":"http://x/","REFERRER":"http://r/"}})",
               R"([["record","Page View",{"Viewed URL":"http://x/","Referrer":"http://r/"}]])");
    rules::row(
            "sd: context.Referrer.URL found case-insensitively", "segment-device", kKey, "",
            R"({"type":"page","properties":{"url":"http://x/","referrer":"http://p/"},"context":{"Referrer":{"URL":"http://c/"}}})",
            R"([["record","Page View",{"Viewed URL":"http://x/","Referrer":"http://c/"}]])");
    rules::row("sd: first url match is taken even when empty", "segment-device", kKey, "",
               R"({"type":"page","properties":{"url":"","URL":"http://x/"}})",
               R"([["record","Page View",{"Viewed URL":"","Referrer":"Direct"}]])");
    rules::row("sc: context IP and user_agent found case-insensitively", "segment-cloud", kOff, "",
               R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{},
                   "context":{"IP":"1.2.3.4","user_agent":"UA/1"}})",
               R"([{"endpoint":"e","method":"GET","params":{"_ip":"1.2.3.4","_ua":"UA/1",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "sc: first ip match is taken even when empty -> no _ip", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{},
                   "context":{"ip":"","IP":"1.2.3.4"}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    rules::row(
            "sc: falsy context ip/userAgent (null, empty) are not sent", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{},
                   "context":{"ip":null,"userAgent":""}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    // --- RudderStack engines read exact keys ------------------------------------------------------------
    rules::row(
            "rc: {Revenue} is an ordinary property (no Billing Amount)", "rudder-cloud", kOn, "",
            R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"Revenue":10}})",
            R"([{"endpoint":"e","method":"GET","params":{"E-Revenue":10,"_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");
    rules::row("rd: {Products} is an ordinary property (one-element object array dropped, no item sets)",
               "rudder-device", kOff, "",
               R"({"type":"track","event":"E","properties":{"Products":[{"sku":"a"}],"Revenue":"$5"}})",
               R"([["record","E",{"Revenue":"$5"}]])");

    // --- 18.2: options replaces context when truthy, never merged -----------------------------------------
    rules::row(
            "sc: options wins; context ignored even for keys options lacks", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{},
                   "options":{"ip":"1.1.1.1"},"context":{"ip":"2.2.2.2","userAgent":"UA-ctx"}})",
            R"([{"endpoint":"e","method":"GET","params":{"_ip":"1.1.1.1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "sc: an empty options object is truthy, so context is ignored", "segment-cloud", kOff, "",
            R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{},
                   "options":{},"context":{"ip":"2.2.2.2"}})",
            R"([{"endpoint":"s","method":"GET","params":{"id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}}])");
    rules::row("sc: options null is falsy, so context is read", "segment-cloud", kOff, "",
               R"({"type":"alias","userId":"new","previousId":"old","options":null,"context":{"ip":"2.2.2.2"}})",
               R"([{"endpoint":"a","method":"GET","params":{"_k":"k","_p":"old","_n":"new","_ip":"2.2.2.2"}}])");
    rules::row("sd: Page View referrer read from options.page.referrer, context ignored", "segment-device", kKey, "",
               R"({"type":"page","properties":{"url":"http://x/"},"options":{"page":{"referrer":"http://opt/"}},
                   "context":{"referrer":{"url":"http://ctx/"}}})",
               R"([["record","Page View",{"Viewed URL":"http://x/","Referrer":"http://opt/"}]])");
    rules::row(
            "sc: order products copy the context from options (_ip on every call)", "segment-cloud", kOff, "",
            R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"products":[{"sku":"a"}]},"options":{"ip":"1.1.1.1"},"context":{"userAgent":"UA-ctx"}})",
            R"([{"endpoint":"e","method":"GET","params":{"_ip":"1.1.1.1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","_ip":"1.1.1.1","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row("rd: RudderStack reads context only (options.traits ignored)", "rudder-device", kKey, "",
               R"({"type":"identify","userId":"u1","context":{"traits":{"a":1}},"options":{"traits":{"b":2}}})",
               R"([["identify","u1"],["set",{"a":1}]])");
}

QTEST_GUILESS_MAIN(TestRulesLookups)
#include "tst_rules_lookups.moc"
