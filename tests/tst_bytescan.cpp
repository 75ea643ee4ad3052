// The byte scans behind the request encoder and the Kissmetrics limit checks, against the plain
// byte-by-byte definitions: every byte value in every position of a block, and every length and
// match position around the 8- and 16-byte strides.

#include "bytescan.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace km;

namespace {

bool isUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_' || c == '~';
}

} // namespace

class TestByteScan : public QObject
{
    Q_OBJECT

private slots:
    void reservedMaskMatchesTheDefinition();
    void blockMasksMatchTheDefinition();
    void containsEitherMatchesTheDefinition();
    void digestPaddedIgnoresThePadding();
};

void TestByteScan::reservedMaskMatchesTheDefinition()
{
    for (int value = 0; value < 256; ++value) {
        for (int position = 0; position < 16; ++position) {
            unsigned char block[16];
            for (int i = 0; i < 16; ++i)
                block[i] = static_cast<unsigned char>('a' + i);
            block[position] = static_cast<unsigned char>(value);
            const unsigned expected = isUnreserved(static_cast<unsigned char>(value)) ? 0u : 1u << position;
            QCOMPARE(bytescan::reservedMask16(block), expected);
        }
    }
}

void TestByteScan::blockMasksMatchTheDefinition()
{
    // 256 blocks: block v holds byte v in position v % 16; every other byte of every block is
    // also varied, and each block's marks clear a different pattern of bits.
    std::vector<unsigned char> bytes(256 * 16);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<unsigned char>(i * 7 + i / 16);
    for (std::size_t v = 0; v < 256; ++v)
        bytes[v * 16 + v % 16] = static_cast<unsigned char>(v);
    std::vector<std::uint16_t> expected(256);
    std::vector<std::uint16_t> initial(256);
    for (std::size_t b = 0; b < 256; ++b) {
        initial[b] = static_cast<std::uint16_t>(b * 0x9E37u);
        unsigned mask = 0;
        for (int i = 0; i < 16; ++i)
            if (!isUnreserved(bytes[b * 16 + static_cast<std::size_t>(i)]))
                mask |= 1u << i;
        expected[b] = static_cast<std::uint16_t>(mask & ~static_cast<unsigned>(initial[b]));
    }
    std::vector<std::uint16_t> marks = initial;
    bytescan::reservedMasksSse2(bytes.data(), 256, marks.data());
    QVERIFY(marks == expected);
    marks = initial;
    if (bytescan::reservedMasksSsse3(bytes.data(), 256, marks.data()))
        QVERIFY(marks == expected);
    else
        qInfo("no SSSE3 here: only the SSE2 kernel was checked");
    // An odd count: the AVX2 kernel takes pairs of blocks and leaves the last one to SSSE3.
    for (std::size_t blocks : {std::size_t(256), std::size_t(255), std::size_t(1)}) {
        marks = initial;
        if (!bytescan::reservedMasksAvx2(bytes.data(), blocks, marks.data())) {
            qInfo("no AVX2 here: its kernel was not checked");
            break;
        }
        QVERIFY(std::equal(marks.begin(), marks.begin() + static_cast<std::ptrdiff_t>(blocks), expected.begin()));
        QVERIFY(std::equal(marks.begin() + static_cast<std::ptrdiff_t>(blocks), marks.end(),
                           initial.begin() + static_cast<std::ptrdiff_t>(blocks)));
    }
    marks = initial;
    bytescan::reservedMasks(bytes.data(), 256, marks.data());
    QVERIFY(marks == expected);
}

void TestByteScan::containsEitherMatchesTheDefinition()
{
    for (std::size_t length = 0; length <= 40; ++length) {
        const std::string plain(length, 'k');
        QVERIFY(!bytescan::containsEither(plain.data(), plain.size(), ',', ':'));
        for (std::size_t at = 0; at < length; ++at) {
            for (char c : {',', ':'}) {
                std::string text = plain;
                text[at] = c;
                QVERIFY2(bytescan::containsEither(text.data(), text.size(), ',', ':'),
                         qPrintable(QStringLiteral("length %1, '%2' at %3").arg(length).arg(QLatin1Char(c)).arg(at)));
                // A match just past the end does not count.
                QVERIFY(!bytescan::containsEither(text.data(), at, ',', ':'));
            }
        }
    }
    // Bytes that differ from the pattern only in the high bit are no match.
    const std::string high(24, static_cast<char>(',' | 0x80));
    QVERIFY(!bytescan::containsEither(high.data(), high.size(), ',', ':'));
}

QTEST_APPLESS_MAIN(TestByteScan)
void TestByteScan::digestPaddedIgnoresThePadding()
{
    // Equal keys give equal hashes whatever follows them; punctuation as containsEither finds it.
    QRandomGenerator random(7);
    const char alphabet[] = "ab,:.zZ9 \xFF";
    std::size_t differing = 0, pairs = 0;
    for (int round = 0; round < 2000; ++round) {
        const std::size_t n = random.bounded(70u);
        std::string key;
        for (std::size_t i = 0; i < n; ++i)
            key += alphabet[random.bounded(static_cast<quint32>(sizeof alphabet - 1))];
        std::string zeros = key + std::string(16, '\0');
        std::string noise = key;
        for (int i = 0; i < 16; ++i)
            noise += static_cast<char>(random.bounded(256u));
        const bytescan::KeyDigest a = bytescan::digestPadded(zeros.data(), n);
        const bytescan::KeyDigest b = bytescan::digestPadded(noise.data(), n);
        QCOMPARE(a.hash, b.hash);
        QCOMPARE(a.hasPunctuation, bytescan::containsEither(key.data(), n, ',', ':'));
        QCOMPARE(b.hasPunctuation, a.hasPunctuation);
        // A key and the same key one byte longer (a zero byte: what the padding reads as).
        std::string longer = key + '\0' + std::string(16, '\0');
        ++pairs;
        differing += bytescan::digestPadded(longer.data(), n + 1).hash != a.hash;
    }
    QCOMPARE(differing, pairs);
}

#include "tst_bytescan.moc"
