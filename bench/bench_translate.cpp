// End-to-end translation benchmark: NDJSON in, every request's query string out, on one core.
//
//   bench_translate parse CORPUS       simdjson alone (parse_many over the whole file)
//   bench_translate read CORPUS        kmtester's reader: NDJSON stream -> Values (no translation)
//   bench_translate scan CORPUS        the same reader, NDJSON stream -> parsed tapes (what the wire route reads)
//   bench_translate translate CORPUS [ENGINE]
//                                      what kmtester-cli translate does (StreamTranslator): for
//                                      segment-cloud (the default) tapes -> wire route -> query strings,
//                                      else stream -> Values -> engine
//   bench_translate engine CORPUS [ENGINE]
//                                      stream -> Values -> engine -> query strings, every message
//
// Each mode prints one line: mode, messages, seconds, messages/s, MB/s, peak RSS (MiB). Run each
// mode in its own process so the peak memory belongs to that mode alone.

#include "engine.h"
#include "messagestream.h"
#include "settings.h"
#include "streamtranslator.h"

#include <QFile>

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sys/resource.h>

using namespace km;

namespace {

double peakMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void report(const char *mode, std::size_t messages, std::size_t bytes, double seconds, std::size_t checksum)
{
    std::printf("%-10s %9zu msgs %8.3f s %11.0f msg/s %9.1f MB/s %8.1f MiB peak  (checksum %zu)\n", mode, messages,
                seconds, static_cast<double>(messages) / seconds, static_cast<double>(bytes) / 1e6 / seconds, peakMiB(),
                checksum);
}

int parseOnly(const char *path)
{
    simdjson::padded_string json;
    if (simdjson::padded_string::load(path).get(json)) {
        std::fprintf(stderr, "cannot read %s\n", path);
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    simdjson::dom::parser parser;
    simdjson::dom::document_stream docs;
    if (parser.parse_many(json).get(docs)) {
        std::fprintf(stderr, "parse_many failed\n");
        return 1;
    }
    std::size_t count = 0, checksum = 0;
    for (auto doc : docs) {
        simdjson::dom::object obj;
        if (!doc.get(obj))
            checksum += obj.size();
        ++count;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report("parse", count, json.size(), seconds, checksum);
    return 0;
}

enum class Mode {
    Read,      // NDJSON -> Values
    Scan,      // NDJSON -> tapes
    Translate, // what the CLI does: the wire route where it applies, else Values and the engine
    Engine,    // NDJSON -> Values -> engine, every message (the route other input forms take)
};

const char *modeName(Mode mode)
{
    switch (mode) {
    case Mode::Read:
        return "read";
    case Mode::Scan:
        return "scan";
    case Mode::Translate:
        return "translate";
    case Mode::Engine:
        return "engine";
    }
    return "";
}

int run(const char *path, Mode mode, const char *engineName)
{
    QFile file(QString::fromLocal8Bit(path));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", path);
        return 2;
    }
    EngineId id = EngineId::SegmentCloud;
    if (!engineFromName(engineName, &id)) {
        std::fprintf(stderr, "unknown engine %s\n", engineName);
        return 2;
    }
    Settings settings;
    std::string error;
    Settings::fromJson(R"({"apiKey":"2b93bdf937c54fc7da2b5c6015c273bf3919c273","prefixProperties":true})", &settings,
                       &error);
    const Environment environment;
    TranslateOptions options;
    options.nowMillis = 1577836800000.0;

    const auto start = std::chrono::steady_clock::now();
    MessageStream stream(&file);
    stream.setStringStorage(JsonReader::StringStorage::Reader); // as kmtester-cli translate reads
    if (mode == Mode::Scan)
        stream.setConversion(MessageStream::Conversion::Deferred);
    std::optional<StreamTranslator> translator;
    if (mode == Mode::Translate)
        translator.emplace(stream, id, settings, environment, options);
    const auto engine = Engine::create(id);
    Arena arena;
    InputMessage message;
    Translation translation;
    std::size_t count = 0, checksum = 0;
    auto next = [&] {
        if (mode == Mode::Translate)
            return translator->next(message, translation, arena);
        if (!stream.next(message, arena))
            return false;
        if (mode == Mode::Engine && message.isValid())
            engine->translate(message.value, settings, environment, options, arena, translation);
        return true;
    };
    while (next()) {
        ++count;
        if ((mode == Mode::Translate || mode == Mode::Engine) && message.isValid()) {
            for (const HttpRequest &r : translation.requests)
                checksum += r.wire.size();
            checksum += translation.pushes.size();
        } else if (message.isDeferred()) {
            checksum += message.tape.close(JsonTape::Root) - JsonTape::Root;
        } else {
            checksum += message.value.size();
        }
        arena.reset();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report(modeName(mode), count, static_cast<std::size_t>(file.size()), seconds, checksum);
    if (translator)
        std::fprintf(stderr, "  %zu of %zu messages took the wire route\n", translator->wireRouteCount(), count);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s parse|read|scan|translate|engine CORPUS [ENGINE]\n", argv[0]);
        return 2;
    }
    if (std::strcmp(argv[1], "parse") == 0)
        return parseOnly(argv[2]);
    for (Mode mode : {Mode::Read, Mode::Scan, Mode::Translate, Mode::Engine})
        if (std::strcmp(argv[1], modeName(mode)) == 0)
            return run(argv[2], mode, argc > 3 ? argv[3] : "segment-cloud");
    std::fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
