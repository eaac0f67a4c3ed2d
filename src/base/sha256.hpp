#pragma once

// SHA-256 (FIPS 180-4) fed piece by piece, behind calltrack/digest.hpp's sha256_hex(), for the
// audit trail's hash chain and the impact digest, which hash texts built from many parts. Our own,
// not a library's: it is a hundred lines fully fixed by the standard and checked against its
// examples (tests/audit_test.cpp), where OpenSSL would add a link dependency to every host for one
// function. Not for secrets: nothing here is keyed or needs to run in constant time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace calltrack::detail {

class Sha256 {
  public:
    Sha256() noexcept;
    /// Hashes `bytes` after everything added before.
    void add(std::string_view bytes) noexcept;
    /// The digest of everything added, as 64 lower-case hex digits. The hasher is spent after.
    std::string hex() noexcept;

  private:
    void compress(const unsigned char* block) noexcept;

    std::array<std::uint32_t, 8> state_;
    std::array<unsigned char, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  ///< bytes added
};

}  // namespace calltrack::detail
