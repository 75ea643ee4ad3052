// Rule table: each engine's clean/flatten step, mapping reference section 4 with 18.3 and 18.4, cases
// no reference vector covers.

#include "rulecase.h"

class TestRulesClean : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    void clean_data();
    void clean() { KM_RULE_CHECK(knownBugs); }
};

namespace {

const char *kKey = R"({"apiKey":"k"})";
const char *kOff = R"({"apiKey":"k","prefixProperties":false})";
const char *kSkip = R"({"KM_SKIP_PAGE_VIEW":1})";

std::string sdTrack(const std::string &props)
{
    return R"({"type":"track","event":"E","properties":)" + props + "}";
}
std::string sdOut(const std::string &props)
{
    return R"([["record","E",)" + props + "]]";
}
std::string cloudTrack(const std::string &props)
{
    return R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":)" + props
           + "}";
}
std::string scOut(const std::string &params)
{
    return R"([{"endpoint":"e","method":"GET","params":{)" + params
           + R"("_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])";
}
std::string rcOut(const std::string &params)
{
    return R"([{"endpoint":"e","method":"GET","params":{)" + params
           + R"("_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])";
}

} // namespace

void TestRulesClean::clean_data()
{
    rules::addColumns();

    // --- device flattener: returns after the first non-empty nested object ----------------------------
    rules::row("sd: keys before the first nested object survive, later siblings are lost", "segment-device", kOff,
               kSkip, sdTrack(R"({"a":{"x":1,"b":{"c":2},"d":3}})"), sdOut(R"({"a.x":1,"a.b.c":2})"));
    rules::row("sd: the loss repeats at every level on the way down", "segment-device", kOff, kSkip,
               sdTrack(R"({"a":{"b":{"c":{"e":1},"f":2},"g":3}})"), sdOut(R"({"a.b.c.e":1})"));
    rules::row("sd: an empty nested object is kept as {} and does not stop the walk", "segment-device", kOff, kSkip,
               sdTrack(R"({"a":{"e":{},"b":{"c":1},"d":2}})"), sdOut(R"({"a.e":{},"a.b.c":1})"));
    rules::row("sd: nested arrays are comma-joined, arrays of objects as [object Object] text", "segment-device", kOff,
               kSkip, sdTrack(R"({"a":{"l":[1,[2,3]],"o":[{"x":1},{"y":2}]}})"),
               sdOut(R"({"a.l":"1,2,3","a.o":"[object Object],[object Object]"})"));
    rules::row("rd: same sibling loss as segment-device", "rudder-device", kOff, "",
               sdTrack(R"({"a":{"b":{"c":1},"d":2},"top":"kept"})"), sdOut(R"({"a.b.c":1,"top":"kept"})"));

    // --- rudder-cloud: depth capped at 2, deeper values stay raw objects ------------------------------
    rules::row("rc: depth-2 cap keeps deeper objects raw, siblings kept", "rudder-cloud", kKey, "",
               cloudTrack(R"({"a":{"b":{"c":{"d":1}},"e":[1,2],"f":null,"g":{}},"x":{"y":{"l":[1,2]}}})"),
               rcOut(R"("a.b":{"c":{"d":1}},"a.e":"1,2","a.f":null,"a.g":{},"x.y":{"l":[1,2]},)"));

    // --- segment-cloud: complete `flat` flatten ----------------------------------------------------------
    rules::row("sc: complete flatten keeps siblings, nested arrays joined", "segment-cloud", kKey, "",
               cloudTrack(R"({"a":{"b":{"c":[1,2]},"d":[{"x":1},{"y":2}],"e":"s"}})"),
               scOut(R"("a.b.c":"1,2","a.d":"[object Object],[object Object]","a.e":"s",)"));

    // --- null handling per engine ----------------------------------------------------------------------
    rules::row("sd: identify traits: top-level null dropped, nested null kept", "segment-device", kKey, "",
               R"({"type":"identify","userId":"u1","traits":{"n":null,"d":{"x":null}}})",
               R"([["identify","u1"],["set",{"d.x":null,"id":"u1"}]])");
    rules::row("rd: null inside arrays does not throw (toString runs on the array)", "rudder-device", kOff, "",
               sdTrack(R"({"l":[null,1],"m":{"k":[null]}})"), sdOut(R"({"l":",1","m.k":""})"));
    rules::row("sd: null inside arrays joins as empty text", "segment-device", kOff, kSkip,
               sdTrack(R"({"l":[null,1],"m":{"k":[null,"x"]}})"), sdOut(R"({"l":",1","m.k":",x"})"));
    rules::rejects("rd: a nested null throws (TypeError), nothing pushed", "rudder-device", kOff, "",
                   sdTrack(R"({"a":{"b":null}})"));
    rules::rejects("rd: a null context trait throws on identify", "rudder-device", kOff, "",
                   R"({"type":"identify","userId":"u1","context":{"traits":{"email":null}}})");
    rules::row("rc: top-level null and empty object dropped", "rudder-cloud", kKey, "",
               cloudTrack(R"({"n":null,"e":{},"b":1})"), rcOut(R"("b":1,)"));

    // --- one-element object arrays and [object Object] strings ---------------------------------------------
    rules::row("rc: one-element object array dropped, two-element one stringified", "rudder-cloud", kKey, "",
               cloudTrack(R"({"one":[{"a":1}],"two":[{"a":1},{"b":2}],"l":[1,"x"]})"),
               rcOut(R"("two":"[object Object],[object Object]","l":"1,x",)"));
    rules::row("sd: a string equal to [object Object] is dropped", "segment-device", kOff, kSkip,
               sdTrack(R"({"s":"[object Object]","t":"ok"})"), sdOut(R"({"t":"ok"})"));
    rules::row("sc: a string equal to [object Object] is dropped", "segment-cloud", kKey, "",
               cloudTrack(R"({"s":"[object Object]","t":"ok"})"), scOut(R"("t":"ok",)"));
    rules::row("rd: a string equal to [object Object] is dropped", "rudder-device", kOff, "",
               sdTrack(R"({"s":"[object Object]","t":"ok"})"), sdOut(R"({"t":"ok"})"));

    // --- numbers and booleans: typed on device/rudder-cloud, text on segment-cloud (18.3) -------------------
    rules::row("sd: numbers and booleans keep their type, non-finite printed as null", "segment-device", kOff, kSkip,
               sdTrack(R"({"n":1.5,"b":false,"big":1e21,"inf":1e999})"),
               sdOut(R"({"n":1.5,"b":false,"big":1e21,"inf":null})"));
    rules::row(
            "sc: numbers become Number#toString text", "segment-cloud", kKey, "",
            cloudTrack(
                    R"({"a":10.0,"b":0.000001,"c":1e-7,"d":123456789012345678,"e":-0,"f":1e21,"g":false,"h":1e999,"i":5e-324,"j":123e-20,"k":1e6,"l":0.30000000000000004,"m":1.7976931348623157e308,"n":12345678901234567890})"),
            scOut(R"("a":"10","b":"0.000001","c":"1e-7","d":"123456789012345680","e":"0","f":"1e+21","g":"false","h":"Infinity","i":"5e-324","j":"1.23e-18","k":"1000000","l":"0.30000000000000004","m":"1.7976931348623157e+308","n":"12345678901234567000",)"));
    rules::row("rc: numbers and booleans keep their JSON type", "rudder-cloud", kKey, "",
               cloudTrack(R"({"n":1.5,"b":true,"z":0})"), rcOut(R"("n":1.5,"b":true,"z":0,)"));

    // --- collisions: the later write wins, in JavaScript property order (18.4) ------------------------------
    rules::row("sd: flattened key written after an equal plain key wins", "segment-device", kOff, kSkip,
               sdTrack(R"({"a.b":1,"a":{"b":2}})"), sdOut(R"({"a.b":2})"));
    rules::row("sc: plain key written after an equal flattened key wins", "segment-cloud", kKey, "",
               cloudTrack(R"({"a":{"b":2},"a.b":1})"), scOut(R"("a.b":"1",)"));
    rules::row("sd: integer-like key '1' is walked first, so the later '1.x' wins", "segment-device", kOff, kSkip,
               sdTrack(R"({"1.x":"flat","1":{"x":"nested"}})"), sdOut(R"({"1.x":"flat"})"));
    rules::row("rd: duplicated JSON key keeps its first position and last value", "rudder-device", kKey, "",
               R"({"type":"group","groupId":"g1","traits":{"revenue":10,"Billing Amount":5,"revenue":20}})",
               R"([["set",{"Group - revenue":20,"Billing Amount":5,"Group - id":"g1"}]])");

    rules::row(
            "rd: products are not cleaned: a null in a product does not throw", "rudder-device", kOff, "",
            sdTrack(R"({"products":[{"sku":"a","n":null,"m":{"x":{"y":1}}}]})"),
            R"([["record","E",{}],["function"],["KM.set",{"sku":"a","n":null,"m":{"x":{"y":1}},"_t":1577836800,"_d":1}]])");
    rules::row("rc: products are not cleaned: raw nested objects and null as params", "rudder-cloud", kKey, "",
               cloudTrack(R"({"products":[{"sku":"a","n":null,"m":{"x":1},"l":[1,2]}]})"),
               R"([{"endpoint":"e","method":"GET","params":{"_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}},
                   {"endpoint":"s","method":"GET","params":{"sku":"a","n":null,"m":{"x":1},"l":[1,2],"_k":"k","_p":"u1"}}])");

    // --- which payloads are cleaned ------------------------------------------------------------------------------
    rules::row(
            "sc: group traits are cleaned (flattened, null and {} dropped)", "segment-cloud", kKey, "",
            R"({"type":"group","userId":"u1","groupId":"g1","timestamp":"2014-01-01T00:00:00Z",
                   "traits":{"address":{"city":"SF"},"n":null,"e":{},"k":3}})",
            R"([{"endpoint":"s","method":"GET","params":{"Group - address.city":"SF","Group - k":"3","Group - id":"g1",
                   "_p":"u1","_t":"1388534400","_k":"k","_d":"1"}}])");
    rules::row(
            "rc: page properties are cleaned", "rudder-cloud", kKey, "",
            R"({"type":"page","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"nested":{"a":1},"n":null}})",
            R"([{"endpoint":"e","method":"GET","params":{"nested.a":1,"_k":"k","_p":"u1","_n":"Loaded a Page","_t":"1388534400","_d":1}}])");
    rules::row("sd: completed-order record is not cleaned (objects and null pass through)", "segment-device", kOff,
               kSkip,
               R"({"type":"track","event":"Completed Order","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"meta":{"a":{"b":1}},"n":null,"products":[]}})",
               R"([["record","Completed Order",{"meta":{"a":{"b":1}},"n":null}],["function"]])");
    rules::row("rd: page properties are not cleaned (objects and arrays pass through)", "rudder-device", kOff, "",
               R"({"type":"page","properties":{"meta":{"a":{"b":1}},"l":[1,2]}})",
               R"([["record","Loaded a Page",{"meta":{"a":{"b":1}},"l":[1,2]}]])");
}

QTEST_GUILESS_MAIN(TestRulesClean)
#include "tst_rules_clean.moc"
