#pragma once

// Counts heap allocations: allocation_counter.cpp replaces the global operator new of the
// benchmark program, so a benchmark can report how many allocations one iteration makes. The
// replacement lives in its own translation unit so that the compiler never inlines it into a
// caller. The benchmarks run on one thread; the count is the calling thread's.

#include <cstdint>

namespace calltrack::bench {

/// Calls of operator new (any form that goes through `operator new(std::size_t)`) made so far by
/// the calling thread.
std::uint64_t allocation_count() noexcept;

}  // namespace calltrack::bench
