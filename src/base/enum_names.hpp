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

/// How many values an enum has whose values run 0, 1, 2, ... to `last`: the size of its table,
/// tied to the last enumerator so that a value added before it cannot be left out.
template <class Enum>
constexpr std::size_t count_through(Enum last) noexcept {
    return static_cast<std::size_t>(last) + 1;
}

/// True when `table` lists the values 0, 1, 2, ... of its enum, in order: static_assert it.
template <class Enum, std::size_t N>
constexpr bool names_every_value(const std::array<Named<Enum>, N>& table) {
    for (std::size_t i = 0; i < N; ++i) {
        if (static_cast<std::size_t>(table[i].value) != i) return false;
    }
    return true;
}

/// True when `values`, a list a public header keeps, holds the table's values in its order:
/// static_assert it, so the two lists cannot drift apart.
template <class Enum, std::size_t N, std::size_t M>
constexpr bool lists_same_values(const std::array<Named<Enum>, N>& table, const Enum (&values)[M]) {
    if (N != M) return false;
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i].value != values[i]) return false;
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
