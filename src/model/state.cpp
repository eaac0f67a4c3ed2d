#include <calltrack/state.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(DeadlineKind k) noexcept {
    return detail::name_of(detail::deadline_kind_names, k);
}

std::string deadline_subject(const AccountId& id) {
    return "account:" + id.str();
}
std::string deadline_subject(const AgencyId& id) {
    return "agency:" + id.str();
}
std::string scope_subject(const Scope& scope) {
    if (const auto* account = std::get_if<AccountId>(&scope)) return deadline_subject(*account);
    if (const auto* agency = std::get_if<AgencyId>(&scope)) return deadline_subject(*agency);
    return "platform";
}

std::optional<std::variant<AccountId, AgencyId>> owner_of(const Deadline& d) {
    constexpr std::string_view account_prefix = "account:";
    constexpr std::string_view agency_prefix = "agency:";
    const std::string_view subject = d.subject;
    const bool may_be_agency = d.kind == DeadlineKind::agency_reactivation_window_closes
                               || d.kind == DeadlineKind::refund_window_closes;
    const bool may_be_account = d.kind != DeadlineKind::agency_reactivation_window_closes;
    if (may_be_account && subject.substr(0, account_prefix.size()) == account_prefix) {
        if (auto id = AccountId::parse(subject.substr(account_prefix.size()))) {
            return std::variant<AccountId, AgencyId>(std::move(id).value());
        }
    } else if (may_be_agency && subject.substr(0, agency_prefix.size()) == agency_prefix) {
        if (auto id = AgencyId::parse(subject.substr(agency_prefix.size()))) {
            return std::variant<AccountId, AgencyId>(std::move(id).value());
        }
    }
    return std::nullopt;
}

const Account* State::find_account(const AccountId& id) const {
    const auto it = accounts.find(id);
    return it == accounts.end() ? nullptr : &it->second;
}

const Agency* State::find_agency(const AgencyId& id) const {
    const auto it = agencies.find(id);
    return it == agencies.end() ? nullptr : &it->second;
}

const TrackingNumber* State::find_number(const NumberId& id) const {
    const auto it = numbers.find(id);
    return it == numbers.end() ? nullptr : &it->second;
}

Actor actor_of(const State& state, const UserId& user) {
    Actor actor{user, {}};
    if (const auto it = state.grants.find(user); it != state.grants.end()) {
        actor.grants = it->second;
    }
    return actor;
}

std::vector<AccountId> incoming_transfers(const State& state, const AgencyId& agency) {
    std::vector<AccountId> out;
    for (const auto& [id, a] : state.accounts) {
        if (a.pending_transfer && a.pending_transfer->to == agency) out.push_back(id);
    }
    return out;
}

TimeZone zone_of(const State& state, const Account& account) {
    if (account.time_zone) return *account.time_zone;
    if (account.agency) {
        if (const auto* agency = state.find_agency(*account.agency)) return zone_of(*agency);
    }
    return TimeZone();
}

TimeZone zone_of(const Agency& agency) {
    return agency.time_zone.value_or(TimeZone());
}

}  // namespace calltrack
