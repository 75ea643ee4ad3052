// Rule table: segment-cloud transport (GET or POST, what `params` holds) and rudder-cloud params, mapping
// reference 18.9, plus the wire text and the url/curl helpers of km::OutputFormat (API key redaction).

#include "rulecase.h"

using namespace std::string_literals;

class TestRulesTransport : public QObject
{
    Q_OBJECT

    const rules::KnownBugs knownBugs = {};

private slots:
    void transport_data();
    void transport() { KM_RULE_CHECK(knownBugs); }

    // The GET query text: keys and values percent-encoded, every byte outside A-Z a-z 0-9 - . _ ~ as %XX.
    void wireGetPercentEncoding();

    void wireGetRepeatedKeysAndBareNull();

    void wirePostBodyIsTheDefaultForm();

    void wireAlias();

    void apiKeyRedactedUnlessShown();

    void apiKeyRedactedWhenItNeedsEncoding();

    void postUrlAndCurlCarryTheBody();
};

namespace {

const char *kKey = R"({"apiKey":"k"})";
const std::string kHost = "https://trk.kissmetrics.com";

// A page whose default qs form is 173 + padding characters long (see padPageDefaultForm).
std::string padPage(std::size_t padding)
{
    return R"({"type":"page","userId":"u","name":"N","timestamp":"2014-01-01T00:00:00.000Z",
               "properties":{"list":["a","b"],"obj":{"x":"y","e":{}},"nul":null,"empty":[],"pad":")"
           + std::string(padding, 'y') + R"("}})";
}
// Its default qs form, written out by hand: indices for arrays, %5B/%5D brackets, null as `key=`,
// empty array and empty object written as nothing.
std::string padPageDefaultForm(std::size_t padding)
{
    return "Page%20-%20list%5B0%5D=a&Page%20-%20list%5B1%5D=b&Page%20-%20obj%5Bx%5D=y&Page%20-%20nul=&Page%20-%20pad="
           + std::string(padding, 'y') + "&Page%20-%20name=N&_p=u&_t=1388534400&_k=k&_n=Viewed%20N%20Page&_d=1";
}
// The GET query: repeated keys, bare null key.
std::string padPageGetWire(std::size_t padding)
{
    return "Page%20-%20list=a&Page%20-%20list=b&Page%20-%20obj%5Bx%5D=y&Page%20-%20nul&Page%20-%20pad="
           + std::string(padding, 'y') + "&Page%20-%20name=N&_p=u&_t=1388534400&_k=k&_n=Viewed%20N%20Page&_d=1";
}

std::string repeat(const std::string &s, int n)
{
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

// A track whose default form is 6 * 330 (each "é" is two UTF-8 bytes, %C3%A9) + 40 + xs characters.
std::string unicodeTrack(int xs)
{
    return R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"u":")"
           + repeat("é", 330) + R"(","v":")" + std::string(static_cast<std::size_t>(xs), 'x') + R"("}})";
}

// Runs one message and hands back its first request (with the arena keeping it alive).
struct OneRequest
{
    km::Arena arena;
    km::Translation translation;
    std::string why;
    const km::HttpRequest *request = nullptr;

    OneRequest(const std::string &engine, const std::string &settings, const std::string &input)
    {
        km::Value line;
        if (rules::translateLine(engine, settings, "", input, rules::kNow, arena, &line, &why, &translation)
            && !translation.requests.empty())
            request = &translation.requests.front();
        else if (why.empty())
            why = "no request: " + vectors::toJson(line);
    }
};

} // namespace

void TestRulesTransport::transport_data()
{
    rules::addColumns();
    const std::string p1875(1875, 'y'), p1876(1876, 'y');
    const std::string tail = R"("Page - name":"N","_p":"u","_t":"1388534400","_k":"k","_n":"Viewed N Page","_d":"1")";

    // --- the GET/POST boundary, measured on the default qs form --------------------------------------
    rules::row(
            "sc: default form exactly 2048 chars (indices, %5B%5D, key=) stays GET", "segment-cloud", kKey, "",
            padPage(1875),
            R"([{"endpoint":"e","method":"GET","params":{"Page - list":["a","b"],"Page - obj[x]":"y","Page - nul":null,"Page - pad":")"
                    + p1875 + R"(",)" + tail + "}}]");
    rules::row(
            "sc: default form 2049 chars is a POST, though the GET query would be shorter", "segment-cloud", kKey, "",
            padPage(1876),
            R"([{"endpoint":"e","method":"POST","params":{"Page - list[0]":"a","Page - list[1]":"b","Page - obj[x]":"y","Page - nul":"","Page - pad":")"
                    + p1876 + R"(",)" + tail + "}}]");
    rules::row("sc: multi-byte UTF-8 counts as %XX per byte: 2048 stays GET", "segment-cloud", kKey, "",
               unicodeTrack(28),
               R"([{"endpoint":"e","method":"GET","params":{"u":")" + repeat("é", 330) + R"(","v":")"
                       + std::string(28, 'x') + R"(","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");
    rules::row("sc: multi-byte UTF-8 counts as %XX per byte: 2049 is a POST", "segment-cloud", kKey, "",
               unicodeTrack(29),
               R"([{"endpoint":"e","method":"POST","params":{"u":")" + repeat("é", 330) + R"(","v":")"
                       + std::string(29, 'x') + R"(","_d":"1","_k":"k","_p":"u1","_t":"1388534400","_n":"E"}}])");

    const std::string datePage = R"({"type":"page","userId":"u","name":"N","timestamp":"2014-01-01T00:00:00.000Z",
                                      "properties":{"d":"2014-01-01","b":false,"pad":")";
    rules::row(
            "sc: a Date is measured as its encoded ISO text (2048 stays GET)", "segment-cloud", kKey, "",
            datePage + std::string(1904, 'y') + R"("}})",
            R"([{"endpoint":"e","method":"GET","params":{"Page - d":"2014-01-01T00:00:00.000Z","Page - b":"false","Page - pad":")"
                    + std::string(1904, 'y') + R"(",)" + tail + "}}]");
    rules::row(
            "sc: a Date is measured as its encoded ISO text (2049 is a POST)", "segment-cloud", kKey, "",
            datePage + std::string(1905, 'y') + R"("}})",
            R"([{"endpoint":"e","method":"POST","params":{"Page - d":"2014-01-01T00:00:00.000Z","Page - b":"false","Page - pad":")"
                    + std::string(1905, 'y') + R"(",)" + tail + "}}]");

    // --- GET params: repeated keys at any depth, bare null ------------------------------------------------
    const std::string page =
            R"({"type":"page","userId":"u","name":"N","timestamp":"2014-01-01T00:00:00.000Z","properties":)";
    rules::row("sc GET: arrays of objects repeat the bracketed sub-key", "segment-cloud", kKey, "",
               page + R"({"items":[{"sku":"a"},{"sku":"b"}]}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - items[sku]":["a","b"],)" + tail + "}}]");
    rules::row("sc GET: nested arrays and arrays inside objects repeat the key", "segment-cloud", kKey, "",
               page + R"({"m":[[1,2],[3]],"o":{"l":[true,2.5]}}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - m":["1","2","3"],"Page - o[l]":["true","2.5"],)"
                       + tail + "}}]");
    rules::row("sc GET: nested null is a bare key (null)", "segment-cloud", kKey, "",
               page + R"({"o":{"n":null,"s":"v"}}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - o[n]":null,"Page - o[s]":"v",)" + tail + "}}]");
    rules::row("sc GET: a one-element array is a single string", "segment-cloud", kKey, "", page + R"({"one":["x"]}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - one":"x",)" + tail + "}}]");
    rules::row("sc GET: empty arrays and empty objects are absent", "segment-cloud", kKey, "",
               page + R"({"ea":[],"eo":{},"o":{"ea":[]}}})",
               R"([{"endpoint":"e","method":"GET","params":{)" + tail + "}}]");
    rules::row(
            "sc POST: literal bracket keys with indices, nested null as empty string", "segment-cloud", kKey, "",
            page + R"({"items":[{"sku":"a"},{"sku":"b"}],"o":{"n":null},"t":true,"d":"2014-01-01","m":[[1,2]],"pad":")"
                    + std::string(2100, 'z') + R"("}})",
            R"([{"endpoint":"e","method":"POST","params":{"Page - items[0][sku]":"a","Page - items[1][sku]":"b","Page - o[n]":"","Page - t":"true","Page - d":"2014-01-01T00:00:00.000Z","Page - m[0][0]":"1","Page - m[0][1]":"2","Page - pad":")"
                    + std::string(2100, 'z') + R"(",)" + tail + "}}]");

    rules::row("sc GET: two members with the same key text make a list", "segment-cloud", kKey, "",
               page + R"({"o":{"a":"1"},"o[a]":"2"}})",
               R"([{"endpoint":"e","method":"GET","params":{"Page - o[a]":["1","2"],)" + tail + "}}]");
    rules::row(
            "sc: each request is measured on its own (identify /s POST, /a GET)", "segment-cloud", kKey, "",
            R"({"type":"identify","userId":"u1","anonymousId":"a1","timestamp":"2014-01-01T00:00:00Z","traits":{"big":")"
                    + std::string(2100, 'b') + R"("}})",
            R"([{"endpoint":"s","method":"POST","params":{"big":")" + std::string(2100, 'b')
                    + R"(","id":"u1","_k":"k","_p":"u1","_t":"1388534400","_d":"1"}},
                   {"endpoint":"a","method":"GET","params":{"_k":"k","_p":"u1","_n":"a1"}}])");
    rules::row("rc: always GET, whatever the size", "rudder-cloud", kKey, "",
               R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z","properties":{"big":")"
                       + std::string(3000, 'b') + R"("}})",
               R"([{"endpoint":"e","method":"GET","params":{"big":")" + std::string(3000, 'b')
                       + R"(","_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");

    // --- rudder-cloud params keep JSON types -------------------------------------------------------------
    rules::row("rc: params keep JSON types (numbers, booleans, raw deep objects; arrays joined)", "rudder-cloud", kKey,
               "",
               R"({"type":"track","event":"E","userId":"u1","timestamp":"2014-01-01T00:00:00Z",
                   "properties":{"n":1,"b":true,"s":"x","l":[1,"a"],"o":{"p":{"q":1}}}})",
               R"([{"endpoint":"e","method":"GET","params":{"n":1,"b":true,"s":"x","l":"1,a","o.p":{"q":1},
                   "_k":"k","_p":"u1","_n":"E","_t":"1388534400","_d":1}}])");
    rules::row("rc: an undefined param is absent (no userId, no anonymousId -> no _p)", "rudder-cloud", kKey, "",
               R"({"type":"track","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{"a":"b"}})",
               R"([{"endpoint":"e","method":"GET","params":{"a":"b","_k":"k","_n":"E","_t":"1388534400","_d":1}}])");
}

void TestRulesTransport::wireGetPercentEncoding()
{
    OneRequest r("segment-cloud", R"({"apiKey":"SECRETKEY123"})",
                 R"({"type":"track","userId":"u 1","event":"Signed Up","timestamp":"2014-01-01T00:00:00Z",
                     "properties":{"plan":"Pro & Co","note":"café=1+1~*(x)!'"}})");
    QVERIFY2(r.request, r.why.c_str());
    QCOMPARE(r.request->method, km::HttpMethod::Get);
    QCOMPARE(QString::fromStdString(r.request->wire),
             QStringLiteral("plan=Pro%20%26%20Co&note=caf%C3%A9%3D1%2B1~%2A%28x%29%21%27&_d=1&_k=SECRETKEY123"
                            "&_p=u%201&_t=1388534400&_n=Signed%20Up"));
}

void TestRulesTransport::wireGetRepeatedKeysAndBareNull()
{
    OneRequest r("segment-cloud", kKey, padPage(1875));
    QVERIFY2(r.request, r.why.c_str());
    QCOMPARE(r.request->method, km::HttpMethod::Get);
    QCOMPARE(QString::fromStdString(r.request->wire), QString::fromStdString(padPageGetWire(1875)));
}

void TestRulesTransport::wirePostBodyIsTheDefaultForm()
{
    OneRequest r("segment-cloud", kKey, padPage(1876));
    QVERIFY2(r.request, r.why.c_str());
    QCOMPARE(r.request->method, km::HttpMethod::Post);
    const std::string expected = padPageDefaultForm(1876);
    QCOMPARE(expected.size(), std::size_t(2049));
    QCOMPARE(QString::fromStdString(r.request->wire), QString::fromStdString(expected));
}

void TestRulesTransport::wireAlias()
{
    OneRequest r("segment-cloud", R"({"apiKey":"SECRETKEY123"})",
                 R"({"type":"alias","previousId":"old id","userId":"new/id"})");
    QVERIFY2(r.request, r.why.c_str());
    QCOMPARE(r.request->endpoint, km::Endpoint::Alias);
    QCOMPARE(QString::fromStdString(r.request->wire), QStringLiteral("_k=SECRETKEY123&_p=old%20id&_n=new%2Fid"));
}

void TestRulesTransport::apiKeyRedactedUnlessShown()
{
    OneRequest r("segment-cloud", R"({"apiKey":"SECRETKEY123"})",
                 R"({"type":"alias","previousId":"old id","userId":"new/id"})");
    QVERIFY2(r.request, r.why.c_str());
    const km::Value key = km::Value::string("SECRETKEY123");
    const std::string shown = km::OutputFormat::wire(*r.request, key, km::KeyVisibility::Shown);
    const std::string hidden = km::OutputFormat::wire(*r.request, key, km::KeyVisibility::Redacted);
    QCOMPARE(QString::fromStdString(shown), QStringLiteral("_k=SECRETKEY123&_p=old%20id&_n=new%2Fid"));
    QCOMPARE(QString::fromStdString(hidden), QStringLiteral("_k=<API_KEY>&_p=old%20id&_n=new%2Fid"));

    QCOMPARE(QString::fromStdString(km::OutputFormat::url(*r.request, kHost, key, km::KeyVisibility::Shown)),
             QStringLiteral("https://trk.kissmetrics.com/a?_k=SECRETKEY123&_p=old%20id&_n=new%2Fid"));
    const std::string url = km::OutputFormat::url(*r.request, kHost + "/", key, km::KeyVisibility::Redacted);
    QCOMPARE(QString::fromStdString(url),
             QStringLiteral("https://trk.kissmetrics.com/a?_k=<API_KEY>&_p=old%20id&_n=new%2Fid"));

    const std::string curl = km::OutputFormat::curl(*r.request, kHost, key, km::KeyVisibility::Redacted);
    QCOMPARE(QString::fromStdString(curl), QString::fromStdString("curl '" + url + "'"));
    QVERIFY(curl.find("SECRETKEY123") == std::string::npos);
    QVERIFY(km::OutputFormat::curl(*r.request, kHost, key, km::KeyVisibility::Shown).find("_k=SECRETKEY123")
            != std::string::npos);
}

void TestRulesTransport::apiKeyRedactedWhenItNeedsEncoding()
{
    OneRequest r("segment-cloud", R"({"apiKey":"my key/1"})",
                 R"({"type":"track","userId":"u1","event":"E","timestamp":"2014-01-01T00:00:00Z","properties":{}})");
    QVERIFY2(r.request, r.why.c_str());
    const km::Value key = km::Value::string("my key/1");
    const std::string shown = km::OutputFormat::wire(*r.request, key, km::KeyVisibility::Shown);
    QVERIFY2(shown.find("&_k=my%20key%2F1&") != std::string::npos, shown.c_str());
    const std::string hidden = km::OutputFormat::url(*r.request, kHost, key, km::KeyVisibility::Redacted);
    QVERIFY2(hidden.find("_k=<API_KEY>") != std::string::npos, hidden.c_str());
    QVERIFY2(hidden.find("my%20key") == std::string::npos, hidden.c_str());
}

void TestRulesTransport::postUrlAndCurlCarryTheBody()
{
    OneRequest r("segment-cloud", kKey, padPage(1876));
    QVERIFY2(r.request, r.why.c_str());
    QCOMPARE(r.request->method, km::HttpMethod::Post);
    const km::Value key = km::Value::string("k");
    const std::string body = padPageDefaultForm(1876);
    const std::string url = km::OutputFormat::url(*r.request, kHost, key, km::KeyVisibility::Shown);
    QCOMPARE(QString::fromStdString(url), QStringLiteral("https://trk.kissmetrics.com/e")); // no query on a POST
    QCOMPARE(QString::fromStdString(km::OutputFormat::curl(*r.request, kHost, key, km::KeyVisibility::Shown)),
             QString::fromStdString("curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data '" + body
                                    + "' 'https://trk.kissmetrics.com/e'"));
    std::string redactedBody = body;
    redactedBody.replace(redactedBody.find("&_k=k&"), 6, "&_k=<API_KEY>&");
    QCOMPARE(QString::fromStdString(km::OutputFormat::wire(*r.request, key, km::KeyVisibility::Redacted)),
             QString::fromStdString(redactedBody));
}

QTEST_GUILESS_MAIN(TestRulesTransport)
#include "tst_rules_transport.moc"
