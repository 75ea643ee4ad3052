#include "streamtranslator.h"

namespace km {

StreamTranslator::StreamTranslator(MessageStream &stream,
                                   EngineId engine,
                                   const Settings &settings,
                                   const Environment &environment,
                                   const TranslateOptions &options)
    : m_stream(stream)
    , m_engine(Engine::create(engine))
    , m_settings(settings)
    , m_environment(environment)
    , m_options(options)
{
    if (engine == EngineId::SegmentCloud && options.route == Route::Shortcuts && options.explain == ExplainMode::Off) {
        m_route.emplace(m_settings, options.nowMillis);
        m_stream.setConversion(MessageStream::Conversion::Deferred);
    }
}

StreamTranslator::~StreamTranslator() = default;

bool StreamTranslator::next(InputMessage &message, Translation &translation, Arena &arena)
{
    if (!m_stream.next(message, arena))
        return false;
    if (!message.isValid())
        return true;
    if (message.isDeferred()) {
        if (m_route && m_route->translate(message.tape, translation)) {
            ++m_wireRouteCount;
            m_options.isFirstMessage = false;
            return true;
        }
        m_stream.convert(message, arena);
        if (!message.isValid())
            return true;
    }
    m_engine->translate(message.value, m_settings, m_environment, m_options, arena, translation);
    m_options.isFirstMessage = false;
    return true;
}

bool StreamTranslator::skip(InputMessage &message, Arena &arena)
{
    return m_stream.next(message, arena);
}

} // namespace km
