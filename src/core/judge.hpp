#pragma once

// What the families of rules share: the Judge each handler asks, the targets and roles it asks
// about, the helpers more than one family calls, and one handle() per command. The rules were one
// file; they are split by family (provisioning, switches, account pause, cancel, reactivation,
// numbers, balance, agencies and surveys) so a vendor's rule is read beside its kin, and this
// header is the seam between those files and the dispatch in decide.cpp. Private to the core.

#include <calltrack/decide.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack::core {

using Events = std::vector<Event>;

// ---------------------------------------------------------------------------------------------
// Targets and roles (judge.cpp).

/// What a command acts on, for the role check: an account (with its agency, if a sub-account)
/// or an agency.
struct Target {
    TargetKind kind;
    const AccountId* account = nullptr;
    const AgencyId* agency = nullptr;

    std::string describe() const;
};

inline Target target_of(const Account& a) {
    return a.agency ? Target{TargetKind::sub_account, &a.id, &*a.agency}
                    : Target{TargetKind::account, &a.id, nullptr};
}
inline Target target_of(const Agency& g) {
    return Target{TargetKind::agency, nullptr, &g.id};
}

/// Whether `grant` gives one of `allowed`: its role, or one its role implies, where the policy
/// grants that role on the grant's kind of scope.
bool gives(const Policy& policy, const RoleGrant& grant, const RoleSet& allowed);
/// Whether one of the actor's grants gives it a role in `allowed` on `target`.
bool holds_role(const Actor& actor, const Policy& policy, const Target& target,
                const RoleSet& allowed);
/// Whether the actor is the vendor's own staff: it holds, on the platform, a role the policy
/// grants there (the presets' support).
bool is_support(const Actor& actor, const Policy& policy);

// ---------------------------------------------------------------------------------------------

/// The state, the actor, the policy and the time a command is judged against, and the
/// refusals found so far.
class Judge {
  public:
    Judge(const State& s, const Actor& a, const Policy& p, Time t, std::vector<Refusal>& refusals,
          const PolicyVersion* v = nullptr)
        : state(s), actor(a), policy(p), now(t), version(v), refusals_(refusals) {}

    const State& state;
    const Actor& actor;
    const Policy& policy;
    const Time now;
    /// The version `policy` is, when judged under a history; nullptr for a lone Policy.
    const PolicyVersion* const version;

    /// "the callrail policy", with the version when it has its own name: "the callrail policy
    /// (version callrail-2020-10, in force from 2020-10-01T00:00:00Z)".
    std::string rules_name() const;
    /// The operation's name, with the vendor's own word for it when the rules give one:
    /// close_account ("Suspend account").
    std::string operation_name(Operation op) const;

    bool ok() const noexcept { return refusals_.empty(); }

    void refuse(errc code, std::string detail) {
        refusals_.push_back(Refusal{make_error_code(code), std::move(detail)});
    }

    // --- lookups: an unknown id ends the judgement, since nothing else can be said ---------
    const Account* account(const AccountId& id) {
        const auto* a = state.find_account(id);
        if (a == nullptr) refuse(errc::unknown_account, "no account has the id " + id.str());
        return a;
    }
    const Agency* agency(const AgencyId& id) {
        const auto* g = state.find_agency(id);
        if (g == nullptr) refuse(errc::unknown_agency, "no agency has the id " + id.str());
        return g;
    }
    const TrackingNumber* number(const NumberId& id) {
        const auto* n = state.find_number(id);
        if (n == nullptr) refuse(errc::unknown_number, "no tracking number has the id " + id.str());
        return n;
    }

    /// What an operation on one account checks first, in this order: the account (an unknown id
    /// ends the judgement: nullptr), whether the policy offers the operation, the actor's
    /// authority over the account, and the status gate.
    const Account* account_for(Operation op, const AccountId& id) {
        const auto* a = account(id);
        if (a == nullptr) return nullptr;
        offered(op);
        authorized(op, target_of(*a));
        gate(op, *a);
        return a;
    }
    /// The same for an operation on one tracking number, judged on the account it is on.
    struct NumberOnAccount {
        const TrackingNumber* number = nullptr;
        const Account* account = nullptr;
    };
    NumberOnAccount number_for(Operation op, const NumberId& id) {
        const auto* n = number(id);
        if (n == nullptr) return {};
        const auto* a = account_for(op, n->account);
        if (a == nullptr) return {};
        return {n, a};
    }

    // --- the common gates (judge.cpp; the status gate is with its table, status_table.cpp) --
    void offered(Operation op);
    void authorized(Operation op, const Target& target);
    void gate(Operation op, const Account& a);
    void gate(Operation op, const Agency& g);
    void confirmed(Operation op, const Confirmation& c, const Account* survey_subject);

    /// Refuses when a number on the account is still porting out.
    void no_pending_port_out(const Account& a);

    template <class F>
    void for_each_number(const Account& a, F&& f) const {
        const auto it = state.numbers_by_account.find(a.id);
        if (it == state.numbers_by_account.end()) return;
        for (const auto& id : it->second) f(state.numbers.at(id));
    }

  private:
    std::vector<Refusal>& refusals_;
};

// ---------------------------------------------------------------------------------------------
// Helpers of more than one family.

/// What an account in this state is charged (judge.cpp).
Charges charges_for(const Policy& p, AccountStatus status, bool tracking_paused,
                    bool calls_stopped);

/// The policy's monthly hold fee when `charges` include it, else nothing (judge.cpp).
std::optional<Money> hold_fee_for(const Policy& p, const Charges& charges);

/// A BillingChanged event when the charges change, with the hold fee they include (judge.cpp).
void emit_billing(Events& out, const Policy& p, const BalanceOwner& owner, Charges before,
                  Charges after, bool final_usage_invoice, Time now);

/// "the 30-day reactivation window, opened at S, closed at T": a window as it was fixed when it
/// opened, read from the stored instants alone, so that a later policy cannot change what it
/// says (judge.cpp). The day count is left out when the end is not whole days after the start.
std::string closed_window(std::string_view what, Time opened, Time closed);

/// The cancellation rule that applies to an account (cancel.cpp).
CancellationRule rule_for(const Policy& p, const Account& a);

/// Suspends the account when its balance, now `after`, falls under the policy's BalanceRule, and
/// lifts the suspension when it no longer does (balance.cpp). Judged wherever an account's balance
/// is set or changes, so a debit and a recharge are all that move it: no other switch's resume
/// lifts it.
void emit_suspension(Events& out, const Policy& p, const AccountId& account, bool suspended,
                     const Money& after, Time now);

/// The phone number is already routing on another tracking number (numbers.cpp).
const TrackingNumber* number_in_use(const State& s, const PhoneNumber& phone,
                                    const NumberId* except);

// ---------------------------------------------------------------------------------------------
// The handlers, one per command, each in its family's file. `out` is null when only checking.

// provisioning.cpp
void handle(Judge& j, const commands::CreateAgency& c, Events* out);
void handle(Judge& j, const commands::OpenAccount& c, Events* out);
void handle(Judge& j, const commands::AddTrackingNumber& c, Events* out);
void handle(Judge& j, const commands::ChangeForwarding& c, Events* out);
void handle(Judge& j, const commands::SetPlan& c, Events* out);
void handle(Judge& j, const commands::GrantRole& c, Events* out);
void handle(Judge& j, const commands::RevokeRole& c, Events* out);

// switches.cpp
void handle(Judge& j, const commands::PauseTracking& c, Events* out);
void handle(Judge& j, const commands::ResumeTracking& c, Events* out);
void handle(Judge& j, const commands::StopCalls& c, Events* out);
void handle(Judge& j, const commands::ResumeCalls& c, Events* out);

// account_pause.cpp
void handle(Judge& j, const commands::PauseAccount& c, Events* out);
void handle(Judge& j, const commands::ResumeAccount& c, Events* out);

// cancel.cpp
void handle(Judge& j, const commands::CancelAccount& c, Events* out);
void handle(Judge& j, const commands::CloseSubAccount& c, Events* out);
void handle(Judge& j, const commands::CloseAccount& c, Events* out);
void handle(Judge& j, const commands::CancelAgency& c, Events* out);

// reactivation.cpp
void handle(Judge& j, const commands::ReopenAccount& c, Events* out);
void handle(Judge& j, const commands::ReactivateAccount& c, Events* out);
void handle(Judge& j, const commands::ReactivateAgency& c, Events* out);

// numbers.cpp
void handle(Judge& j, const commands::RestoreNumber& c, Events* out);
void handle(Judge& j, const commands::StartPortOut& c, Events* out);
void handle(Judge& j, const commands::CompletePortOut& c, Events* out);
void handle(Judge& j, const commands::AbandonPortOut& c, Events* out);

// balance.cpp
void handle(Judge& j, const commands::AdjustBalance& c, Events* out);
void handle(Judge& j, const commands::RequestRefund& c, Events* out);
void handle(Judge& j, const commands::ChargeUsage& c, Events* out);
void handle(Judge& j, const commands::ChargeRenewal& c, Events* out);

// agencies_and_surveys.cpp
void handle(Judge& j, const commands::RequestTransfer& c, Events* out);
void handle(Judge& j, const commands::ApproveTransfer& c, Events* out);
void handle(Judge& j, const commands::RefuseTransfer& c, Events* out);
void handle(Judge& j, const commands::WithdrawTransfer& c, Events* out);
void handle(Judge& j, const commands::RecordSurvey& c, Events* out);

}  // namespace calltrack::core
