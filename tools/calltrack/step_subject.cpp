#include "step_subject.hpp"

#include <type_traits>
#include <utility>
#include <variant>

namespace calltrack::cli {
namespace {

// Which subject members a command has, so that the target is found without a case per command.
template <class T, class = void>
struct has_subject_account : std::false_type {};
template <class T>
struct has_subject_account<T, std::void_t<decltype(std::declval<T>().account)>> : std::true_type {};
template <class T, class = void>
struct has_subject_agency : std::false_type {};
template <class T>
struct has_subject_agency<T, std::void_t<decltype(std::declval<T>().agency)>> : std::true_type {};
template <class T, class = void>
struct has_subject_number : std::false_type {};
template <class T>
struct has_subject_number<T, std::void_t<decltype(std::declval<T>().number)>> : std::true_type {};
template <class T, class = void>
struct has_subject_owner : std::false_type {};
template <class T>
struct has_subject_owner<T, std::void_t<decltype(std::declval<T>().owner)>> : std::true_type {};

template <class T>
constexpr bool acts_on_one_number() {
    if constexpr (has_subject_number<T>::value) {
        return std::is_same_v<std::decay_t<decltype(std::declval<T>().number)>, NumberId>;
    } else {
        return false;
    }
}

}  // namespace

std::string target_of(const Command& command) {
    return std::visit(
        [](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<
                              T, commands::GrantRole> || std::is_same_v<T, commands::RevokeRole>) {
                return c.user.str() + " " + std::string(to_string(c.grant.role)) + "@"
                       + to_string(c.grant.scope);
            } else if constexpr (std::is_same_v<T, commands::RequestTransfer>) {
                return c.account.str() + " to " + c.to.str();
            } else if constexpr (acts_on_one_number<T>()) {
                return c.number.str();
            } else if constexpr (has_subject_account<T>::value) {
                std::string out = c.account.str();
                if constexpr (has_subject_number<T>::value) {
                    if (c.number) out += " number " + c.number->str();
                }
                return out;
            } else if constexpr (has_subject_agency<T>::value) {
                return c.agency.str();
            } else if constexpr (has_subject_owner<T>::value) {
                return to_string(c.owner);
            } else {
                return {};
            }
        },
        command);
}

std::optional<BalanceOwner> owner_of(const Command& command) {
    return std::visit(
        [](const auto& c) -> std::optional<BalanceOwner> {
            using T = std::decay_t<decltype(c)>;
            if constexpr (
                std::is_same_v<
                    T,
                    commands::
                        GrantRole> || std::is_same_v<T, commands::RevokeRole> || acts_on_one_number<T>()) {
                return std::nullopt;
            } else if constexpr (has_subject_account<T>::value) {
                return BalanceOwner{c.account};
            } else if constexpr (has_subject_agency<T>::value) {
                return BalanceOwner{c.agency};
            } else if constexpr (has_subject_owner<T>::value) {
                return c.owner;
            } else {
                return std::nullopt;
            }
        },
        command);
}

std::optional<NumberId> number_of(const Command& command) {
    return std::visit(
        [](const auto& c) -> std::optional<NumberId> {
            using T = std::decay_t<decltype(c)>;
            if constexpr (acts_on_one_number<T>()) {
                return c.number;
            } else {
                return std::nullopt;
            }
        },
        command);
}

}  // namespace calltrack::cli
