// The one literal that is not inline in literals.hpp: Time is Boost's type and has no
// constructor of ours that could throw, so the throwing conversion lives here, beside the
// message the other value types' constructors give (invalid_text.hpp).
#include <calltrack/literals.hpp>

#include "invalid_text.hpp"

namespace calltrack {
inline namespace literals {

Time operator""_time(const char* text, std::size_t size) {
    const std::string_view spelled(text, size);
    const auto parsed = parse_time(spelled);
    if (!parsed) detail::throw_invalid_text("time", spelled, parsed.error());
    return parsed.value();
}

}  // namespace literals
}  // namespace calltrack
