#pragma once

// SHA-256 (FIPS 180-4), the one hash calltrack uses: the audit trail's chain (store.hpp:
// chain_hash) and the impact digest (impact.hpp) are this hash of a text those headers define,
// so that a host can recompute either outside calltrack. Not for secrets: nothing is keyed.

#include <calltrack/export.hpp>

#include <string>
#include <string_view>

namespace calltrack {

/// The SHA-256 digest of `bytes`, as 64 lower-case hex digits.
CALLTRACK_API std::string sha256_hex(std::string_view bytes);

}  // namespace calltrack
