#pragma once

// One HTTP request from a test and its whole answer, with the event loop running meanwhile so a
// server in the same process (the built-in endpoint) can answer. Shared by the endpoint and
// `serve` tests.

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QUrl>

#include <memory>

struct HttpReply
{
    int status = 0; // 0: no answer within 20 s
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray contentType;
    QByteArray cacheControl;
    QByteArray allow;
};

inline HttpReply httpExchange(QNetworkAccessManager &manager,
                              const QByteArray &method,
                              const QUrl &url,
                              const QByteArray &body = {},
                              const QByteArray &contentType = {})
{
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    std::unique_ptr<QNetworkReply> reply(method == "GET" ? manager.get(request)
                                                         : manager.sendCustomRequest(request, method, body));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 20000))
        return {};
    HttpReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.error = reply->error();
    r.body = reply->readAll();
    r.contentType = reply->rawHeader("Content-Type");
    r.cacheControl = reply->rawHeader("Cache-Control");
    r.allow = reply->rawHeader("Allow");
    return r;
}
