#include <calltrack/event.hpp>

#include <calltrack/detail/model_names.hpp>

#include <type_traits>

namespace calltrack {

std::string_view to_string(CancelKind k) noexcept {
    return detail::name_of(detail::cancel_kind_names, k);
}

std::string_view event_name(const Event& event) noexcept {
    return detail::event_names[event.index()];
}

namespace {

// Detects the subject fields an event has, so describe() can print them without a case per type.
template <class T, class = void>
struct has_account : std::false_type {};
template <class T>
struct has_account<T, std::void_t<decltype(std::declval<T>().account)>> : std::true_type {};
template <class T, class = void>
struct has_agency : std::false_type {};
template <class T>
struct has_agency<T, std::void_t<decltype(std::declval<T>().agency)>> : std::true_type {};
template <class T, class = void>
struct has_number : std::false_type {};
template <class T>
struct has_number<T, std::void_t<decltype(std::declval<T>().number)>> : std::true_type {};
template <class T, class = void>
struct has_owner : std::false_type {};
template <class T>
struct has_owner<T, std::void_t<decltype(std::declval<T>().owner)>> : std::true_type {};

#define CALLTRACK_HAS_FIELD(field)           \
    template <class T, class = void>         \
    struct has_##field : std::false_type {}; \
    template <class T>                       \
    struct has_##field<T, std::void_t<decltype(std::declval<T>().field)>> : std::true_type {};
CALLTRACK_HAS_FIELD(user)
CALLTRACK_HAS_FIELD(kind)
CALLTRACK_HAS_FIELD(charges)
CALLTRACK_HAS_FIELD(hold_fee)
CALLTRACK_HAS_FIELD(amount)
CALLTRACK_HAS_FIELD(purge_at)
CALLTRACK_HAS_FIELD(until)
CALLTRACK_HAS_FIELD(reactivation_until)
CALLTRACK_HAS_FIELD(outcome)
CALLTRACK_HAS_FIELD(to)
CALLTRACK_HAS_FIELD(numbers)
CALLTRACK_HAS_FIELD(phone_number)
CALLTRACK_HAS_FIELD(forwarding_destination)
CALLTRACK_HAS_FIELD(plan)
#undef CALLTRACK_HAS_FIELD

void append(std::string& out, const char* key, const std::string& value) {
    out += ' ';
    out += key;
    out += '=';
    out += value;
}
void append_time(std::string& out, const char* key, const std::optional<Time>& t) {
    append(out, key, t ? format_time(*t) : std::string("none"));
}

template <class Id>
void append_id(std::string& out, const char* key, const Id& id) {
    out += ' ';
    out += key;
    out += '=';
    out += id.str();
}
template <class Id>
void append_id(std::string& out, const char* key, const std::optional<Id>& id) {
    if (id) append_id(out, key, *id);
}
/// "numbers=web, print", as charges are listed; "numbers=none" when empty.
void append_ids(std::string& out, const char* key, const std::vector<NumberId>& ids) {
    std::string list;
    for (const auto& id : ids) {
        if (!list.empty()) list += ", ";
        list += id.str();
    }
    append(out, key, list.empty() ? std::string("none") : list);
}
/// "plan=Pro", then "add_ons=recording, forms" when it has any.
void append_plan(std::string& out, const Plan& plan) {
    append(out, "plan", plan.name);
    std::string list;
    for (const auto& a : plan.add_ons) {
        if (!list.empty()) list += ", ";
        list += a;
    }
    if (!list.empty()) append(out, "add_ons", list);
}

}  // namespace

std::string describe(const Event& event) {
    std::string out(event_name(event));
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (has_agency<T>::value) append_id(out, "agency", e.agency);
            if constexpr (has_account<T>::value) append_id(out, "account", e.account);
            if constexpr (has_number<T>::value) append_id(out, "number", e.number);
            if constexpr (has_numbers<T>::value) append_ids(out, "numbers", e.numbers);
            if constexpr (has_phone_number<T>::value) {
                append(out, "phone", e.phone_number.e164());
            }
            if constexpr (has_forwarding_destination<T>::value) {
                append(out, "forwarding", e.forwarding_destination.e164());
            }
            if constexpr (has_plan<T>::value) append_plan(out, e.plan);
            if constexpr (has_owner<T>::value) append(out, "owner", to_string(e.owner));
            if constexpr (has_user<T>::value) append_id(out, "user", e.user);
            if constexpr (has_to<T>::value) append_id(out, "to", e.to);
            if constexpr (has_kind<T>::value) append(out, "kind", std::string(to_string(e.kind)));
            if constexpr (has_outcome<T>::value) {
                append(out, "outcome", std::string(to_string(e.outcome)));
            }
            if constexpr (has_charges<T>::value) append(out, "charges", to_string(e.charges));
            if constexpr (has_hold_fee<T>::value) {
                if (e.hold_fee) append(out, "hold_fee", to_string(*e.hold_fee));
            }
            if constexpr (has_amount<T>::value) append(out, "amount", to_string(e.amount));
            if constexpr (
                std::is_same_v<
                    T,
                    events::SuspendedForBalance> || std::is_same_v<T, events::SuspensionLifted>) {
                append(out, "balance", to_string(e.balance));
            }
            if constexpr (has_purge_at<T>::value) append_time(out, "purge_at", e.purge_at);
            if constexpr (has_until<T>::value) append_time(out, "until", e.until);
            if constexpr (has_reactivation_until<T>::value) {
                append_time(out, "reactivation_until", e.reactivation_until);
            }
            if constexpr (std::is_same_v<
                              T, events::RoleGranted> || std::is_same_v<T, events::RoleRevoked>) {
                append(out, "role",
                       std::string(to_string(e.grant.role)) + "@" + to_string(e.grant.scope));
            }
        },
        event);
    out += " at=";
    out += format_time(event_time(event));
    return out;
}

Time event_time(const Event& event) noexcept {
    return std::visit([](const auto& e) { return e.at; }, event);
}

}  // namespace calltrack
