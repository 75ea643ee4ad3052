#include "messagestream.h"

#include <QBuffer>
#include <QtTest>

#include <charconv>
#include <cmath>
#include <memory>
#include <string>

using km::Arena;
using km::InputMessage;
using km::MessageStream;
using km::Value;

Q_DECLARE_METATYPE(MessageStream::Format)

namespace {

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
            if (static_cast<unsigned char>(c) < 0x20) {
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
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            if (i)
                out += ',';
            dumpTo(v.items()[i], out);
        }
        out += ']';
        break;
    }
    case Value::Type::Object: {
        out += '{';
        for (std::size_t i = 0; i < v.members().size(); ++i) {
            if (i)
                out += ',';
            out += '"';
            out += v.members()[i].key;
            out += "\":";
            dumpTo(v.members()[i].value, out);
        }
        out += '}';
        break;
    }
    }
}

// "index@line value [W: warning]..." or "index@line ERROR message".
QByteArray describe(const InputMessage &m)
{
    std::string out = std::to_string(m.index) + "@" + std::to_string(m.line) + " ";
    if (!m.isValid()) {
        out += "ERROR " + m.error;
    } else {
        dumpTo(m.value, out);
    }
    for (const km::JsonIssue &w : m.warnings)
        out += " [W: " + w.toString() + "]";
    return QByteArray::fromStdString(out);
}

// Hands out its data in pieces and, like a pipe, sometimes has nothing yet.
class TrickleDevice : public QIODevice
{
public:
    explicit TrickleDevice(QByteArray data, qint64 piece)
        : m_data(std::move(data))
        , m_piece(piece)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }
    bool waitForReadyRead(int) override { return m_pos < m_data.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (m_starve = !m_starve; m_starve)
            return 0;
        const qint64 n = std::min({maxSize, m_piece, qint64(m_data.size()) - m_pos});
        std::memcpy(data, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_piece;
    qint64 m_pos = 0;
    bool m_starve = false;
};

// Produces NDJSON lines on the fly, so the input never exists in memory as a whole.
class GeneratorDevice : public QIODevice
{
public:
    explicit GeneratorDevice(int lines)
        : m_lines(lines)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        qint64 written = 0;
        while (written < maxSize) {
            if (m_pending.isEmpty()) {
                if (m_produced == m_lines)
                    break;
                m_pending = R"({"type":"track","event":"Event )" + QByteArray::number(m_produced)
                            + R"(","properties":{"n":)" + QByteArray::number(m_produced) + "}}\n";
                ++m_produced;
            }
            const qint64 n = std::min<qint64>(maxSize - written, m_pending.size());
            std::memcpy(data + written, m_pending.constData(), size_t(n));
            m_pending.remove(0, n);
            written += n;
        }
        return written;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    int m_lines;
    int m_produced = 0;
    QByteArray m_pending;
};

// Fails after handing out some data.
class FailingDevice : public QIODevice
{
public:
    explicit FailingDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (m_data.isEmpty()) {
            setErrorString("disk on fire");
            return -1;
        }
        const qint64 n = std::min<qint64>(maxSize, m_data.size());
        std::memcpy(data, m_data.constData(), size_t(n));
        m_data.remove(0, n);
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
};

// Every message described; with Deferred, a message that comes back as a tape is converted
// first (and counted in `deferred`), which must give what Immediate gives.
QByteArrayList collect(MessageStream &stream,
                       MessageStream::Conversion conversion = MessageStream::Conversion::Immediate,
                       int *deferred = nullptr)
{
    stream.setConversion(conversion);
    QByteArrayList items;
    Arena arena;
    InputMessage m;
    std::size_t expectedIndex = 0;
    while (stream.next(m, arena)) {
        if (m.isDeferred()) {
            if (m.tape.type(km::JsonTape::Root) != '{' || !m.value.isUndefined())
                items << "(a deferred message is not an object's tape)";
            stream.convert(m, arena);
            if (deferred)
                ++*deferred;
        }
        items << describe(m);
        if (m.index != expectedIndex++)
            items << "(index out of sequence)";
        arena.reset(); // documents' values must not live in this arena, NDJSON ones are done
    }
    if (stream.next(m, arena))
        items << "(next() after the end returned true)";
    return items;
}

} // namespace

class TestMessageStream : public QObject
{
    Q_OBJECT

private slots:
    void forms_data();
    void forms();
    void chunkBoundaries();
    void formatBeforeReading();
    void ndjsonValuesLiveInTheCallersArena();
    void documentValuesLiveUntilTheStreamIsGone();
    void hugeLine();
    void memoryStaysBounded();
    void readErrors();
};

void TestMessageStream::forms_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<MessageStream::Format>("format");
    QTest::addColumn<QByteArrayList>("expected");

    using F = MessageStream::Format;
    const QByteArray infinity = "is beyond the range of a double; JavaScript reads it as Infinity";

    QTest::newRow("empty") << QByteArray() << F::Empty << QByteArrayList{};
    QTest::newRow("blank lines") << QByteArray("\n  \n\t\r\n\n") << F::Empty << QByteArrayList{};
    QTest::newRow("BOM only") << QByteArray("\xEF\xBB\xBF\n") << F::Empty << QByteArrayList{};

    QTest::newRow("single") << QByteArray(R"({"type":"track","event":"Signed Up"})") << F::Document
                            << QByteArrayList{R"(0@1 {"type":"track","event":"Signed Up"})"};
    QTest::newRow("single after blank CRLF lines")
            << QByteArray("\r\n\r\n{\"a\":1}\r\n") << F::Document << QByteArrayList{R"(0@3 {"a":1})"};
    QTest::newRow("pretty single") << QByteArray(
            "{\n  \"type\": \"identify\",\n  \"traits\": {\n    \"name\": \"Ann\"\n  }\n}\n")
                                   << F::Document
                                   << QByteArrayList{R"(0@1 {"type":"identify","traits":{"name":"Ann"}})"};
    QTest::newRow("pretty single with BOM")
            << QByteArray("\xEF\xBB\xBF{\n \"a\": 1\n}") << F::Document << QByteArrayList{R"(0@1 {"a":1})"};
    QTest::newRow("broken single") << QByteArray("{\n \"a\": \n}\n") << F::Document
                                   << QByteArrayList{"0@1 ERROR line 3, column 1: unexpected character '}'"};
    QTest::newRow("concatenated pretty objects")
            << QByteArray("{\n\"a\":1\n}\n{\n\"b\":2\n}") << F::Document
            << QByteArrayList{"0@1 ERROR line 4, column 1: trailing content after the JSON value"};
    QTest::newRow("top-level string")
            << QByteArray("\"hello\"") << F::Document
            << QByteArrayList{"0@1 ERROR line 1, column 1: message 0 is a string, not a JSON object"};
    QTest::newRow("top-level number")
            << QByteArray("\n  42  \n") << F::Document
            << QByteArrayList{"0@2 ERROR line 2, column 3: message 0 is a number, not a JSON object"};
    QTest::newRow("top-level null") << QByteArray("null") << F::Document
                                    << QByteArrayList{
                                               "0@1 ERROR line 1, column 1: message 0 is null, not a JSON object"};
    QTest::newRow("1e400 single") << QByteArray(R"({"amount": 1e400})") << F::Document
                                  << QByteArrayList{R"(0@1 {"amount":Infinity} [W: line 1, column 12: number 1e400 )"
                                                    + infinity + "]"};
    QTest::newRow("invalid UTF-8 single") << QByteArray("{\"a\":\n\"\xc3\"}") << F::Document
                                          << QByteArrayList{"0@1 ERROR line 2, column 2: invalid UTF-8 byte 0xc3"};
    QTest::newRow("deep nesting") << QByteArray(100000, '[') << F::Document
                                  << QByteArrayList{"0@1 ERROR line 1, column 1001: nesting deeper than 1000 levels"};

    QTest::newRow("array") << QByteArray(R"([{"a":1},{"b":2}])") << F::Array
                           << QByteArrayList{R"(0@1 {"a":1})", R"(1@1 {"b":2})"};
    QTest::newRow("pretty array") << QByteArray("[\n  {\"a\": 1},\n\n  {\"b\": 2}\n]\n") << F::Array
                                  << QByteArrayList{R"(0@2 {"a":1})", R"(1@4 {"b":2})"};
    QTest::newRow("empty array") << QByteArray(" [ ] ") << F::Array << QByteArrayList{};
    QTest::newRow("array with non-objects")
            << QByteArray(R"([{"a":1}, 2, "s", null, [1], true])") << F::Array
            << QByteArrayList{
                       R"(0@1 {"a":1})",
                       "1@1 ERROR line 1, column 11: message 1 (array element 1) is a number, not a JSON object",
                       "2@1 ERROR line 1, column 14: message 2 (array element 2) is a string, not a JSON object",
                       "3@1 ERROR line 1, column 19: message 3 (array element 3) is null, not a JSON object",
                       "4@1 ERROR line 1, column 25: message 4 (array element 4) is an array, not a JSON object",
                       "5@1 ERROR line 1, column 30: message 5 (array element 5) is a boolean, not a JSON object"};
    QTest::newRow("array of strings")
            << QByteArray("[\"a\\\"]\",\n\"b\"]") << F::Array
            << QByteArrayList{"0@1 ERROR line 1, column 2: message 0 (array element 0) is a string, not a JSON object",
                              "1@2 ERROR line 2, column 1: message 1 (array element 1) is a string, not a JSON object"};
    QTest::newRow("broken array") << QByteArray("[{\"a\":1},\n{\"b\":}]") << F::Document
                                  << QByteArrayList{"0@1 ERROR line 2, column 6: unexpected character '}'"};
    QTest::newRow("warnings go to their element")
            << QByteArray("[{\"a\":\"\\ud800\"},\n{\"b\":1},\n{\"c\":-1e400}]") << F::Array
            << QByteArrayList{
                       "0@1 {\"a\":\"\xef\xbf\xbd\"} [W: line 1, column 8: lone UTF-16 surrogate \\ud800 in a string; "
                       "JavaScript keeps it, but UTF-8 cannot hold it, so it is stored as U+FFFD]",
                       R"(1@2 {"b":1})",
                       R"(2@3 {"c":-Infinity} [W: line 3, column 6: number -1e400 is beyond the range of a double; JavaScript reads it as -Infinity])"};

    QTest::newRow("batch") << QByteArray(
            R"({"batch":[{"type":"track"},{"type":"identify"}],"sentAt":"2024-01-01T00:00:00Z","writeKey":"k"})")
                           << F::Batch << QByteArrayList{R"(0@1 {"type":"track"})", R"(1@1 {"type":"identify"})"};
    QTest::newRow("pretty batch") << QByteArray(
            "{\n  \"sentAt\": \"x\",\n  \"context\": {\"batch\": [1]},\n  \"batch\": [\n    {\"a\": 1},\n    2\n  ]\n}")
                                  << F::Batch
                                  << QByteArrayList{R"(0@5 {"a":1})", "1@6 ERROR line 6, column 5: message 1 (batch "
                                                                      "element 1) is a number, not a JSON object"};
    QTest::newRow("batch escaped key") << QByteArray(R"({"\u0062atch":[{"a":1}]})") << F::Batch
                                       << QByteArrayList{R"(0@1 {"a":1})"};
    QTest::newRow("batch duplicate key") << QByteArray("{\"batch\":[{\"a\":1}],\n\"batch\":[\n{\"b\":2}]}") << F::Batch
                                         << QByteArrayList{R"(0@3 {"b":2})"};
    QTest::newRow("batch not an array") << QByteArray(R"({"batch":5,"type":"track"})") << F::Document
                                        << QByteArrayList{R"(0@1 {"batch":5,"type":"track"})"};
    QTest::newRow("empty batch") << QByteArray(R"({"batch":[]})") << F::Batch << QByteArrayList{};
    QTest::newRow("warning in ignored batch member")
            << QByteArray(R"({"sentAt": 1e400, "batch": [{"a": 1e400}]})") << F::Batch
            << QByteArrayList{R"(0@1 {"a":Infinity} [W: line 1, column 35: number 1e400 )" + infinity + "]"};

    QTest::newRow("ndjson") << QByteArray("{\"a\":1}\n{\"b\":2}\n") << F::Ndjson
                            << QByteArrayList{R"(0@1 {"a":1})", R"(1@2 {"b":2})"};
    QTest::newRow("ndjson without final newline")
            << QByteArray("{\"a\":1}\n{\"b\":2}") << F::Ndjson << QByteArrayList{R"(0@1 {"a":1})", R"(1@2 {"b":2})"};
    QTest::newRow("ndjson broken middle line")
            << QByteArray("{\"a\":1}\n{\"b\":\n{\"c\":3}\n") << F::Ndjson
            << QByteArrayList{R"(0@1 {"a":1})", "1@2 ERROR line 2, column 6: unexpected end of input",
                              R"(2@3 {"c":3})"};
    QTest::newRow("ndjson blank lines") << QByteArray("\n{\"a\":1}\n\n   \n{\"b\":2}\n\n") << F::Ndjson
                                        << QByteArrayList{R"(0@2 {"a":1})", R"(1@5 {"b":2})"};
    QTest::newRow("ndjson CRLF") << QByteArray("{\"a\":1}\r\n{\"b\" 2}\r\n\r\n{\"c\":\"x\\r\"}\r\n") << F::Ndjson
                                 << QByteArrayList{R"(0@1 {"a":1})",
                                                   "1@2 ERROR line 2, column 6: expected ':' after a key",
                                                   R"(2@4 {"c":"x\u000d"})"};
    QTest::newRow("ndjson BOM") << QByteArray("\xEF\xBB\xBF{\"a\" 1}\n{\"b\":2}") << F::Ndjson
                                << QByteArrayList{"0@1 ERROR line 1, column 6: expected ':' after a key",
                                                  R"(1@2 {"b":2})"};
    QTest::newRow("ndjson non-objects")
            << QByteArray("{\"a\":1}\n[1,2]\n\"s\"\nnull\n  42\ntrue\n") << F::Ndjson
            << QByteArrayList{R"(0@1 {"a":1})",
                              "1@2 ERROR line 2, column 1: message 1 is an array, not a JSON object",
                              "2@3 ERROR line 3, column 1: message 2 is a string, not a JSON object",
                              "3@4 ERROR line 4, column 1: message 3 is null, not a JSON object",
                              "4@5 ERROR line 5, column 3: message 4 is a number, not a JSON object",
                              "5@6 ERROR line 6, column 1: message 5 is a boolean, not a JSON object"};
    QTest::newRow("ndjson of strings")
            << QByteArray("\"a\"\n\"b\"\n") << F::Ndjson
            << QByteArrayList{"0@1 ERROR line 1, column 1: message 0 is a string, not a JSON object",
                              "1@2 ERROR line 2, column 1: message 1 is a string, not a JSON object"};
    QTest::newRow("ndjson broken first line")
            << QByteArray("{\"a\":\n{\"b\":2}\n") << F::Ndjson
            << QByteArrayList{"0@1 ERROR line 1, column 6: unexpected end of input", R"(1@2 {"b":2})"};
    QTest::newRow("ndjson unterminated first line")
            << QByteArray("{\"a\":\"x}\n{\"b\":2}") << F::Ndjson
            << QByteArrayList{"0@1 ERROR line 1, column 6: unterminated string", R"(1@2 {"b":2})"};
    QTest::newRow("two objects on one line")
            << QByteArray(R"({"a":1} {"b":2})") << F::Ndjson
            << QByteArrayList{"0@1 ERROR line 1, column 9: trailing content after the JSON value"};
    QTest::newRow("ndjson indented") << QByteArray("  {\"a\":1}\n\t{\"b\":2}") << F::Ndjson
                                     << QByteArrayList{R"(0@1 {"a":1})", R"(1@2 {"b":2})"};
    QTest::newRow("ndjson 1e400") << QByteArray("{\"a\":1}\n{\"amount\": 1e400}\n") << F::Ndjson
                                  << QByteArrayList{R"(0@1 {"a":1})",
                                                    R"(1@2 {"amount":Infinity} [W: line 2, column 12: number 1e400 )"
                                                            + infinity + "]"};
    QTest::newRow("ndjson invalid UTF-8")
            << QByteArray("{\"a\":1}\n{\"b\":\"\xff\"}\n{\"c\":3}") << F::Ndjson
            << QByteArrayList{R"(0@1 {"a":1})", "1@2 ERROR line 2, column 7: invalid UTF-8 byte 0xff",
                              R"(2@3 {"c":3})"};
    QTest::newRow("ndjson deep line") << QByteArray("{\"a\":1}\n{\"x\":" + QByteArray(100000, '[') + "\n{\"b\":2}")
                                      << F::Ndjson
                                      << QByteArrayList{
                                                 R"(0@1 {"a":1})",
                                                 "1@2 ERROR line 2, column 1005: nesting deeper than 1000 levels",
                                                 R"(2@3 {"b":2})"};
}

void TestMessageStream::forms()
{
    QFETCH(QByteArray, input);
    QFETCH(MessageStream::Format, format);
    QFETCH(QByteArrayList, expected);

    {
        MessageStream stream(input);
        QCOMPARE(collect(stream), expected);
        QCOMPARE(stream.format(), format);
    }
    for (const std::size_t chunk : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), std::size_t(64),
                                    MessageStream::DefaultChunkSize}) {
        QBuffer buffer(&input);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        MessageStream stream(&buffer, chunk);
        QCOMPARE(collect(stream), expected);
        QCOMPARE(stream.format(), format);
    }
    TrickleDevice trickle(input, 5);
    MessageStream stream(&trickle, 4);
    QCOMPARE(collect(stream), expected);

    // Deferred conversion: the same messages, errors and warnings. NDJSON objects come as tapes.
    for (const std::size_t chunk : {std::size_t(3), MessageStream::DefaultChunkSize}) {
        QBuffer buffer(&input);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        MessageStream deferredStream(&buffer, chunk);
        int deferred = 0;
        QCOMPARE(collect(deferredStream, MessageStream::Conversion::Deferred, &deferred), expected);
        if (format != MessageStream::Format::Ndjson)
            QCOMPARE(deferred, 0);
        else if (input.contains("{\"type\""))
            QVERIFY(deferred > 0);
    }
}

void TestMessageStream::chunkBoundaries()
{
    // Lines of every length from empty to longer than several chunks, LF and CRLF, some blank.
    QByteArray input;
    QByteArrayList expected;
    int line = 0;
    std::size_t index = 0;
    for (int length = 0; length < 150; ++length) {
        ++line;
        if (length % 11 == 5) {
            input += QByteArray(length % 4, ' ') + (length % 2 ? "\r\n" : "\n");
            continue;
        }
        const QByteArray text(length, char('a' + length % 26));
        const QByteArray json = R"({"n":)" + QByteArray::number(length) + R"(,"s":")" + text + "\"}";
        input += json + (length % 3 ? "\n" : "\r\n");
        expected << QByteArray::number(qulonglong(index++)) + "@" + QByteArray::number(line) + " " + json;
    }
    input.chop(input.endsWith("\r\n") ? 2 : 1); // the last line without its line end

    for (std::size_t chunk = 1; chunk <= 90; ++chunk) {
        QBuffer buffer(&input);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        MessageStream stream(&buffer, chunk);
        const QByteArrayList items = collect(stream);
        QCOMPARE(stream.format(), MessageStream::Format::Ndjson);
        QCOMPARE(items.size(), expected.size());
        QCOMPARE(items, expected);
    }
    MessageStream stream(input);
    QCOMPARE(collect(stream), expected);
}

void TestMessageStream::formatBeforeReading()
{
    MessageStream stream(QByteArray("{\"a\":1}"));
    QCOMPARE(stream.format(), MessageStream::Format::Unknown);
    Arena arena;
    InputMessage m;
    QVERIFY(stream.next(m, arena));
    QCOMPARE(stream.format(), MessageStream::Format::Document);
    QVERIFY(!stream.next(m, arena));
}

void TestMessageStream::ndjsonValuesLiveInTheCallersArena()
{
    Arena arena;
    std::vector<Value> values;
    {
        QByteArray input = "{\"a\":\"first\"}\n{\"b\":[\"second\"]}\n";
        QBuffer buffer(&input);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        MessageStream stream(&buffer, 4);
        InputMessage m;
        while (stream.next(m, arena))
            values.push_back(m.value);
    }
    // Stream and input are gone; the values must still read correctly (ASan checks this).
    QCOMPARE(values.size(), std::size_t(2));
    std::string out;
    dumpTo(values[0], out);
    dumpTo(values[1], out);
    QCOMPARE(out, std::string(R"({"a":"first"}{"b":["second"]})"));
}

void TestMessageStream::documentValuesLiveUntilTheStreamIsGone()
{
    QByteArray input = "[{\"a\":\"first\"},\n{\"b\":[\"second\"]}]";
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    MessageStream stream(&buffer);
    Arena arena;
    InputMessage m;
    std::vector<Value> values;
    while (stream.next(m, arena)) {
        values.push_back(m.value);
        arena.reset();
    }
    std::string out;
    for (const Value &v : values)
        dumpTo(v, out);
    QCOMPARE(out, std::string(R"({"a":"first"}{"b":["second"]})"));
}

void TestMessageStream::hugeLine()
{
    const std::size_t size = 50 * 1024 * 1024;
    QByteArray input = "{\"a\":1}\n{\"big\":\"";
    input += QByteArray(qsizetype(size), 'x');
    input += "\"}\n{\"b\":2}\n";
    for (int i = 0; i < 100; ++i)
        input += "{\"c\":" + QByteArray::number(i) + "}\n";

    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    MessageStream stream(&buffer);
    Arena arena;
    InputMessage m;
    QVERIFY(stream.next(m, arena));
    QVERIFY(m.isValid());
    QVERIFY(stream.next(m, arena));
    QVERIFY2(m.isValid(), m.error.c_str());
    QCOMPARE(m.line, 2);
    QCOMPARE(m.value.get("big").toString().size(), size);
    QVERIFY(m.value.get("big").toString().find_first_not_of('x') == std::string_view::npos);
    arena.reset();
    std::size_t count = 2;
    while (stream.next(m, arena)) {
        QVERIFY(m.isValid());
        ++count;
        arena.reset();
        // After the huge line the buffers shrink back.
        QVERIFY2(stream.bufferCapacity() < 8u * 1024 * 1024, std::to_string(stream.bufferCapacity()).c_str());
    }
    QCOMPARE(count, std::size_t(103));

    // The same through memory input, and as a single document.
    MessageStream fromMemory(input);
    Arena arena2;
    std::size_t memoryCount = 0;
    while (fromMemory.next(m, arena2)) {
        QVERIFY(m.isValid());
        ++memoryCount;
        arena2.reset();
    }
    QCOMPARE(memoryCount, std::size_t(103));

    const QByteArray single = "{\"big\":\"" + QByteArray(qsizetype(size), 'y') + "\"}";
    MessageStream document(single);
    QVERIFY(document.next(m, arena2));
    QVERIFY(m.isValid());
    QCOMPARE(m.value.get("big").toString().size(), size);
    QVERIFY(!document.next(m, arena2));
}

void TestMessageStream::memoryStaysBounded()
{
    const int lines = 200000;
    GeneratorDevice device(lines);
    MessageStream stream(&device);
    Arena arena;
    InputMessage m;
    std::size_t count = 0;
    std::size_t maxCapacity = 0;
    while (stream.next(m, arena)) {
        if (!m.isValid())
            QFAIL(m.error.c_str());
        if (count % 1000 == 0 || count + 1 == std::size_t(lines)) {
            QCOMPARE(m.index, count);
            QCOMPARE(m.line, int(count) + 1);
            QCOMPARE(m.value.get("properties").get("n").toNumber(), double(count));
        }
        ++count;
        maxCapacity = std::max(maxCapacity, stream.bufferCapacity());
        arena.reset();
    }
    QCOMPARE(count, std::size_t(lines));
    QCOMPARE(stream.format(), MessageStream::Format::Ndjson);
    // Two 1 MiB chunks of line buffer plus the JSON reader's small buffers.
    QVERIFY2(maxCapacity < 3u * 1024 * 1024, std::to_string(maxCapacity).c_str());
}

void TestMessageStream::readErrors()
{
    {
        QBuffer closed;
        MessageStream stream(&closed);
        QCOMPARE(collect(stream),
                 QByteArrayList{"0@1 ERROR read error near line 1: the input is not open for reading"});
    }
    {
        FailingDevice device("{\"a\":1}\n{\"b\":2}\n{\"c\"");
        MessageStream stream(&device, 8);
        QCOMPARE(collect(stream), (QByteArrayList{R"(0@1 {"a":1})", R"(1@2 {"b":2})",
                                                  "2@3 ERROR line 3, column 5: unexpected end of input",
                                                  "3@4 ERROR read error near line 4: disk on fire"}));
    }
    {
        MessageStream stream(nullptr);
        QCOMPARE(collect(stream), QByteArrayList{});
    }
}

QTEST_GUILESS_MAIN(TestMessageStream)
#include "tst_messagestream.moc"
