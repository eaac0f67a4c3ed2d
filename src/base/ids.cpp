#include <calltrack/ids.hpp>

#include <stdexcept>

namespace calltrack::detail {

// 128 bytes fits every common host key (UUIDs, database keys, slugs) while keeping ids small in
// memory and in the store.
constexpr std::size_t max_id_length = 128;

bool is_valid_id_text(std::string_view text) noexcept {
    if (text.empty() || text.size() > max_id_length) return false;
    for (const char c : text) {
        if (c <= ' ' || c > '~') return false;
    }
    return true;
}

void throw_invalid_id(std::string_view text) {
    throw std::invalid_argument("calltrack: invalid id '" + std::string(text)
                                + "': ids are 1 to 128 printable ASCII characters without spaces");
}

}  // namespace calltrack::detail
