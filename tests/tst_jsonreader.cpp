#include "jsonreader.h"

#include <QtTest>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

using km::Arena;
using km::JsonReader;
using km::JsonResult;
using km::Value;

namespace {

// A compact, JSON-like rendering that shows what the tests care about: types, property order,
// -0 and infinities, and string bytes (non-ASCII kept as is, control characters escaped).
void dumpTo(const Value &v, std::string &out)
{
    switch (v.type()) {
    case Value::Type::Undefined:
        out += "undefined";
        break;
    case Value::Type::Null:
        out += "null";
        break;
    case Value::Type::Boolean:
        out += v.toBool() ? "true" : "false";
        break;
    case Value::Type::Date:
        out += "Date";
        break;
    case Value::Type::Number: {
        const double d = v.toNumber();
        if (std::isinf(d)) {
            out += d > 0 ? "Infinity" : "-Infinity";
        } else if (d == 0 && std::signbit(d)) {
            out += "-0";
        } else {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, d);
            out.append(buf, r.ptr);
        }
        break;
    }
    case Value::Type::String:
        out += '"';
        for (const char c : v.toString()) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
        out += '"';
        break;
    case Value::Type::Array: {
        out += '[';
        bool first = true;
        for (const Value &item : v.items()) {
            if (!first)
                out += ',';
            first = false;
            dumpTo(item, out);
        }
        out += ']';
        break;
    }
    case Value::Type::Object: {
        out += '{';
        bool first = true;
        for (const km::Member &m : v.members()) {
            if (!first)
                out += ',';
            first = false;
            dumpTo(Value::string(m.key), out);
            out += ':';
            dumpTo(m.value, out);
        }
        out += '}';
        break;
    }
    }
}

QByteArray dump(const Value &v)
{
    std::string out;
    dumpTo(v, out);
    return QByteArray::fromStdString(out);
}

// QCOMPARE on doubles is fuzzy; these tests need the exact double.
QByteArray exactly(double d)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    return QByteArray(buf, int(r.ptr - buf));
}

QByteArray errorText(const JsonResult &r)
{
    return r.error ? QByteArray::fromStdString(r.error->toString()) : QByteArray();
}

QByteArrayList warningTexts(const JsonResult &r)
{
    QByteArrayList list;
    for (const km::JsonIssue &w : r.warnings)
        list << QByteArray::fromStdString(w.toString());
    return list;
}

// simdjson reads "-0" as integer 0, which sends a text to the exact parser. Wrapping a
// document as [doc,-0] therefore checks that the exact parser builds the same values.
QByteArray viaExactParser(const QByteArray &json)
{
    return "[" + json + ",-0]";
}

} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private slots:
    void values_data();
    void values();
    void types();
    void keyOrder_data();
    void keyOrder();
    void bigIntegers_data();
    void bigIntegers();
    void outOfRange_data();
    void outOfRange();
    void negativeZero_data();
    void negativeZero();
    void numbersAgree_data();
    void numbersAgree();
    void loneSurrogates_data();
    void loneSurrogates();
    void errors_data();
    void errors();
    void firstLine();
    void nestingLimit_data();
    void nestingLimit();
    void deepNestingDoesNotCrash();
    void stringsAreCopied();
    void readsOnlyTheGivenText();
    void largeObjects();
    void hugeString();
    void tapeThenValues_data();
    void tapeThenValues();
};

void TestJsonReader::values_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("null") << QByteArray("null") << QByteArray("null");
    QTest::newRow("true") << QByteArray(" true ") << QByteArray("true");
    QTest::newRow("false") << QByteArray("\n\tfalse\r\n") << QByteArray("false");
    QTest::newRow("integer") << QByteArray("42") << QByteArray("42");
    QTest::newRow("negative") << QByteArray("-17") << QByteArray("-17");
    QTest::newRow("fraction") << QByteArray("1.5") << QByteArray("1.5");
    QTest::newRow("exponent") << QByteArray("1E2") << QByteArray("100");
    QTest::newRow("small exponent") << QByteArray("25e-1") << QByteArray("2.5");
    QTest::newRow("tiny") << QByteArray("1e-400") << QByteArray("0");
    QTest::newRow("max double") << QByteArray("1.7976931348623157e308") << QByteArray("1.7976931348623157e+308");
    QTest::newRow("string") << QByteArray("\"hello\"") << QByteArray("\"hello\"");
    QTest::newRow("empty string") << QByteArray("\"\"") << QByteArray("\"\"");
    QTest::newRow("simple escapes") << QByteArray(R"("\"\\\/\b\f\n\r\t")")
                                    << QByteArray("\"\\\"\\\\/\\u0008\\u000c\\u000a\\u000d\\u0009\"");
    QTest::newRow("unicode escape") << QByteArray(R"("caf\u00e9 \u20AC")")
                                    << QByteArray("\"caf\xc3\xa9 \xe2\x82\xac\"");
    QTest::newRow("nul escape") << QByteArray(R"("a\u0000b")") << QByteArray("\"a\\u0000b\"");
    QTest::newRow("surrogate pair") << QByteArray(R"("\ud83d\ude00")") << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("surrogate pair upper") << QByteArray(R"("\uD834\uDD1E")") << QByteArray("\"\xf0\x9d\x84\x9e\"");
    QTest::newRow("raw utf8") << QByteArray("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"")
                              << QByteArray("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    QTest::newRow("raw DEL") << QByteArray("\"\x7f\"") << QByteArray("\"\x7f\"");
    QTest::newRow("empty array") << QByteArray("[]") << QByteArray("[]");
    QTest::newRow("empty object") << QByteArray("{ }") << QByteArray("{}");
    QTest::newRow("array") << QByteArray("[1, \"a\", null, true, [], {}]") << QByteArray("[1,\"a\",null,true,[],{}]");
    QTest::newRow("nested") << QByteArray(R"({"a": {"b": [1, {"c": "d"}]}, "e": false})")
                            << QByteArray(R"({"a":{"b":[1,{"c":"d"}]},"e":false})");
    QTest::newRow("pretty") << QByteArray(
            "{\n  \"type\": \"track\",\n  \"properties\": {\n    \"revenue\": 9.99\n  }\n}\n")
                            << QByteArray(R"({"type":"track","properties":{"revenue":9.99}})");
    QTest::newRow("escaped key") << QByteArray(R"({"a\"b": 1, "\u0041": 2})") << QByteArray(R"({"a\"b":1,"A":2})");
    QTest::newRow("proto key") << QByteArray(R"({"__proto__": {"x": 1}})") << QByteArray(R"({"__proto__":{"x":1}})");
}

void TestJsonReader::values()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    JsonReader reader;
    Arena arena;

    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY2(r.ok(), errorText(r).constData());
    QCOMPARE(dump(r.value), expected);
    QVERIFY(r.warnings.empty());

    const JsonResult exact = reader.parse(viaExactParser(json).toStdString(), arena);
    QVERIFY2(exact.ok(), errorText(exact).constData());
    QCOMPARE(dump(exact.value), "[" + expected + ",-0]");
}

void TestJsonReader::types()
{
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(R"({"s":"x","n":1,"d":2.5,"b":true,"z":null,"a":[],"o":{}})", arena);
    QVERIFY(r.ok());
    QVERIFY(r.value.isObject());
    QCOMPARE(r.value.size(), 7u);
    QVERIFY(r.value.get("s").isString());
    QCOMPARE(r.value.get("s").toString(), std::string_view("x"));
    QVERIFY(r.value.get("n").isNumber());
    QCOMPARE(r.value.get("n").toNumber(), 1.0);
    QCOMPARE(r.value.get("d").toNumber(), 2.5);
    QVERIFY(r.value.get("b").isBoolean());
    QVERIFY(r.value.get("b").toBool());
    QVERIFY(r.value.get("z").isNull());
    QVERIFY(r.value.get("a").isArray());
    QCOMPARE(r.value.get("a").size(), 0u);
    QVERIFY(r.value.get("o").isObject());
    QVERIFY(r.value.get("missing").isUndefined());
}

void TestJsonReader::keyOrder_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("insertion order") << QByteArray(R"({"b":1,"a":2,"c":3})") << QByteArray(R"({"b":1,"a":2,"c":3})");
    QTest::newRow("integer keys first") << QByteArray(R"({"b":1,"2":2,"a":3,"1":4})")
                                        << QByteArray(R"({"1":4,"2":2,"b":1,"a":3})");
    QTest::newRow("integer keys ascending")
            << QByteArray(R"({"10":1,"9":2,"100":3,"0":4})") << QByteArray(R"({"0":4,"9":2,"10":1,"100":3})");
    QTest::newRow("not canonical integers") << QByteArray(R"({"01":1,"1":2,"-1":3,"1.5":4," 2":5})")
                                            << QByteArray(R"({"1":2,"01":1,"-1":3,"1.5":4," 2":5})");
    QTest::newRow("beyond array index") << QByteArray(R"({"4294967295":1,"4294967294":2,"x":3})")
                                        << QByteArray(R"({"4294967294":2,"4294967295":1,"x":3})");
    QTest::newRow("duplicate keeps first place, last value")
            << QByteArray(R"({"a":1,"b":2,"a":3})") << QByteArray(R"({"a":3,"b":2})");
    QTest::newRow("duplicate three times")
            << QByteArray(R"({"x":1,"a":1,"x":2,"b":0,"x":3})") << QByteArray(R"({"x":3,"a":1,"b":0})");
    QTest::newRow("duplicate integer key")
            << QByteArray(R"({"b":0,"5":1,"a":0,"5":2})") << QByteArray(R"({"5":2,"b":0,"a":0})");
    QTest::newRow("duplicate object value")
            << QByteArray(R"({"p":{"a":1},"q":0,"p":{"b":2}})") << QByteArray(R"({"p":{"b":2},"q":0})");
    QTest::newRow("nested order") << QByteArray(R"([{"z":1,"3":2},{"y":1,"y":2}])")
                                  << QByteArray(R"([{"3":2,"z":1},{"y":2}])");
    QTest::newRow("empty key") << QByteArray(R"({"":1,"a":2,"":3})") << QByteArray(R"({"":3,"a":2})");

    // Past the quadratic duplicate check: the hashed one.
    QByteArray members;
    QByteArray withDuplicate;
    for (int i = 0; i < 60; ++i) {
        const QByteArray key = "\"k" + QByteArray::number(i) + "\":";
        members += (i ? "," : "") + key + QByteArray::number(i);
        withDuplicate += (i ? "," : "") + key + QByteArray::number(i == 7 ? 99 : i);
    }
    QTest::newRow("large without duplicates") << QByteArray("{" + members + "}") << QByteArray("{" + members + "}");
    QTest::newRow("large with duplicate")
            << QByteArray("{" + members + ",\"k7\":99}") << QByteArray("{" + withDuplicate + "}");
}

void TestJsonReader::keyOrder()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    JsonReader reader;
    Arena arena;

    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY2(r.ok(), errorText(r).constData());
    QCOMPARE(dump(r.value), expected);

    const JsonResult exact = reader.parse(viaExactParser(json).toStdString(), arena);
    QVERIFY2(exact.ok(), errorText(exact).constData());
    QCOMPARE(dump(exact.value), "[" + expected + ",-0]");
}

void TestJsonReader::bigIntegers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<double>("expected");

    // What JavaScript's Number() of the literal gives: the nearest double.
    QTest::newRow("2^53 + 1") << QByteArray("9007199254740993") << 9007199254740992.0;
    QTest::newRow("uint64 range") << QByteArray("12345678901234567890") << 12345678901234567890.0;
    QTest::newRow("uint64 max") << QByteArray("18446744073709551615") << 18446744073709551616.0;
    QTest::newRow("beyond uint64") << QByteArray("18446744073709551616") << 18446744073709551616.0;
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808") << -9223372036854775808.0;
    QTest::newRow("below int64") << QByteArray("-9223372036854775809") << -9223372036854775808.0;
    QTest::newRow("30 digits") << QByteArray("123456789012345678901234567890") << 1.2345678901234568e29;
    QTest::newRow("301 digits") << QByteArray("1" + QByteArray(300, '0')) << 1e300;
}

void TestJsonReader::bigIntegers()
{
    QFETCH(QByteArray, json);
    QFETCH(double, expected);
    JsonReader reader;
    Arena arena;
    for (const QByteArray &text : {json, "{\"id\": " + json + "}"}) {
        const JsonResult r = reader.parse(text.toStdString(), arena);
        QVERIFY2(r.ok(), errorText(r).constData());
        QVERIFY(r.warnings.empty());
        const Value v = r.value.isObject() ? r.value.get("id") : r.value;
        QVERIFY(v.isNumber());
        QCOMPARE(exactly(v.toNumber()), exactly(expected));
    }
    // The double JavaScript prints back as 12345678901234567000.
    const JsonResult r = reader.parse("12345678901234567890", arena);
    QCOMPARE(exactly(r.value.toNumber()), exactly(12345678901234567000.0));
}

void TestJsonReader::outOfRange_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArrayList>("warnings");

    QTest::newRow("1e400") << QByteArray("1e400") << QByteArray("Infinity")
                           << QByteArrayList{"line 1, column 1: number 1e400 is beyond the range of a double; "
                                             "JavaScript reads it as Infinity"};
    QTest::newRow("in object") << QByteArray(R"({"amount": 1e400})") << QByteArray(R"({"amount":Infinity})")
                               << QByteArrayList{"line 1, column 12: number 1e400 is beyond the range of a double; "
                                                 "JavaScript reads it as Infinity"};
    QTest::newRow("negative") << QByteArray("[1,\n  -1E+400]") << QByteArray("[1,-Infinity]")
                              << QByteArrayList{"line 2, column 3: number -1E+400 is beyond the range of a double; "
                                                "JavaScript reads it as -Infinity"};
    QTest::newRow("just above max") << QByteArray("1.7976931348623159e308") << QByteArray("Infinity")
                                    << QByteArrayList{"line 1, column 1: number 1.7976931348623159e308 is beyond the "
                                                      "range of a double; JavaScript reads it as Infinity"};
    QTest::newRow("many digits") << QByteArray("1" + QByteArray(400, '0')) << QByteArray("Infinity")
                                 << QByteArrayList{"line 1, column 1: number 1000000000000000000000000000000000000... "
                                                   "is beyond the range of a double; JavaScript reads it as Infinity"};
    QTest::newRow("huge exponent") << QByteArray("[\"é\", 0.5e99999999999999999999]") << QByteArray("[\"é\",Infinity]")
                                   << QByteArrayList{"line 1, column 7: number 0.5e99999999999999999999 is beyond the "
                                                     "range of a double; JavaScript reads it as Infinity"};
    QTest::newRow("two") << QByteArray("[1e400, 2e400]") << QByteArray("[Infinity,Infinity]")
                         << QByteArrayList{"line 1, column 2: number 1e400 is beyond the range of a double; JavaScript "
                                           "reads it as Infinity",
                                           "line 1, column 9: number 2e400 is beyond the range of a double; JavaScript "
                                           "reads it as Infinity"};
    QTest::newRow("underflow is silent") << QByteArray("[1e-400, -1e-400, 0.0000e-99999999999]")
                                         << QByteArray("[0,-0,0]") << QByteArrayList{};
}

void TestJsonReader::outOfRange()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArrayList, warnings);
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY2(r.ok(), errorText(r).constData());
    QCOMPARE(dump(r.value), expected);
    QCOMPARE(warningTexts(r), warnings);
}

void TestJsonReader::negativeZero_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("-0") << QByteArray("-0") << QByteArray("-0");
    QTest::newRow("-0.0") << QByteArray("-0.0") << QByteArray("-0");
    QTest::newRow("-0e3") << QByteArray("-0e3") << QByteArray("-0");
    QTest::newRow("0") << QByteArray("0") << QByteArray("0");
    QTest::newRow("in object") << QByteArray(R"({"a":-0,"b":0})") << QByteArray(R"({"a":-0,"b":0})");
    QTest::newRow("in array") << QByteArray("[0,-0 ,-0]") << QByteArray("[0,-0,-0]");
    // "-0" inside strings must not disturb anything.
    QTest::newRow("in strings") << QByteArray(R"(["sku-0","a -0 b",-0,"-0"])")
                                << QByteArray(R"(["sku-0","a -0 b",-0,"-0"])");
    QTest::newRow("string lookalike") << QByteArray(R"({"d":"2024-01-01","n":0,"s":"x -0 y"})")
                                      << QByteArray(R"({"d":"2024-01-01","n":0,"s":"x -0 y"})");
}

void TestJsonReader::negativeZero()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY2(r.ok(), errorText(r).constData());
    QCOMPARE(dump(r.value), expected);
}

void TestJsonReader::numbersAgree_data()
{
    QTest::addColumn<QByteArray>("number");
    for (const char *n : {"0.1", "0.3", "1.00000000000000011102230246251565404236316680908203125",
                          "1.00000000000000011102230246251565404236316680908203124", "2.2250738585072011e-308",
                          "2.2250738585072012e-308", "4.9e-324", "5e-324", "2.4703282292062328e-324", "7.038531e-26",
                          "9007199254740993.0", "1.7976931348623157e308", "123456789012345678901234567890e-10",
                          "0.000000000000000000000000000000000000000001e42", "3.141592653589793238462643383279",
                          "-1.5e-7", "1e23", "8.41e21", "5708990770823839524233143877.797980545530986496"})
        QTest::newRow(n) << QByteArray(n);
}

void TestJsonReader::numbersAgree()
{
    // simdjson's reading of a number must be the correctly rounded double, as JavaScript's is.
    QFETCH(QByteArray, number);
    double expected = 0;
    QVERIFY(std::from_chars(number.constData(), number.constData() + number.size(), expected).ec == std::errc());
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(number.toStdString(), arena);
    QVERIFY(r.ok());
    QCOMPARE(exactly(r.value.toNumber()), exactly(expected));
    const JsonResult exact = reader.parse(viaExactParser(number).toStdString(), arena);
    QVERIFY(exact.ok());
    QCOMPARE(exactly(exact.value.items()[0].toNumber()), exactly(expected));
}

void TestJsonReader::loneSurrogates_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArrayList>("warnings");

    const QByteArray fffd = "\xef\xbf\xbd";
    const QByteArray tail = " in a string; JavaScript keeps it, but UTF-8 cannot hold it, so it is stored as U+FFFD";
    QTest::newRow("high") << QByteArray(R"("\ud800")") << QByteArray("\"" + fffd + "\"")
                          << QByteArrayList{"line 1, column 2: lone UTF-16 surrogate \\ud800" + tail};
    QTest::newRow("low") << QByteArray(R"({"k": "a\uDC00b"})") << QByteArray("{\"k\":\"a" + fffd + "b\"}")
                         << QByteArrayList{"line 1, column 9: lone UTF-16 surrogate \\uDC00" + tail};
    QTest::newRow("high then letter") << QByteArray(R"("\ud800\u0041")") << QByteArray("\"" + fffd + "A\"")
                                      << QByteArrayList{"line 1, column 2: lone UTF-16 surrogate \\ud800" + tail};
    QTest::newRow("two highs") << QByteArray(R"("\ud800\ud800")") << QByteArray("\"" + fffd + fffd + "\"")
                               << QByteArrayList{"line 1, column 2: lone UTF-16 surrogate \\ud800" + tail,
                                                 "line 1, column 8: lone UTF-16 surrogate \\ud800" + tail};
    QTest::newRow("high then pair") << QByteArray(R"("\ud800\ud83d\ude00")")
                                    << QByteArray("\"" + fffd + "\xf0\x9f\x98\x80\"")
                                    << QByteArrayList{"line 1, column 2: lone UTF-16 surrogate \\ud800" + tail};
    QTest::newRow("in key, second line") << QByteArray("{\n\"\\udfff\": 1}") << QByteArray("{\"" + fffd + "\":1}")
                                         << QByteArrayList{"line 2, column 2: lone UTF-16 surrogate \\udfff" + tail};
}

void TestJsonReader::loneSurrogates()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArrayList, warnings);
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY2(r.ok(), errorText(r).constData());
    QCOMPARE(dump(r.value), expected);
    QCOMPARE(warningTexts(r), warnings);
}

void TestJsonReader::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("error");

    QTest::newRow("empty") << QByteArray("") << QByteArray("line 1, column 1: unexpected end of input");
    QTest::newRow("blank") << QByteArray("  \n ") << QByteArray("line 2, column 2: unexpected end of input");
    QTest::newRow("letter") << QByteArray("x") << QByteArray("line 1, column 1: unexpected character 'x'");
    QTest::newRow("NaN") << QByteArray("NaN") << QByteArray("line 1, column 1: unexpected character 'N'");
    QTest::newRow("single quotes") << QByteArray("['a']") << QByteArray("line 1, column 2: unexpected character \"'\"");
    QTest::newRow("control outside string")
            << QByteArray("[1,\x01]") << QByteArray("line 1, column 4: unexpected character U+0001");
    QTest::newRow("BOM") << QByteArray("\xef\xbb\xbf{}") << QByteArray("line 1, column 1: unexpected character U+FEFF");
    QTest::newRow("no-break space") << QByteArray("[1,\xc2\xa0 2]")
                                    << QByteArray("line 1, column 4: unexpected character U+00A0");
    QTest::newRow("open object") << QByteArray("{") << QByteArray("line 1, column 2: unexpected end of input");
    QTest::newRow("open array") << QByteArray("[1,2") << QByteArray("line 1, column 5: unexpected end of input");
    QTest::newRow("missing comma") << QByteArray("[1 2]")
                                   << QByteArray("line 1, column 4: expected ',' or ']' after an array element");
    QTest::newRow("missing member comma")
            << QByteArray(R"({"a":1 "b":2})") << QByteArray("line 1, column 8: expected ',' or '}' after a member");
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})")
                                   << QByteArray("line 1, column 6: expected ':' after a key");
    QTest::newRow("unquoted key") << QByteArray("{a:1}")
                                  << QByteArray("line 1, column 2: expected a key in double quotes or '}'");
    QTest::newRow("key after comma") << QByteArray(R"({"a":1,2})")
                                     << QByteArray("line 1, column 8: expected a key in double quotes after ','");
    QTest::newRow("trailing comma object")
            << QByteArray(R"({"a":1,})") << QByteArray("line 1, column 7: trailing comma before '}'");
    QTest::newRow("trailing comma array")
            << QByteArray("[1,\n]") << QByteArray("line 1, column 3: trailing comma before ']'");
    QTest::newRow("leading comma") << QByteArray("[,1]") << QByteArray("line 1, column 2: unexpected character ','");
    QTest::newRow("unterminated string") << QByteArray("[1, \"abc")
                                         << QByteArray("line 1, column 5: unterminated string");
    QTest::newRow("unterminated after backslash")
            << QByteArray("\"ab\\") << QByteArray("line 1, column 1: unterminated string");
    QTest::newRow("unterminated in \\u") << QByteArray("\"\\u12")
                                         << QByteArray("line 1, column 1: unterminated string");
    QTest::newRow("invalid escape") << QByteArray("\"a\\qb\"") << QByteArray("line 1, column 3: invalid escape \\q");
    QTest::newRow("escaped newline") << QByteArray("\"a\\\nb\"")
                                     << QByteArray("line 1, column 3: invalid escape \\ followed by U+000A");
    QTest::newRow("bad \\u") << QByteArray("\"\\u12G4\"")
                             << QByteArray("line 1, column 2: invalid escape \\u12G (\\u needs 4 hex digits)");
    QTest::newRow("newline in string") << QByteArray("\"a\nb\"")
                                       << QByteArray("line 1, column 3: control character U+000A in a string");
    QTest::newRow("tab in string") << QByteArray("{\"k\": \"\t\"}")
                                   << QByteArray("line 1, column 8: control character U+0009 in a string");
    QTest::newRow("invalid byte") << QByteArray("\"\xff\"") << QByteArray("line 1, column 2: invalid UTF-8 byte 0xff");
    QTest::newRow("invalid byte after é")
            << QByteArray("\"\xc3\xa9\xff\"") << QByteArray("line 1, column 3: invalid UTF-8 byte 0xff");
    QTest::newRow("invalid byte outside")
            << QByteArray("[\xfe]") << QByteArray("line 1, column 2: invalid UTF-8 byte 0xfe");
    QTest::newRow("invalid byte trailing")
            << QByteArray("[1]\x80") << QByteArray("line 1, column 4: invalid UTF-8 byte 0x80");
    QTest::newRow("encoded surrogate") << QByteArray("\"\xed\xa0\x80\"")
                                       << QByteArray("line 1, column 2: invalid UTF-8 byte 0xed");
    QTest::newRow("overlong") << QByteArray("\"\xc0\xaf\"") << QByteArray("line 1, column 2: invalid UTF-8 byte 0xc0");
    QTest::newRow("above U+10FFFF") << QByteArray("\"\xf4\x90\x80\x80\"")
                                    << QByteArray("line 1, column 2: invalid UTF-8 byte 0xf4");
    QTest::newRow("truncated sequence") << QByteArray("\"\xe2\x82\"")
                                        << QByteArray("line 1, column 2: invalid UTF-8 byte 0xe2");
    QTest::newRow("leading zero") << QByteArray("[01]") << QByteArray("line 1, column 2: number with a leading zero");
    QTest::newRow("minus alone") << QByteArray("-") << QByteArray("line 1, column 2: unexpected end of input");
    QTest::newRow("minus letter") << QByteArray("-a") << QByteArray("line 1, column 2: expected a digit after '-'");
    QTest::newRow("plus") << QByteArray("+1") << QByteArray("line 1, column 1: unexpected character '+'");
    QTest::newRow("dot first") << QByteArray(".5") << QByteArray("line 1, column 1: unexpected character '.'");
    QTest::newRow("dot last") << QByteArray("[1.]") << QByteArray("line 1, column 4: expected a digit after '.'");
    QTest::newRow("exponent empty") << QByteArray("1e+") << QByteArray("line 1, column 4: unexpected end of input");
    QTest::newRow("exponent letter") << QByteArray("1ex")
                                     << QByteArray("line 1, column 3: expected a digit in the exponent");
    QTest::newRow("hex") << QByteArray("0x10") << QByteArray("line 1, column 2: trailing content after the JSON value");
    QTest::newRow("short literal") << QByteArray("tru") << QByteArray("line 1, column 4: unexpected end of input");
    QTest::newRow("wrong literal") << QByteArray("[nul]") << QByteArray("line 1, column 5: unexpected character ']'");
    QTest::newRow("capital literal") << QByteArray("True") << QByteArray("line 1, column 1: unexpected character 'T'");
    QTest::newRow("two values") << QByteArray("1 2")
                                << QByteArray("line 1, column 3: trailing content after the JSON value");
    QTest::newRow("extra brace") << QByteArray("{}}")
                                 << QByteArray("line 1, column 3: trailing content after the JSON value");
    QTest::newRow("two lines") << QByteArray("{\"a\":1}\n{\"b\":2}")
                               << QByteArray("line 2, column 1: trailing content after the JSON value");
    QTest::newRow("pretty") << QByteArray("{\n  \"a\": 1,\n  \"b\": x\n}")
                            << QByteArray("line 3, column 8: unexpected character 'x'");
    QTest::newRow("columns count characters") << QByteArray("[\"a\",\n \"\xc3\xa9\xf0\x9f\x98\x80\", @]")
                                              << QByteArray("line 2, column 8: unexpected character '@'");
    QTest::newRow("CRLF") << QByteArray("{\r\n\"a\":\r\n}") << QByteArray("line 3, column 1: unexpected character '}'");
    QTest::newRow("first error wins") << QByteArray("[\"\\ud800\\x\"")
                                      << QByteArray("line 1, column 9: invalid escape \\x");
    QTest::newRow("nesting") << QByteArray(QByteArray(1001, '[') + QByteArray(1001, ']'))
                             << QByteArray("line 1, column 1001: nesting deeper than 1000 levels");
}

void TestJsonReader::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, error);
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(json.toStdString(), arena);
    QVERIFY(!r.ok());
    QCOMPARE(errorText(r), error);
    QVERIFY(r.value.isUndefined());
    QVERIFY(r.warnings.empty()); // a rejected text has no warnings worth showing

    // The same text in a buffer with room after it (parsed in place) fails the same way.
    std::string padded = json.toStdString();
    const std::size_t size = padded.size();
    padded.append(JsonReader::Padding, ' ');
    const JsonResult inPlace = reader.parse(std::string_view(padded.data(), size), padded.size(), arena);
    QCOMPARE(errorText(inPlace), error);
}

void TestJsonReader::firstLine()
{
    JsonReader reader;
    Arena arena;
    JsonResult r = reader.parse("{\"a\":\n x}", arena, 41);
    QCOMPARE(errorText(r), QByteArray("line 42, column 2: unexpected character 'x'"));
    r = reader.parse("[1e400]", arena, 7);
    QCOMPARE(
            warningTexts(r),
            QByteArrayList{
                    "line 7, column 2: number 1e400 is beyond the range of a double; JavaScript reads it as Infinity"});
}

void TestJsonReader::nestingLimit_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("error"); // empty when accepted

    const QByteArray tooDeep = ": nesting deeper than 1000 levels";
    QTest::newRow("1000 arrays") << QByteArray(QByteArray(1000, '[') + QByteArray(1000, ']')) << QByteArray();
    QTest::newRow("1001 arrays") << QByteArray(QByteArray(1001, '[') + QByteArray(1001, ']'))
                                 << QByteArray("line 1, column 1001" + tooDeep);
    const QByteArray objects1000 = QByteArray("{\"a\":").repeated(1000) + "1" + QByteArray(1000, '}');
    QTest::newRow("1000 objects") << objects1000 << QByteArray();
    // The 1001st container is the 1000th object, which starts at column 2 + 5 * 999.
    QTest::newRow("1001 containers") << QByteArray("[" + objects1000 + "]")
                                     << QByteArray("line 1, column 4997" + tooDeep);
}

void TestJsonReader::nestingLimit()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, error);
    JsonReader reader;
    Arena arena;
    const JsonResult r = reader.parse(json.toStdString(), arena);
    QCOMPARE(errorText(r), error);
    if (r.ok()) {
        int depth = 0;
        for (Value v = r.value; v.isArray() || v.isObject(); ++depth)
            v = v.isArray() ? (v.size() ? v.items()[0] : Value()) : v.members()[0].value;
        QCOMPARE(depth, 1000);
    }
}

void TestJsonReader::deepNestingDoesNotCrash()
{
    JsonReader reader;
    Arena arena;
    const std::string open(100000, '[');
    JsonResult r = reader.parse(open, arena);
    QCOMPARE(errorText(r), QByteArray("line 1, column 1001: nesting deeper than 1000 levels"));

    const std::string balanced = open + std::string(100000, ']');
    r = reader.parse(balanced, arena);
    QCOMPARE(errorText(r), QByteArray("line 1, column 1001: nesting deeper than 1000 levels"));

    std::string objects;
    for (int i = 0; i < 100000; ++i)
        objects += "{\"a\":\n";
    r = reader.parse(objects, arena);
    QCOMPARE(errorText(r), QByteArray("line 1001, column 1: nesting deeper than 1000 levels"));
}

void TestJsonReader::stringsAreCopied()
{
    JsonReader reader;
    Arena arena;
    std::string text = R"({"key":"value","list":["a\nb"]})";
    const JsonResult r = reader.parse(text, arena);
    QVERIFY(r.ok());
    std::fill(text.begin(), text.end(), 'x');
    // Later parses reuse the parser's buffers; the values must not depend on them.
    for (int i = 0; i < 3; ++i)
        QVERIFY(reader.parse(R"({"other":"zzzzzzzzzzzzzzzzzzzzzzz","more":["qqqqqqqqq"]})", arena).ok());
    QCOMPARE(dump(r.value), QByteArray(R"({"key":"value","list":["a\u000ab"]})"));
}

void TestJsonReader::readsOnlyTheGivenText()
{
    JsonReader reader;
    Arena arena;
    // The view ends before the buffer does; what follows must not be read as JSON.
    const std::string buffer = std::string("{\"a\":12}{\"b\":3}") + std::string(JsonReader::Padding, '9');
    JsonResult r = reader.parse(std::string_view(buffer.data(), 8), buffer.size(), arena);
    QVERIFY(r.ok());
    QCOMPARE(dump(r.value), QByteArray(R"({"a":12})"));
    r = reader.parse(std::string_view(buffer.data(), 7), buffer.size(), arena);
    QCOMPARE(errorText(r), QByteArray("line 1, column 8: unexpected end of input"));
    r = reader.parse(std::string_view(buffer.data() + 8, 7), arena);
    QCOMPARE(dump(r.value), QByteArray(R"({"b":3})"));
}

void TestJsonReader::largeObjects()
{
    JsonReader reader;
    Arena arena;
    // Integer keys given in descending order, plus a duplicate of each: the slow path at scale.
    std::string json = "{";
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "\"" + std::string.
    auto member = [&](int key, int value, char after) {
        json += '"';
        json += std::to_string(key);
        json += "\":";
        json += std::to_string(value);
        json += after;
    };
    for (int i = 2000; i >= 1; --i)
        member(i, i, ',');
    for (int i = 1; i <= 2000; ++i)
        member(i, -i, i == 2000 ? '}' : ',');
    for (const std::string &text : {json, "[" + json + ",-0]"}) {
        const JsonResult r = reader.parse(text, arena);
        QVERIFY(r.ok());
        const Value object = r.value.isArray() ? r.value.items()[0] : r.value;
        QCOMPARE(object.size(), 2000u);
        for (std::uint32_t i = 0; i < 2000; ++i) {
            QCOMPARE(object.members()[i].key, std::string_view(std::to_string(i + 1)));
            QCOMPARE(object.members()[i].value.toNumber(), -double(i + 1));
        }
    }
}

void TestJsonReader::hugeString()
{
    JsonReader reader;
    Arena arena;
    std::string payload(50 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < payload.size(); i += 4096)
        payload[i] = static_cast<char>('a' + (i / 4096) % 26);
    const std::string json = "{\"s\":\"" + payload + "\"}";
    JsonResult r = reader.parse(json, arena);
    QVERIFY(r.ok());
    QCOMPARE(r.value.get("s").toString().size(), payload.size());
    QVERIFY(r.value.get("s").toString() == payload);

    // The exact parser (here because of the escape at the end) handles it too.
    const std::string withSurrogate = "[\"" + payload + "\\ud800\"]";
    Arena arena2;
    r = reader.parse(withSurrogate, arena2);
    QVERIFY(r.ok());
    QCOMPARE(r.warnings.size(), std::size_t(1));
    QCOMPARE(r.warnings[0].column, int(payload.size()) + 3);
    QVERIFY(r.value.items()[0].toString().substr(0, payload.size()) == payload);

    // Memory held for the huge text is given back.
    QVERIFY(reader.bufferCapacity() < 8u * 1024 * 1024);
}

QTEST_GUILESS_MAIN(TestJsonReader)
void TestJsonReader::tapeThenValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("hasTape");
    QTest::newRow("object") << QByteArray(R"({"a":[1,"x",{"b":null}],"c":true,"d":-2.5})") << true;
    QTest::newRow("key order") << QByteArray(R"({"b":1,"2":2,"a":3,"1":4,"b":5})") << true;
    QTest::newRow("negative zero") << QByteArray(R"({"z":-0,"n":0})") << true;
    QTest::newRow("zero without sign") << QByteArray(R"({"n":0,"s":"-0"})") << true;
    QTest::newRow("array") << QByteArray("[1,2]") << true;
    QTest::newRow("string") << QByteArray(R"("x")") << true;
    QTest::newRow("broken") << QByteArray(R"({"a":)") << false;
    QTest::newRow("out of range") << QByteArray(R"({"a":1e999})") << false;
    QTest::newRow("lone surrogate") << QByteArray(R"({"a":"\ud800"})") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestJsonReader::tapeThenValues()
{
    // parseTape() then convertTape() gives what parse() gives; a null tape where only the exact
    // parser can read the text.
    QFETCH(QByteArray, json);
    QFETCH(bool, hasTape);
    const std::string_view text(json.constData(), std::size_t(json.size()));
    Arena arena;
    JsonReader direct;
    const JsonResult expected = direct.parse(text, arena);
    JsonReader reader;
    const km::JsonTape tape = reader.parseTape(text, text.size());
    QCOMPARE(!tape.isNull(), hasTape);
    if (!hasTape)
        return;
    QCOMPARE(tape.text(), text);
    const JsonResult converted = reader.convertTape(arena);
    QCOMPARE(errorText(converted), errorText(expected));
    QCOMPARE(warningTexts(converted), warningTexts(expected));
    QCOMPARE(dump(converted.value), dump(expected.value));
}

#include "tst_jsonreader.moc"
