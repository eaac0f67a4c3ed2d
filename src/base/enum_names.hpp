#pragma once

// One `{value, "name"}` table per enum serves its names, its parsing and the list of its values,
// so an enum's spelling is written once. A table lists every value in declaration order, which
// names_every_value() checks at compile time, so naming a value is an index, not a search.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace calltrack::detail {

template <class Enum>
struct Named {
    Enum value;
    std::string_view name;
};

/// True when `table` lists the values 0, 1, 2, ... of its enum, in order: static_assert it.
template <class Enum, std::size_t N>
constexpr bool names_every_value(const std::array<Named<Enum>, N>& table) {
    for (std::size_t i = 0; i < N; ++i) {
        if (static_cast<std::size_t>(table[i].value) != i) return false;
    }
    return true;
}

/// The name of `value`, or "unknown" for a value outside the table (a cast from a bad integer).
template <class Enum, std::size_t N>
constexpr std::string_view name_of(const std::array<Named<Enum>, N>& table, Enum value) noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? table[i].name : std::string_view("unknown");
}

/// The value named exactly `name`, if any.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const std::array<Named<Enum>, N>& table,
                                          std::string_view name) noexcept {
    for (const auto& entry : table) {
        if (entry.name == name) return entry.value;
    }
    return std::nullopt;
}

/// Every value of the table, in order: for loops over an enum's values.
template <class Enum, std::size_t N>
constexpr std::array<Enum, N> values_of(const std::array<Named<Enum>, N>& table) noexcept {
    std::array<Enum, N> values{};
    for (std::size_t i = 0; i < N; ++i) values[i] = table[i].value;
    return values;
}

}  // namespace calltrack::detail
