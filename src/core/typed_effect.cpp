// typed(), untyped() and members_of(): each typed member is copied to or from the HostEffect member
// of the same name, so a kind's type is the only list of what applies to it. The owner of a balance
// or a bill is the one exception: HostEffect keeps it as an account or an agency.
#include <calltrack/typed_effect.hpp>

#include <array>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace calltrack {
namespace {

template <std::size_t... I>
constexpr bool kinds_follow_the_variant(std::index_sequence<I...>) {
    return ((static_cast<std::size_t>(std::variant_alternative_t<I, TypedEffect>::kind) == I)
            && ...);
}
static_assert(
    kinds_follow_the_variant(std::make_index_sequence<std::variant_size_v<TypedEffect>>{}),
    "TypedEffect's alternatives must follow EffectKind's order");

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

[[noreturn]] void lacks(EffectKind kind, std::string_view what) {
    throw std::invalid_argument("calltrack::typed: a " + std::string(to_string(kind))
                                + " effect without its " + std::string(what));
}

/// Calls `visit` with the field of HostEffect named `name`, if it has one.
template <class Visit>
void with_member_named(std::string_view name, Visit visit) {
    std::apply(
        [&](const auto&... f) {
            const auto one = [&](const auto& field) {
                if (field.name == name) visit(field);
            };
            (one(f), ...);
        },
        HostEffect::fields());
}

template <class Field>
using member_of = typename std::decay_t<Field>::member_type;

/// The typed member `to`, from the HostEffect member of the same name.
template <class M>
void copy_from(const HostEffect& from, std::string_view name, M& to, EffectKind kind) {
    if constexpr (std::is_same_v<M, BalanceOwner>) {
        if (from.account.has_value() == from.agency.has_value()) lacks(kind, "one owner");
        if (from.account) {
            to = *from.account;
        } else {
            to = *from.agency;
        }
    } else {
        with_member_named(name, [&](const auto& field) {
            using H = member_of<decltype(field)>;
            const H& value = from.*(field.member);
            if constexpr (std::is_same_v<H, M>) {
                to = value;
            } else if constexpr (std::is_same_v<H, std::optional<M>>) {
                if (!value) lacks(kind, name);
                to = *value;
            }
        });
    }
}

/// The HostEffect member of the same name, from the typed member `from`.
template <class M>
void copy_to(HostEffect& to, std::string_view name, const M& from) {
    if constexpr (std::is_same_v<M, BalanceOwner>) {
        if (const auto* account = std::get_if<AccountId>(&from)) {
            to.account = *account;
        } else {
            to.agency = std::get<AgencyId>(from);
        }
    } else {
        with_member_named(name, [&](const auto& field) {
            using H = member_of<decltype(field)>;
            if constexpr (std::is_same_v<H, M> || std::is_same_v<H, std::optional<M>>) {
                to.*(field.member) = from;
            }
        });
    }
}

template <std::size_t I>
TypedEffect typed_as(const HostEffect& effect) {
    using T = std::variant_alternative_t<I, TypedEffect>;
    T out{};
    std::apply(
        [&](const auto&... f) { (copy_from(effect, f.name, out.*(f.member), T::kind), ...); },
        T::fields());
    return TypedEffect(std::in_place_index<I>, std::move(out));
}

template <std::size_t... I>
TypedEffect typed_at(const HostEffect& effect, std::index_sequence<I...>) {
    using Make = TypedEffect (*)(const HostEffect&);
    static constexpr Make make[] = {&typed_as<I>...};
    const auto index = static_cast<std::size_t>(effect.kind);
    if (index >= sizeof...(I)) {
        throw std::invalid_argument("calltrack::typed: an effect of no known kind");
    }
    return make[index](effect);
}

}  // namespace

TypedEffect typed(const HostEffect& effect) {
    return typed_at(effect, std::make_index_sequence<std::variant_size_v<TypedEffect>>{});
}

HostEffect untyped(const TypedEffect& effect) {
    return std::visit(
        [](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            HostEffect out{};
            out.kind = T::kind;
            std::apply([&](const auto&... f) { (copy_to(out, f.name, e.*(f.member)), ...); },
                       T::fields());
            return out;
        },
        effect);
}

EffectKind kind_of(const TypedEffect& effect) noexcept {
    return static_cast<EffectKind>(effect.index());
}

// --- members_of ------------------------------------------------------------------------------
namespace {

template <class T>
EffectMembers members_of_type() {
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
    return {members_of_type<std::variant_alternative_t<I, TypedEffect>>()...};
}

}  // namespace

const EffectMembers& members_of(EffectKind kind) {
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

}  // namespace calltrack
