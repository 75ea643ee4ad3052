// Every reference vector, once through the library API and once through the kmtester-cli binary.

#include "vectorharness.h"

#include "engine.h"
#include "outputformat.h"

#include <QProcess>
#include <QTest>

using namespace km;

namespace {

constexpr double kClockSeconds = 1577836800; // every vector runs with the clock at 2020-01-01T00:00:00Z

vectors::Set &vectorSet()
{
    static vectors::Set set;
    static bool loaded = false;
    if (!loaded) {
        QString error;
        loaded = set.load(QStringLiteral(KM_TEST_DATA_DIR "/vectors.json"), &error);
        if (!loaded)
            qFatal("cannot load vectors.json: %s", qPrintable(error));
    }
    return set;
}

void addRows()
{
    QTest::addColumn<int>("vectorIndex");
    const auto &all = vectorSet().all();
    for (std::size_t i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].id.c_str()) << static_cast<int>(i);
}

} // namespace

class TestVectors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(vectorSet().all().size() >= 100); }

    void libraryApi_data() { addRows(); }
    void libraryApi()
    {
        QFETCH(int, vectorIndex);
        const vectors::Vector &vec = vectorSet().all().at(static_cast<std::size_t>(vectorIndex));
        EngineId id;
        QVERIFY(engineFromName(vec.engine, &id));
        const Settings settings(vec.settings);
        const Environment environment(vec.env);
        TranslateOptions options;
        options.nowMillis = kClockSeconds * 1000;
        Arena arena;
        Translation translation;
        Engine::create(id)->translate(vec.input, settings, environment, options, arena, translation);
        JsonWriter writer;
        OutputFormat::writeLine(writer, 0, translation, arena);
        JsonReader reader;
        const JsonResult line = reader.parse(writer.buffer(), arena);
        QVERIFY2(line.ok(), writer.buffer().c_str());
        const std::string why = vectors::compare(vec, line.value);
        QVERIFY2(why.empty(), why.c_str());
    }

    void cliBinary_data() { addRows(); }
    void cliBinary()
    {
        QFETCH(int, vectorIndex);
        const vectors::Vector &vec = vectorSet().all().at(static_cast<std::size_t>(vectorIndex));
        QStringList args{QStringLiteral("translate"),
                         QStringLiteral("--engine"),
                         QString::fromStdString(vec.engine),
                         QStringLiteral("--settings"),
                         QString::fromStdString(vectors::toJson(vec.settings)),
                         QStringLiteral("--now"),
                         QString::number(kClockSeconds, 'f', 0)};
        if (vec.env.isObject()) {
            for (const Member &m : vec.env.members()) {
                if (!m.value.isTruthy())
                    continue; // as fidelity.py does: a falsy global is the same as an absent one
                const std::string value =
                        m.value.isString() ? std::string(m.value.toString()) : vectors::toJson(m.value);
                args << QStringLiteral("--env") << QString::fromStdString(std::string(m.key) + "=" + value);
            }
        }
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(KM_CLI_PATH), args);
        QVERIFY(cli.waitForStarted());
        cli.write(QByteArray::fromStdString(vectors::toJson(vec.input)));
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(60000));
        const QByteArray out = cli.readAllStandardOutput();
        const QByteArray firstLine = out.left(out.indexOf('\n'));
        QVERIFY2(!firstLine.isEmpty(), cli.readAllStandardError().constData());
        Arena arena;
        JsonReader reader;
        const std::string text = firstLine.toStdString();
        const JsonResult line = reader.parse(text, arena);
        QVERIFY2(line.ok(), text.c_str());
        const std::string why = vectors::compare(vec, line.value);
        QVERIFY2(why.empty(), why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestVectors)
#include "tst_vectors.moc"
