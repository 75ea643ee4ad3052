#pragma once

#include "engine.h"

namespace km {

// RudderStack's transformer destination (cloud mode): HTTP requests.
class RudderCloudEngine : public Engine
{
public:
    EngineId id() const override { return EngineId::RudderCloud; }

protected:
    void run(EngineContext &context) const override;
};

} // namespace km
