#include <calltrack/version.hpp>

namespace calltrack {

#define CALLTRACK_STRINGIFY_(x) #x
#define CALLTRACK_STRINGIFY(x) CALLTRACK_STRINGIFY_(x)

const char* version_string() noexcept {
    return CALLTRACK_STRINGIFY(CALLTRACK_VERSION_MAJOR) "." CALLTRACK_STRINGIFY(
        CALLTRACK_VERSION_MINOR) "." CALLTRACK_STRINGIFY(CALLTRACK_VERSION_PATCH);
}

}  // namespace calltrack
