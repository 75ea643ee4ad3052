#pragma once

// Small HAR captures for tests, and the sample capture (a shop page recorded in device mode).
// (moc has been seen to stop reading a test class at some raw string literals in its slots: the
// tests that use these keep their slot bodies out of the class declaration.)

#include "jsonwriter.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QtGlobal>

inline QByteArray sampleCapture()
{
    QFile file(QStringLiteral(KM_SOURCE_DIR "/resources/samples/product-page.har"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the sample capture");
    return file.readAll();
}

inline QByteArray jsonString(const QByteArray &text)
{
    std::string out;
    km::appendJsonString(out, std::string_view(text.constData(), std::size_t(text.size())));
    return QByteArray::fromStdString(out);
}

// Places are easy to count: the capture opens on lines 1-2, entry i starts on its own line
// ("   {" at column 4) and a Segment request's body is on the line after it.
inline QByteArray capture(const QList<QByteArray> &entries)
{
    QByteArray out = "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"test\"},\n \"entries\": [\n";
    for (qsizetype i = 0; i < entries.size(); ++i)
        out += "   " + entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
    return out + " ]}}\n";
}

inline QByteArray segmentPost(const QByteArray &url, const QByteArray &body, const QByteArray &headers = "[]")
{
    return R"({"startedDateTime": "2026-11-02T09:14:01.000Z", "request": {"method": "POST", "url": ")" + url
           + R"(", "headers": )" + headers + R"(,)" + "\n" + R"(    "postData": {"mimeType": "text/plain", "text": )"
           + jsonString(body) + R"(}}, "response": {"status": 200}})";
}

inline QByteArray settingsGet(const QByteArray &text, const QByteArray &encoding = {})
{
    QByteArray content = R"({"mimeType": "application/json", "text": )" + jsonString(text);
    if (!encoding.isEmpty())
        content += R"(, "encoding": )" + jsonString(encoding);
    return R"({"request": {"method": "GET", "url": "https://cdn.segment.com/v1/projects/w/settings"}, )"
           R"("response": {"status": 200, "content": )"
           + content + "}}}";
}

inline QByteArray kissmetricsGet(const QByteArray &url, int status)
{
    return R"({"startedDateTime": "2026-11-02T09:14:01.530Z", "request": {"method": "GET", "url": ")" + url
           + R"("}, "response": {"status": )" + QByteArray::number(status) + "}}";
}

inline QByteArray entryWithoutBody(const QByteArray &url)
{
    return R"({"request": {"method": "POST", "url": ")" + url + R"("}, "response": {"status": 200}})";
}
