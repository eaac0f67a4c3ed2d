#pragma once

// The seed of a randomised test: the environment variable's value, to replay a run, or a fresh
// one; printed either way, so that a failure can be run again exactly.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>

namespace calltrack::testing {

inline std::uint32_t announced_seed(const char* what, const char* variable) {
    std::uint32_t seed = 0;
    if (const char* text = std::getenv(variable)) {
        seed = static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10));
    } else {
        seed = std::random_device{}();
    }
    std::cout << what << " seed: " << seed << " (set " << variable << "=" << seed
              << " to replay)\n";
    return seed;
}

}  // namespace calltrack::testing
