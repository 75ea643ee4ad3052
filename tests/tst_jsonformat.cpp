#include "jsonformat.h"
#include "jsonreader.h"

#include <QTest>

#include <string>

Q_DECLARE_METATYPE(km::JsonStyle)

namespace {

std::string pretty(const std::string &json, int indent = 2)
{
    km::Arena arena;
    km::JsonReader reader;
    const km::JsonResult parsed = reader.parse(json, arena);
    if (!parsed.ok())
        return "PARSE ERROR " + parsed.error->toString();
    return km::prettyJson(parsed.value, indent);
}

std::string compact(const std::string &json)
{
    km::Arena arena;
    km::JsonReader reader;
    const km::JsonResult parsed = reader.parse(json, arena);
    if (!parsed.ok())
        return "PARSE ERROR " + parsed.error->toString();
    return km::compactJson(parsed.value);
}

} // namespace

class TestJsonFormat : public QObject
{
    Q_OBJECT

private slots:
    void prettyJson_data();
    void prettyJson();
    void indent_data();
    void indent();
    void compactJson_data();
    void compactJson();
    void reformat_data();
    void reformat();
    void reformatError_data();
    void reformatError();
    void undefinedAndDates();
};

void TestJsonFormat::prettyJson_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");

    QTest::newRow("empty object") << std::string("{}") << std::string("{}");
    QTest::newRow("empty array") << std::string(" [ ] ") << std::string("[]");
    QTest::newRow("scalar") << std::string("\"x\"") << std::string("\"x\"");
    QTest::newRow("flat object keeps member order")
            << std::string(R"({"type":"track","event":"Signed Up","userId":"u1"})")
            << std::string("{\n  \"type\": \"track\",\n  \"event\": \"Signed Up\",\n  \"userId\": \"u1\"\n}");
    QTest::newRow("reverse alphabetical order kept")
            << std::string(R"({"z":1,"m":2,"a":3})") << std::string("{\n  \"z\": 1,\n  \"m\": 2,\n  \"a\": 3\n}");
    QTest::newRow("nested with empty containers")
            << std::string(R"({"properties":{},"list":[],"nested":{"a":[1,{"b":null}]}})")
            << std::string(
                       "{\n  \"properties\": {},\n  \"list\": [],\n  \"nested\": {\n    \"a\": [\n      1,\n      {\n"
                       "        \"b\": null\n      }\n    ]\n  }\n}");
    QTest::newRow("numbers as JavaScript prints them")
            << std::string(R"([1.0,1e21,1e-7,0.000001,-0,19.99,12345678901234567890,1E2])")
            << std::string(
                       "[\n  1,\n  1e+21,\n  1e-7,\n  0.000001,\n  0,\n  19.99,\n  12345678901234567000,\n  100\n]");
    QTest::newRow("booleans and null") << std::string("[true,false,null]")
                                       << std::string("[\n  true,\n  false,\n  null\n]");
    QTest::newRow("string escapes and unicode")
            << std::string(R"({"a\"b":"line\nbreak\ttab \u00e9 \u2028 /"})")
            << std::string("{\n  \"a\\\"b\": \"line\\nbreak\\ttab \xC3\xA9 \xE2\x80\xA8 /\"\n}");
    QTest::newRow("control character lower-case hex")
            << std::string(R"(["\u001F"])") << std::string("[\n  \"\\u001f\"\n]");
    // JSON.parse semantics: integer-like keys enumerate first; a duplicate keeps its first
    // position and its last value.
    QTest::newRow("integer-like keys first")
            << std::string(R"({"b":1,"10":2,"2":3})") << std::string("{\n  \"2\": 3,\n  \"10\": 2,\n  \"b\": 1\n}");
    QTest::newRow("duplicate key") << std::string(R"({"a":1,"b":2,"a":3})")
                                   << std::string("{\n  \"a\": 3,\n  \"b\": 2\n}");
}

void TestJsonFormat::prettyJson()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(pretty(input), expected);
}

void TestJsonFormat::indent_data()
{
    QTest::addColumn<int>("indent");
    QTest::addColumn<std::string>("expected");

    const std::string four = "{\n    \"a\": [\n        1\n    ]\n}";
    QTest::newRow("4") << 4 << four;
    QTest::newRow("1") << 1 << std::string("{\n \"a\": [\n  1\n ]\n}");
    QTest::newRow("0 is compact") << 0 << std::string(R"({"a":[1]})");
    QTest::newRow("negative is compact") << -3 << std::string(R"({"a":[1]})");
    QTest::newRow("clamped to 10") << 25
                                   << std::string("{\n" + std::string(10, ' ') + "\"a\": [\n" + std::string(20, ' ')
                                                  + "1\n" + std::string(10, ' ') + "]\n}");
}

void TestJsonFormat::indent()
{
    QFETCH(int, indent);
    QFETCH(std::string, expected);
    QCOMPARE(pretty(R"({"a":[1]})", indent), expected);
}

void TestJsonFormat::compactJson_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");

    QTest::newRow("whitespace removed, order kept")
            << std::string(
                       "{\n  \"type\" : \"page\",\n  \"name\" : \"Docs\",\n  \"properties\" : { \"url\" : \"/\" }\n}")
            << std::string(R"({"type":"page","name":"Docs","properties":{"url":"/"}})");
    QTest::newRow("numbers") << std::string("[10.50, 2e3, -1.5e-10]") << std::string("[10.5,2000,-1.5e-10]");
    QTest::newRow("empty") << std::string("{ }") << std::string("{}");
}

void TestJsonFormat::compactJson()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(compact(input), expected);
}

void TestJsonFormat::reformat_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<km::JsonStyle>("style");
    QTest::addColumn<std::string>("expected");

    const std::string compactText = R"({"type":"identify","traits":{"plan":"Pro","logins":5}})";
    const std::string prettyText =
            "{\n  \"type\": \"identify\",\n  \"traits\": {\n    \"plan\": \"Pro\",\n    \"logins\": 5\n  }\n}";
    QTest::newRow("compact to pretty") << compactText << km::JsonStyle::Pretty << prettyText;
    QTest::newRow("pretty to compact") << prettyText << km::JsonStyle::Compact << compactText;
    QTest::newRow("pretty stays pretty") << prettyText << km::JsonStyle::Pretty << prettyText;
    QTest::newRow("compact stays compact") << compactText << km::JsonStyle::Compact << compactText;
    QTest::newRow("odd spacing") << std::string("  {\"a\" :\t[ 1 ,2 ] }\r\n") << km::JsonStyle::Compact
                                 << std::string(R"({"a":[1,2]})");
}

void TestJsonFormat::reformat()
{
    QFETCH(std::string, input);
    QFETCH(km::JsonStyle, style);
    QFETCH(std::string, expected);

    std::string out = "untouched";
    km::JsonIssue issue;
    QVERIFY(km::reformatJson(input, style, &out, &issue));
    QCOMPARE(out, expected);
    QCOMPARE(issue.line, 0); // not filled on success
    // And back again gives the same text: reformatting is stable.
    std::string again;
    QVERIFY(km::reformatJson(out, style, &again, nullptr));
    QCOMPARE(again, expected);
}

void TestJsonFormat::reformatError_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::newRow("missing value") << std::string("{\n  \"a\": ,\n}") << 2 << 8;
    QTest::newRow("trailing comma") << std::string("{\"a\": 1,}") << 1 << 8;
    QTest::newRow("unterminated string") << std::string("{\n\"a\": \"x") << 2 << 6;
    QTest::newRow("empty text") << std::string("") << 1 << 1;
}

void TestJsonFormat::reformatError()
{
    QFETCH(std::string, input);
    QFETCH(int, line);
    QFETCH(int, column);

    std::string out = "untouched";
    km::JsonIssue issue;
    QVERIFY(!km::reformatJson(input, km::JsonStyle::Pretty, &out, &issue));
    QCOMPARE(out, std::string("untouched"));
    QCOMPARE(issue.line, line);
    QCOMPARE(issue.column, column);
    QVERIFY(!issue.message.empty());
    // A null error pointer is allowed.
    QVERIFY(!km::reformatJson(input, km::JsonStyle::Compact, &out, nullptr));
}

void TestJsonFormat::undefinedAndDates()
{
    // Values built by the engines can hold undefined and Dates: written as JSON.stringify does.
    km::Arena arena;
    km::Member members[] = {{"a", km::Value::undefined()}, {"when", km::Value::date(0)}, {"b", km::Value::number(1)}};
    const km::Value object = km::Value::object(members);
    QCOMPARE(km::compactJson(object), std::string(R"({"when":"1970-01-01T00:00:00.000Z","b":1})"));
    QCOMPARE(km::prettyJson(object), std::string("{\n  \"when\": \"1970-01-01T00:00:00.000Z\",\n  \"b\": 1\n}"));
    km::Member onlyUndefined[] = {{"a", km::Value::undefined()}};
    QCOMPARE(km::prettyJson(km::Value::object(onlyUndefined)), std::string("{}"));
    km::Value items[] = {km::Value::undefined(), km::Value::date(std::numeric_limits<double>::quiet_NaN())};
    QCOMPARE(km::prettyJson(km::Value::array(items)), std::string("[\n  null,\n  null\n]"));
}

QTEST_APPLESS_MAIN(TestJsonFormat)
#include "tst_jsonformat.moc"
