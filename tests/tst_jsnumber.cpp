#include "jsnumber.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

// Expected values are what Node 20 prints/returns for the same input.

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Exact equality that also tells -0 from +0 and accepts NaN == NaN.
bool sameNumber(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::memcmp(&a, &b, sizeof a) == 0;
}

QByteArray describe(double got, double want)
{
    return "got " + QByteArray::fromStdString(km::js::numberToString(got)) + (std::signbit(got) ? " (neg)" : "")
           + ", want " + QByteArray::fromStdString(km::js::numberToString(want)) + (std::signbit(want) ? " (neg)" : "");
}

std::string_view view(const QByteArray &b)
{
    return {b.constData(), static_cast<std::size_t>(b.size())};
}

} // namespace

class TestJsNumber : public QObject
{
    Q_OBJECT

private slots:
    void numberToString_data();
    void numberToString();
    void appendNumber();
    void stringToNumber_data();
    void stringToNumber();
    void parseFloat_data();
    void parseFloat();
    void parseInt10_data();
    void parseInt10();
    void trim_data();
    void trim();
};

void TestJsNumber::numberToString_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("price") << 19.99 << QByteArray("19.99");
    QTest::newRow("integral double") << 10.0 << QByteArray("10");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("NaN") << kNaN << QByteArray("NaN");
    QTest::newRow("Infinity") << kInf << QByteArray("Infinity");
    QTest::newRow("-Infinity") << -kInf << QByteArray("-Infinity");
    QTest::newRow("1e-6 stays plain") << 0.000001 << QByteArray("0.000001");
    QTest::newRow("1.5e-6 stays plain") << 0.0000015 << QByteArray("0.0000015");
    QTest::newRow("negative small plain") << -0.0000015 << QByteArray("-0.0000015");
    QTest::newRow("1e-7 is exponent") << 1e-7 << QByteArray("1e-7");
    QTest::newRow("-1e-7") << -1e-7 << QByteArray("-1e-7");
    QTest::newRow("1.5e-7") << 1.5e-7 << QByteArray("1.5e-7");
    QTest::newRow("5e-7") << 5e-7 << QByteArray("5e-7");
    QTest::newRow("-1.5e-10") << -1.5e-10 << QByteArray("-1.5e-10");
    QTest::newRow("123e-20") << 123e-20 << QByteArray("1.23e-18");
    QTest::newRow("0.1+0.2") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("one third") << 1.0 / 3 << QByteArray("0.3333333333333333");
    QTest::newRow("100/3") << 100.0 / 3 << QByteArray("33.333333333333336");
    QTest::newRow("4.35") << 4.35 << QByteArray("4.35");
    QTest::newRow("123456789.123") << 123456789.123 << QByteArray("123456789.123");
    QTest::newRow("2^53") << 9007199254740992.0 << QByteArray("9007199254740992");
    QTest::newRow("2^53+2") << 9007199254740994.0 << QByteArray("9007199254740994");
    QTest::newRow("18 digits round") << 123456789012345678.0 << QByteArray("123456789012345680");
    QTest::newRow("2^64") << 18446744073709551616.0 << QByteArray("18446744073709552000");
    QTest::newRow("20 digits") << 12345678901234567890.0 << QByteArray("12345678901234567000");
    QTest::newRow("1e16") << 1e16 << QByteArray("10000000000000000");
    QTest::newRow("1e20") << 1e20 << QByteArray("100000000000000000000");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("1.1e21") << 1.1e21 << QByteArray("1.1e+21");
    QTest::newRow("-1e21") << -1e21 << QByteArray("-1e+21");
    QTest::newRow("98765.4321e10") << 98765.4321e10 << QByteArray("987654321000000");
    QTest::newRow("min denormal") << 5e-324 << QByteArray("5e-324");
    QTest::newRow("max double") << 1.7976931348623157e308 << QByteArray("1.7976931348623157e+308");
    QTest::newRow("negative integer") << -42.0 << QByteArray("-42");
    QTest::newRow("half") << 0.5 << QByteArray("0.5");
}

void TestJsNumber::numberToString()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(QByteArray::fromStdString(km::js::numberToString(value)), expected);

    char buffer[km::js::kNumberBufferSize];
    const std::size_t length = km::js::formatNumber(buffer, value);
    QCOMPARE(QByteArray(buffer, static_cast<qsizetype>(length)), expected);
}

void TestJsNumber::appendNumber()
{
    std::string out = "x=";
    km::js::appendNumber(out, 1e21);
    out += ',';
    km::js::appendNumber(out, -0.5);
    QCOMPARE(out, std::string("x=1e+21,-0.5"));
}

void TestJsNumber::stringToNumber_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<double>("expected");

    QTest::newRow("empty") << QByteArray("") << 0.0;
    QTest::newRow("only spaces") << QByteArray(" \t\n") << 0.0;
    QTest::newRow("integer") << QByteArray("42") << 42.0;
    QTest::newRow("padded") << QByteArray("  12.5 \r\n") << 12.5;
    QTest::newRow("nbsp, line separator, BOM") << QByteArray("\xc2\xa0\xe2\x80\xa8 7 \xef\xbb\xbf") << 7.0;
    QTest::newRow("ideographic space") << QByteArray("\xe3\x80\x80"
                                                     "8")
                                       << 8.0;
    QTest::newRow("U+180E is no space") << QByteArray("\xe1\xa0\x8e"
                                                      "8")
                                        << kNaN;
    QTest::newRow("leading zeros") << QByteArray("00012") << 12.0;
    QTest::newRow("plus") << QByteArray("+3") << 3.0;
    QTest::newRow("minus zero") << QByteArray("-0") << -0.0;
    QTest::newRow("leading dot") << QByteArray(".5") << 0.5;
    QTest::newRow("trailing dot") << QByteArray("5.") << 5.0;
    QTest::newRow("exponent") << QByteArray("1e3") << 1000.0;
    QTest::newRow("signed exponent") << QByteArray("-.5E-1") << -0.05;
    QTest::newRow("dangling exponent") << QByteArray("1e") << kNaN;
    QTest::newRow("lone dot") << QByteArray(".") << kNaN;
    QTest::newRow("lone sign") << QByteArray("+") << kNaN;
    QTest::newRow("thousands separator") << QByteArray("1,000") << kNaN;
    QTest::newRow("unit suffix") << QByteArray("12px") << kNaN;
    QTest::newRow("inner space") << QByteArray("1 2") << kNaN;
    QTest::newRow("hex") << QByteArray("0x1F") << 31.0;
    QTest::newRow("hex upper prefix") << QByteArray("0X1f") << 31.0;
    QTest::newRow("binary") << QByteArray("0b101") << 5.0;
    QTest::newRow("octal") << QByteArray("0o17") << 15.0;
    QTest::newRow("signed hex") << QByteArray("-0x10") << kNaN;
    QTest::newRow("empty hex") << QByteArray("0x") << kNaN;
    QTest::newRow("bad hex digit") << QByteArray("0x1g") << kNaN;
    QTest::newRow("bad binary digit") << QByteArray("0b102") << kNaN;
    QTest::newRow("hex 2^53+1 ties to even") << QByteArray("0x20000000000001") << 9007199254740992.0;
    QTest::newRow("hex 2^53+3 ties to even") << QByteArray("0x20000000000003") << 9007199254740996.0;
    QTest::newRow("hex sticky bits round up") << QByteArray("0x20000000000001000000001") << 6.189700196426903e+26;
    QTest::newRow("long hex") << QByteArray("0x1fffffffffffffff") << 2305843009213694000.0;
    QTest::newRow("huge hex") << QByteArray("0x" + QByteArray(300, 'f')) << kInf;
    QTest::newRow("Infinity") << QByteArray("Infinity") << kInf;
    QTest::newRow("+Infinity") << QByteArray("+Infinity") << kInf;
    QTest::newRow("-Infinity") << QByteArray(" -Infinity ") << -kInf;
    QTest::newRow("lower-case infinity") << QByteArray("infinity") << kNaN;
    QTest::newRow("inf") << QByteArray("inf") << kNaN;
    QTest::newRow("NaN text") << QByteArray("NaN") << kNaN;
    QTest::newRow("overflow") << QByteArray("1e400") << kInf;
    QTest::newRow("negative overflow") << QByteArray("-1e400") << -kInf;
    QTest::newRow("underflow") << QByteArray("1e-400") << 0.0;
    QTest::newRow("huge exponent") << QByteArray("1e999999999999999999") << kInf;
    QTest::newRow("huge negative exponent") << QByteArray("0.1e-999999999999999") << 0.0;
    QTest::newRow("rounds to min denormal") << QByteArray("2.4703282292062328e-324") << 5e-324;
    QTest::newRow("rounds to zero") << QByteArray("2.4703282292062327e-324") << 0.0;
    QTest::newRow("400 digits") << QByteArray("1" + QByteArray(400, '0')) << kInf;
    QTest::newRow("NUL inside") << QByteArray("1\0"
                                              "2",
                                              3)
                                << kNaN;
}

void TestJsNumber::stringToNumber()
{
    QFETCH(QByteArray, input);
    QFETCH(double, expected);
    const double got = km::js::stringToNumber(view(input));
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsNumber::parseFloat_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<double>("expected");

    QTest::newRow("thousands separator") << QByteArray("1,000.50") << 1.0;
    QTest::newRow("suffix") << QByteArray("9.99abc") << 9.99;
    QTest::newRow("no number") << QByteArray("abc") << kNaN;
    QTest::newRow("empty") << QByteArray("") << kNaN;
    QTest::newRow("whitespace prefix") << QByteArray("\n\t\xc2\xa0 -12.5e2xyz") << -1250.0;
    QTest::newRow("dangling exponent") << QByteArray("1e") << 1.0;
    QTest::newRow("dangling signed exponent") << QByteArray("1e+") << 1.0;
    QTest::newRow("trailing dot exponent") << QByteArray("1.e2") << 100.0;
    QTest::newRow("dot exponent only") << QByteArray(".e1") << kNaN;
    QTest::newRow("negative fraction") << QByteArray("-.5") << -0.5;
    QTest::newRow("minus zero") << QByteArray("-0") << -0.0;
    QTest::newRow("hex is zero") << QByteArray("0x10") << 0.0;
    QTest::newRow("Infinity prefix") << QByteArray("Infinityx") << kInf;
    QTest::newRow("-Infinity") << QByteArray("-Infinity") << -kInf;
    QTest::newRow("two dots") << QByteArray("1.2.3") << 1.2;
    QTest::newRow("trailing space ok") << QByteArray("3.25 ") << 3.25;
    QTest::newRow("overflow") << QByteArray("1e400") << kInf;
    QTest::newRow("many digits") << QByteArray("123456789012345678901234567890") << 1.2345678901234568e+29;
}

void TestJsNumber::parseFloat()
{
    QFETCH(QByteArray, input);
    QFETCH(double, expected);
    const double got = km::js::parseFloat(view(input));
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsNumber::parseInt10_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<double>("expected");

    QTest::newRow("integer") << QByteArray("42") << 42.0;
    QTest::newRow("leading zeros") << QByteArray("0042") << 42.0;
    QTest::newRow("sign and suffix") << QByteArray(" -42px") << -42.0;
    QTest::newRow("plus") << QByteArray("+7") << 7.0;
    QTest::newRow("fraction dropped") << QByteArray("3.9") << 3.0;
    QTest::newRow("exponent not read") << QByteArray("1e3") << 1.0;
    QTest::newRow("hex prefix not read") << QByteArray("0x10") << 0.0;
    QTest::newRow("minus zero") << QByteArray("-0") << -0.0;
    QTest::newRow("no digits") << QByteArray("abc") << kNaN;
    QTest::newRow("empty") << QByteArray("") << kNaN;
    QTest::newRow("lone sign") << QByteArray("-") << kNaN;
    QTest::newRow("space after sign") << QByteArray("- 1") << kNaN;
    QTest::newRow("2^53+1 rounds to even") << QByteArray("9007199254740993") << 9007199254740992.0;
    QTest::newRow("30 digits") << QByteArray("123456789012345678901234567890") << 1.2345678901234568e+29;
    QTest::newRow("400 digits") << QByteArray("1" + QByteArray(400, '0')) << kInf;
}

void TestJsNumber::parseInt10()
{
    QFETCH(QByteArray, input);
    QFETCH(double, expected);
    const double got = km::js::parseInt10(view(input));
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsNumber::trim_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("trimmed");
    QTest::addColumn<QByteArray>("trimmedStart");

    QTest::newRow("ascii") << QByteArray(" \t a b \n") << QByteArray("a b") << QByteArray("a b \n");
    QTest::newRow("unicode spaces") << QByteArray("\xe2\x80\x80x\xe2\x80\xa9\xc2\xa0") << QByteArray("x")
                                    << QByteArray("x\xe2\x80\xa9\xc2\xa0");
    QTest::newRow("not a space: U+2010") << QByteArray("\xe2\x80\x90") << QByteArray("\xe2\x80\x90")
                                         << QByteArray("\xe2\x80\x90");
    QTest::newRow("all space") << QByteArray("\xef\xbb\xbf ") << QByteArray() << QByteArray();
    QTest::newRow("truncated sequence") << QByteArray("a\xe2\x80") << QByteArray("a\xe2\x80")
                                        << QByteArray("a\xe2\x80");
}

void TestJsNumber::trim()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, trimmed);
    QFETCH(QByteArray, trimmedStart);
    const std::string_view t = km::js::trim(view(input));
    const std::string_view ts = km::js::trimStart(view(input));
    QCOMPARE(QByteArray(t.data(), static_cast<qsizetype>(t.size())), trimmed);
    QCOMPARE(QByteArray(ts.data(), static_cast<qsizetype>(ts.size())), trimmedStart);
}

QTEST_APPLESS_MAIN(TestJsNumber)
#include "tst_jsnumber.moc"
