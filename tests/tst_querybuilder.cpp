// qs::QueryBuilder against a byte-at-a-time encoder written from RFC 3986: every byte value, at
// every offset around the encoder's 16- and 32-byte steps, in keys and values pieced together.

#include "querystring.h"

#include <QRandomGenerator>
#include <QTest>

#include <cstring>
#include <string>

using namespace km;

namespace {

std::string referenceEncode(std::string_view text)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                                || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

} // namespace

class TestQueryBuilder : public QObject
{
    Q_OBJECT

private slots:
    void encodesEveryByteAtEveryOffset();
    void encodesPiecedPairs_data();
    void encodesPiecedPairs();
    void reusedBuilderStartsClean();
};

void TestQueryBuilder::encodesEveryByteAtEveryOffset()
{
    // One odd byte in a run of unreserved ones, at each position of texts up to 70 bytes long.
    qs::QueryBuilder query;
    for (int length = 1; length <= 70; ++length) {
        for (int at = 0; at < length; ++at) {
            for (int byte = 0; byte < 256; byte += (length > 40 ? 37 : 1)) {
                std::string text(static_cast<std::size_t>(length), 'a');
                text[static_cast<std::size_t>(at)] = static_cast<char>(byte);
                query.clear();
                query.append(text);
                std::string out;
                query.encodeTo(out);
                if (out != referenceEncode(text))
                    QFAIL(qPrintable(QStringLiteral("length %1, byte %2 at %3: %4")
                                             .arg(length)
                                             .arg(byte)
                                             .arg(at)
                                             .arg(QString::fromStdString(out))));
            }
        }
    }
}

void TestQueryBuilder::encodesPiecedPairs_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("pairs");
    QTest::addColumn<int>("maxPiece");
    QTest::newRow("few short pieces") << quint64(1) << 3 << 6;
    QTest::newRow("many short pieces") << quint64(2) << 40 << 9;
    QTest::newRow("long pieces") << quint64(3) << 12 << 90;
    QTest::newRow("past the first growth") << quint64(4) << 200 << 40;
}

void TestQueryBuilder::encodesPiecedPairs()
{
    // Random pairs, each key and value appended in pieces; '&' and '=' are kept only where the
    // builder put them, and escaped inside keys and values.
    QFETCH(quint64, seed);
    QFETCH(int, pairs);
    QFETCH(int, maxPiece);
    QRandomGenerator random(seed);
    static const char kAlphabet[] = "abcXYZ019-._~ &=%/:+,\xC3\xA9\x00\x7F\xFF";
    const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
    auto piece = [&]() {
        std::string s;
        const int n = static_cast<int>(random.bounded(maxPiece + 1));
        for (int i = 0; i < n; ++i)
            s += alphabet[random.bounded(static_cast<quint32>(alphabet.size()))];
        return s;
    };
    for (int round = 0; round < 50; ++round) {
        qs::QueryBuilder query;
        std::string expected;
        for (int p = 0; p < pairs; ++p) {
            if (p > 0)
                expected += '&';
            // Each way of writing a pair the builder offers.
            switch (random.bounded(3)) {
            case 0: {
                query.beginPair();
                for (int k = static_cast<int>(random.bounded(3)); k >= 0; --k) {
                    const std::string s = piece();
                    query.append(s);
                    expected += referenceEncode(s);
                }
                query.equals();
                break;
            }
            case 1: {
                const std::string prefix = piece(), key = piece();
                const std::size_t start = query.beginKey(prefix, key);
                QCOMPARE(query.raw(start, query.size()), std::string_view(prefix + key));
                query.equals();
                expected += referenceEncode(prefix + key);
                break;
            }
            default: {
                const std::string key = piece(), value = piece();
                query.appendPair(key, value);
                expected += referenceEncode(key) + '=' + referenceEncode(value);
                continue;
            }
            }
            expected += '=';
            const std::string v = piece();
            if (random.bounded(2)) {
                query.append(v);
            } else {
                query.appendWith(v.size() + 8, [&](char *at) {
                    std::memcpy(at, v.data(), v.size());
                    return v.size();
                });
            }
            expected += referenceEncode(v);
        }
        std::string out = "before:";
        query.encodeTo(out);
        QCOMPARE(QString::fromStdString(out), QString::fromStdString("before:" + expected));
    }
}

void TestQueryBuilder::reusedBuilderStartsClean()
{
    // Separator marks of a long query must not leak into a later, shorter one.
    qs::QueryBuilder query;
    for (int i = 0; i < 30; ++i) {
        query.beginPair();
        query.append("k");
        query.equals();
        query.append("v");
    }
    std::string first;
    query.encodeTo(first);
    query.clear();
    query.append(std::string(64, '&'));
    std::string second;
    query.encodeTo(second);
    QCOMPARE(QString::fromStdString(second), QString::fromStdString(referenceEncode(std::string(64, '&'))));
}

QTEST_GUILESS_MAIN(TestQueryBuilder)
#include "tst_querybuilder.moc"
