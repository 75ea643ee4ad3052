// Rule tables per call family: mapping reference sections 5-12 with 18.1 and 18.10, cases no reference
// vector covers. One table per family: pages/screens, identify, group, alias, orders, dispatch
// (unknown types, missing apiKey, calls that throw, the mobile session, the channel).

#include "rulecase.h"

class TestRulesCalls : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    // --- 5, 6, 18.10: page naming per engine and settings, Page View, screen ------------------------------
    void pages_data();
    void pages() { KM_RULE_CHECK(knownBugs); }

    // --- 7: identify ------------------------------------------------------------------------------------
    void identify_data();
    void identify() { KM_RULE_CHECK(knownBugs); }

    // --- 11, 18.10: group ------------------------------------------------------------------------------
    void group_data();
    void group() { KM_RULE_CHECK(knownBugs); }

    // --- 12, 18.10: alias ------------------------------------------------------------------------------
    void alias_data();
    void alias() { KM_RULE_CHECK(knownBugs); }

    // --- 8, 9, 18.10: which track names reach the order handler, per-product calls ----------------------
    void orders_data();
    void orders() { KM_RULE_CHECK(knownBugs); }

    // --- 18.1, 18.10: dispatch: unknown types, apiKey, throws, mobile session, channel -------------------
    void dispatch_data();
    void dispatch() { KM_RULE_CHECK(knownBugs); }

    // 18.10: the initialise-time Mobile Session push belongs to the first message only.
    void mobileSessionOnlyOnFirstMessage_data();
    void mobileSessionOnlyOnFirstMessage();
};

namespace {

const char *kKey = R"({"apiKey":"k"})";
const char *kOn = R"({"apiKey":"k","prefixProperties":true})";
const char *kOff = R"({"apiKey":"k","prefixProperties":false})";
const char *kSkip = R"({"KM_SKIP_PAGE_VIEW":1})";

const char *kAndroid =
        R"~({"KM_SKIP_PAGE_VIEW":1,"userAgent":"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"})~";

} // namespace

void TestRulesCalls::pages_data()
{
    rules::addColumns();
    rules::row("sd: trackNamedPages \"false\" is a truthy string: named page tracked", "segment-device",
               R"({"apiKey":"k","trackNamedPages":"false"})", kSkip, R"({"type":"page","name":"Home"})",
               R"([["record","Viewed Home Page",{"Page - name":"Home"}]])");
    rules::rowWarn("sd: both options 0 -> nothing pushed", "segment-device",
                   R"({"apiKey":"k","trackNamedPages":0,"trackCategorizedPages":0})", kSkip,
                   R"({"type":"page","name":"Home","category":"Docs"})", "[]", "nothing-sent");
    rules::row("sd: trackNamedPages 0 but categorized \"0\" (truthy): category label", "segment-device",
               R"({"apiKey":"k","trackNamedPages":0,"trackCategorizedPages":"0"})", kSkip,
               R"({"type":"page","name":"Home","category":"Docs"})",
               R"([["record","Viewed Docs Page",{"Page - category":"Docs","Page - name":"Home"}]])");
    rules::row("sd: category only -> Viewed <category> Page", "segment-device", kKey, kSkip,
               R"({"type":"page","category":"Docs","properties":{"url":"u"}})",
               R"([["record","Viewed Docs Page",{"Page - url":"u","Page - category":"Docs"}]])");
    rules::row("sd: truthy name overwrites properties.name; properties.category kept", "segment-device", kKey, kSkip,
               R"({"type":"page","name":"Home","properties":{"name":"Other","category":"PropCat"}})",
               R"([["record","Viewed Home Page",{"Page - name":"Home","Page - category":"PropCat"}]])");
    rules::row("sd: empty name does not overwrite properties.name; category labels the page", "segment-device", kKey,
               kSkip, R"({"type":"page","name":"","category":"Docs","properties":{"name":"Other"}})",
               R"([["record","Viewed Docs Page",{"Page - name":"Other","Page - category":"Docs"}]])");
    rules::row("sd: no KM_SKIP_PAGE_VIEW: Page View first, context.referrer.url wins the referrer chain",
               "segment-device", kKey, "",
               R"({"type":"page","name":"Home","properties":{"url":"http://a/","referrer":"http://p/"},
                   "context":{"page":{"referrer":"http://cp/"},"referrer":{"url":"http://cr/"}}})",
               R"([["record","Page View",{"Viewed URL":"http://a/","Referrer":"http://cr/"}],
                   ["record","Viewed Home Page",{"Page - url":"http://a/","Page - referrer":"http://p/","Page - name":"Home"}]])");
    rules::row("sd: context.page.referrer before properties.referrer; missing url written null", "segment-device", kKey,
               "",
               R"({"type":"page","properties":{"referrer":"http://p/"},"context":{"page":{"referrer":"http://cp/"}}})",
               R"([["record","Page View",{"Viewed URL":null,"Referrer":"http://cp/"}]])");
    rules::row(
            "sd: an empty context.referrer.url falls through to context.page.referrer", "segment-device", kKey, "",
            R"({"type":"page","properties":{"url":"u"},"context":{"referrer":{"url":""},"page":{"referrer":"http://cp/"}}})",
            R"([["record","Page View",{"Viewed URL":"u","Referrer":"http://cp/"}]])");
    rules::row("sd: Viewed URL is properties.url only (context.page.url not used)", "segment-device", kKey, "",
               R"({"type":"page","properties":{},"context":{"page":{"url":"http://ctx/"}}})",
               R"([["record","Page View",{"Viewed URL":null,"Referrer":"Direct"}]])");
    rules::row(
            "rc: page without properties is fine (empty payload)", "rudder-cloud", kOn, "",
            R"({"type":"page","name":"Home","userId":"u1","timestamp":"2014-01-01T00:00:00Z"})",
            R"([{"endpoint":"e","method":"GET","params":{"_k":"k","_p":"u1","_n":"Viewed Home page","_t":"1388534400","_d":1}}])");
    rules::row("sd: KM_SKIP_PAGE_VIEW 0 is falsy: Page View pushed", "segment-device", kKey,
               R"({"KM_SKIP_PAGE_VIEW":0})", R"({"type":"page","properties":{"url":"u"}})",
               R"([["record","Page View",{"Viewed URL":"u","Referrer":"Direct"}]])");
    rules::row("sd: KM_SKIP_PAGE_VIEW \"0\" is truthy: no Page View", "segment-device", kKey,
               R"({"KM_SKIP_PAGE_VIEW":"0"})", R"({"type":"page","properties":{"url":"u"}})", "[]");
    rules::row(
            "sc: neither name nor category -> Viewed undefined Page, settings ignored", "segment-cloud",
            R"({"apiKey":"k","trackNamedPages":false,"trackCategorizedPages":false})", "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"url":"u"}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - url":"u","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed undefined Page","_d":"1"}}])");
    rules::row(
            "sc: properties.name is not consulted for the event name (category used)", "segment-cloud", kKey, "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","category":"Docs","properties":{"name":"Prop"}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - name":"Prop","Page - category":"Docs","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Docs Page","_d":"1"}}])");
    rules::row("rd: message-level category is ignored (lowercase page)", "rudder-device", kOff, "",
               R"({"type":"page","name":"Home","category":"Docs","properties":{"url":"u"}})",
               R"([["record","Viewed Home page",{"url":"u"}]])");
    rules::row("rd: properties.category with name -> Viewed <cat> <name> page", "rudder-device", kOff, "",
               R"({"type":"page","name":"Home","properties":{"category":"Docs"}})",
               R"([["record","Viewed Docs Home page",{"category":"Docs"}]])");
    rules::row(
            "rc: screen with name only -> Viewed <name> screen, never prefixed", "rudder-cloud", kOn, "",
            R"({"type":"screen","name":"Home","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"a":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"a":1,"_k":"k","_p":"u1","_n":"Viewed Home screen","_t":"1388534400","_d":1}}])");
    rules::row(
            "rc: screen without name -> Loaded a Screen", "rudder-cloud", kOn, "",
            R"({"type":"screen","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"category":"Docs"}})",
            R"([{"endpoint":"e","method":"GET","params":{"category":"Docs","_k":"k","_p":"u1","_n":"Loaded a Screen","_t":"1388534400","_d":1}}])");
    rules::row(
            "rc: page products removed and their calls discarded", "rudder-cloud", kOff, "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"url":"u","products":[{"sku":"a"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"url":"u","_k":"k","_p":"u1","_n":"Loaded a Page","_t":"1388534400","_d":1}}])");
    rules::rowWarn("rd: screen pushes nothing", "rudder-device", kKey, "",
                   R"({"type":"screen","name":"Home","properties":{"a":1}})", "[]", "unsupported-type");
    rules::row(
            "sc: screen always prefixed, Viewed <category> Screen", "segment-cloud", kOff, "",
            R"({"type":"screen","userId":"u1","timestamp":"2014-01-01T00:00:00Z","category":"Docs","properties":{"a":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"Screen - a":"1","Screen - category":"Docs","_p":"u1","_t":"1388534400","_k":"k","_n":"Viewed Docs Screen","_d":"1"}}])");
}

void TestRulesCalls::identify_data()
{
    rules::addColumns();
    rules::row("sd: no userId, no traits -> set {}", "segment-device", kKey, "",
               R"({"type":"identify","anonymousId":"a1"})", R"([["set",{}]])");
    rules::row("sd: userId without traits -> identify + set {id}", "segment-device", kKey, "",
               R"({"type":"identify","userId":"u1"})", R"([["identify","u1"],["set",{"id":"u1"}]])");
    rules::row(
            "sc: anonymous only -> /s with _p = anonymousId, no id trait, no /a", "segment-cloud", kKey, "",
            R"({"type":"identify","anonymousId":"a1","timestamp":"2014-01-01T00:00:00Z","traits":{"plan":"Pro"}})",
            R"([{"endpoint":"s","method":"GET","params":{"plan":"Pro","_k":"k","_p":"a1","_t":"1388534400","_d":"1"}}])");
    rules::row(
            "sc: userId only -> /s only (no alias)", "segment-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{"n":2}})",
            R"([{"endpoint":"s","method":"GET","params":{"n":"2","id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}}])");
    rules::row("sc: both ids -> /s then /a (cloud alias), /a without _t/_d", "segment-cloud", kKey, "",
               R"({"type":"identify","userId":"u1","anonymousId":"a1","timestamp":"2014-01-01T00:00:00Z"})",
               R"([{"endpoint":"s","method":"GET","params":{"id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}},
                   {"endpoint":"a","method":"GET","params":{"_k":"k","_p":"u1","_n":"a1"}}])");
    rules::row("sc: legacy sessionId stands in for anonymousId (_p and the /a call)", "segment-cloud", kKey, "",
               R"({"type":"identify","userId":"u1","sessionId":"s1","timestamp":"2014-01-01T00:00:00Z"})",
               R"([{"endpoint":"s","method":"GET","params":{"id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}},
                   {"endpoint":"a","method":"GET","params":{"_k":"k","_p":"u1","_n":"s1"}}])");
    rules::row(
            "sc: legacy sessionId is the person when there is no userId", "segment-cloud", kKey, "",
            R"({"type":"track","sessionId":"s1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"s1","_t":"1388534400","_n":"E"}}])");
    rules::row(
            "sc: userId overwrites a trait named id", "segment-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{"id":"t1","a":1}})",
            R"([{"endpoint":"s","method":"GET","params":{"id":"u1","a":"1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}}])");
    rules::row("sd: without userId a trait named id is kept", "segment-device", kKey, "",
               R"({"type":"identify","anonymousId":"a1","traits":{"id":"t1"}})", R"([["set",{"id":"t1"}]])");
    rules::row("rd: context.traits only; top-level traits ignored; no id added", "rudder-device", kKey, "",
               R"({"type":"identify","userId":"u1","traits":{"ignored":true},"context":{"traits":{"plan":"Pro"}}})",
               R"([["identify","u1"],["set",{"plan":"Pro"}]])");
    rules::row("rd: empty userId -> no identify push", "rudder-device", kKey, "",
               R"({"type":"identify","userId":"","context":{"traits":{"a":1}}})", R"([["set",{"a":1}]])");
    rules::rejects("rd: context without traits throws", "rudder-device", kKey, "",
                   R"({"type":"identify","userId":"u1","context":{}})");
    rules::rowWarn(
            "rc: an empty top-level traits object hides context.traits", "rudder-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{},"context":{"traits":{"a":1}}})",
            R"([{"endpoint":"s","method":"GET","params":{"_k":"k","_p":"u1","_t":"1388534400","_d":1}}])",
            "context-traits-hidden");
    rules::row(
            "rc: no traits anywhere -> only reserved params; no /a, no _ip", "rudder-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","anonymousId":"a1","timestamp":"2014-01-01T00:00:00Z","context":{"ip":"1.2.3.4"}})",
            R"([{"endpoint":"s","method":"GET","params":{"_k":"k","_p":"u1","_t":"1388534400","_d":1}}])");
}

void TestRulesCalls::group_data()
{
    rules::addColumns();
    rules::row(
            "sc: groupId wins over a trait named id", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","traits":{"id":"t1","name":"x"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - id":"g1","Group - name":"x","_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row(
            "sc: without groupId a trait id survives as Group - id", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","timestamp":"2014-01-01T00:00:00Z","traits":{"id":"t1"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - id":"t1","_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row(
            "sc: traits fall back to properties", "segment-cloud", kKey, "",
            R"({"type":"group","anonymousId":"a1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z","properties":{"name":"x"}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - name":"x","Group - id":"g1","_p":"a1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row("sd: traits fall back to properties", "segment-device", kKey, kSkip,
               R"({"type":"group","groupId":"g1","properties":{"name":"x"}})",
               R"([["set",{"Group - name":"x","Group - id":"g1"}]])");
    rules::row("sd: without groupId the trait id is kept", "segment-device", kKey, kSkip,
               R"({"type":"group","traits":{"id":"t1","name":"x"}})",
               R"([["set",{"Group - id":"t1","Group - name":"x"}]])");
    rules::row("rd: no traits -> only Group - id (properties not read)", "rudder-device", kKey, "",
               R"({"type":"group","groupId":"g1","properties":{"name":"x"}})", R"([["set",{"Group - id":"g1"}]])");
    rules::row("rd: groupId overwrites a trait id", "rudder-device", kKey, "",
               R"({"type":"group","groupId":"g1","traits":{"id":"t1"}})", R"([["set",{"Group - id":"g1"}]])");
}

void TestRulesCalls::alias_data()
{
    rules::addColumns();
    rules::row("sc: legacy from/to when previousId/userId are missing", "segment-cloud", kKey, "",
               R"({"type":"alias","from":"old","to":"new"})",
               R"([{"endpoint":"a","method":"GET","params":{"_k":"k","_p":"old","_n":"new"}}])");
    rules::row("sc: previousId/userId win over from/to", "segment-cloud", kKey, "",
               R"({"type":"alias","previousId":"p","userId":"u","from":"old","to":"new"})",
               R"([{"endpoint":"a","method":"GET","params":{"_k":"k","_p":"p","_n":"u"}}])");
    rules::row("sd: legacy from/to", "segment-device", kKey, "", R"({"type":"alias","from":"old","to":"new"})",
               R"([["alias","new","old"]])");
    rules::row("rd: legacy from/to not read -> alias(undefined, undefined)", "rudder-device", kKey, "",
               R"({"type":"alias","from":"old","to":"new"})", R"([["alias",null,null]])");
    rules::row("rc: no previousId -> _p absent, no _t/_d", "rudder-cloud", kKey, "",
               R"({"type":"alias","userId":"new","timestamp":"2014-01-01T00:00:00Z"})",
               R"([{"endpoint":"a","method":"GET","params":{"_k":"k","_n":"new"}}])");
}

void TestRulesCalls::orders_data()
{
    rules::addColumns();
    rules::row(
            "sd: completed_order reaches completedOrder", "segment-device", kKey, kSkip,
            R"({"type":"track","event":"completed_order","timestamp":"2014-01-01T00:00:00Z","properties":{"products":[{"sku":"a"}]}})",
            R"([["record","completed_order",{}],["function"],["KM.set",{"completed_order - sku":"a","_t":1388534400,"_d":1}]])");
    rules::row(
            "sd: CompletedOrder reaches completedOrder", "segment-device", kOff, kSkip,
            R"({"type":"track","event":"CompletedOrder","timestamp":"2014-01-01T00:00:00Z","properties":{"o":1,"products":[{"sku":"a"}]}})",
            R"([["record","CompletedOrder",{"o":1}],["function"],["KM.set",{"CompletedOrder - sku":"a","_t":1388534400,"_d":1}]])");
    rules::row(
            "sd: 'Completed Order Now' is a generic track (products stringified)", "segment-device", kKey, kSkip,
            R"({"type":"track","event":"Completed Order Now","properties":{"orderId":"o1","products":[{"sku":"a"},{"sku":"b"}]}})",
            R"([["record","Completed Order Now",{"Completed Order Now - orderId":"o1","Completed Order Now - products":"[object Object],[object Object]"}]])");
    rules::row(
            "sc: 'Completed Order Now' reaches the order handler (unanchored branch)", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Completed Order Now","timestamp":"2014-01-01T00:00:00Z","properties":{"orderId":"o1","products":[{"sku":"a"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"orderId":"o1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Completed Order Now"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row(
            "sc: 'Order Completed Now' is generic: products removed, no product calls", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Order Completed Now","timestamp":"2014-01-01T00:00:00Z","properties":{"orderId":"o1","total":9,"products":[{"sku":"a"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"orderId":"o1","total":"9","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed Now"}}])");
    rules::row(
            "sc: generic 'Checkout Completed Order' still falls back to total", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Checkout Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"total":12,"products":[{"sku":"a"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"total":"12","revenue":"12","Billing Amount":"12","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Checkout Completed Order"}}])");
    rules::row(
            "sc: product total adds revenue + Billing Amount for a 'completed order' name", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z","properties":{"orderId":"o1","products":[{"sku":"a","total":5}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"orderId":"o1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Completed Order"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","total":"5","revenue":"5","Billing Amount":"5","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row(
            "sc: product total is plain for 'Order Completed'", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z","properties":{"orderId":"o1","products":[{"sku":"a","total":5}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"orderId":"o1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","total":"5","_d":"1","_k":"k","_p":"u1","_t":"1388534400"}}])");
    rules::row(
            "sc: anonymous order: a product's own _p property survives (undefined reserved skipped)", "segment-cloud",
            kKey, "",
            R"({"type":"track","anonymousId":"a1","event":"Order Completed","timestamp":"2014-01-01T00:00:00Z","properties":{"products":[{"sku":"a","_p":"x"}]}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"a1","_t":"1388534400","_n":"Order Completed"}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","_p":"x","_d":"1","_k":"k","_t":"1388534400"}}])");
    rules::row(
            "sc: reserved params overwrite unprefixed user keys; _ip only when the context has one", "segment-cloud",
            kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"_ip":"9.9.9.9","_t":"5","_k":"x"}})",
            R"([{"endpoint":"e","method":"GET","params":{"_ip":"9.9.9.9","_t":"1388534400","_k":"k","_d":"1","_p":"u1","_n":"E"}}])");
    rules::row("sd: completedOrder pushes its function even without products", "segment-device", kKey, kSkip,
               R"({"type":"track","event":"Completed Order","properties":{"orderId":"o1"}})",
               R"([["record","Completed Order",{"Completed Order - orderId":"o1"}],["function"]])");
    rules::row("sc: no ids at all: an unprefixed _p property survives on /e", "segment-cloud", kKey, "",
               R"({"type":"track","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"_p":"x","_n":"y"}})",
               R"([{"endpoint":"e","method":"GET","params":{"_p":"x","_n":"E","_d":"1","_k":"k","_t":"1388534400"}}])");
    rules::row(
            "rc: revenue \"$25\" is parsed to the number 25", "rudder-cloud", kOff, "",
            R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"revenue":"$25"}})",
            R"([{"endpoint":"e","method":"GET","params":{"revenue":25,"_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");
    rules::row(
            "rd: any event with products gets per-item sets", "rudder-device", kKey, "",
            R"({"type":"track","event":"Product List Viewed","properties":{"list_id":"l1","products":[{"sku":"a"}]}})",
            R"([["record","Product List Viewed",{"list_id":"l1"}],["function"],["KM.set",{"sku":"a","_t":1577836800,"_d":1}]])");
}

void TestRulesCalls::dispatch_data()
{
    rules::addColumns();
    rules::rowWarn("sd: unknown type ignored", "segment-device", kKey, kSkip, R"({"type":"foo","event":"E"})", "[]",
                   "unsupported-type");
    rules::rowWarn("sd: missing type ignored", "segment-device", kKey, kSkip, R"({"event":"E"})", "[]",
                   "unsupported-type");
    rules::rowWarn("sc: unknown type ignored", "segment-cloud", kKey, "", R"({"type":"foo","userId":"u1"})", "[]",
                   "unsupported-type");
    rules::rejects("rc: unknown type rejected, type lower-cased in the message", "rudder-cloud", kKey, "",
                   R"({"type":"Foo","userId":"u1"})", "Event type foo is not supported");
    rules::rejects("rc: group rejected with the reference message", "rudder-cloud", kKey, "",
                   R"({"type":"group","userId":"u1","groupId":"g1"})", "Event type group is not supported");
    rules::rejects("rc: missing type rejected", "rudder-cloud", kKey, "", R"({"userId":"u1","event":"E"})");

    rules::row("rc: type is lower-cased before dispatch (Track works, prefixed)", "rudder-cloud", kOn, "",
               R"({"type":"Track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z"})",
               R"([{"endpoint":"e","method":"GET","params":{"_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");
    rules::row("rc: track without properties is fine", "rudder-cloud", kKey, "",
               R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z"})",
               R"([{"endpoint":"e","method":"GET","params":{"_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");
    rules::rejects("sc: missing apiKey rejects identify too", "segment-cloud", R"({"prefixProperties":true})", "",
                   R"({"type":"identify","userId":"u1","timestamp":"2014-01-01T00:00:00Z"})");
    rules::rowWarn("rc: missing apiKey -> _k omitted", "rudder-cloud", "{}", "",
                   R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{}})",
                   R"([{"endpoint":"e","method":"GET","params":{"_p":"u1","_n":"E","_t":"1388534400","_d":1}}])",
                   "missing-api-key");
    rules::row("sd: missing apiKey does not matter", "segment-device", "{}", kSkip,
               R"({"type":"track","event":"E","properties":{"a":1}})", R"([["record","E",{"E - a":1}]])");
    rules::row("rd: missing apiKey does not matter", "rudder-device", "{}", "",
               R"({"type":"track","event":"E","properties":{"a":1}})", R"([["record","E",{"a":1}]])");
    rules::row(
            "sc: unknown settings keys ignored", "segment-cloud",
            R"({"apiKey":"k","trackAllPages":true,"useNativeSDK":true,"trackCategoryPages":false})", "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"a":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"a":"1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    rules::rejects("sd: own toString key in a nested object throws", "segment-device", kKey, kSkip,
                   R"({"type":"track","event":"E","properties":{"m":{"toString":"x"}}})");
    rules::rejects(
            "sc: own toString key in a nested object throws", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"m":{"toString":"x"}}})");
    rules::rejects("rd: own toString key in a nested object throws", "rudder-device", kKey, "",
                   R"({"type":"track","event":"E","properties":{"m":{"toString":"x"}}})");
    rules::rejects(
            "rc: own toString key in a nested object throws", "rudder-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"m":{"toString":"x"}}})");
    rules::rejects("sd: own hasOwnProperty key throws", "segment-device", kKey, kSkip,
                   R"({"type":"track","event":"E","properties":{"hasOwnProperty":1}})");
    rules::rejects(
            "rc: own hasOwnProperty key throws", "rudder-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"hasOwnProperty":1}})");
    rules::row(
            "sc: own hasOwnProperty key is an ordinary property", "segment-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"hasOwnProperty":1}})",
            R"([{"endpoint":"e","method":"GET","params":{"hasOwnProperty":"1","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("rd: own hasOwnProperty key is an ordinary property", "rudder-device", kKey, "",
               R"({"type":"track","event":"E","properties":{"hasOwnProperty":1}})",
               R"([["record","E",{"hasOwnProperty":1}]])");
    rules::rejects("rd: track without properties throws", "rudder-device", kKey, "", R"({"type":"track","event":"E"})");
    rules::rejects("rd: page without properties throws", "rudder-device", kKey, "", R"({"type":"page","name":"Home"})");
    rules::rejects(
            "rc: products present but not an array throws", "rudder-cloud", kKey, "",
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"products":{"sku":"a"}}})");

    rules::row("rd: Android user agent -> Mobile Session set first", "rudder-device", kKey, kAndroid,
               R"({"type":"track","event":"E","properties":{}})",
               R"([["set",{"Mobile Session":"Yes"}],["record","E",{}]])");
    rules::row("sd: lower-case 'ipad' matches case-insensitively", "segment-device", kKey,
               R"~({"KM_SKIP_PAGE_VIEW":1,"userAgent":"Mozilla/5.0 (ipad; CPU OS 17_0 like Mac OS X)"})~",
               R"({"type":"track","event":"E","properties":{}})",
               R"([["set",{"Mobile Session":"Yes"}],["record","E",{}]])");
    rules::row("sd: mobile init push comes even when the message itself pushes nothing (screen)", "segment-device",
               kKey,
               R"~({"KM_SKIP_PAGE_VIEW":1,"userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"})~",
               R"({"type":"screen","name":"Home"})", R"([["set",{"Mobile Session":"Yes"}]])");
    rules::row("sd: desktop user agent -> no Mobile Session", "segment-device", kKey,
               R"~({"KM_SKIP_PAGE_VIEW":1,"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"})~",
               R"({"type":"track","event":"E","properties":{}})", R"([["record","E",{}]])");

    rules::rowWarn(
            "sc: non-server channel still translated, with a warning", "segment-cloud", kKey, "",
            R"({"type":"track","channel":"client","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z",
                       "properties":{},"integrations":{"Kissmetrics":false}})",
            R"([{"endpoint":"e","method":"GET","params":{"_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])",
            "channel-not-server");
}

void TestRulesCalls::mobileSessionOnlyOnFirstMessage_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("segment-device") << QStringLiteral("segment-device");
    QTest::newRow("rudder-device") << QStringLiteral("rudder-device");
}

void TestRulesCalls::mobileSessionOnlyOnFirstMessage()
{
    QFETCH(QString, engine);
    for (const bool first : {true, false}) {
        km::Arena arena;
        km::Value line;
        std::string why;
        QVERIFY2(rules::translateLine(engine.toStdString(), kKey, kAndroid,
                                      R"({"type":"track","event":"E","properties":{}})", rules::kNow, arena, &line,
                                      &why, nullptr, first),
                 why.c_str());
        km::Arena expectedArena;
        km::JsonReader reader;
        const km::JsonResult expected = reader.parse(first ? R"([["set",{"Mobile Session":"Yes"}],["record","E",{}]])"
                                                           : R"([["record","E",{}]])",
                                                     expectedArena);
        QVERIFY(expected.ok());
        QVERIFY2(vectors::same(line.get("output"), expected.value), vectors::toJson(line).c_str());
    }
}

QTEST_GUILESS_MAIN(TestRulesCalls)
#include "tst_rules_calls.moc"
