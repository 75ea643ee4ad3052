#pragma once

#include "translation.h"
#include "value.h"

namespace km {

// Shape checks on a Segment message that every engine shares: fields of the wrong type (an
// `event` that is a number, a `userId` that is an object), missing required fields. They are
// warnings, not errors: the real integrations accept such messages and do something with them,
// which the engines reproduce; the user should know the input is unusual.
void checkMessageShape(const Value &message, Translation &out);

} // namespace km
