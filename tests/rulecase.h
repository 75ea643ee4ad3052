#pragma once

// Shared helper for the rule tables (tests/tst_rules_*.cpp): one data row = one Segment call through
// one engine, with the expected CLI-contract `output` (or an expected rejection) written out by hand
// from the mapping reference. Rows run through the library API exactly as tst_vectors.cpp does, and
// are compared with vectors::same (typed, member-order-insensitive).
//
// A row whose expectation the engine does not meet, and where the reference says the engine is
// wrong, is listed in the file's `knownBugs` map (tag -> "engine bug: why"); KM_RULE_CHECK turns it
// into a QEXPECT_FAIL so the suite stays green and an unexpected pass is reported.
//
// Keep each test class declaration above the row data: moc does not understand raw string literals,
// and one holding "//" or an apostrophe makes it lose a Q_OBJECT class declared after it.

#include "vectorharness.h"

#include "engine.h"
#include "outputformat.h"

#include <QString>
#include <QTest>

#include <map>
#include <string>
#include <string_view>

namespace rules {

constexpr double kNow = 1577836800; // 2020-01-01T00:00:00Z, the clock of the reference vectors

using KnownBugs = std::map<std::string, const char *>;

inline void addColumns()
{
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("settings");
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // the `output` array as JSON text; empty for a rejection
    QTest::addColumn<double>("now");       // Unix seconds
    QTest::addColumn<bool>("rejects");
    QTest::addColumn<QString>("warning"); // a warning code that must be present (for a rejection: error text)
}

inline QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// A row whose output must equal `expected` (a JSON array in the CLI contract's shape).
inline void row(const char *tag,
                const char *engine,
                std::string_view settings,
                std::string_view env,
                std::string_view input,
                std::string_view expected,
                double now = kNow,
                std::string_view warning = {})
{
    QTest::newRow(tag) << QString::fromLatin1(engine) << q(settings) << q(env) << q(input) << q(expected) << now
                       << false << q(warning);
}

// Same, requiring a warning code as well (only where the reference says the user must be told).
inline void rowWarn(const char *tag,
                    const char *engine,
                    std::string_view settings,
                    std::string_view env,
                    std::string_view input,
                    std::string_view expected,
                    std::string_view warning,
                    double now = kNow)
{
    row(tag, engine, settings, env, input, expected, now, warning);
}

// A row the engine must reject: an error message and an empty output. `errorContains`, when given, is
// text the error must contain (only where the reference spells the message out).
inline void rejects(const char *tag,
                    const char *engine,
                    std::string_view settings,
                    std::string_view env,
                    std::string_view input,
                    std::string_view errorContains = {},
                    double now = kNow)
{
    QTest::newRow(tag) << QString::fromLatin1(engine) << q(settings) << q(env) << q(input) << QString() << now << true
                       << q(errorContains);
}

struct Outcome
{
    bool ok = false;
    std::string why;
};

// Translates one message and returns the parsed CLI line (in `arena`), or an error text in `why`.
inline bool translateLine(const std::string &engineName,
                          const std::string &settingsText,
                          const std::string &envText,
                          const std::string &inputText,
                          double now,
                          km::Arena &arena,
                          km::Value *line,
                          std::string *why,
                          km::Translation *translationOut = nullptr,
                          bool isFirstMessage = true)
{
    km::EngineId id;
    if (!km::engineFromName(engineName, &id)) {
        *why = "unknown engine " + engineName;
        return false;
    }
    km::JsonReader reader;
    const km::JsonResult settings = reader.parse(settingsText.empty() ? std::string("{}") : settingsText, arena);
    if (!settings.ok()) {
        *why = "settings JSON: " + settings.error->toString();
        return false;
    }
    km::Value envValue;
    if (!envText.empty()) {
        const km::JsonResult env = reader.parse(envText, arena);
        if (!env.ok()) {
            *why = "env JSON: " + env.error->toString();
            return false;
        }
        envValue = env.value;
    }
    const km::JsonResult input = reader.parse(inputText, arena);
    if (!input.ok()) {
        *why = "input JSON: " + input.error->toString();
        return false;
    }
    const km::Settings s(settings.value);
    const km::Environment e(envValue);
    km::TranslateOptions options;
    options.nowMillis = now * 1000;
    options.isFirstMessage = isFirstMessage;
    km::Translation local;
    km::Translation &translation = translationOut ? *translationOut : local;
    km::Engine::create(id)->translate(input.value, s, e, options, arena, translation);
    km::JsonWriter writer;
    km::OutputFormat::writeLine(writer, 0, translation, arena);
    const std::string text(arena.copy(writer.buffer()));
    const km::JsonResult parsed = reader.parse(text, arena);
    if (!parsed.ok()) {
        *why = "CLI line is not JSON: " + text;
        return false;
    }
    *line = parsed.value;
    return true;
}

inline Outcome check(const std::string &engineName,
                     const std::string &settingsText,
                     const std::string &envText,
                     const std::string &inputText,
                     const std::string &expectedText,
                     double now,
                     bool rejects,
                     const std::string &warning)
{
    km::Arena arena;
    km::Value line;
    std::string why;
    if (!translateLine(engineName, settingsText, envText, inputText, now, arena, &line, &why))
        return {false, why};
    const km::Value output = line.get("output");
    const std::string got = vectors::toJson(line);

    if (rejects) {
        if (!line.get("error").isTruthy() || !output.isArray() || output.size() != 0)
            return {false, "expected a rejection (error, empty output)\n got " + got};
        if (!warning.empty() && line.get("error").toString().find(warning) == std::string_view::npos)
            return {false, "rejected, but the error does not contain \"" + warning + "\"\n got " + got};
        return {true, {}};
    }
    if (line.get("error").isTruthy())
        return {false, "unexpected rejection\n got " + got};

    km::JsonReader reader;
    const km::JsonResult expected = reader.parse(expectedText, arena);
    if (!expected.ok())
        return {false, "expected JSON: " + expected.error->toString()};
    if (!output.isArray() || !expected.value.isArray())
        return {false, "output is not an array\n got " + got};

    km::EngineId id{};
    km::engineFromName(engineName, &id);
    const bool http = km::outputKind(id) == km::OutputKind::Http;
    bool same = output.size() == expected.value.size();
    for (std::size_t i = 0; same && i < output.size(); ++i) {
        const km::Value &g = output.items()[i];
        const km::Value &x = expected.value.items()[i];
        if (http)
            same = g.get("endpoint").toString() == x.get("endpoint").toString()
                   && g.get("method").toString() == (x.has("method") ? x.get("method").toString() : "GET")
                   && vectors::same(g.get("params"), x.get("params"));
        else
            same = vectors::same(g, x);
    }
    if (!same)
        return {false, "expected " + vectors::toJson(expected.value) + "\n got " + got};

    if (!warning.empty()) {
        bool found = false;
        for (const km::Value &w : line.get("warnings").items())
            found = found || w.get("code").toString() == warning;
        if (!found)
            return {false, "output matches but warning \"" + warning + "\" is missing\n got " + got};
    }
    return {true, {}};
}

} // namespace rules

// Runs the current row; rows listed in `knownBugs` are expected to fail (suspected engine bugs).
#define KM_RULE_CHECK(knownBugs)                                                                                   \
    do {                                                                                                           \
        QFETCH(QString, engine);                                                                                   \
        QFETCH(QString, settings);                                                                                 \
        QFETCH(QString, env);                                                                                      \
        QFETCH(QString, input);                                                                                    \
        QFETCH(QString, expected);                                                                                 \
        QFETCH(double, now);                                                                                       \
        QFETCH(bool, rejects);                                                                                     \
        QFETCH(QString, warning);                                                                                  \
        const rules::Outcome outcome_ =                                                                            \
                rules::check(engine.toStdString(), settings.toStdString(), env.toStdString(), input.toStdString(), \
                             expected.toStdString(), now, rejects, warning.toStdString());                         \
        const char *tag_ = QTest::currentDataTag();                                                                \
        if (const auto it_ = (knownBugs).find(tag_); it_ != (knownBugs).end())                                     \
            QEXPECT_FAIL(tag_, it_->second, Continue);                                                             \
        QVERIFY2(outcome_.ok, outcome_.why.c_str());                                                               \
    } while (false)
