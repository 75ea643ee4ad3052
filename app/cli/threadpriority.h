#pragma once

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace km {

// For the calling thread, that works beside the sending thread (reading the input, writing the
// history): a lower priority, so that on a busy machine the sending thread and the endpoint it
// talks to get the processors first and this one uses what they leave.
inline void lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux a nice value is per thread: gettid() names this one alone.
    [[maybe_unused]] const int rc = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
#endif
}

} // namespace km
