#pragma once

#include "engine.h"

namespace km {

// RudderStack's JavaScript SDK integration (device mode): _kmq pushes.
class RudderDeviceEngine : public Engine
{
public:
    EngineId id() const override { return EngineId::RudderDevice; }

protected:
    void run(EngineContext &context) const override;
};

} // namespace km
