#pragma once

#include "engine.h"

namespace km {

// Segment's analytics.js integration (device mode, web): _kmq pushes.
class SegmentDeviceEngine : public Engine
{
public:
    EngineId id() const override { return EngineId::SegmentDevice; }

protected:
    void run(EngineContext &context) const override;
};

} // namespace km
