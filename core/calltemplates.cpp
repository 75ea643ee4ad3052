#include "calltemplates.h"

#include "jsonformat.h"
#include "jsonreader.h"
#include "objectbuilder.h"

#include <QDateTime>

namespace km {

namespace {

struct Source
{
    const char *group;
    const char *title;
    const char *json;
};

// Written compactly here and pretty-printed once, so every template looks the same in the
// editor as a call loaded from a file. The "Segment docs" messages and "Order Completed" are
// those of resources/samples/docs-examples.ndjson (a test keeps them in sync).
constexpr Source
        kSources[] =
                {
                        {"Blank", "Page",
                         R"({"type":"page","userId":"user-123","name":"Page Name","properties":{},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Blank", "Screen",
                         R"({"type":"screen","userId":"user-123","name":"Screen Name","properties":{},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Blank", "Identify",
                         R"({"type":"identify","userId":"user-123","traits":{},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Blank", "Track",
                         R"({"type":"track","userId":"user-123","event":"Event Name","properties":{},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Blank", "Group",
                         R"({"type":"group","userId":"user-123","groupId":"group-123","traits":{},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Blank", "Alias",
                         R"({"type":"alias","userId":"user-123","previousId":"anon-456","channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},

                        {"Segment docs", "page('Docs', {url, referrer})",
                         R"({"type": "page", "userId": "user-123", "anonymousId": "anon-456", "name": "Docs", "properties": {"url": "https://segment.com/docs/connections/destinations/catalog/kissmetrics/", "referrer": "https://segment.com/docs/"}, "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        {"Segment docs", "identify('user-123', traits)",
                         R"({"type": "identify", "userId": "user-123", "anonymousId": "anon-456", "traits": {"name": "Peter Gibbons", "email": "peter@example.com", "plan": "premium", "logins": 5}, "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        {"Segment docs", "track('Clicked Button')",
                         R"({"type": "track", "userId": "user-123", "anonymousId": "anon-456", "event": "Clicked Button", "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        {"Segment docs", "group('123', {name: 'Initech', employees: 329})",
                         R"({"type": "group", "userId": "user-123", "anonymousId": "anon-456", "groupId": "123", "traits": {"name": "Initech", "employees": 329}, "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        {"Segment docs", "alias('user-123', 'anon-456')",
                         R"({"type": "alias", "userId": "user-123", "anonymousId": "anon-456", "previousId": "anon-456", "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        {"Segment docs", "track('Signed Up') with nested properties",
                         R"({"type": "track", "userId": "user-123", "anonymousId": "anon-456", "event": "Signed Up", "properties": {"plan": "Pro", "referrer": {"source": "newsletter", "campaign": {"name": "Fall 2025", "id": 42}}, "addons": ["sso", "audit"]}, "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},

                        {"E-commerce", "Order Completed (two products)",
                         R"({"type": "track", "userId": "user-123", "anonymousId": "anon-456", "event": "Order Completed", "properties": {"order_id": "50314b8e9bcf000000000000", "total": 27.5, "revenue": 25, "shipping": 3, "tax": 2, "discount": 2.5, "coupon": "hasbros", "currency": "USD", "products": [{"product_id": "507f1f77bcf86cd799439011", "sku": "45790-32", "name": "Monopoly: 3rd Edition", "price": 19, "quantity": 1, "category": "Games"}, {"product_id": "505bd76785ebb509fc183733", "sku": "46493-32", "name": "Uno Card Game", "price": 3, "quantity": 2, "category": "Games"}]}, "channel": "server", "timestamp": "2026-01-15T10:00:00.000Z"})"},
                        // Spec v1 names: "Completed Order", orderId, and product "id".
                        {"E-commerce", "Completed Order (spec v1, two products)",
                         R"({"type":"track","userId":"user-123","anonymousId":"anon-456","event":"Completed Order","properties":{"orderId":"50314b8e9bcf000000000000","total":27.5,"revenue":25,"shipping":3,"tax":2,"discount":2.5,"coupon":"hasbros","currency":"USD","products":[{"id":"507f1f77bcf86cd799439011","sku":"45790-32","name":"Monopoly: 3rd Edition","price":19,"quantity":1,"category":"Games"},{"id":"505bd76785ebb509fc183733","sku":"46493-32","name":"Uno Card Game","price":3,"quantity":2,"category":"Games"}]},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"E-commerce", "Product Viewed",
                         R"({"type":"track","userId":"user-123","anonymousId":"anon-456","event":"Product Viewed","properties":{"product_id":"507f1f77bcf86cd799439011","sku":"G-32","category":"Games","name":"Monopoly: 3rd Edition","brand":"Hasbro","variant":"200 pieces","price":18.99,"quantity":1,"coupon":"MAYDEALS","currency":"usd","position":3,"value":18.99,"url":"https://www.example.com/product/path","image_url":"https://www.example.com/product/path.jpg"},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},

                        {"A/B testing", "Experiment Viewed",
                         R"({"type":"track","userId":"user-123","anonymousId":"anon-456","event":"Experiment Viewed","properties":{"experiment_id":"exp-123","experiment_name":"Checkout Button Colour","variation_id":"var-2","variation_name":"Green Button"},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},

                        // Engage sends audience membership to an identify-only destination as a trait named after the
                        // audience key, true on entry and false on exit, with the computation in context.personas.
                        {"Engage", "Audience entered (identify, trait true)",
                         R"({"type":"identify","userId":"user-123","anonymousId":"anon-456","traits":{"high_value_customers":true},"context":{"personas":{"computation_key":"high_value_customers","computation_class":"audience","computation_id":"aud_2Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0","space_id":"spa_9Qr8St7Uv6Wx5Yz4Ab3Cd2Ef1","namespace":"spa_9Qr8St7Uv6Wx5Yz4Ab3Cd2Ef1"}},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
                        {"Engage", "Audience exited (identify, trait false)",
                         R"({"type":"identify","userId":"user-123","anonymousId":"anon-456","traits":{"high_value_customers":false},"context":{"personas":{"computation_key":"high_value_customers","computation_class":"audience","computation_id":"aud_2Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0","space_id":"spa_9Qr8St7Uv6Wx5Yz4Ab3Cd2Ef1","namespace":"spa_9Qr8St7Uv6Wx5Yz4Ab3Cd2Ef1"}},"channel":"server","timestamp":"2026-01-15T10:00:00.000Z"})"},
};

// The templates that make up resources/samples/docs-examples.ndjson, in its order.
constexpr const char *kSampleTitles[] = {
        "page('Docs', {url, referrer})",  "identify('user-123', traits)",
        "track('Clicked Button')",        "group('123', {name: 'Initech', employees: 329})",
        "alias('user-123', 'anon-456')",  "track('Signed Up') with nested properties",
        "Order Completed (two products)",
};

std::vector<CallTemplate> buildTemplates()
{
    std::vector<CallTemplate> templates;
    templates.reserve(std::size(kSources));
    JsonReader reader;
    for (const Source &source : kSources) {
        Arena arena;
        const JsonResult parsed = reader.parse(source.json, arena);
        Q_ASSERT_X(parsed.ok(), "callTemplates", source.title);
        templates.push_back(CallTemplate{QString::fromUtf8(source.group), QString::fromUtf8(source.title),
                                         parsed.ok() ? prettyJson(parsed.value) : std::string(source.json)});
    }
    return templates;
}

} // namespace

const std::vector<CallTemplate> &callTemplates()
{
    static const std::vector<CallTemplate> templates = buildTemplates();
    return templates;
}

QStringList callTemplateGroups()
{
    QStringList groups;
    for (const CallTemplate &t : callTemplates())
        if (!groups.contains(t.group))
            groups.append(t.group);
    return groups;
}

const CallTemplate *findCallTemplate(const QString &group, const QString &title)
{
    for (const CallTemplate &t : callTemplates())
        if (t.group == group && t.title == title)
            return &t;
    return nullptr;
}

std::vector<const CallTemplate *> sampleCallTemplates()
{
    std::vector<const CallTemplate *> samples;
    for (const char *title : kSampleTitles) {
        for (const CallTemplate &t : callTemplates()) {
            if (t.title == QLatin1String(title)) {
                samples.push_back(&t);
                break;
            }
        }
    }
    return samples;
}

std::string templateJsonWithNow(const CallTemplate &callTemplate, qint64 nowMillis)
{
    Arena arena;
    JsonReader reader;
    const JsonResult parsed = reader.parse(callTemplate.json, arena);
    if (!parsed.ok() || !parsed.value.isObject())
        return callTemplate.json;
    const QByteArray iso = QDateTime::fromMSecsSinceEpoch(nowMillis, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
    ObjectBuilder builder(arena, parsed.value.size() + 1);
    builder.append(parsed.value);
    builder.set("timestamp", Value::string(std::string_view(iso.constData(), static_cast<std::size_t>(iso.size()))));
    return prettyJson(builder.build());
}

} // namespace km
