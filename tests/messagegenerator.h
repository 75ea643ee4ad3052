#pragma once

// Segment messages for the route comparisons (tst_routes, tst_wireroute): generated from a seed.

#include <QtGlobal>

#include <algorithm>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

// Segment messages built from the values and keys the mapping rules turn on: mostly ordinary
// ones, with an edge value or key now and then (a fixed seed, so every run checks the same).
class MessageGenerator
{
public:
    explicit MessageGenerator(unsigned seed)
        : m_rng(seed)
    { }

    // How many messages a test runs, from which seed: 10,000 from a fixed one by default. For a
    // longer soak, KM_GENERATED_MESSAGES and KM_GENERATED_SEED choose others (a seed is a new set).
    static int count()
    {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue("KM_GENERATED_MESSAGES", &ok);
        return ok && n > 0 ? n : 10000;
    }
    static unsigned seed()
    {
        bool ok = false;
        const int value = qEnvironmentVariableIntValue("KM_GENERATED_SEED", &ok);
        return ok ? unsigned(value) : 20261130u;
    }

    std::string message()
    {
        // Most messages are ordinary all through; the others take an edge value now and then.
        m_edgePercent = chance(35) ? 6 : 0;
        std::string out = "{";
        bool first = true;
        auto member = [&](const std::string &key, const std::string &value) {
            if (!first)
                out += ',';
            first = false;
            out += quoted(key);
            out += ':';
            out += value;
        };
        const std::string type = pick({"track", "track", "track", "track", "page", "page", "screen", "identify",
                                       "identify", "group", "alias"},
                                      {"other", "Track"});
        if (!edge())
            member("type", quoted(type));
        if (chance(70))
            member("userId", id());
        if (chance(70))
            member("anonymousId", id());
        if (chance(3))
            member("sessionId", id());
        if (chance(90))
            member("timestamp",
                   pick({"\"2026-03-13T20:03:04.840Z\"", "\"2020-01-24T11:59:02.402+05:30\"", "\"2014-01-01\""},
                        {"\"2014\"", "\"1388534400\"", "\"garbage\"", "1388534400", "1388534400000", "null",
                         "\"2001-01-01T00:00:00Z\"", "\"2014-13-45T00:00:00Z\"", "\"2014-01-01T00:00:00.05Z\""}));
        if (chance(20))
            member("channel", pick({"\"server\""}, {"\"browser\"", "null", "1"}));
        if (chance(90))
            member("context", context());
        if (edge())
            member("options", context());
        if (edge())
            member("length", "1");
        if (type == "track" || chance(5))
            member("event",
                   pick({"\"Clicked Button\"", "\"Order Completed\"", "\"Order Completed\"", "\"Completed Order\"",
                         "\"order_completed\"", "\"Viewed Cart\"", "\"Plan Upgraded\"", "\"é & =\""},
                        {"\"completed order \"", "\"Signed: Up\"", "\"a,b\"", "\"\"", "5", "null", "\"2014-01-01\""}));
        if (type == "page" || type == "screen" || chance(3)) {
            if (chance(60))
                member("name", pick({"\"Docs\"", "\"Home\"", "\"\""}, {"\"A: b\"", "\"2014-01-01\"", "7", "null"}));
            if (chance(50))
                member("category", pick({"\"Blog\"", "\"Guides\"", "\"\""}, {"\"x,y\"", "null"}));
        }
        if (type == "group" || chance(3))
            member("groupId", id());
        if (type == "alias" || chance(3)) {
            if (chance(85))
                member("previousId", id());
            if (chance(20))
                member("from", id());
            if (chance(20))
                member("to", id());
        }
        const std::size_t size = chance(4) ? 150 : 9;
        if (chance(85))
            member("properties", edge() ? pick({"\"x\"", "null", "[]", "5"})
                                        : map(0, size, type == "page", type == "track" && chance(40)));
        if (chance(60))
            member("traits", edge() ? pick({"\"x\"", "null", "[1]"}) : map(0, size, false));
        if (chance(2) && !first)
            member("userId", id()); // a duplicate key
        out += '}';
        return out;
    }

private:
    bool chance(int percent) { return static_cast<int>(m_rng() % 100) < percent; }
    bool edge() { return chance(m_edgePercent); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(m_rng() % n); }
    std::string pick(std::initializer_list<const char *> items) { return *(items.begin() + below(items.size())); }
    // Mostly an ordinary item, now and then an edge one.
    std::string pick(std::initializer_list<const char *> common, std::initializer_list<const char *> edges)
    {
        return edge() ? pick(edges) : pick(common);
    }

    static std::string quoted(const std::string &text)
    {
        std::string out = "\"";
        for (char c : text) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
        return out;
    }

    std::string id()
    {
        return pick({"\"user-1\"", "\"anon-2\"", "\"x y&z=1\"", "\"é\""},
                    {"\"\"", "\"2014-01-01T00:00:00Z\"", "42", "null", "\"[object Object]\"", "[\"u\"]"});
    }

    std::string context()
    {
        if (edge())
            return pick({"null", "\"x\"", "{}"});
        std::string out = "{";
        bool first = true;
        for (const char *key : {"ip", "userAgent", "library"}) {
            if (chance(25))
                continue;
            if (!first)
                out += ',';
            first = false;
            out += '"';
            out += edge() ? pick({"IP", "user_agent", "length", "0", "ip"}) : std::string(key);
            out += "\":";
            if (edge())
                out += pick({"\"\"", "null", "7", "\"2014-01-01T00:00:00Z\"", "{\"name\":\"a\"}"});
            else
                out += std::string_view(key) == "ip"          ? "\"203.0.113.9\""
                       : std::string_view(key) == "userAgent" ? "\"Mozilla/5.0 (X11; Linux x86_64)\""
                                                              : "{\"name\":\"analytics.js\"}";
        }
        out += '}';
        return out;
    }

    std::string key(bool page)
    {
        if (edge() && chance(10))
            return std::string(260, 'k');
        if (page)
            return pick({"url", "path", "referrer", "title", "search", "name", "category", "revenue"},
                        {"Billing Amount", "0", "length", "k,v", "", "a.b", "_p"});
        return pick({"a", "b", "plan", "count", "revenue", "Revenue", "total", "name", "category", "id", "tags",
                     "seen_at", "price", "a b&c=d", "é", "products", "x", "y", "z"},
                    {"Billing Amount", "a.b", "_p", "_x", "0", "12", "3d", "length", "toString", "k,v", "x:y", "",
                     "Products", "hasOwnProperty"});
    }

    std::string scalar()
    {
        return pick({"\"free\"", "\"\"", "\"2026-02-18T13:03:52.579Z\"", "\"$12.50\"", "0", "1.5", "19.99", "44",
                     "true", "false", "112.4", "\"a,b:c\"", "\"20 apples\"", "1e21", "1e-7", "\"2014-01-01\"", "-3"},
                    {"null", "\"[object Object]\"", "-0", "\"2014-13-45T00:00:00Z\"", "\"abc\"", "12345678901234567890",
                     "\"2014-01-01T25:99\""});
    }

    std::string value(int depth, bool page)
    {
        const std::size_t kind = below(10);
        if (kind == 0 && (!page || edge()))
            return pick({"[]", "[\"a\"]", "[1,2]", "[\"a\",\"b\"]", "[true,1.5,\"c\"]"},
                        {"[{\"x\":1}]", "[{\"x\":1},{\"y\":2}]", "[[1]]", "[\"a\",null]", "[\"2014-01-01\"]", "[1]",
                         "[\"1abc\"]", "[{\"toString\":1},2]"});
        if (kind <= 2 && (!page || edge()))
            return depth < 3 ? map(depth + 1, 4, false) : edge() ? "{}" : scalar();
        return scalar();
    }

    std::string productList()
    {
        if (edge())
            return pick({"{\"a\":1}", "null", "\"p\"", "[null]", "[\"p\",1]"});
        std::string out = "[";
        const std::size_t n = below(4);
        for (std::size_t i = 0; i < n; ++i) {
            if (i)
                out += ',';
            out += map(1, 6, false);
        }
        out += ']';
        return out;
    }

    std::string map(int depth, std::size_t most, bool page, bool withProducts = false)
    {
        std::string out = "{";
        const std::size_t n = edge() ? below(most + 1) : 1 + below(most);
        std::vector<std::string> used;
        if (withProducts) {
            out += "\"products\":" + productList();
            used.push_back("products");
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!used.empty())
                out += ',';
            std::string k = key(page);
            // Keys repeat only now and then (JavaScript keeps the first position, the last value).
            if (std::find(used.begin(), used.end(), k) != used.end() && !edge())
                k += "_" + std::to_string(i);
            used.push_back(k);
            out += quoted(k);
            out += ':';
            if ((k == "products" || k == "Products") && depth == 0)
                out += productList();
            else if ((k == "revenue" || k == "Revenue" || k == "total") && !edge())
                out += pick({"112.4", "19.99", "\"$12.50\"", "0", "44", "\"\"", "\"20\""});
            else
                out += value(depth, page);
        }
        out += '}';
        return out;
    }

    std::mt19937 m_rng;
    int m_edgePercent = 0;
};
