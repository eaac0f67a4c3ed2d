// What each command reads from the store before the core decides: the loader's per-command
// plan, kept apart from the engine's control flow because it grows with every command.
#include "snapshot.hpp"

#include <calltrack/detail/overloaded.hpp>

#include <string_view>

namespace calltrack::engine_detail {

namespace {

/// A tracking or call switch. For the whole account, handle_switch and effects_of read the
/// account alone, so its numbers stay in the store. With a number named, the account is loaded
/// with its numbers as before, so a number that is not on the account is refused the same way.
template <class Cmd>
result<void> load_switch(Loader& load, const Cmd& c) {
    return load.account(c.account, c.number.has_value());
}

}  // namespace

/// due() reads numbers only to release the held ones when a pause maximum fires. Loads the
/// numbers of every account whose pause maximum is in the snapshot and due by `now`, so a
/// snapshot loaded without numbers fires exactly what it would with them.
result<void> load_numbers_for_due(Loader& load, const State& state, Time now) {
    constexpr std::string_view prefix = "account:";
    std::vector<AccountId> accounts;
    for (const auto& d : state.deadlines) {
        if (now < d.at) break;
        const std::string_view subject = d.subject;
        if (d.kind == DeadlineKind::pause_maximum && subject.substr(0, prefix.size()) == prefix) {
            accounts.emplace_back(std::string(subject.substr(prefix.size())));
        }
    }
    for (const auto& id : accounts) {
        BOOST_OUTCOME_TRYV(load.account(id));
    }
    return boost::outcome_v2::success();
}

/// Loads everything `command` reads, for `actor`.
result<void> load_for(Loader& load, const Command& command) {
    return std::visit(
        detail::overloaded{
            [&](const commands::CreateAgency& c) { return load.agency(c.agency); },
            [&](const commands::OpenAccount& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.account(c.account, false));
                if (c.agency) {
                    BOOST_OUTCOME_TRYV(load.agency(*c.agency));
                }
                return boost::outcome_v2::success();
            },
            [&](const commands::AddTrackingNumber& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.account(c.account));
                BOOST_OUTCOME_TRYV(load.number(c.number));
                return load.phone(c.phone_number);
            },
            [&](const commands::ChangeForwarding& c) { return load.number(c.number); },
            [&](const commands::SetPlan& c) { return load.account(c.account, false); },
            [&](const commands::AdjustBalance& c) { return load.owner(c.owner); },
            [&](const commands::GrantRole& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.grants(c.user));
                BOOST_OUTCOME_TRYV(load.holders(c.grant.scope));
                return load.scope(c.grant.scope);
            },
            [&](const commands::RevokeRole& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.grants(c.user));
                return load.scope(c.grant.scope);
            },
            [&](const commands::CancelAgency& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.sub_accounts(c.agency));
                return load.incoming_transfers(c.agency);
            },
            [&](const commands::ReactivateAgency& c) { return load.agency(c.agency); },
            [&](const commands::RestoreNumber& c) { return load.number_and_its_phone(c.number); },
            [&](const commands::RequestRefund& c) { return load.owner(c.owner); },
            [&](const commands::StartPortOut& c) { return load.number(c.number); },
            [&](const commands::CompletePortOut& c) { return load.number(c.number); },
            [&](const commands::AbandonPortOut& c) { return load.number(c.number); },
            [&](const commands::RequestTransfer& c) -> result<void> {
                BOOST_OUTCOME_TRYV(load.account(c.account, false));
                return load.agency(c.to);
            },
            [&](const commands::ApproveTransfer& c) { return load.transfer(c.account); },
            [&](const commands::RefuseTransfer& c) { return load.transfer(c.account); },
            [&](const commands::WithdrawTransfer& c) { return load.transfer(c.account); },
            [&](const commands::RecordSurvey& c) { return load.account(c.account, false); },
            [&](const commands::ChargeUsage& c) { return load.account(c.account, false); },
            // The switches read the account, and the one number when a number is named.
            [&](const commands::PauseTracking& c) { return load_switch(load, c); },
            [&](const commands::ResumeTracking& c) { return load_switch(load, c); },
            [&](const commands::StopCalls& c) { return load_switch(load, c); },
            [&](const commands::ResumeCalls& c) { return load_switch(load, c); },
            // Every other command acts on one account and may read its numbers.
            [&](const auto& c) { return load.account(c.account); },
        },
        command);
}

/// A snapshot for `command`, with deadlines already due by `now` fired in memory, the way
/// execute() fires them in the store before deciding.
result<Snapshot> load_decidable(Store& store, const Command& command, const PolicyHistory& policies,
                                Time now, std::optional<Time> last_event) {
    Snapshot snap;
    Loader load(store, snap);
    BOOST_OUTCOME_TRYV(load_for(load, command));
    BOOST_OUTCOME_TRYV(load_numbers_for_due(load, snap.state, now));
    snap.state.last_event_at = last_event;
    // execute() fires due deadlines in the store before deciding; firing them here in memory
    // lets check() and preview() judge the same state. This snapshot is never committed.
    calltrack::apply(snap.state, due(snap.state, policies, now));
    return snap;
}

}  // namespace calltrack::engine_detail
