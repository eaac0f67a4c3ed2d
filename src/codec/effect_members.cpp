// Which members the JSON of each effect kind holds: those of the kind's typed effect
// (typed_effect.hpp), read off its field list, so that adding a member to a typed effect is
// the whole change. A typed effect's owner is HostEffect's account or agency.

#include "fields.hpp"

#include <calltrack/typed_effect.hpp>

#include <array>
#include <utility>

namespace calltrack::codec_detail {
namespace {

template <class T>
EffectMembers members_of() {
    EffectMembers out;
    std::apply(
        [&](const auto&... f) {
            const auto one = [&](const auto& field) {
                using M = typename std::decay_t<decltype(field)>::member_type;
                const bool required = !is_optional<M>::value;
                if (field.name == "owner") {
                    out.keys.push_back("account");
                    out.keys.push_back("agency");
                    out.needs_owner = true;
                } else {
                    out.keys.push_back(field.name);
                    if (required) out.required.push_back(field.name);
                }
            };
            (one(f), ...);
        },
        T::fields());
    return out;
}

template <std::size_t... I>
std::array<EffectMembers, sizeof...(I)> all_members(std::index_sequence<I...>) {
    return {members_of<std::variant_alternative_t<I, TypedEffect>>()...};
}

}  // namespace

const EffectMembers& effect_members(EffectKind kind) {
    static const auto table =
        all_members(std::make_index_sequence<std::variant_size_v<TypedEffect>>{});
    const auto i = static_cast<std::size_t>(kind);
    if (i >= table.size()) {
        static const EffectMembers none;
        return none;
    }
    return table[i];
}

bool EffectMembers::has(std::string_view key) const noexcept {
    for (const auto k : keys) {
        if (k == key) return true;
    }
    return false;
}

}  // namespace calltrack::codec_detail
