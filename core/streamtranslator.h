#pragma once

#include "cloudwireroute.h"
#include "engine.h"
#include "messagestream.h"

#include <memory>
#include <optional>

namespace km {

// Reads messages from a stream and translates each one with one engine and one set of settings:
// what `kmtester-cli translate` and `send` do per message, and what the benchmark measures. For
// segment-cloud (shortcuts allowed, explanations off), NDJSON messages that CloudWireRoute takes
// go from the parser's tape straight to the wire; every other message is read into Values and
// translated by the engine. Either way the translation is the same. For the wire route it sets
// the stream to deferred conversion (MessageStream::setConversion).
class StreamTranslator
{
public:
    StreamTranslator(MessageStream &stream,
                     EngineId engine,
                     const Settings &settings,
                     const Environment &environment,
                     const TranslateOptions &options);
    ~StreamTranslator();
    StreamTranslator(const StreamTranslator &) = delete;
    StreamTranslator &operator=(const StreamTranslator &) = delete;

    // Reads the next message and, when it is valid, translates it into `translation` (left as
    // it was otherwise). False at the end of the input. Values live in arena, as with
    // MessageStream::next().
    bool next(InputMessage &message, Translation &translation, Arena &arena);
    // Reads the next message without translating it.
    bool skip(InputMessage &message, Arena &arena);

    // How many messages took the wire route so far.
    std::size_t wireRouteCount() const { return m_wireRouteCount; }

private:
    MessageStream &m_stream;
    std::unique_ptr<Engine> m_engine;
    Settings m_settings;
    Environment m_environment;
    TranslateOptions m_options;
    std::optional<CloudWireRoute> m_route;
    std::size_t m_wireRouteCount = 0;
};

} // namespace km
