#include "jsdate.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

// Expected values are what Node 20 gives with TZ=UTC; nothing here reads the machine's zone.

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool sameNumber(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::memcmp(&a, &b, sizeof a) == 0;
}

QByteArray describe(double got, double want)
{
    return "got " + QByteArray::number(got, 'f', 1) + " (" + QByteArray::fromStdString(km::js::dateToIsoString(got))
           + "), want " + QByteArray::number(want, 'f', 1) + " ("
           + QByteArray::fromStdString(km::js::dateToIsoString(want)) + ")";
}

std::string_view view(const QByteArray &b)
{
    return {b.constData(), static_cast<std::size_t>(b.size())};
}

} // namespace

class TestJsDate : public QObject
{
    Q_OBJECT

private slots:
    void makeUtc_data();
    void makeUtc();
    void timeClip_data();
    void timeClip();
    void formatting_data();
    void formatting();
    void appendIso();
    void dateFields();
    void parseDate_data();
    void parseDate();
    void isoDate_data();
    void isoDate();
    void strictIsoDateMatchesTheGeneralParse();
};

void TestJsDate::makeUtc_data()
{
    QTest::addColumn<QList<double>>("args"); // year, month0, day, hours, minutes, seconds, ms
    QTest::addColumn<double>("expected");

    QTest::newRow("year month") << QList<double>{2014, 0} << 1388534400000.0;
    QTest::newRow("month 12 is next January") << QList<double>{2014, 12} << 1420070400000.0;
    QTest::newRow("month -1 is previous December") << QList<double>{2014, -1} << 1385856000000.0;
    QTest::newRow("day 0 is last of previous month") << QList<double>{2014, 0, 0} << 1388448000000.0;
    QTest::newRow("hour 25") << QList<double>{2014, 0, 1, 25} << 1388624400000.0;
    QTest::newRow("minute 99") << QList<double>{2014, 0, 1, 0, 99} << 1388540340000.0;
    QTest::newRow("ms -1") << QList<double>{2014, 0, 1, 0, 0, 0, -1} << 1388534399999.0;
    QTest::newRow("fractions truncate") << QList<double>{2014.9, 0.9, 1.9, 0.5, 0.5, 0.5, 0.5} << 1388534400000.0;
    QTest::newRow("year 99 is 1999") << QList<double>{99, 0} << 915148800000.0;
    QTest::newRow("year 100 stays") << QList<double>{100, 0} << -59011459200000.0;
    QTest::newRow("year 0 is 1900") << QList<double>{0, 0} << -2208988800000.0;
    QTest::newRow("year -0.5 is 1900") << QList<double>{-0.5, 0} << -2208988800000.0;
    QTest::newRow("year -1") << QList<double>{-1, 0} << -62198755200000.0;
    QTest::newRow("max time") << QList<double>{275760, 8, 13} << 8.64e15;
    QTest::newRow("past max time") << QList<double>{275760, 8, 13, 0, 0, 0, 1} << kNaN;
    QTest::newRow("min time") << QList<double>{-271821, 3, 20} << -8.64e15;
    QTest::newRow("before min time") << QList<double>{-271821, 3, 19, 23, 59, 59, 999} << kNaN;
    QTest::newRow("V8 year limit") << QList<double>{1000001, 0, -365000000} << kNaN;
    QTest::newRow("inside V8 year limit") << QList<double>{1000000, 0, -365000000} << -41215305600000.0;
    QTest::newRow("huge ms") << QList<double>{2014, 0, 1, 0, 0, 0, 1e20} << kNaN;
    QTest::newRow("NaN year") << QList<double>{kNaN, 0} << kNaN;
    QTest::newRow("NaN ms") << QList<double>{2014, 0, 1, 0, 0, 0, kNaN} << kNaN;
    QTest::newRow("infinite day") << QList<double>{2014, 0, kInf} << kNaN;
}

void TestJsDate::makeUtc()
{
    QFETCH(QList<double>, args);
    QFETCH(double, expected);
    const double defaults[7] = {0, 0, 1, 0, 0, 0, 0};
    double a[7];
    for (int i = 0; i < 7; ++i)
        a[i] = i < args.size() ? args[i] : defaults[i];
    const double got = km::js::makeUtc(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsDate::timeClip_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("expected");

    QTest::newRow("integer") << 5.0 << 5.0;
    QTest::newRow("truncates up") << -1.9 << -1.0;
    QTest::newRow("negative zero") << -0.0 << 0.0;
    QTest::newRow("limit") << 8.64e15 << 8.64e15;
    QTest::newRow("past limit") << 8.64e15 + 1 << kNaN;
    QTest::newRow("infinity") << kInf << kNaN;
    QTest::newRow("NaN") << kNaN << kNaN;
}

void TestJsDate::timeClip()
{
    QFETCH(double, value);
    QFETCH(double, expected);
    const double got = km::js::timeClip(value);
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsDate::formatting_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<QByteArray>("iso");
    QTest::addColumn<QByteArray>("text");

    const QByteArray utc = " GMT+0000 (Coordinated Universal Time)";
    QTest::newRow("2014-01-02 03:04:05") << 1388631845000.0 << QByteArray("2014-01-02T03:04:05.000Z")
                                         << "Thu Jan 02 2014 03:04:05" + utc;
    QTest::newRow("2014-01-02 midnight") << 1388620800000.0 << QByteArray("2014-01-02T00:00:00.000Z")
                                         << "Thu Jan 02 2014 00:00:00" + utc;
    QTest::newRow("epoch") << 0.0 << QByteArray("1970-01-01T00:00:00.000Z") << "Thu Jan 01 1970 00:00:00" + utc;
    QTest::newRow("one ms before epoch") << -1.0 << QByteArray("1969-12-31T23:59:59.999Z")
                                         << "Wed Dec 31 1969 23:59:59" + utc;
    QTest::newRow("leap day") << 951782400000.0 << QByteArray("2000-02-29T00:00:00.000Z")
                              << "Tue Feb 29 2000 00:00:00" + utc;
    QTest::newRow("year -1") << -62198755200000.0 << QByteArray("-000001-01-01T00:00:00.000Z")
                             << "Fri Jan 01 -0001 00:00:00" + utc;
    QTest::newRow("end of year 0") << -62167219200001.0 << QByteArray("-000001-12-31T23:59:59.999Z")
                                   << "Fri Dec 31 -0001 23:59:59" + utc;
    QTest::newRow("year 10000") << 253402300800000.0 << QByteArray("+010000-01-01T00:00:00.000Z")
                                << "Sat Jan 01 10000 00:00:00" + utc;
    QTest::newRow("max") << 8.64e15 << QByteArray("+275760-09-13T00:00:00.000Z") << "Sat Sep 13 275760 00:00:00" + utc;
    QTest::newRow("min") << -8.64e15 << QByteArray("-271821-04-20T00:00:00.000Z")
                         << "Tue Apr 20 -271821 00:00:00" + utc;
    QTest::newRow("fraction truncated") << 1.9 << QByteArray("1970-01-01T00:00:00.001Z")
                                        << "Thu Jan 01 1970 00:00:00" + utc;
    QTest::newRow("negative fraction truncated")
            << -1.9 << QByteArray("1969-12-31T23:59:59.999Z") << "Wed Dec 31 1969 23:59:59" + utc;
    QTest::newRow("NaN") << kNaN << QByteArray("Invalid Date") << QByteArray("Invalid Date");
    QTest::newRow("out of range") << 8.64e15 + 1 << QByteArray("Invalid Date") << QByteArray("Invalid Date");
}

void TestJsDate::formatting()
{
    QFETCH(double, time);
    QFETCH(QByteArray, iso);
    QFETCH(QByteArray, text);
    QCOMPARE(QByteArray::fromStdString(km::js::dateToIsoString(time)), iso);
    QCOMPARE(QByteArray::fromStdString(km::js::dateToString(time)), text);
}

void TestJsDate::appendIso()
{
    std::string out = "at ";
    QVERIFY(km::js::appendDateIsoString(out, 1388631845123.0));
    QVERIFY(!km::js::appendDateIsoString(out, kNaN));
    QCOMPARE(out, std::string("at 2014-01-02T03:04:05.123Z"));
}

void TestJsDate::dateFields()
{
    const km::js::DateFields f = km::js::dateFields(1388631845123.0);
    QCOMPARE(f.year, 2014);
    QCOMPARE(f.month0, 0);
    QCOMPARE(f.day, 2);
    QCOMPARE(f.hours, 3);
    QCOMPARE(f.minutes, 4);
    QCOMPARE(f.seconds, 5);
    QCOMPARE(f.ms, 123);
    QCOMPARE(f.weekDay, 4);
}

void TestJsDate::parseDate_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<double>("expected");

    QTest::newRow("ISO year only") << QByteArray("2014") << 1388534400000.0;
    QTest::newRow("ISO year-month") << QByteArray("2014-01") << 1388534400000.0;
    QTest::newRow("ISO date is UTC") << QByteArray("2014-01-02") << 1388620800000.0;
    QTest::newRow("extended year") << QByteArray("+002014-01-02") << 1388620800000.0;
    QTest::newRow("negative extended year") << QByteArray("-000001-01-01T00:00:00Z") << -62198755200000.0;
    QTest::newRow("minus zero year") << QByteArray("-000000-01-01") << 978307200000.0;
    QTest::newRow("ISO without seconds is local") << QByteArray("2014-01-01T10:00") << 1388570400000.0;
    QTest::newRow("ISO seconds") << QByteArray("2014-01-01T10:00:30") << 1388570430000.0;
    QTest::newRow("one fraction digit") << QByteArray("2014-01-01T10:00:30.5Z") << 1388570430500.0;
    QTest::newRow("fraction truncated") << QByteArray("2014-01-01T10:00:30.123456789Z") << 1388570430123.0;
    QTest::newRow("four fraction digits") << QByteArray("2014-01-01T10:00:30.1239Z") << 1388570430123.0;
    QTest::newRow("offset") << QByteArray("2020-01-24T11:59:02.402+05:30") << 1579847342402.0;
    QTest::newRow("hhmm offset") << QByteArray("2014-01-01T10:00:00-0800") << 1388599200000.0;
    QTest::newRow("lower-case t and z") << QByteArray("2014-01-01t10:00z") << 1388570400000.0;
    QTest::newRow("24:00 is next midnight") << QByteArray("2014-01-01T24:00") << 1388620800000.0;
    QTest::newRow("24:00:01") << QByteArray("2014-01-01T24:00:01") << kNaN;
    QTest::newRow("hour 25") << QByteArray("2014-01-01T25:00") << kNaN;
    QTest::newRow("month 13") << QByteArray("2014-13-01") << kNaN;
    QTest::newRow("Feb 31 rolls") << QByteArray("2014-02-31") << 1393804800000.0;
    QTest::newRow("day 32") << QByteArray("2014-01-32") << kNaN;
    QTest::newRow("hour without minutes") << QByteArray("2014-01-01T10") << kNaN;
    QTest::newRow("minute 60") << QByteArray("2014-01-01T10:60") << kNaN;
    QTest::newRow("offset hours only") << QByteArray("2014-01-01T10:00+05") << kNaN;
    QTest::newRow("trailing junk after ISO time") << QByteArray("2014-01-01T10:00Zjunk") << kNaN;
    QTest::newRow("space separator is legacy local") << QByteArray("2014-01-01 10:00") << 1388570400000.0;
    QTest::newRow("legacy with offset") << QByteArray("2014-01-01 10:00 +05:30") << 1388550600000.0;
    QTest::newRow("trailing space") << QByteArray("2014-01-01 ") << 1388534400000.0;
    QTest::newRow("month name first") << QByteArray("Jan 1 2014") << 1388534400000.0;
    QTest::newRow("long month, comma") << QByteArray("January 1, 2014 10:00:00") << 1388570400000.0;
    QTest::newRow("day first") << QByteArray("1 Jan 2014") << 1388534400000.0;
    QTest::newRow("month year") << QByteArray("Jan 2014") << 1388534400000.0;
    QTest::newRow("no year is 2001") << QByteArray("Jan 1") << 978307200000.0;
    QTest::newRow("RFC 1123") << QByteArray("Wed, 01 Jan 2014 00:00:00 GMT") << 1388534400000.0;
    QTest::newRow("RFC 2822 offset") << QByteArray("Wed, 01 Jan 2014 10:00:00 +0530") << 1388550600000.0;
    QTest::newRow("UT") << QByteArray("01 Jan 2014 10:00:00 UT") << 1388570400000.0;
    QTest::newRow("Z word") << QByteArray("01 Jan 2014 10:00:00 Z") << 1388570400000.0;
    QTest::newRow("US zone") << QByteArray("Jan 1 2014 10:00 EST") << 1388588400000.0;
    QTest::newRow("PDT") << QByteArray("Jan 1 2014 10:00 PDT") << 1388595600000.0;
    QTest::newRow("GMT-8") << QByteArray("Jan 1 2014 10:00 GMT-8") << 1388599200000.0;
    QTest::newRow("GMT+05:30") << QByteArray("Jan 1 2014 10:00 GMT+05:30") << 1388550600000.0;
    QTest::newRow("Date toString") << QByteArray("Thu Jan 02 2014 00:00:00 GMT+0000 (Coordinated Universal Time)")
                                   << 1388620800000.0;
    QTest::newRow("toString other zone") << QByteArray(
            "Thu Jan 02 2014 01:00:00 GMT+0100 (Central European Standard Time)")
                                         << 1388620800000.0;
    QTest::newRow("M/D/Y") << QByteArray("1/2/2014") << 1388620800000.0;
    QTest::newRow("two-digit year 14") << QByteArray("1/2/14") << 1388620800000.0;
    QTest::newRow("two-digit year 70") << QByteArray("1/2/70") << 86400000.0;
    QTest::newRow("Y/M/D") << QByteArray("2014/01/02") << 1388620800000.0;
    QTest::newRow("Y/M/D time") << QByteArray("2014/01/02 10:00:00") << 1388656800000.0;
    QTest::newRow("month 13 legacy") << QByteArray("13/1/2014") << kNaN;
    QTest::newRow("pm") << QByteArray("Jan 1 2014 1:00 pm") << 1388581200000.0;
    QTest::newRow("12 am") << QByteArray("Jan 1 2014 12:00 am") << 1388534400000.0;
    QTest::newRow("13 pm") << QByteArray("Jan 1 2014 13:00 pm") << kNaN;
    QTest::newRow("legacy ms") << QByteArray("Jan 1 2014 10:00:00.250") << 1388570400250.0;
    QTest::newRow("bare number") << QByteArray("1388534400") << kNaN;
    QTest::newRow("bare month") << QByteArray("12") << 1007164800000.0;
    QTest::newRow("bare 32") << QByteArray("32") << 1956528000000.0;
    QTest::newRow("empty") << QByteArray("") << kNaN;
    QTest::newRow("garbage") << QByteArray("foo") << kNaN;
    QTest::newRow("garbage word before number") << QByteArray("foo 2014") << 1388534400000.0;
    QTest::newRow("garbage after number") << QByteArray("2014 foo") << kNaN;
    QTest::newRow("month prefix") << QByteArray("Janx 1 2014") << 1388534400000.0;
    QTest::newRow("parentheses") << QByteArray("Jan 1 2014 (comment (nested)) 10:00") << 1388570400000.0;
    QTest::newRow("stray paren") << QByteArray("Jan 1 2014 10:00 GMT)") << kNaN;
    QTest::newRow("NUL ends input") << QByteArray("2014-01-01\0"
                                                  "junk",
                                                  15)
                                    << 1388534400000.0;
    QTest::newRow("no-break spaces are spaces") << QByteArray("1\xc2\xa0"
                                                              "2\xe3\x80\x80"
                                                              "2014")
                                                << 1388620800000.0;
    QTest::newRow("line separator is a word") << QByteArray("1\xe2\x80\xa8"
                                                            "2 2014")
                                              << kNaN;
    QTest::newRow("cookie date") << QByteArray("Sat, 01-Jan-2000 08:00:00 GMT") << 946713600000.0;
    QTest::newRow("max date") << QByteArray("+275760-09-13T00:00:00.000Z") << 8640000000000000.0;
    QTest::newRow("beyond max") << QByteArray("+275760-09-13T00:00:00.001Z") << kNaN;
    QTest::newRow("min date") << QByteArray("-271821-04-20T00:00:00.000Z") << -8640000000000000.0;
    QTest::newRow("offset hour 24") << QByteArray("2014-01-01T10:00:00.000+24:00") << kNaN;
    QTest::newRow("garbage after zone") << QByteArray("Jan 1 2014 10:00 GMT+0530 garbage") << kNaN;
}

void TestJsDate::parseDate()
{
    QFETCH(QByteArray, input);
    QFETCH(double, expected);
    const double got = km::js::parseDate(view(input));
    QVERIFY2(sameNumber(got, expected), describe(got, expected).constData());
}

void TestJsDate::isoDate_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("strict");
    QTest::addColumn<bool>("loose");
    QTest::addColumn<double>("truncated");   // parseIsoDate(IsoFraction::Truncate)
    QTest::addColumn<double>("wholeNumber"); // parseIsoDate(IsoFraction::WholeNumber)

    QTest::newRow("loose year") << QByteArray("2014") << false << true << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("compact date") << QByteArray("20140102") << false << true << 1388620800000.0 << 1388620800000.0;
    QTest::newRow("year-month") << QByteArray("2014-01") << false << true << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("date") << QByteArray("2014-01-02") << true << true << 1388620800000.0 << 1388620800000.0;
    QTest::newRow("month and day 00") << QByteArray("2014-00-00") << true << true << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("year 50 is 1950") << QByteArray("0050-01-01") << true << true << -631152000000.0 << -631152000000.0;
    QTest::newRow("year 0 is 1900") << QByteArray("0000-01-01") << true << true << -2208988800000.0 << -2208988800000.0;
    QTest::newRow("month 13 rolls") << QByteArray("2014-13-01") << true << true << 1420070400000.0 << 1420070400000.0;
    QTest::newRow("Feb 30 rolls") << QByteArray("2014-02-30") << true << true << 1393718400000.0 << 1393718400000.0;
    QTest::newRow("strict UTC") << QByteArray("2014-01-01T00:00:00Z") << true << true << 1388534400000.0
                                << 1388534400000.0;
    QTest::newRow("hour 25 minute 99 roll")
            << QByteArray("2014-01-01T25:99") << true << true << 1388630340000.0 << 1388630340000.0;
    QTest::newRow("no seconds") << QByteArray("2014-01-01T10:00") << true << true << 1388570400000.0 << 1388570400000.0;
    QTest::newRow("hhmm") << QByteArray("2014-01-01T1000") << true << true << 1388570400000.0 << 1388570400000.0;
    QTest::newRow("fraction 5") << QByteArray("2014-01-01T10:00:00.5Z") << true << true << 1388570400500.0
                                << 1388570400500.0;
    QTest::newRow("fraction 05") << QByteArray("2014-01-01T10:00:00.05Z") << true << true << 1388570400050.0
                                 << 1388570400500.0;
    QTest::newRow("fraction 050") << QByteArray("2014-01-01T10:00:00.050Z") << true << true << 1388570400050.0
                                  << 1388570400500.0;
    QTest::newRow("fraction 001") << QByteArray("2014-01-01T10:00:00.001Z") << true << true << 1388570400001.0
                                  << 1388570400100.0;
    QTest::newRow("fraction 0509") << QByteArray("2014-01-01T10:00:00.0509Z") << true << true << 1388570400050.0
                                   << 1388570400509.0;
    QTest::newRow("fraction 000") << QByteArray("2014-01-01T10:00:00.000Z") << true << true << 1388570400000.0
                                  << 1388570400000.0;
    QTest::newRow("comma fraction") << QByteArray("2014-01-01T10:00:00,25Z") << true << true << 1388570400250.0
                                    << 1388570400250.0;
    QTest::newRow("22-digit fraction") << QByteArray("2014-01-01T10:00:00.1234567890123456789012Z") << true << true
                                       << 1388570400123.0 << 1388570400001.0;
    QTest::newRow("21 nines") << QByteArray("2014-01-01T10:00:00.999999999999999999999Z") << true << true
                              << 1388570400999.0 << kNaN;
    QTest::newRow("21 digits below 1e21") << QByteArray("2014-01-01T10:00:00.123456789012345678901Z") << true << true
                                          << 1388570400123.0 << 1388570400123.0;
    QTest::newRow("offset +05:30") << QByteArray("2020-01-24T11:59:02.402+05:30") << true << true << 1579847342402.0
                                   << 1579847342402.0;
    QTest::newRow("offset -0800") << QByteArray("2014-01-01T10:00:00-0800") << true << true << 1388599200000.0
                                  << 1388599200000.0;
    QTest::newRow("offset hours only") << QByteArray("2014-01-01T10:00:00+05") << true << true << 1388552400000.0
                                       << 1388552400000.0;
    QTest::newRow("space ignores offset")
            << QByteArray("2014-01-01 10:00:00+05:30") << true << true << 1388570400000.0 << 1388570400000.0;
    QTest::newRow("space local") << QByteArray("2014-01-01 10:00") << true << true << 1388570400000.0
                                 << 1388570400000.0;
    QTest::newRow("leading space") << QByteArray(" 2014-01-01") << false << false << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("trailing x") << QByteArray("2014-01-01x") << false << false << kNaN << kNaN;
    QTest::newRow("hour only") << QByteArray("2014-01-01T10") << false << false << kNaN << kNaN;
    QTest::newRow("trailing newline") << QByteArray("2014-01-01\n") << false << false << 1388534400000.0
                                      << 1388534400000.0;
    QTest::newRow("one-digit month") << QByteArray("2014-1-01") << false << false << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("compact year-month") << QByteArray("201401") << false << true << 1388534400000.0 << 1388534400000.0;
    QTest::newRow("dot without digits") << QByteArray("2014-01-01T10:00:00.Z") << false << false << kNaN << kNaN;
    QTest::newRow("not iso falls back") << QByteArray("Jan 1 2014") << false << false << 1388534400000.0
                                        << 1388534400000.0;
    QTest::newRow("garbage") << QByteArray("garbage") << false << false << kNaN << kNaN;
    QTest::newRow("lower-case t") << QByteArray("2014-01-01t10:00") << false << false << 1388570400000.0
                                  << 1388570400000.0;
    QTest::newRow("lower-case z") << QByteArray("2014-01-01T10:00z") << false << false << 1388570400000.0
                                  << 1388570400000.0;
}

void TestJsDate::isoDate()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, strict);
    QFETCH(bool, loose);
    QFETCH(double, truncated);
    QFETCH(double, wholeNumber);
    QCOMPARE(km::js::isIsoDate(view(input), km::js::IsoStrictness::Strict), strict);
    QCOMPARE(km::js::isIsoDate(view(input), km::js::IsoStrictness::Loose), loose);
    double got = km::js::parseIsoDate(view(input), km::js::IsoFraction::Truncate);
    QVERIFY2(sameNumber(got, truncated), ("truncate: " + describe(got, truncated)).constData());
    got = km::js::parseIsoDate(view(input), km::js::IsoFraction::WholeNumber);
    QVERIFY2(sameNumber(got, wholeNumber), ("whole number: " + describe(got, wholeNumber)).constData());
}

// parseStrictIsoDate takes a shortcut for the common "YYYY-MM-DDTHH:MM:SS.fffZ" form: on many
// texts near that form (field values out of range, two-digit years, "00" fields, long and zero
// fractions, other separators) it must say what isIsoDate + parseIsoDate say.
void TestJsDate::strictIsoDateMatchesTheGeneralParse()
{
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&](unsigned bound) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return static_cast<unsigned>(state % bound);
    };
    auto digits = [&](unsigned value, int width) {
        std::string text = std::to_string(value);
        while (static_cast<int>(text.size()) < width)
            text.insert(text.begin(), '0');
        return text;
    };
    int canonical = 0;
    for (int n = 0; n < 50000; ++n) {
        std::string s = digits(next(3) == 0 ? next(200) : 1900 + next(200), 4) + "-" + digits(next(14), 2) + "-"
                        + digits(next(33), 2) + "T" + digits(next(26), 2) + ":" + digits(next(62), 2) + ":"
                        + digits(next(62), 2);
        const unsigned form = next(6);
        if (form == 1) {
            s += '.';
            s += digits(next(1000), 3);
        } else if (form == 2) {
            s += ',';
            s.append(1 + next(20), static_cast<char>('0' + next(10)));
            s += digits(next(100), 2);
        } else if (form == 3) {
            s += ".";
        }
        if (next(8) != 0)
            s += "Z";
        else if (next(2) == 0)
            s += "+01:30";
        for (km::js::IsoFraction fraction : {km::js::IsoFraction::WholeNumber, km::js::IsoFraction::Truncate}) {
            double fast = 0;
            const bool strict = km::js::parseStrictIsoDate(s, fraction, &fast);
            QCOMPARE(strict, km::js::isIsoDate(s, km::js::IsoStrictness::Strict));
            if (!strict)
                continue;
            ++canonical;
            const double general = km::js::parseIsoDate(s, fraction);
            if (!(std::isnan(general) && std::isnan(fast)) && fast != general)
                QFAIL(qPrintable(QStringLiteral("%1: %2 instead of %3")
                                         .arg(QString::fromStdString(s))
                                         .arg(fast, 0, 'f', 1)
                                         .arg(general, 0, 'f', 1)));
        }
    }
    QVERIFY(canonical > 50000);
}

QTEST_APPLESS_MAIN(TestJsDate)
#include "tst_jsdate.moc"
