#pragma once

#include "engine.h"

namespace km {

// Segment's server-side integration (cloud mode): HTTP requests to /e, /s, /a.
class SegmentCloudEngine : public Engine
{
public:
    EngineId id() const override { return EngineId::SegmentCloud; }

protected:
    void run(EngineContext &context) const override;
};

} // namespace km
