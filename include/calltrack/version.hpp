#pragma once

// The one place the version is written; CMakeLists.txt reads it from here.
#define CALLTRACK_VERSION_MAJOR 0
#define CALLTRACK_VERSION_MINOR 1
#define CALLTRACK_VERSION_PATCH 0

#include <calltrack/export.hpp>

namespace calltrack {

inline constexpr int version_major = CALLTRACK_VERSION_MAJOR;
inline constexpr int version_minor = CALLTRACK_VERSION_MINOR;
inline constexpr int version_patch = CALLTRACK_VERSION_PATCH;

/// "MAJOR.MINOR.PATCH" of the library that was linked, which may differ from the headers used.
CALLTRACK_API const char* version_string() noexcept;

}  // namespace calltrack
