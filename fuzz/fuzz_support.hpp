#pragma once

// What every calltrack fuzz target shares: a check that aborts with a message (libFuzzer then
// saves the input as a crash), and the input as text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace calltrack::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// A property of the code under test failed: say which, then abort so the input is kept.
[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "calltrack fuzz property failed: %s\n", what.c_str());
    std::abort();
}

inline void require(bool holds, const std::string& what) {
    if (!holds) fail(what);
}

}  // namespace calltrack::fuzz
