#include "jsonlocate.h"

#include <QTest>

#include <string>
#include <vector>

class TestJsonLocate : public QObject
{
    Q_OBJECT

private slots:
    void dotted_data();
    void dotted();
    void segments_data();
    void segments();
    void utf16Offset_data();
    void utf16Offset();
};

namespace {

const std::string kMessage = R"({
  "type": "track",
  "event": "Signed Up",
  "properties": {
    "referrer": {"source": "newsletter", "campaign": {"id": 42}},
    "referrer.campaign": "flat",
    "addons": ["sso", "audit"],
    "plan": "Basic",
    "plan": "Pro"
  }
})";

// What the span covers, as text ("" when nothing is found) and the key it starts at.
std::string valueAt(const std::string &text, const std::optional<km::JsonSpan> &span)
{
    if (!span)
        return "<none>";
    return text.substr(span->begin, span->end - span->begin);
}

std::string keyAt(const std::string &text, const std::optional<km::JsonSpan> &span)
{
    if (!span)
        return "<none>";
    return text.substr(span->keyBegin, span->begin - span->keyBegin);
}

} // namespace

void TestJsonLocate::dotted_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<std::string>("path");
    QTest::addColumn<std::string>("value");
    QTest::addColumn<std::string>("key");

    QTest::newRow("root") << kMessage << std::string() << kMessage << std::string();
    QTest::newRow("top member") << kMessage << std::string("event") << std::string("\"Signed Up\"")
                                << std::string("\"event\": ");
    QTest::newRow("nested") << kMessage << std::string("properties.referrer.campaign.id") << std::string("42")
                            << std::string("\"id\": ");
    QTest::newRow("object value") << kMessage << std::string("properties.referrer.campaign")
                                  << std::string("{\"id\": 42}") << std::string("\"campaign\": ");
    QTest::newRow("array element") << kMessage << std::string("properties.addons.1") << std::string("\"audit\"")
                                   << std::string();
    QTest::newRow("duplicate: the last one")
            << kMessage << std::string("properties.plan") << std::string("\"Pro\"") << std::string("\"plan\": ");
    QTest::newRow("missing") << kMessage << std::string("properties.nothing") << std::string("<none>")
                             << std::string("<none>");
    QTest::newRow("index past the end") << kMessage << std::string("properties.addons.2") << std::string("<none>")
                                        << std::string("<none>");
    QTest::newRow("member of a string") << kMessage << std::string("type.x") << std::string("<none>")
                                        << std::string("<none>");
    const std::string dotted = R"({"properties": {"a.b": 1}})";
    QTest::newRow("member name with a dot")
            << dotted << std::string("properties.a.b") << std::string("1") << std::string("\"a.b\": ");
    const std::string escaped = R"({"caf\u00e9": {"x\"y": true}})";
    QTest::newRow("escaped names") << escaped << std::string("caf\xC3\xA9.x\"y") << std::string("true")
                                   << std::string("\"x\\\"y\": ");
    const std::string broken = "{\n  \"type\": \"track\",\n  \"event\": \"Sig\n  \"userId\": \"u1\"\n}";
    QTest::newRow("broken: before the break")
            << broken << std::string("type") << std::string("\"track\"") << std::string("\"type\": ");
    QTest::newRow("broken: the broken value, to the end of its line")
            << broken << std::string("event") << std::string("\"Sig") << std::string("\"event\": ");
    QTest::newRow("broken: after the break")
            << broken << std::string("userId") << std::string("<none>") << std::string("<none>");
    QTest::newRow("empty text") << std::string("  ") << std::string() << std::string("<none>") << std::string("<none>");
    QTest::newRow("byte order mark") << std::string("\xEF\xBB\xBF{\"a\":1}") << std::string("a") << std::string("1")
                                     << std::string("\"a\":");
}

void TestJsonLocate::dotted()
{
    QFETCH(std::string, text);
    QFETCH(std::string, path);
    QFETCH(std::string, value);
    QFETCH(std::string, key);

    const std::optional<km::JsonSpan> span = km::locateJsonPath(text, path);
    QCOMPARE(valueAt(text, span), value);
    QCOMPARE(keyAt(text, span), key);
}

void TestJsonLocate::segments_data()
{
    QTest::addColumn<std::vector<std::string>>("path");
    QTest::addColumn<std::string>("value");

    QTest::newRow("flat key with a dot is one segment")
            << std::vector<std::string>{"properties", "referrer.campaign"} << std::string("\"flat\"");
    QTest::newRow("nested") << std::vector<std::string>{"properties", "referrer", "source"}
                            << std::string("\"newsletter\"");
    QTest::newRow("no dotted splitting") << std::vector<std::string>{"properties.plan"} << std::string("<none>");
}

void TestJsonLocate::segments()
{
    QFETCH(std::vector<std::string>, path);
    QFETCH(std::string, value);
    QCOMPARE(valueAt(kMessage, km::locateJsonPath(kMessage, std::span<const std::string>(path))), value);
}

void TestJsonLocate::utf16Offset_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<int>("byteOffset");

    QTest::newRow("ascii") << std::string("{\"a\": 1}") << 5;
    QTest::newRow("two-byte") << std::string("{\"\xC3\xA9\": 1}") << 6;
    QTest::newRow("three-byte") << std::string("\"\xE2\x82\xAC\xE2\x82\xAC\" x") << 8;
    QTest::newRow("four-byte is a surrogate pair") << std::string("\"\xF0\x9F\x98\x80\" x") << 7;
    QTest::newRow("past the end") << std::string("ab") << 10;
}

void TestJsonLocate::utf16Offset()
{
    QFETCH(std::string, text);
    QFETCH(int, byteOffset);
    const int expected = static_cast<int>(
            QString::fromUtf8(text.data(), std::min<qsizetype>(byteOffset, static_cast<qsizetype>(text.size())))
                    .size());
    QCOMPARE(km::utf16Offset(text, static_cast<std::size_t>(byteOffset)), expected);
}

QTEST_APPLESS_MAIN(TestJsonLocate)
#include "tst_jsonlocate.moc"
