// What the engine writes: the difference between the state it loaded and the state after the
// events, the events on their streams, and their host effects, as one CommitBatch.
#include "snapshot.hpp"

#include <calltrack/json.hpp>

#include <algorithm>
#include <iterator>

namespace calltrack {

namespace engine_detail {

CommitBatch diff(const Snapshot& before, const State& after) {
    CommitBatch batch;
    for (const auto& [id, g] : after.agencies) {
        const auto it = before.state.agencies.find(id);
        if (it == before.state.agencies.end()) {
            batch.agencies.push_back({g, 0});
        } else if (it->second != g) {
            batch.agencies.push_back({g, before.agency_versions.at(id)});
        }
    }
    for (const auto& [id, a] : after.accounts) {
        const auto it = before.state.accounts.find(id);
        if (it == before.state.accounts.end()) {
            batch.accounts.push_back({a, 0});
        } else if (it->second != a) {
            batch.accounts.push_back({a, before.account_versions.at(id)});
        }
    }
    for (const auto& [id, n] : after.numbers) {
        const auto it = before.state.numbers.find(id);
        if (it == before.state.numbers.end()) {
            batch.numbers.push_back({n, 0});
        } else if (it->second != n) {
            batch.numbers.push_back({n, before.number_versions.at(id)});
        }
    }
    // Grants: every user whose list changed, including to empty.
    std::set<UserId> users;
    for (const auto& [user, _] : before.state.grants) users.insert(user);
    for (const auto& [user, _] : after.grants) users.insert(user);
    static const std::vector<RoleGrant> none;
    for (const auto& user : users) {
        const auto b = before.state.grants.find(user);
        const auto a = after.grants.find(user);
        const auto& was = b == before.state.grants.end() ? none : b->second;
        const auto& is = a == after.grants.end() ? none : a->second;
        if (was == is) continue;
        const auto v = before.grant_versions.find(user);
        batch.grants.push_back(
            {UserGrants{user, is}, v == before.grant_versions.end() ? 0 : v->second});
    }
    std::set_difference(after.deadlines.begin(), after.deadlines.end(),
                        before.state.deadlines.begin(), before.state.deadlines.end(),
                        std::back_inserter(batch.deadlines_added));
    std::set_difference(before.state.deadlines.begin(), before.state.deadlines.end(),
                        after.deadlines.begin(), after.deadlines.end(),
                        std::back_inserter(batch.deadlines_removed));
    return batch;
}

void order_grants_by_scope(CommitBatch& batch, const Snapshot& before,
                           const std::vector<Event>& events) {
    for (const auto& e : events) {
        const auto* granted = std::get_if<events::RoleGranted>(&e);
        if (granted == nullptr) continue;
        if (const auto* id = std::get_if<AccountId>(&granted->grant.scope)) {
            const auto written = std::any_of(batch.accounts.begin(), batch.accounts.end(),
                                             [&](const auto& w) { return w.value.id == *id; });
            const auto read = before.account_versions.find(*id);
            if (!written && read != before.account_versions.end()) {
                batch.accounts.push_back({before.state.accounts.at(*id), read->second});
            }
        } else if (const auto* agency = std::get_if<AgencyId>(&granted->grant.scope)) {
            const auto written = std::any_of(batch.agencies.begin(), batch.agencies.end(),
                                             [&](const auto& w) { return w.value.id == *agency; });
            const auto read = before.agency_versions.find(*agency);
            if (!written && read != before.agency_versions.end()) {
                batch.agencies.push_back({before.state.agencies.at(*agency), read->second});
            }
        }
    }
}

void add_events(CommitBatch& batch, const std::vector<Event>& events, const State& after,
                const PolicyHistory& policies, const Audit& audit,
                std::vector<HostEffect>* effects_out) {
    for (const auto& e : events) {
        // Every event is decided at its own time, under the version in force then: a command's
        // at now, a deadline's at the deadline.
        batch.events.push_back(
            {stream_of(e, after), e, policies.in_force_at(event_time(e)).version, audit});
        auto effects = effects_of(e, after);
        batch.effects.insert(batch.effects.end(), effects.begin(), effects.end());
        if (effects_out != nullptr) {
            effects_out->insert(effects_out->end(), effects.begin(), effects.end());
        }
    }
}

Audit command_audit(const Actor& actor, const Command& command, const State& before) {
    const AccountId* account = nullptr;
    if (const auto* c = std::get_if<commands::CancelAccount>(&command)) account = &c->account;
    if (const auto* c = std::get_if<commands::CloseSubAccount>(&command)) account = &c->account;
    if (const auto* c = std::get_if<commands::CloseAccount>(&command)) account = &c->account;
    std::optional<SurveyOutcome> survey;
    if (account != nullptr) {
        const auto it = before.accounts.find(*account);
        if (it != before.accounts.end()) survey = it->second.survey;
    }
    return audit_of(actor, command, survey);
}

std::string fingerprint(const Actor& actor, const Command& command) {
    return actor.user.str() + "\n" + to_json(command);
}

}  // namespace engine_detail

StreamId stream_of(const Event& event, const State& after) {
    return std::visit(
        [&](const auto& e) -> StreamId {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<
                              T, events::RoleGranted> || std::is_same_v<T, events::RoleRevoked>) {
                return "user:" + e.user.str();
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        AgencyCreated> || std::is_same_v<T, events::AgencyCanceled> || std::is_same_v<T, events::AgencyReactivated> || std::is_same_v<T, events::AgencyClosed>) {
                return deadline_subject(e.agency);
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        BalanceAdjusted> || std::is_same_v<T, events::BillingChanged> || std::is_same_v<T, events::BalanceRefundable> || std::is_same_v<T, events::BalanceReinstated> || std::is_same_v<T, events::RefundRequested> || std::is_same_v<T, events::BalanceForfeited>) {
                if (const auto* id = std::get_if<AccountId>(&e.owner)) return deadline_subject(*id);
                return deadline_subject(std::get<AgencyId>(e.owner));
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        ForwardingChanged> || std::is_same_v<T, events::PortOutStarted> || std::is_same_v<T, events::PortOutCompleted> || std::is_same_v<T, events::PortOutAbandoned>) {
                return deadline_subject(after.numbers.at(e.number).account);
            } else {
                return deadline_subject(e.account);
            }
        },
        event);
}

}  // namespace calltrack
