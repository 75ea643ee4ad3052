// Rule table: prefixing, mapping reference section 3 and 18.8, cases no reference vector covers.

#include "rulecase.h"

class TestRulesPrefixing : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    void prefixing_data();
    void prefixing() { KM_RULE_CHECK(knownBugs); }
};

namespace {

const char *kKey = R"({"apiKey":"k"})";
const char *kOn = R"({"apiKey":"k","prefixProperties":true})";
const char *kOff = R"({"apiKey":"k","prefixProperties":false})";
const char *kSkip = R"({"KM_SKIP_PAGE_VIEW":1})";

// rudder-cloud /e with the usual reserved params for userId u1 at 2014-01-01.
std::string rcE(const std::string &props, const std::string &name)
{
    return R"([{"endpoint":"e","method":"GET","params":{)" + props + R"("_k":"k","_p":"u1","_n":")" + name
           + R"(","_t":"1388534400","_d":1}}])";
}

} // namespace

void TestRulesPrefixing::prefixing_data()
{
    rules::addColumns();

    // --- where prefixing applies, per call and engine -------------------------------------------------
    rules::row("rd: page prefixed with 'Page - ' when the option is on", "rudder-device", kOn, "",
               R"({"type":"page","properties":{"url":"u"}})", R"([["record","Loaded a Page",{"Page - url":"u"}]])");
    rules::row(
            "rc: page not prefixed when the option is absent", "rudder-cloud", kKey, "",
            R"({"type":"page","name":"Home","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"url":"u"}})",
            rcE(R"("url":"u",)", "Viewed Home page"));
    rules::row("sd: group always prefixed, even with the option off", "segment-device", kOff, kSkip,
               R"({"type":"group","groupId":"g1","traits":{"name":"x"}})",
               R"([["set",{"Group - name":"x","Group - id":"g1"}]])");
    rules::row("rd: group always prefixed, even with the option off", "rudder-device", kOff, "",
               R"({"type":"group","groupId":"g1","traits":{"name":"x"}})",
               R"([["set",{"Group - name":"x","Group - id":"g1"}]])");
    rules::row(
            "sc: group always prefixed, even with the option off", "segment-cloud", kOff, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","traits":{"name":"x"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - name":"x","Group - id":"g1","_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row("rd: product items prefixed with the event name iff the option is on", "rudder-device", kOn, "",
               R"({"type":"track","event":"E","properties":{"products":[{"sku":"a"}]}})",
               R"([["record","E",{}],["function"],["KM.set",{"E - sku":"a","_t":1577836800,"_d":1}]])");
    rules::row(
            "sd: completed order record: revenue gives Billing Amount, total does not", "segment-device", kOn, kSkip,
            R"({"type":"track","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"revenue":20,"total":25,"products":[]}})",
            R"([["record","Completed Order",{"Completed Order - revenue":20,"Billing Amount":20,"Completed Order - total":25}],["function"]])");

    rules::row("sd: prefixProperties 0 is off", "segment-device", R"({"apiKey":"k","prefixProperties":0})", kSkip,
               R"({"type":"track","event":"E","properties":{"a":1}})", R"([["record","E",{"a":1}]])");
    rules::row(
            "sc: prefixProperties \"false\" is a truthy string: on", "segment-cloud",
            R"({"apiKey":"k","prefixProperties":"false"})", "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"a":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"E - a":"1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("rc: prefixProperties empty string is off", "rudder-cloud", R"({"apiKey":"k","prefixProperties":""})",
               "",
               R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"a":1}})",
               rcE(R"("a":1,)", "E"));

    rules::row(
            "sd: order item revenue also writes Billing Amount (items always prefixed)", "segment-device", kOff, kSkip,
            R"({"type":"track","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"products":[{"sku":"a","revenue":5}]}})",
            R"([["record","Completed Order",{}],["function"],
                   ["KM.set",{"Completed Order - sku":"a","Completed Order - revenue":5,"Billing Amount":5,"_t":1388534400,"_d":1}]])");
    rules::row(
            "sc: product revenue gives revenue + Billing Amount on its /s", "segment-cloud", kOn, "",
            R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z","properties":{"products":[{"sku":"a","revenue":5}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"Order Completed - sku":"a","Order Completed - revenue":"5","Billing Amount":"5",
                   "_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row(
            "rd: prefixed product revenue also writes Billing Amount", "rudder-device", kOn, "",
            R"({"type":"track","event":"E","properties":{"products":[{"sku":"a","revenue":5}]}})",
            R"([["record","E",{}],["function"],["KM.set",{"E - sku":"a","E - revenue":5,"Billing Amount":5,"_t":1577836800,"_d":1}]])");

    // --- Billing Amount exemption and revenue copies --------------------------------------------------
    rules::row(
            "sc: a Billing Amount property stays unprefixed", "segment-cloud", kOn, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"Billing Amount":3,"a":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"Billing Amount":"3","E - a":"1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "rc: a Billing Amount property stays unprefixed", "rudder-cloud", kOn, "",
            R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"Billing Amount":3,"a":1}})",
            rcE(R"("Billing Amount":3,"E-a":1,)", "E"));
    rules::row("sd: page revenue also writes Billing Amount (uncleaned string kept)", "segment-device", kKey, kSkip,
               R"({"type":"page","name":"Home","properties":{"revenue":"7"}})",
               R"([["record","Viewed Home Page",{"Page - revenue":"7","Billing Amount":"7","Page - name":"Home"}]])");
    rules::row(
            "sc: page revenue is just Page - revenue (no Billing Amount)", "segment-cloud", kKey, "",
            R"({"type":"page","userId":"u1","name":"Home","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":7}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - revenue":"7","Page - name":"Home","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Home Page","_d":"1"}}])");
    rules::row(
            "rc: '-' separator for page keys but ' - ' for revenue", "rudder-cloud", kOn, "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":5,"url":"u"}})",
            rcE(R"("Page - revenue":5,"Billing Amount":5,"Page-url":"u",)", "Loaded a Page"));

    rules::row(
            "sc: group revenue is just Group - revenue (no Billing Amount)", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","traits":{"revenue":100}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - revenue":"100","Group - id":"g1","_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row("rd: group revenue also writes Billing Amount", "rudder-device", kKey, "",
               R"({"type":"group","groupId":"g1","traits":{"revenue":100}})",
               R"([["set",{"Group - revenue":100,"Billing Amount":100,"Group - id":"g1"}]])");

    // --- revenue -> Billing Amount: last write wins while walking keys --------------------------------
    rules::row("rd: {revenue:10, Billing Amount:5} gives Billing Amount 5", "rudder-device", kOn, "",
               R"({"type":"track","event":"E","properties":{"revenue":10,"Billing Amount":5}})",
               R"([["record","E",{"E - revenue":10,"Billing Amount":5}]])");
    rules::row("rd: {Billing Amount:5, revenue:10} gives Billing Amount 10", "rudder-device", kOn, "",
               R"({"type":"track","event":"E","properties":{"Billing Amount":5,"revenue":10}})",
               R"([["record","E",{"E - revenue":10,"Billing Amount":10}]])");
    rules::row(
            "rc: {revenue:10, Billing Amount:5} gives Billing Amount 5", "rudder-cloud", kOn, "",
            R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":10,"Billing Amount":5}})",
            rcE(R"("E - revenue":10,"Billing Amount":5,)", "E"));
    rules::row("sd: group traits {revenue:10, Billing Amount:5} give Billing Amount 5", "segment-device", kKey, kSkip,
               R"({"type":"group","groupId":"g1","traits":{"revenue":10,"Billing Amount":5}})",
               R"([["set",{"Group - revenue":10,"Billing Amount":5,"Group - id":"g1"}]])");
    rules::row("sd: track maps revenue onto Billing Amount first, so it is 10 either way", "segment-device", kKey,
               kSkip, R"({"type":"track","event":"E","properties":{"revenue":10,"Billing Amount":5}})",
               R"([["record","E",{"Billing Amount":10,"E - revenue":10}]])");
    rules::row(
            "sc: Billing Amount is always the parsed revenue", "segment-cloud", kOn, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"Billing Amount":5,"revenue":10}})",
            R"([{"endpoint":"e","method":"GET","params":{"Billing Amount":"10","E - revenue":"10","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    // --- revenue that does not parse ------------------------------------------------------------------
    rules::row("sd: revenue 'abc' is kept and prefixing copies it to Billing Amount", "segment-device", kKey, kSkip,
               R"({"type":"track","event":"E","properties":{"revenue":"abc"}})",
               R"([["record","E",{"E - revenue":"abc","Billing Amount":"abc"}]])");
    rules::row("sd: revenue 'abc' unprefixed: no Billing Amount at all", "segment-device", kOff, kSkip,
               R"({"type":"track","event":"E","properties":{"revenue":"abc"}})",
               R"([["record","E",{"revenue":"abc"}]])");
    rules::row(
            "sc: revenue 'abc' is just prefixed (no Billing Amount)", "segment-cloud", kOn, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":"abc"}})",
            R"([{"endpoint":"e","method":"GET","params":{"E - revenue":"abc","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("rd: revenue 'abc' is kept and prefixing copies it to Billing Amount", "rudder-device", kOn, "",
               R"({"type":"track","event":"E","properties":{"revenue":"abc"}})",
               R"([["record","E",{"E - revenue":"abc","Billing Amount":"abc"}]])");
    rules::row(
            "rc: revenue 'abc' is kept and prefixing copies it to Billing Amount", "rudder-cloud", kOn, "",
            R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":"abc"}})",
            rcE(R"("E - revenue":"abc","Billing Amount":"abc",)", "E"));

    // --- numeric `length`: the prefixer treats the map as an array ----------------------------------------
    rules::rowWarn("sd: length quirk n>0 on track -> only 'E - undefined' = n-1", "segment-device", kKey, kSkip,
                   R"({"type":"track","event":"E","properties":{"length":3,"title":"x","revenue":5}})",
                   R"([["record","E",{"E - undefined":2}]])", "length-quirk");
    rules::rowWarn("sd: length quirk n=0 on track -> empty", "segment-device", kKey, kSkip,
                   R"({"type":"track","event":"E","properties":{"length":0,"title":"x"}})", R"([["record","E",{}]])",
                   "length-quirk");
    rules::row("sd: length with prefixing off is an ordinary property", "segment-device", kOff, kSkip,
               R"({"type":"track","event":"E","properties":{"length":3,"title":"x"}})",
               R"([["record","E",{"length":3,"title":"x"}]])");
    rules::row("sd: a string length is not a number: ordinary prefixing", "segment-device", kKey, kSkip,
               R"({"type":"track","event":"E","properties":{"length":"3","title":"x"}})",
               R"([["record","E",{"E - length":"3","E - title":"x"}]])");
    rules::rowWarn("sd: length quirk on page (always prefixed), name included in the lost keys", "segment-device", kKey,
                   kSkip, R"({"type":"page","name":"Home","properties":{"length":2,"url":"u"}})",
                   R"([["record","Viewed Home Page",{"Page - undefined":1}]])", "length-quirk");
    rules::rowWarn("sd: length quirk on group loses Group - id too", "segment-device", kKey, kSkip,
                   R"({"type":"group","groupId":"g1","traits":{"length":1,"name":"x"}})",
                   R"([["set",{"Group - undefined":0}]])", "length-quirk");
    rules::rowWarn("rd: length quirk n>0 on track", "rudder-device", kOn, "",
                   R"({"type":"track","event":"E","properties":{"length":2,"a":1}})",
                   R"([["record","E",{"E - undefined":1}]])", "length-quirk");
    rules::rowWarn("rd: length quirk reads element i as the key: an own \"0\" member names slot 0", "rudder-device",
                   kOn, "", R"({"type":"track","event":"E","properties":{"length":2,"0":"a","b":1}})",
                   R"([["record","E",{"E - a":0,"E - undefined":1}]])", "length-quirk");
    rules::rowWarn("rd: length quirk with a fractional length loops while i < length (1.5 -> last index 1)",
                   "rudder-device", kOn, "", R"({"type":"track","event":"E","properties":{"length":1.5,"b":1}})",
                   R"([["record","E",{"E - undefined":1}]])", "length-quirk");
    rules::rowWarn("rd: length quirk with a negative length -> empty", "rudder-device", kOn, "",
                   R"({"type":"track","event":"E","properties":{"length":-1,"b":1}})", R"([["record","E",{}]])",
                   "length-quirk");
    rules::rowWarn("rd: length quirk n=0 on group, Group - id added afterwards", "rudder-device", kKey, "",
                   R"({"type":"group","groupId":"g1","traits":{"length":0,"name":"x"}})",
                   R"([["set",{"Group - id":"g1"}]])", "length-quirk");
    rules::rowWarn(
            "rc: length quirk n=0 on page", "rudder-cloud", kOn, "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"length":0,"url":"u"}})",
            rcE("", "Loaded a Page"), "length-quirk");
    rules::row(
            "sc: not affected by length (group)", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","traits":{"length":2,"name":"x"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - length":"2","Group - name":"x","Group - id":"g1","_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
}

QTEST_GUILESS_MAIN(TestRulesPrefixing)
#include "tst_rules_prefixing.moc"
