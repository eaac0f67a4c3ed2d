#pragma once

// What writing and reading share about the structs they handle: each struct's members, in order,
// under their JSON keys, and the blank value a read starts from.

#include "codec.hpp"

#include <calltrack/typed_effect.hpp>

#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace calltrack::codec_detail {

// Each struct the codec writes and reads lists its members once, beside them, with
// CALLTRACK_FIELDS (calltrack/fields.hpp): writing, reading and the unknown-key check all follow
// that list. blank() below builds each struct by aggregate initialisation from its list, so a list
// that misses a member is a -Wmissing-field-initializers warning (an error in the dev and CI
// builds), and one out of order fails on the member types.

/// The member's JSON key: its name, but for an effect's kind, the discriminator, which is written
/// first under "effect" as a command's is under "command" and an event's under "event".
template <class T, class M>
constexpr std::string_view key_of(const Field<T, M>& f) noexcept {
    if constexpr (std::is_same_v<T, HostEffect> && std::is_same_v<M, EffectKind>) return "effect";
    return f.name;
}

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(T::fields())>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// People write commands, so inside a command's confirmation every key may be left out, and so
/// may the confirmation itself: what is not given was not confirmed.
template <class T>
constexpr bool may_be_left_out = is_optional<T>::value || std::is_same_v<T, Confirmation>;
/// An effect's keys depend on its kind: Reader::value(HostEffect) reads what is there, then
/// checks it against members_of() (typed_effect.hpp).
template <class T>
constexpr bool every_key_may_be_left_out =
    std::is_same_v<T, Confirmation> || std::is_same_v<T, HostEffect>;

/// A value to read into. Reading sets every member, from its key or (where the key may be left
/// out) to its empty value, so nothing of a blank survives; in particular not the placeholder
/// phone number, which stands in only because PhoneNumber has no default.
PhoneNumber blank(Tag<PhoneNumber>);
template <class T>
T blank(Tag<T>) {
    if constexpr (has_fields<T>::value) {
        return std::apply(
            [](const auto&... f) {
                return T{blank(Tag<typename std::decay_t<decltype(f)>::member_type>{})...};
            },
            T::fields());
    } else {
        return T{};
    }
}

}  // namespace calltrack::codec_detail
