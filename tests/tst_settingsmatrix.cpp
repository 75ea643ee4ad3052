#include "settingsmatrix.h"

#include <QTest>

#include <string>

namespace {

constexpr double kNow = 1577836800000.0;

km::Configuration config(const char *engine, const char *settings = R"({"apiKey":"k"})")
{
    km::Configuration c;
    km::engineFromName(engine, &c.engine);
    c.settings = km::Settings();
    km::Settings::fromJson(settings, &c.settings, nullptr);
    return c;
}

const std::string kPage = R"({"type":"page","userId":"u1","name":"Name","category":"Category",)"
                          R"("properties":{"url":"https://example.com/"},"channel":"server"})";

// "<prefix><categorized><named> names #count" per row, e.g. "110 record Viewed Category Page #3".
QStringList dump(const std::vector<km::MatrixRow> &rows)
{
    QStringList lines;
    for (const km::MatrixRow &row : rows) {
        QString line = QStringLiteral("%1%2%3 ").arg(int(row.prefix)).arg(int(row.categorized)).arg(int(row.named));
        line += row.eventNames.isEmpty() ? QStringLiteral("(nothing)") : row.eventNames.join(QLatin1String(" | "));
        line += QStringLiteral(" #%1").arg(row.propertyCount);
        if (!row.error.isEmpty())
            line += QStringLiteral(" error: ") + row.error;
        lines.append(line);
    }
    return lines;
}

} // namespace

class TestSettingsMatrix : public QObject
{
    Q_OBJECT

private slots:
    void matrix_data();
    void matrix();
    void output();
    void rowFor_data();
    void rowFor();
};

void TestSettingsMatrix::matrix_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<km::Configuration>("base");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QStringList>("matter");

    // Mapping reference, section 5 (AJS): the category when trackCategorizedPages, then the name
    // when trackNamedPages (it wins); neither: nothing. Page properties are always prefixed.
    QTest::newRow("segment-device page with name and category")
            << kPage << config("segment-device")
            << QStringList{"111 record Viewed Name Page #3", "110 record Viewed Category Page #3",
                           "101 record Viewed Name Page #3", "100 (nothing) #0",
                           "011 record Viewed Name Page #3", "010 record Viewed Category Page #3",
                           "001 record Viewed Name Page #3", "000 (nothing) #0"}
            << QStringList{"trackCategorizedPages", "trackNamedPages"};

    km::Configuration pageViews = config("segment-device");
    pageViews.environment = km::Environment(); // KM_SKIP_PAGE_VIEW not set
    QTest::newRow("segment-device page, automatic page views on")
            << kPage << pageViews << QStringList{"111 record Page View | record Viewed Name Page #5",
                                                 "110 record Page View | record Viewed Category Page #5",
                                                 "101 record Page View | record Viewed Name Page #5",
                                                 "100 record Page View #2",
                                                 "011 record Page View | record Viewed Name Page #5",
                                                 "010 record Page View | record Viewed Category Page #5",
                                                 "001 record Page View | record Viewed Name Page #5",
                                                 "000 record Page View #2"}
            << QStringList{"trackCategorizedPages", "trackNamedPages"};

    QTest::newRow("segment-device page with a name only")
            << std::string(R"({"type":"page","name":"Docs","properties":{}})") << config("segment-device")
            << QStringList{"111 record Viewed Docs Page #1", "110 (nothing) #0",
                           "101 record Viewed Docs Page #1", "100 (nothing) #0",
                           "011 record Viewed Docs Page #1", "010 (nothing) #0",
                           "001 record Viewed Docs Page #1", "000 (nothing) #0"}
            << QStringList{"trackNamedPages"};

    QTest::newRow("segment-device page with a category only")
            << std::string(R"({"type":"page","category":"Docs","properties":{}})") << config("segment-device")
            << QStringList{"111 record Viewed Docs Page #1",
                           "110 record Viewed Docs Page #1",
                           "101 (nothing) #0",
                           "100 (nothing) #0",
                           "011 record Viewed Docs Page #1",
                           "010 record Viewed Docs Page #1",
                           "001 (nothing) #0",
                           "000 (nothing) #0"}
            << QStringList{"trackCategorizedPages"};

    // Section 5 (SRV): always one /e named after the name (else the category); no settings read;
    // page properties always prefixed, so prefixProperties does not matter for a page either.
    QTest::newRow("segment-cloud page: no toggle matters")
            << kPage << config("segment-cloud")
            << QStringList{"111 /e Viewed Name Page #3", "110 /e Viewed Name Page #3", "101 /e Viewed Name Page #3",
                           "100 /e Viewed Name Page #3", "011 /e Viewed Name Page #3", "010 /e Viewed Name Page #3",
                           "001 /e Viewed Name Page #3", "000 /e Viewed Name Page #3"}
            << QStringList();

    QTest::newRow("segment-cloud track: only prefixProperties matters")
            << std::string(
                       R"({"type":"track","userId":"u1","event":"E","properties":{"a":1,"b":2},"channel":"server"})")
            << config("segment-cloud") << QStringList{"111 /e E #2", "110 /e E #2", "101 /e E #2", "100 /e E #2",
                                                      "011 /e E #2", "010 /e E #2", "001 /e E #2", "000 /e E #2"}
            << QStringList{"prefixProperties"};

    // Section 5 (RJS): "Viewed <name> page"; properties prefixed only with prefixProperties.
    QTest::newRow("rudder-device page: only prefixProperties matters")
            << kPage << config("rudder-device")
            << QStringList{"111 record Viewed Name page #1", "110 record Viewed Name page #1",
                           "101 record Viewed Name page #1", "100 record Viewed Name page #1",
                           "011 record Viewed Name page #1", "010 record Viewed Name page #1",
                           "001 record Viewed Name page #1", "000 record Viewed Name page #1"}
            << QStringList{"prefixProperties"};

    QTest::newRow("identify: nothing matters")
            << std::string(R"({"type":"identify","userId":"u1","traits":{"plan":"Pro"}})") << config("segment-device")
            << QStringList{"111 identify u1 | set #2", "110 identify u1 | set #2", "101 identify u1 | set #2",
                           "100 identify u1 | set #2", "011 identify u1 | set #2", "010 identify u1 | set #2",
                           "001 identify u1 | set #2", "000 identify u1 | set #2"}
            << QStringList();

    const QString noKey = QStringLiteral(" error: IntegrationValidationError: setting \"apiKey\" is required");
    QTest::newRow("rejected in every row")
            << kPage << config("segment-cloud", "{}")
            << QStringList{"111 (nothing) #0" + noKey, "110 (nothing) #0" + noKey, "101 (nothing) #0" + noKey,
                           "100 (nothing) #0" + noKey, "011 (nothing) #0" + noKey, "010 (nothing) #0" + noKey,
                           "001 (nothing) #0" + noKey, "000 (nothing) #0" + noKey}
            << QStringList();

    const QString parse = QStringLiteral(" error: line 2, column 9: a Segment message is a JSON object, not an array");
    QTest::newRow("not a message") << std::string("\n        []") << config("segment-cloud")
                                   << QStringList{"111 (nothing) #0" + parse, "110 (nothing) #0" + parse,
                                                  "101 (nothing) #0" + parse, "100 (nothing) #0" + parse,
                                                  "011 (nothing) #0" + parse, "010 (nothing) #0" + parse,
                                                  "001 (nothing) #0" + parse, "000 (nothing) #0" + parse}
                                   << QStringList();
}

void TestSettingsMatrix::matrix()
{
    QFETCH(std::string, json);
    QFETCH(km::Configuration, base);
    QFETCH(QStringList, rows);
    QFETCH(QStringList, matter);

    const std::vector<km::MatrixRow> matrix = km::settingsMatrix(json, base, kNow);
    QCOMPARE(dump(matrix), rows);
    QCOMPARE(km::settingsThatMatter(matrix), matter);
}

void TestSettingsMatrix::output()
{
    // Rows keep the exact output, so a change that leaves names and counts alone still counts:
    // prefixing renames properties without changing their number.
    const std::string json = R"({"type":"track","userId":"u1","event":"E","properties":{"a":1},"channel":"server",)"
                             R"("timestamp":"2020-01-01T00:00:00Z"})";
    const std::vector<km::MatrixRow> rows = km::settingsMatrix(json, config("segment-cloud"), kNow);
    QCOMPARE(rows.size(), std::size_t(8));
    QCOMPARE(rows[0].output, std::string(R"([{"endpoint":"e","method":"GET","params":{"E - a":"1","_d":"1","_k":"k",)"
                                         R"("_p":"u1","_t":"1577836800","_n":"E"}}])"));
    QCOMPARE(rows[7].output, std::string(R"([{"endpoint":"e","method":"GET","params":{"a":"1","_d":"1","_k":"k",)"
                                         R"("_p":"u1","_t":"1577836800","_n":"E"}}])"));
    QCOMPARE(rows[0].propertyCount, rows[7].propertyCount);

    // The base settings other than the three toggles are kept (here the API key).
    km::Configuration shown = config("segment-cloud", R"({"apiKey":"other-key","prefixProperties":false})");
    for (const km::MatrixRow &row : km::settingsMatrix(json, shown, kNow))
        QVERIFY(row.output.find("\"_k\":\"other-key\"") != std::string::npos);

    // Fewer than 8 rows (a partial matrix) is handled.
    std::vector<km::MatrixRow> partial(rows.begin(), rows.begin() + 4);
    QCOMPARE(km::settingsThatMatter(partial), QStringList());
    QCOMPARE(km::settingsThatMatter({}), QStringList());
}

void TestSettingsMatrix::rowFor_data()
{
    QTest::addColumn<km::Configuration>("configuration");
    QTest::addColumn<int>("row");

    QTest::newRow("new destination defaults") << km::Configuration() << 0;
    QTest::newRow("prefix off") << config("segment-device", R"({"prefixProperties":false})") << 4;
    QTest::newRow("named off") << config("segment-device", R"({"trackNamedPages":0})") << 1;
    QTest::newRow("device reads missing toggles as on") << config("segment-device", "{}") << 0;
    QTest::newRow("cloud reads missing toggles as off") << config("segment-cloud", "{}") << 7;
    QTest::newRow("truthy strings are on")
            << config("segment-cloud", R"({"prefixProperties":"false","trackCategorizedPages":"",)"
                                       R"("trackNamedPages":1})")
            << 2;
}

void TestSettingsMatrix::rowFor()
{
    QFETCH(km::Configuration, configuration);
    QFETCH(int, row);
    const std::vector<km::MatrixRow> rows = km::settingsMatrix(kPage, configuration, kNow);
    QCOMPARE(km::matrixRowFor(rows, configuration), row);
    QCOMPARE(km::matrixRowFor({}, configuration), -1);
}

QTEST_GUILESS_MAIN(TestSettingsMatrix)
#include "tst_settingsmatrix.moc"
