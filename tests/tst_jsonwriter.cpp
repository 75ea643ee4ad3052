#include "jsonwriter.h"
#include "value.h"

#include <QTest>

#include <limits>
#include <vector>

// Expected texts are what JSON.stringify gives in Node 20 for the same JavaScript value
// (except the documented CLI rule: undefined object members are written as null by default).

Q_DECLARE_METATYPE(km::Value)
Q_DECLARE_METATYPE(km::JsonWriter::UndefinedPolicy)
Q_DECLARE_METATYPE(km::JsonWriter::DatePolicy)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string_view view(const QByteArray &b)
{
    return {b.constData(), static_cast<std::size_t>(b.size())};
}

} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void writeString_data();
    void writeString();
    void writeNumber_data();
    void writeNumber();
    void writeValue_data();
    void writeValue();
    void streaming();
    void member_data();
    void member();
    void clearKeepsNothing();

private:
    km::Value array(std::initializer_list<km::Value> items);
    km::Value object(std::initializer_list<km::Member> members);

    km::Arena m_arena; // owns the values built by the _data functions for the whole run
};

km::Value TestJsonWriter::array(std::initializer_list<km::Value> items)
{
    km::Value *storage = m_arena.allocValues(items.size());
    std::copy(items.begin(), items.end(), storage);
    return km::Value::array({storage, items.size()});
}

km::Value TestJsonWriter::object(std::initializer_list<km::Member> members)
{
    km::Member *storage = m_arena.allocMembers(members.size());
    std::copy(members.begin(), members.end(), storage);
    return km::Value::object({storage, members.size()});
}

void TestJsonWriter::writeString_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QByteArray("hello world") << QByteArray("\"hello world\"");
    QTest::newRow("empty") << QByteArray("") << QByteArray("\"\"");
    QTest::newRow("quote") << QByteArray("say \"hi\"") << QByteArray("\"say \\\"hi\\\"\"");
    QTest::newRow("backslash") << QByteArray("C:\\dir") << QByteArray("\"C:\\\\dir\"");
    QTest::newRow("slash stays") << QByteArray("a/b</script>") << QByteArray("\"a/b</script>\"");
    QTest::newRow("short escapes") << QByteArray("\b\f\n\r\t") << QByteArray("\"\\b\\f\\n\\r\\t\"");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << QByteArray("\"a\\u0000b\"");
    QTest::newRow("U+0001") << QByteArray("\x01") << QByteArray("\"\\u0001\"");
    QTest::newRow("vertical tab") << QByteArray("\v") << QByteArray("\"\\u000b\"");
    QTest::newRow("U+001F lower-case hex") << QByteArray("\x1f") << QByteArray("\"\\u001f\"");
    QTest::newRow("DEL stays") << QByteArray("\x7f") << QByteArray("\"\x7f\"");
    QTest::newRow("space stays") << QByteArray(" ") << QByteArray("\" \"");
    QTest::newRow("two-byte UTF-8") << QByteArray("caf\xc3\xa9") << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("U+2028 U+2029 stay") << QByteArray("\xe2\x80\xa8\xe2\x80\xa9")
                                        << QByteArray("\"\xe2\x80\xa8\xe2\x80\xa9\"");
    QTest::newRow("emoji stays") << QByteArray("\xf0\x9f\x98\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("U+D7FF stays") << QByteArray("\xed\x9f\xbf") << QByteArray("\"\xed\x9f\xbf\"");
    QTest::newRow("lone high surrogate") << QByteArray("a\xed\xa0\x80z") << QByteArray("\"a\\ud800z\"");
    QTest::newRow("lone low surrogate") << QByteArray("\xed\xbf\xbf") << QByteArray("\"\\udfff\"");
    QTest::newRow("reversed pair") << QByteArray("\xed\xb0\x80\xed\xa0\x80") << QByteArray("\"\\udc00\\ud800\"");
    QTest::newRow("split pair joins") << QByteArray("\xed\xa0\xbd\xed\xb8\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("invalid byte copied") << QByteArray("\xff") << QByteArray("\"\xff\"");
    QTest::newRow("truncated 0xED copied") << QByteArray("x\xed\xa0") << QByteArray("\"x\xed\xa0\"");
    QTest::newRow("mixed runs") << QByteArray("line1\nline2\t\"q\"\\end")
                                << QByteArray("\"line1\\nline2\\t\\\"q\\\"\\\\end\"");
}

void TestJsonWriter::writeString()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    km::JsonWriter writer;
    writer.writeString(view(input));
    QCOMPARE(QByteArray::fromStdString(writer.buffer()), expected);

    std::string appended = "[";
    km::appendJsonString(appended, view(input));
    QCOMPARE(QByteArray::fromStdString(appended), "[" + expected);
}

void TestJsonWriter::writeNumber_data()
{
    QTest::addColumn<double>("number");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("integer") << 42.0 << QByteArray("42");
    QTest::newRow("price") << 19.99 << QByteArray("19.99");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("1e-7") << 1e-7 << QByteArray("1e-7");
    QTest::newRow("0.1+0.2") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("NaN") << kNaN << QByteArray("null");
    QTest::newRow("Infinity") << kInf << QByteArray("null");
    QTest::newRow("-Infinity") << -kInf << QByteArray("null");
}

void TestJsonWriter::writeNumber()
{
    QFETCH(double, number);
    QFETCH(QByteArray, expected);
    km::JsonWriter writer;
    writer.writeNumber(number);
    QCOMPARE(QByteArray::fromStdString(writer.buffer()), expected);
}

void TestJsonWriter::writeValue_data()
{
    using km::Value;
    using Undefined = km::JsonWriter::UndefinedPolicy;
    using Dates = km::JsonWriter::DatePolicy;
    QTest::addColumn<Value>("value");
    QTest::addColumn<Undefined>("undefinedPolicy");
    QTest::addColumn<Dates>("datePolicy");
    QTest::addColumn<QByteArray>("expected");

    const Value date = Value::date(1388631845000.0);
    const Value invalidDate = Value::date(kNaN);
    const Value nested = object({{"a", Value::number(1)},
                                 {"u", Value::undefined()},
                                 {"list", array({Value::number(1), Value::undefined(), Value::string("x")})},
                                 {"when", date},
                                 {"bad", invalidDate},
                                 {"in", object({{"k\"ey", Value::null()}})}});

    QTest::newRow("undefined") << Value::undefined() << Undefined::Null << Dates::IsoString << QByteArray("null");
    QTest::newRow("top-level undefined, omit")
            << Value::undefined() << Undefined::Omit << Dates::IsoString << QByteArray("null");
    QTest::newRow("null") << Value::null() << Undefined::Null << Dates::IsoString << QByteArray("null");
    QTest::newRow("true") << Value::boolean(true) << Undefined::Null << Dates::IsoString << QByteArray("true");
    QTest::newRow("false") << Value::boolean(false) << Undefined::Null << Dates::IsoString << QByteArray("false");
    QTest::newRow("number") << Value::number(19.99) << Undefined::Null << Dates::IsoString << QByteArray("19.99");
    QTest::newRow("NaN number") << Value::number(kNaN) << Undefined::Null << Dates::IsoString << QByteArray("null");
    QTest::newRow("string") << Value::string("a\"b\n") << Undefined::Null << Dates::IsoString
                            << QByteArray("\"a\\\"b\\n\"");
    QTest::newRow("date") << date << Undefined::Null << Dates::IsoString << QByteArray("\"2014-01-02T03:04:05.000Z\"");
    QTest::newRow("date as millis") << date << Undefined::Null << Dates::EpochMillis << QByteArray("1388631845000");
    QTest::newRow("invalid date") << invalidDate << Undefined::Null << Dates::IsoString << QByteArray("null");
    QTest::newRow("invalid date as millis")
            << invalidDate << Undefined::Null << Dates::EpochMillis << QByteArray("null");
    QTest::newRow("empty array") << array({}) << Undefined::Null << Dates::IsoString << QByteArray("[]");
    QTest::newRow("empty object") << object({}) << Undefined::Null << Dates::IsoString << QByteArray("{}");
    QTest::newRow("nested, undefined as null")
            << nested << Undefined::Null << Dates::IsoString
            << QByteArray(
                       "{\"a\":1,\"u\":null,\"list\":[1,null,\"x\"],\"when\":\"2014-01-02T03:04:05.000Z\",\"bad\":null,"
                       "\"in\":{\"k\\\"ey\":null}}");
    QTest::newRow("nested, JSON.stringify omits undefined members")
            << nested << Undefined::Omit << Dates::IsoString
            << QByteArray("{\"a\":1,\"list\":[1,null,\"x\"],\"when\":\"2014-01-02T03:04:05.000Z\",\"bad\":null,"
                          "\"in\":{\"k\\\"ey\":null}}");
    QTest::newRow("only undefined members, omitted") << object({{"x", Value::undefined()}, {"y", Value::undefined()}})
                                                     << Undefined::Omit << Dates::IsoString << QByteArray("{}");
}

void TestJsonWriter::writeValue()
{
    QFETCH(km::Value, value);
    QFETCH(km::JsonWriter::UndefinedPolicy, undefinedPolicy);
    QFETCH(km::JsonWriter::DatePolicy, datePolicy);
    QFETCH(QByteArray, expected);

    km::JsonWriter writer;
    writer.writeValue(value, undefinedPolicy, datePolicy);
    QCOMPARE(QByteArray::fromStdString(writer.buffer()), expected);

    // The same value streamed as an array element gets the writer's separators.
    writer.clear();
    writer.beginArray();
    writer.value(0);
    writer.value(value, undefinedPolicy, datePolicy);
    writer.endArray();
    QCOMPARE(QByteArray::fromStdString(writer.buffer()), "[0," + expected + "]");
}

void TestJsonWriter::streaming()
{
    km::JsonWriter writer;
    writer.beginObject();
    writer.key("event");
    writer.value("Order \"Completed\"");
    writer.key("n");
    writer.value(3);
    writer.key("props");
    writer.beginObject();
    writer.key("list");
    writer.beginArray();
    writer.value(true);
    writer.value(nullptr);
    writer.value(-0.0);
    writer.beginObject();
    writer.endObject();
    writer.beginArray();
    writer.endArray();
    writer.value(std::string_view("s"));
    writer.endArray();
    writer.key("raw");
    writer.rawValue("{\"pre\":1}");
    writer.endObject();
    writer.key("when");
    writer.value(km::Value::date(0));
    writer.endObject();
    QCOMPARE(QByteArray::fromStdString(writer.buffer()),
             QByteArray("{\"event\":\"Order \\\"Completed\\\"\",\"n\":3,\"props\":{\"list\":[true,null,0,{},[],\"s\"],"
                        "\"raw\":{\"pre\":1}},\"when\":\"1970-01-01T00:00:00.000Z\"}"));

    // Top-level values are not separated: the caller writes its own line breaks.
    writer.buffer().push_back('\n');
    writer.value(false);
    QCOMPARE(writer.buffer().substr(writer.buffer().size() - 7), std::string("}\nfalse"));
}

void TestJsonWriter::member_data()
{
    QTest::addColumn<km::JsonWriter::UndefinedPolicy>("policy");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("null") << km::JsonWriter::UndefinedPolicy::Null << QByteArray("{\"a\":null,\"b\":2,\"c\":null}");
    QTest::newRow("omit") << km::JsonWriter::UndefinedPolicy::Omit << QByteArray("{\"b\":2}");
}

void TestJsonWriter::member()
{
    QFETCH(km::JsonWriter::UndefinedPolicy, policy);
    QFETCH(QByteArray, expected);
    km::JsonWriter writer;
    writer.beginObject();
    writer.member("a", km::Value::undefined(), policy);
    writer.member("b", km::Value::number(2), policy);
    writer.member("c", km::Value::undefined(), policy);
    writer.endObject();
    QCOMPARE(QByteArray::fromStdString(writer.buffer()), expected);
}

void TestJsonWriter::clearKeepsNothing()
{
    km::JsonWriter writer;
    writer.beginArray();
    writer.value(1);
    writer.clear(); // abandons the open array too
    QVERIFY(writer.buffer().empty());
    writer.beginArray();
    writer.value(2);
    writer.endArray();
    QCOMPARE(writer.buffer(), std::string("[2]"));
}

QTEST_APPLESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
