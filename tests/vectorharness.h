#pragma once

// Loads the reference vectors (tests/data/vectors.json) and compares an engine's CLI-contract line
// with what a vector expects, the way ../shared/tools/fidelity.py does: JSON types stay distinct,
// object member order does not matter, and each upstream assertion style is honoured.

#include "jsonreader.h"
#include "jsonwriter.h"
#include "value.h"

#include <QFile>
#include <QString>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace vectors {

struct Vector
{
    std::string id;
    std::string engine;
    std::string kind; // http | client
    km::Value settings;
    km::Value env;
    km::Value input;
    km::Value expected;    // expected requests, full push list, or expected_km
    std::string assertion; // exact, called-with, called-once-with, first-push-equals, not-called
    bool expectsRejection = false;
};

inline std::string toJson(const km::Value &v)
{
    km::JsonWriter w;
    w.value(v);
    return w.buffer();
}

inline bool same(const km::Value &a, const km::Value &b)
{
    using T = km::Value::Type;
    const bool aNull = a.isNullish(), bNull = b.isNullish();
    if (aNull || bNull)
        return aNull && bNull;
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case T::Boolean:
        return a.toBool() == b.toBool();
    case T::Number:
        return a.toNumber() == b.toNumber() || (std::isnan(a.toNumber()) && std::isnan(b.toNumber()));
    case T::String:
        return a.toString() == b.toString();
    case T::Array: {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a.items()[i], b.items()[i]))
                return false;
        return true;
    }
    case T::Object: {
        if (a.size() != b.size())
            return false;
        for (const km::Member &m : a.members()) {
            const km::Value *other = b.find(m.key);
            if (!other || !same(m.value, *other))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

class Set
{
public:
    bool load(const QString &path, QString *error)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = file.errorString();
            return false;
        }
        m_text = file.readAll().toStdString();
        km::JsonReader reader;
        km::JsonResult result = reader.parse(m_text, m_arena);
        if (!result.ok()) {
            *error = QString::fromStdString(result.error->toString());
            return false;
        }
        for (const km::Value &v : result.value.items()) {
            Vector vec;
            vec.id = std::string(v.get("id").toString());
            vec.engine = std::string(v.get("engine").toString());
            vec.kind = std::string(v.get("kind").toString());
            vec.settings = v.get("settings");
            vec.env = v.get("env");
            vec.input = v.get("input");
            if (vec.kind == "http") {
                vec.expected = v.get("expected");
                vec.assertion = "exact";
            } else if (v.has("observed_full_output")) {
                vec.expected = v.get("observed_full_output");
                vec.assertion = "exact";
            } else {
                vec.expected = v.get("expected_km");
                vec.assertion = std::string(v.get("assertion").toString());
            }
            for (const km::Value &e : vec.expected.items()) {
                if ((e.isObject() && e.size() == 1 && e.has("THROWS"))
                    || (e.isArray() && e.size() > 0 && e.items()[0].isString() && e.items()[0].toString() == "THROWS"))
                    vec.expectsRejection = true;
            }
            m_vectors.push_back(vec);
        }
        return true;
    }
    const std::vector<Vector> &all() const { return m_vectors; }

private:
    std::string m_text;
    km::Arena m_arena;
    std::vector<Vector> m_vectors;
};

// Compares one output line (parsed) with the vector; returns an empty string on a match, else why.
inline std::string compare(const Vector &vec, const km::Value &line)
{
    const km::Value output = line.get("output");
    if (vec.expectsRejection) {
        if (line.get("error").isTruthy() && output.size() == 0)
            return {};
        return "expected the call to be rejected, got " + toJson(line);
    }
    if (!output.isArray())
        return "no output; line: " + toJson(line);
    if (vec.kind == "http") {
        // Compare {endpoint, method (GET by default), params} of each request.
        if (output.size() != vec.expected.size())
            return "expected " + toJson(vec.expected) + "\n got " + toJson(output);
        for (std::size_t i = 0; i < output.size(); ++i) {
            const km::Value &got = output.items()[i];
            const km::Value &exp = vec.expected.items()[i];
            const std::string expMethod = exp.has("method") ? std::string(exp.get("method").toString()) : "GET";
            if (got.get("endpoint").toString() != exp.get("endpoint").toString()
                || got.get("method").toString() != expMethod || !same(got.get("params"), exp.get("params")))
                return "request " + std::to_string(i) + ": expected " + toJson(exp) + "\n got " + toJson(got);
        }
        return {};
    }
    const auto pushes = output.items();
    const auto expected = vec.expected.items();
    auto describe = [&] {
        return "expected (" + vec.assertion + ") " + toJson(vec.expected) + "\n got " + toJson(output);
    };
    if (vec.assertion.rfind("exact", 0) == 0)
        return same(output, vec.expected) ? std::string() : describe();
    if (vec.assertion.rfind("first-push", 0) == 0)
        return !pushes.empty() && same(pushes[0], expected[0]) ? std::string() : describe();
    if (vec.assertion.rfind("not-called", 0) == 0)
        return pushes.empty() ? std::string() : describe();
    for (const km::Value &e : expected) {
        std::size_t count = 0;
        for (const km::Value &p : pushes)
            count += same(p, e) ? 1 : 0;
        if (count == 0 || (vec.assertion.rfind("called-once", 0) == 0 && count != 1))
            return describe();
    }
    return {};
}

} // namespace vectors
