#include "allocation_counter.hpp"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
thread_local std::uint64_t count = 0;
}  // namespace

std::uint64_t calltrack::bench::allocation_count() noexcept {
    return count;
}

// operator new[] and the nothrow forms call this one in libstdc++; the aligned forms are not
// counted (nothing on the paths measured over-aligns).
void* operator new(std::size_t size) {
    ++count;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept {
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
