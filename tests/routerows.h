#pragma once

// What the route comparisons share (tst_routes: shortcuts against stages; tst_wireroute: the wire
// route against stages): the messages, one QTest row each, and the text two routes must agree on.

#include "vectorharness.h"

#include "outputformat.h"

#include <QFile>
#include <QTest>

namespace routerows {

constexpr double kClockMillis = 1577836800000.0;

// One row per line of an NDJSON file, kept as JSON text so that each row parses its own copy.
inline void addFileRows(const QString &path, const char *label)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    int line = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        if (!text.isEmpty())
            QTest::newRow(qPrintable(QStringLiteral("%1:%2").arg(QLatin1String(label)).arg(line))) << text;
    }
}

// A QByteArray column "message": the reference vectors' inputs, the route edge cases and the
// corpus sample.
inline void addMessageRows()
{
    QTest::addColumn<QByteArray>("message");
    vectors::Set set;
    QString error;
    if (!set.load(QStringLiteral(KM_TEST_DATA_DIR "/vectors.json"), &error))
        qFatal("cannot load vectors.json: %s", qPrintable(error));
    for (const vectors::Vector &vec : set.all())
        QTest::newRow(("vector:" + vec.id).c_str()) << QByteArray::fromStdString(vectors::toJson(vec.input));
    addFileRows(QStringLiteral(KM_TEST_DATA_DIR "/route-cases.ndjson"), "case");
    addFileRows(QStringLiteral(KM_TEST_DATA_DIR "/corpus-sample.ndjson"), "corpus");
}

// The CLI line, then each request's method and wire text.
inline std::string lineOf(const km::Translation &translation, km::Arena &arena)
{
    km::JsonWriter writer;
    km::OutputFormat::writeLine(writer, 0, translation, arena);
    std::string line = writer.buffer();
    for (const km::HttpRequest &r : translation.requests) {
        line += r.method == km::HttpMethod::Get ? "\nGET " : "\nPOST ";
        line += r.wire;
    }
    return line;
}

} // namespace routerows
