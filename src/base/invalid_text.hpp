#pragma once

// What a value type's constructor from text throws when the program itself spelled the text
// wrong (docs/concepts.md, "Values from text"): the kind of value, the text as given and the
// errc's own words, so the message alone finds the bad literal. Shared by the base layer's value
// types; parse() never comes here.

#include <calltrack/errors.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace calltrack::detail {

/// Throws std::invalid_argument("calltrack: invalid <kind> '<text>': <message of why>").
[[noreturn]] inline void throw_invalid_text(std::string_view kind, std::string_view text,
                                            const boost::system::error_code& why) {
    throw std::invalid_argument("calltrack: invalid " + std::string(kind) + " '" + std::string(text)
                                + "': " + why.message());
}

}  // namespace calltrack::detail
