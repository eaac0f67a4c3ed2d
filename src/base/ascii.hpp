#pragma once

// Character classes of the text formats calltrack reads (amounts, phone numbers): ASCII only,
// whatever the C locale says.

namespace calltrack::detail {

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

}  // namespace calltrack::detail
