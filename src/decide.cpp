// decide() and check(): the rules of every operation, judged against one Policy at one time.
// Each handler looks up what the command touches, then asks in a fixed order: is it offered, may
// this actor do it, does the status allow it (one table, below), what the operation itself
// requires, and what the person must confirm. check() collects every refusal; decide() stops at
// the first and otherwise returns the events.
#include <calltrack/decide.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace calltrack {
namespace {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

// ---------------------------------------------------------------------------------------------
// The status table: every (status, operation) pair that has a decision. A pair that is not
// listed is refused with errc::invalid_state, never allowed by falling through.

enum class Gate : std::uint8_t {
    allow,    ///< the operation may proceed from this status
    invalid,  ///< the operation makes no sense in this status
    already,  ///< the operation's result is this status already
    closed,   ///< the account or agency is closed for good
};
constexpr Gate A = Gate::allow;
constexpr Gate I = Gate::invalid;
constexpr Gate R = Gate::already;
constexpr Gate C = Gate::closed;

struct AccountRow {
    Operation op;
    Gate active, paused, canceled, closed;
};

// clang-format off
constexpr AccountRow account_table[] = {
    // operation                         active paused canceled closed
    {Operation::add_tracking_number,     A,     I,     I,       C},
    {Operation::change_forwarding,       A,     A,     I,       C},  // held numbers keep it
    {Operation::set_plan,                A,     I,     I,       C},  // the pause keeps the plan
    {Operation::adjust_balance,          A,     A,     I,       C},  // a cancel freezes it
    {Operation::grant_role,              A,     A,     A,       I},  // read-only login
    {Operation::revoke_role,             A,     A,     A,       A},
    {Operation::pause_tracking,          A,     I,     I,       C},
    {Operation::resume_tracking,         A,     I,     I,       C},
    {Operation::stop_calls,              A,     I,     I,       C},
    {Operation::resume_calls,            A,     I,     I,       C},
    {Operation::pause_account,           A,     R,     I,       C},
    {Operation::resume_account,          R,     A,     I,       C},
    {Operation::cancel_account,          A,     A,     R,       C},
    {Operation::close_sub_account,       A,     A,     R,       C},
    {Operation::close_account,           A,     A,     R,       C},
    {Operation::reopen_account,          R,     I,     A,       C},
    {Operation::reactivate_account,      R,     I,     A,       C},
    {Operation::restore_number,          A,     I,     I,       C},  // reactivate first
    {Operation::request_refund,          I,     I,     A,       A},  // refund outlives closing
    {Operation::start_port_out,          A,     A,     I,       C},
    {Operation::complete_port_out,       A,     A,     A,       A},  // the carrier finishes it
    {Operation::abandon_port_out,        A,     A,     A,       A},
    {Operation::transfer_sub_account,    A,     A,     I,       C},
    {Operation::record_survey,           A,     A,     I,       C},
};

struct AgencyRow {
    Operation op;
    Gate active, canceled, closed;
};

constexpr AgencyRow agency_table[] = {
    // operation                         active canceled closed
    {Operation::open_account,            A,     I,       C},  // a new sub-account
    {Operation::adjust_balance,          A,     I,       C},
    {Operation::grant_role,              A,     A,       I},
    {Operation::revoke_role,             A,     A,       A},
    {Operation::cancel_agency,           A,     R,       C},
    {Operation::reactivate_agency,       R,     A,       C},
    {Operation::request_refund,          I,     A,       A},
    {Operation::transfer_sub_account,    A,     I,       C},  // both sides must be active
};
// clang-format on

Gate account_gate(Operation op, AccountStatus status) {
    for (const auto& row : account_table) {
        if (row.op != op) continue;
        switch (status) {
            case AccountStatus::active:
                return row.active;
            case AccountStatus::paused:
                return row.paused;
            case AccountStatus::canceled:
                return row.canceled;
            case AccountStatus::closed:
                return row.closed;
        }
    }
    return Gate::invalid;
}

Gate agency_gate(Operation op, AgencyStatus status) {
    for (const auto& row : agency_table) {
        if (row.op != op) continue;
        switch (status) {
            case AgencyStatus::active:
                return row.active;
            case AgencyStatus::canceled:
                return row.canceled;
            case AgencyStatus::closed:
                return row.closed;
        }
    }
    return Gate::invalid;
}

// ---------------------------------------------------------------------------------------------

enum class TargetKind : std::uint8_t { account, sub_account, agency };

std::string_view to_string(TargetKind k) {
    switch (k) {
        case TargetKind::account:
            return "standalone account";
        case TargetKind::sub_account:
            return "sub-account";
        case TargetKind::agency:
            return "agency";
    }
    return "target";
}

/// What a command acts on, for the role check: an account (with its agency, if a sub-account)
/// or an agency.
struct Target {
    TargetKind kind;
    const AccountId* account = nullptr;
    const AgencyId* agency = nullptr;

    std::string describe() const {
        if (kind == TargetKind::agency) return "agency " + agency->str();
        return std::string(to_string(kind)) + " " + account->str();
    }
};

Target target_of(const Account& a) {
    return a.agency ? Target{TargetKind::sub_account, &a.id, &*a.agency}
                    : Target{TargetKind::account, &a.id, nullptr};
}
Target target_of(const Agency& g) {
    return Target{TargetKind::agency, nullptr, &g.id};
}

bool grant_applies(const RoleGrant& grant, const Target& target) {
    return std::visit(
        overloaded{
            [&](const Platform&) { return grant.role == Role::support; },
            [&](const AccountId& id) { return target.account != nullptr && *target.account == id; },
            [&](const AgencyId& id) { return target.agency != nullptr && *target.agency == id; },
        },
        grant.scope);
}

bool holds_role(const Actor& actor, const Target& target, RoleSet allowed) {
    return std::any_of(actor.grants.begin(), actor.grants.end(), [&](const RoleGrant& g) {
        return allowed.contains(g.role) && grant_applies(g, target);
    });
}

bool is_support(const Actor& actor) {
    return std::any_of(actor.grants.begin(), actor.grants.end(), [](const RoleGrant& g) {
        return g.role == Role::support && std::holds_alternative<Platform>(g.scope);
    });
}

RoleSet roles_for(const OperationRule& rule, TargetKind kind) {
    switch (kind) {
        case TargetKind::account:
            return rule.account_roles;
        case TargetKind::sub_account:
            return rule.sub_account_roles;
        case TargetKind::agency:
            return rule.agency_roles;
    }
    return {};
}

/// The state, the actor, the policy and the time a command is judged against, and the
/// refusals found so far.
class Judge {
  public:
    Judge(const State& s, const Actor& a, const Policy& p, Time t, std::vector<Refusal>& refusals)
        : state(s), actor(a), policy(p), now(t), refusals_(refusals) {}

    const State& state;
    const Actor& actor;
    const Policy& policy;
    const Time now;

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

    // --- the common gates ----------------------------------------------------------------
    void offered(Operation op) {
        const auto& rule = policy.rule(op);
        const auto name = std::string(to_string(op));
        if (!rule.offered) {
            refuse(errc::operation_not_offered,
                   "the " + policy.name + " policy does not offer " + name);
        } else if (rule.offered_from && now < *rule.offered_from) {
            refuse(errc::operation_not_yet_offered,
                   name + " is offered from " + format_time(*rule.offered_from));
        } else if (rule.offered_until && now >= *rule.offered_until) {
            refuse(errc::operation_withdrawn, "the " + policy.name + " policy withdrew " + name
                                                  + " on " + format_time(*rule.offered_until));
        }
    }

    void authorized(Operation op, const Target& target) {
        const RoleSet allowed = roles_for(policy.rule(op), target.kind);
        const auto name = std::string(to_string(op));
        if (allowed.empty()) {
            if (policy.rule(op).offered) {
                refuse(errc::operation_not_offered, "the " + policy.name + " policy does not offer "
                                                        + name + " on a "
                                                        + std::string(to_string(target.kind)));
            }
            return;
        }
        if (holds_role(actor, target, allowed)) return;
        if (allowed == RoleSet{Role::support}) {
            refuse(errc::support_only,
                   "only the vendor's support can " + name + " on " + target.describe());
            return;
        }
        RoleSet held;
        for (const auto& g : actor.grants) {
            if (grant_applies(g, target)) held.insert(g.role);
        }
        if (held.empty()) {
            refuse(errc::actor_out_of_scope,
                   "user " + actor.user.str() + " holds no role on " + target.describe());
        } else {
            refuse(errc::permission_denied, name + " on " + target.describe()
                                                + " needs one of: " + to_string(allowed) + "; user "
                                                + actor.user.str() + " holds: " + to_string(held));
        }
    }

    void gate(Operation op, const Account& a) {
        const auto name = std::string(to_string(op));
        switch (account_gate(op, a.status)) {
            case Gate::allow:
                return;
            case Gate::already:
                refuse(errc::already_in_state, "account " + a.id.str() + " is "
                                                   + std::string(to_string(a.status)) + " already");
                return;
            case Gate::closed:
                refuse(errc::account_closed, "account " + a.id.str() + " is closed for good; "
                                                 + name + " is not possible");
                return;
            case Gate::invalid:
                refuse(errc::invalid_state, "cannot " + name + " while account " + a.id.str()
                                                + " is " + std::string(to_string(a.status)));
                return;
        }
    }

    void gate(Operation op, const Agency& g) {
        const auto name = std::string(to_string(op));
        switch (agency_gate(op, g.status)) {
            case Gate::allow:
                return;
            case Gate::already:
                refuse(errc::already_in_state, "agency " + g.id.str() + " is "
                                                   + std::string(to_string(g.status)) + " already");
                return;
            case Gate::closed:
            case Gate::invalid:
                refuse(g.status == AgencyStatus::active   ? errc::invalid_state
                       : g.status == AgencyStatus::closed ? errc::agency_closed
                                                          : errc::agency_canceled,
                       "cannot " + name + " while agency " + g.id.str() + " is "
                           + std::string(to_string(g.status)));
                return;
        }
    }

    void confirmed(Operation op, const Confirmation& c, const Account* survey_subject) {
        const auto& need = policy.rule(op).confirmation;
        if (need.survey_confirmed) {
            if (survey_subject == nullptr || !survey_subject->survey) {
                refuse(errc::survey_required, "answer the cancellation survey before canceling");
            } else if (*survey_subject->survey != SurveyOutcome::confirm) {
                refuse(errc::survey_not_confirmed,
                       "the survey's outcome is " + std::string(to_string(*survey_subject->survey))
                           + ", not confirm");
            }
        }
        if (need.click && !c.clicked) {
            refuse(errc::confirmation_required, "confirm " + std::string(to_string(op)));
        }
        if (need.typed_phrase && c.typed != *need.typed_phrase) {
            refuse(errc::confirmation_mismatch,
                   "type " + *need.typed_phrase + " exactly; got '" + c.typed + "'");
        }
        for (const auto& key : need.acknowledgements) {
            if (std::find(c.acknowledged.begin(), c.acknowledged.end(), key)
                == c.acknowledged.end()) {
                refuse(errc::acknowledgement_missing, "acknowledge '" + key + "'");
            }
        }
        if (need.terms && !c.terms_accepted) {
            refuse(errc::terms_not_accepted, "accept the terms and conditions");
        }
        if (need.reason
            && std::none_of(c.reasons.begin(), c.reasons.end(),
                            [](const std::string& r) { return !r.empty(); })) {
            refuse(errc::reason_required, "give at least one reason for leaving");
        }
        if (need.billing_details && !c.billing_details_entered) {
            refuse(errc::billing_details_required, "enter billing details to reopen");
        }
    }

    /// Refuses when a number on the account is still porting out.
    void no_pending_port_out(const Account& a) {
        std::string pending;
        for_each_number(a, [&](const TrackingNumber& n) {
            if (n.status != NumberStatus::port_out_pending) return;
            if (!pending.empty()) pending += ", ";
            pending += n.number.e164();
        });
        if (!pending.empty()) {
            refuse(errc::port_out_pending,
                   "port-out not complete for " + pending + " on account " + a.id.str());
        }
    }

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
// What a state charges, and the cancellation rule that applies to an account.

Charges charges_for(const Policy& p, AccountStatus status, bool tracking_paused,
                    bool calls_stopped) {
    switch (status) {
        case AccountStatus::active:
            if (calls_stopped) return p.charges.calls_stopped;
            if (tracking_paused) return p.charges.tracking_paused;
            return p.charges.active;
        case AccountStatus::paused:
            return p.charges.paused;
        case AccountStatus::canceled:
        case AccountStatus::closed:
            return p.charges.canceled;
    }
    return {};
}

/// Sub-accounts canceled with their agency follow the sub-account rule for numbers, data and
/// balance, but only the agency's way back (CTM: "contact support").
CancellationRule cascade_rule(const Policy& p) {
    CancellationRule rule = p.sub_account;
    rule.reactivation = p.agency.reactivation;
    rule.reactivation_window = p.agency.reactivation_window;
    return rule;
}

CancellationRule rule_for(const Policy& p, const Account& a) {
    if (a.was_canceled_with_agency) return cascade_rule(p);
    return a.agency ? p.sub_account : p.standalone;
}

std::optional<Time> window_end(bool offered, Window w, Time from) {
    return offered ? w.end_from(from) : std::nullopt;
}

using Events = std::vector<Event>;

void emit_billing(Events& out, const BalanceOwner& owner, Charges before, Charges after,
                  bool final_usage_invoice, Time now) {
    if (before != after)
        out.push_back(events::BillingChanged{owner, after, final_usage_invoice, now});
}

/// Everything a cancel does to one account: numbers released, billing stopped, data and balance
/// handled by the rule, and a final close where the rule never reactivates.
void emit_cancel(const Judge& j, const Account& a, CancelKind kind, const CancellationRule& rule,
                 const std::vector<std::string>& reasons, Events& out) {
    j.for_each_number(a, [&](const TrackingNumber& n) {
        if (n.status == NumberStatus::active || n.status == NumberStatus::held) {
            out.push_back(events::NumberReleased{n.id, a.id, j.now});
        }
    });
    const bool can_reactivate = rule.reactivation != Reactivation::impossible;
    out.push_back(events::AccountCanceled{
        a.id, kind, reasons, window_end(can_reactivate, rule.reactivation_window, j.now),
        window_end(can_reactivate, rule.number_restore_window, j.now), j.now});
    emit_billing(out, a.id, a.charges, j.policy.charges.canceled, rule.final_usage_invoice, j.now);
    if (a.data != DataStatus::purged) {
        if (rule.data == DataOnCancel::purge_now) {
            out.push_back(events::DataPurged{a.id, j.now});
        } else if (const auto end = rule.data_retention.end_from(j.now)) {
            out.push_back(events::DataPurgeScheduled{a.id, *end, j.now});
        }
    }
    // Only credit is kept or forfeited; a balance owed (negative) is not a refund.
    if (a.balance.status == BalanceStatus::in_use && !a.balance.available.is_zero()
        && !a.balance.available.is_negative()) {
        if (rule.balance == BalanceOnCancel::forfeit) {
            out.push_back(events::BalanceForfeited{a.id, a.balance.available, j.now});
        } else {
            out.push_back(events::BalanceRefundable{a.id, a.balance.available,
                                                    rule.refund_window.end_from(j.now), j.now});
        }
    }
    if (!can_reactivate) out.push_back(events::AccountClosed{a.id, j.now});
}

/// Whether the account's way back is still open, and open to this actor.
void check_reactivation(Judge& j, const Account& a) {
    const auto rule = rule_for(j.policy, a);
    const bool closed_for_good = a.status == AccountStatus::closed;
    if (!closed_for_good && (a.status != AccountStatus::canceled || !a.timeline.canceled_at)) {
        return;
    }
    if (rule.reactivation == Reactivation::impossible) {
        j.refuse(errc::window_not_offered, "the " + j.policy.name
                                               + " policy never reactivates a canceled account; "
                                                 "a returning customer opens a new one");
        return;
    }
    if (closed_for_good) return;  // the gate says so; the window and roles no longer matter
    if (!rule.reactivation_window.is_open(*a.timeline.canceled_at, j.now)) {
        j.refuse(errc::window_closed, "the " + to_string(rule.reactivation_window)
                                          + " reactivation window closed at "
                                          + format_time(*a.reactivation_until));
    }
    if (rule.reactivation == Reactivation::support_only && !is_support(j.actor)) {
        j.refuse(errc::support_only,
                 a.was_canceled_with_agency
                     ? "account " + a.id.str() + " was canceled with its agency; only support "
                                                 "can reactivate it"
                     : "only support can reactivate account " + a.id.str());
    }
    if (a.agency) {
        const auto* g = j.state.find_agency(*a.agency);
        if (g != nullptr && g->status == AgencyStatus::canceled) {
            j.refuse(errc::agency_canceled,
                     "agency " + g->id.str() + " is canceled; support must reactivate it first");
        } else if (g != nullptr && g->status == AgencyStatus::closed) {
            j.refuse(errc::agency_closed, "agency " + g->id.str()
                                              + " is closed for good; its sub-accounts cannot "
                                                "come back through it");
        }
    }
}

void emit_reactivation(const Judge& j, const Account& a, Events& out) {
    out.push_back(events::AccountReactivated{a.id, j.now});
    emit_billing(
        out, a.id, a.charges,
        charges_for(j.policy, AccountStatus::active, a.is_tracking_paused, a.are_calls_stopped),
        false, j.now);
    if (a.data == DataStatus::purge_scheduled) {
        out.push_back(events::DataPurgeCanceled{a.id, j.now});
    }
    if (a.balance.status == BalanceStatus::refundable) {
        out.push_back(events::BalanceReinstated{a.id, j.now});
    }
}

/// The phone number is already routing on another tracking number.
const TrackingNumber* number_in_use(const State& s, const PhoneNumber& phone,
                                    const NumberId* except) {
    const auto it = s.number_by_phone.find(phone);
    if (it == s.number_by_phone.end()) return nullptr;
    if (except != nullptr && it->second == *except) return nullptr;
    return s.find_number(it->second);
}

// ---------------------------------------------------------------------------------------------
// The handlers, one per command. `out` is null when only checking.

void handle(Judge& j, const commands::CreateAgency& c, Events* out) {
    const auto op = Operation::create_agency;
    j.offered(op);
    const Target target{TargetKind::agency, nullptr, &c.agency};
    j.authorized(op, target);
    if (j.state.find_agency(c.agency) != nullptr) {
        j.refuse(errc::already_exists, "agency " + c.agency.str() + " exists already");
    }
    if (out && j.ok()) {
        out->push_back(events::AgencyCreated{c.agency, Money::zero(c.currency),
                                             j.policy.charges.agency_active, j.now});
    }
}

void handle(Judge& j, const commands::OpenAccount& c, Events* out) {
    const auto op = Operation::open_account;
    j.offered(op);
    const Agency* g = nullptr;
    if (c.agency) {
        g = j.agency(*c.agency);
        if (g == nullptr) return;
    }
    const Target target = c.agency ? Target{TargetKind::sub_account, &c.account, &*c.agency}
                                   : Target{TargetKind::account, &c.account, nullptr};
    j.authorized(op, target);
    if (g != nullptr) j.gate(op, *g);
    if (j.state.find_account(c.account) != nullptr) {
        j.refuse(errc::already_exists, "account " + c.account.str() + " exists already");
    }
    if (out && j.ok()) {
        out->push_back(events::AccountOpened{c.account, c.agency, c.plan, Money::zero(c.currency),
                                             j.policy.charges.active, j.now});
    }
}

void handle(Judge& j, const commands::AddTrackingNumber& c, Events* out) {
    const auto op = Operation::add_tracking_number;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    if (j.state.find_number(c.number) != nullptr) {
        j.refuse(errc::already_exists, "tracking number " + c.number.str() + " exists already");
    }
    if (const auto* other = number_in_use(j.state, c.phone_number, nullptr)) {
        j.refuse(errc::already_exists, c.phone_number.e164() + " is already tracking number "
                                           + other->id.str() + " on account "
                                           + other->account.str());
    }
    if (out && j.ok()) {
        out->push_back(events::TrackingNumberAdded{c.number, c.account, c.phone_number,
                                                   c.forwarding_destination, c.source, j.now});
    }
}

void handle(Judge& j, const commands::ChangeForwarding& c, Events* out) {
    const auto op = Operation::change_forwarding;
    const auto* n = j.number(c.number);
    if (n == nullptr) return;
    const auto* a = j.account(n->account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    if (n->status != NumberStatus::active && n->status != NumberStatus::held) {
        j.refuse(errc::invalid_state,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
    }
    if (n->forwarding_destination == c.forwarding_destination) {
        j.refuse(errc::already_in_state, "tracking number " + n->id.str() + " forwards to "
                                             + c.forwarding_destination.e164() + " already");
    }
    if (out && j.ok()) {
        out->push_back(events::ForwardingChanged{c.number, c.forwarding_destination, j.now});
    }
}

void handle(Judge& j, const commands::SetPlan& c, Events* out) {
    const auto op = Operation::set_plan;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    if (a->plan == c.plan)
        j.refuse(errc::already_in_state, "the plan is " + c.plan.name + " already");
    if (out && j.ok()) out->push_back(events::PlanChanged{c.account, c.plan, j.now});
}

void handle(Judge& j, const commands::AdjustBalance& c, Events* out) {
    const auto op = Operation::adjust_balance;
    j.offered(op);
    const Balance* balance = nullptr;
    if (const auto* id = std::get_if<AccountId>(&c.owner)) {
        const auto* a = j.account(*id);
        if (a == nullptr) return;
        j.authorized(op, target_of(*a));
        j.gate(op, *a);
        balance = &a->balance;
    } else {
        const auto* g = j.agency(std::get<AgencyId>(c.owner));
        if (g == nullptr) return;
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
        balance = &g->balance;
    }
    if (c.amount.is_zero()) j.refuse(errc::already_in_state, "the amount is zero");
    const auto sum = add(balance->available, c.amount);
    if (!sum) {
        j.refuse(
            static_cast<errc>(sum.error().value()),
            "balance " + to_string(balance->available) + ", adjustment " + to_string(c.amount));
    }
    if (out && j.ok()) out->push_back(events::BalanceAdjusted{c.owner, c.amount, j.now});
}

/// Grants follow the scopes' nature: support on the platform only, agency administrators on an
/// agency only, and account roles on an account or an agency.
void check_grant(Judge& j, Operation op, const UserId& user, const RoleGrant& grant, bool granting,
                 Events* out) {
    j.offered(op);
    const bool on_platform = std::holds_alternative<Platform>(grant.scope);
    if ((grant.role == Role::support) != on_platform) {
        j.refuse(errc::invalid_role,
                 "the support role is granted on the platform scope, and "
                 "only it");
        return;
    }
    if (grant.role == Role::agency_administrator
        && !std::holds_alternative<AgencyId>(grant.scope)) {
        j.refuse(errc::invalid_role, "agency_administrator is granted on an agency");
        return;
    }
    if (on_platform) {
        if (!is_support(j.actor)) {
            j.refuse(errc::support_only, "only support can grant or revoke the support role");
        }
    } else if (const auto* id = std::get_if<AccountId>(&grant.scope)) {
        const auto* a = j.account(*id);
        if (a == nullptr) return;
        j.authorized(op, target_of(*a));
        j.gate(op, *a);
    } else {
        const auto* g = j.agency(std::get<AgencyId>(grant.scope));
        if (g == nullptr) return;
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
    }
    const auto it = j.state.grants.find(user);
    const bool held = it != j.state.grants.end()
                      && std::find(it->second.begin(), it->second.end(), grant) != it->second.end();
    if (granting && held) {
        j.refuse(errc::already_in_state, "user " + user.str() + " is "
                                             + std::string(to_string(grant.role)) + " on "
                                             + to_string(grant.scope) + " already");
    } else if (!granting && !held) {
        j.refuse(errc::already_in_state, "user " + user.str() + " is not "
                                             + std::string(to_string(grant.role)) + " on "
                                             + to_string(grant.scope));
    }
    if (out && j.ok()) {
        if (granting) {
            out->push_back(events::RoleGranted{user, grant, j.now});
        } else {
            out->push_back(events::RoleRevoked{user, grant, j.now});
        }
    }
}

void handle(Judge& j, const commands::GrantRole& c, Events* out) {
    check_grant(j, Operation::grant_role, c.user, c.grant, true, out);
}
void handle(Judge& j, const commands::RevokeRole& c, Events* out) {
    check_grant(j, Operation::revoke_role, c.user, c.grant, false, out);
}

/// The tracking-code and incoming-call switches share one shape: whole account or one number.
enum class Switch : std::uint8_t { tracking, calls };

template <class Cmd>
void handle_switch(Judge& j, Operation op, Switch which, bool turn_off, const Cmd& c, Events* out) {
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    const TrackingNumber* n = nullptr;
    if (c.number) {
        // One answer whether the number is on no account or on another one: the engine loads
        // only this account's numbers and cannot tell the two apart, and the refusal should not
        // tell an actor that a number exists on an account it may not see.
        n = j.state.find_number(*c.number);
        if (n == nullptr || n->account != a->id) {
            j.refuse(errc::unknown_number,
                     "account " + a->id.str() + " has no tracking number " + c.number->str());
            return;
        }
    }
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    const bool tracking = which == Switch::tracking;
    if (n != nullptr) {
        if (n->status != NumberStatus::active) {
            j.refuse(errc::invalid_state,
                     "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
        }
        if (tracking && turn_off && n->source != NumberSource::onsite_dynamic) {
            j.refuse(errc::number_not_swappable,
                     "tracking number " + n->id.str() + " is " + std::string(to_string(n->source))
                         + "; only onsite dynamic numbers can be paused one by one");
        }
        const bool is_off = tracking ? n->is_swap_paused : n->are_calls_stopped;
        if (is_off == turn_off) {
            j.refuse(errc::already_in_state,
                     std::string(tracking ? "tracking code" : "incoming calls") + " for number "
                         + n->id.str() + (turn_off ? " stopped" : " running") + " already");
        }
    } else {
        const bool is_off = tracking ? a->is_tracking_paused : a->are_calls_stopped;
        if (is_off == turn_off) {
            j.refuse(errc::already_in_state,
                     std::string(tracking ? "tracking code" : "incoming calls") + " for account "
                         + a->id.str() + (turn_off ? " stopped" : " running") + " already");
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    const Time now = j.now;
    if (tracking) {
        if (turn_off) {
            out->push_back(events::TrackingPaused{c.account, c.number, now});
        } else {
            out->push_back(events::TrackingResumed{c.account, c.number, now});
        }
    } else if (turn_off) {
        out->push_back(events::CallsStopped{c.account, c.number, now});
    } else {
        out->push_back(events::CallsResumed{c.account, c.number, now});
    }
    if (n == nullptr) {
        const bool tracking_paused = tracking ? turn_off : a->is_tracking_paused;
        const bool calls_stopped = tracking ? a->are_calls_stopped : turn_off;
        emit_billing(*out, a->id, a->charges,
                     charges_for(j.policy, a->status, tracking_paused, calls_stopped), false, now);
    }
}

void handle(Judge& j, const commands::PauseTracking& c, Events* out) {
    handle_switch(j, Operation::pause_tracking, Switch::tracking, true, c, out);
}
void handle(Judge& j, const commands::ResumeTracking& c, Events* out) {
    handle_switch(j, Operation::resume_tracking, Switch::tracking, false, c, out);
}
void handle(Judge& j, const commands::StopCalls& c, Events* out) {
    handle_switch(j, Operation::stop_calls, Switch::calls, true, c, out);
}
void handle(Judge& j, const commands::ResumeCalls& c, Events* out) {
    handle_switch(j, Operation::resume_calls, Switch::calls, false, c, out);
}

void handle(Judge& j, const commands::PauseAccount& c, Events* out) {
    const auto op = Operation::pause_account;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    std::size_t on_account = 0;
    std::vector<NumberId> held;
    j.for_each_number(*a, [&](const TrackingNumber& n) {
        if (!is_on_account(n)) return;
        ++on_account;
        if (n.status == NumberStatus::active && out) held.push_back(n.id);
    });
    const auto limit = j.policy.pause.number_limit;
    if (on_account > limit) {
        j.refuse(errc::number_limit_exceeded,
                 "account " + a->id.str() + " has " + std::to_string(on_account)
                     + " tracking numbers and a pause keeps at most " + std::to_string(limit)
                     + "; disable " + std::to_string(on_account - limit) + " first");
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    out->push_back(events::AccountPaused{a->id, a->plan, j.policy.pause.suspends_report_access,
                                         j.policy.pause.maximum.end_from(j.now), j.now});
    if (!held.empty()) out->push_back(events::NumbersHeld{a->id, std::move(held), j.now});
    emit_billing(*out, a->id, a->charges, j.policy.charges.paused, false, j.now);
}

void handle(Judge& j, const commands::ResumeAccount& c, Events* out) {
    const auto op = Operation::resume_account;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    // The pause maximum may have passed before the host fired it: judge as if it had.
    const bool maximum_reached = a->pause_until && j.now >= *a->pause_until;
    if (maximum_reached && j.policy.pause.on_maximum == OnPauseMaximum::close_account) {
        j.refuse(errc::account_closed, "account " + a->id.str() + " reached the pause maximum at "
                                           + format_time(*a->pause_until) + " and closed");
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    std::vector<NumberId> held;
    j.for_each_number(*a, [&](const TrackingNumber& n) {
        if (n.status == NumberStatus::held) held.push_back(n.id);
    });
    if (maximum_reached) {
        // Held only until the maximum: released, never reactivated.
        out->push_back(events::PauseMaximumReached{a->id, j.now});
        for (const auto& id : held) out->push_back(events::NumberReleased{id, a->id, j.now});
        held.clear();
    }
    out->push_back(events::AccountResumed{a->id, j.now});
    if (!held.empty()) out->push_back(events::NumbersReactivated{a->id, std::move(held), j.now});
    if (a->plan_before_pause) {
        out->push_back(events::PlanRestored{a->id, *a->plan_before_pause, j.now});
    }
    emit_billing(
        *out, a->id, a->charges,
        charges_for(j.policy, AccountStatus::active, a->is_tracking_paused, a->are_calls_stopped),
        false, j.now);
}

/// cancel_account, close_sub_account and close_account differ in who may, which accounts they
/// apply to, and what they are called; what they do is the policy's cancellation rule.
void handle_cancel(Judge& j, Operation op, CancelKind kind, const AccountId& id,
                   const Confirmation& confirmation, Events* out) {
    const auto* a = j.account(id);
    if (a == nullptr) return;
    j.offered(op);
    if (op == Operation::cancel_account && a->agency) {
        j.refuse(errc::not_standalone, "account " + a->id.str() + " is a sub-account of agency "
                                           + a->agency->str() + "; close the sub-account instead");
    } else if (op == Operation::close_sub_account && !a->agency) {
        j.refuse(errc::not_a_sub_account,
                 "account " + a->id.str() + " is standalone; cancel the account instead");
    }
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    j.no_pending_port_out(*a);
    j.confirmed(op, confirmation, a);
    if (out && j.ok()) {
        emit_cancel(j, *a, kind, a->agency ? j.policy.sub_account : j.policy.standalone,
                    confirmation.reasons, *out);
    }
}

void handle(Judge& j, const commands::CancelAccount& c, Events* out) {
    handle_cancel(j, Operation::cancel_account, CancelKind::cancel, c.account, c.confirmation, out);
}
void handle(Judge& j, const commands::CloseSubAccount& c, Events* out) {
    handle_cancel(j, Operation::close_sub_account, CancelKind::sub_account_close, c.account,
                  c.confirmation, out);
}
void handle(Judge& j, const commands::CloseAccount& c, Events* out) {
    handle_cancel(j, Operation::close_account, CancelKind::close, c.account, c.confirmation, out);
}

void handle(Judge& j, const commands::CancelAgency& c, Events* out) {
    const auto op = Operation::cancel_agency;
    const auto* g = j.agency(c.agency);
    if (g == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*g));
    j.gate(op, *g);
    std::vector<const Account*> cascade;
    if (const auto it = j.state.sub_accounts_by_agency.find(g->id);
        it != j.state.sub_accounts_by_agency.end()) {
        for (const auto& id : it->second) {
            const auto& a = j.state.accounts.at(id);
            if (a.status != AccountStatus::active && a.status != AccountStatus::paused) continue;
            cascade.push_back(&a);
            j.no_pending_port_out(a);
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    const auto& rule = j.policy.agency;
    const bool can_reactivate = rule.reactivation != Reactivation::impossible;
    std::vector<AccountId> ids;
    ids.reserve(cascade.size());
    for (const auto* a : cascade) ids.push_back(a->id);
    out->push_back(
        events::AgencyCanceled{g->id, c.confirmation.reasons, std::move(ids),
                               window_end(can_reactivate, rule.reactivation_window, j.now), j.now});
    const auto sub_rule = cascade_rule(j.policy);
    for (const auto* a : cascade) {
        emit_cancel(j, *a, CancelKind::agency_cascade, sub_rule, c.confirmation.reasons, *out);
    }
    emit_billing(*out, g->id, g->charges, j.policy.charges.agency_canceled,
                 rule.final_usage_invoice, j.now);
    if (g->balance.status == BalanceStatus::in_use && !g->balance.available.is_zero()
        && !g->balance.available.is_negative()) {
        if (rule.balance == BalanceOnCancel::forfeit) {
            out->push_back(events::BalanceForfeited{g->id, g->balance.available, j.now});
        } else {
            out->push_back(events::BalanceRefundable{g->id, g->balance.available,
                                                     rule.refund_window.end_from(j.now), j.now});
        }
    }
    if (!can_reactivate) out->push_back(events::AgencyClosed{g->id, j.now});
}

void handle_reactivate(Judge& j, Operation op, const AccountId& id,
                       const Confirmation& confirmation, Events* out) {
    const auto* a = j.account(id);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    check_reactivation(j, *a);
    j.confirmed(op, confirmation, nullptr);
    if (out && j.ok()) emit_reactivation(j, *a, *out);
}

void handle(Judge& j, const commands::ReopenAccount& c, Events* out) {
    handle_reactivate(j, Operation::reopen_account, c.account, c.confirmation, out);
}
void handle(Judge& j, const commands::ReactivateAccount& c, Events* out) {
    handle_reactivate(j, Operation::reactivate_account, c.account, c.confirmation, out);
}

void handle(Judge& j, const commands::ReactivateAgency& c, Events* out) {
    const auto op = Operation::reactivate_agency;
    const auto* g = j.agency(c.agency);
    if (g == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*g));
    j.gate(op, *g);
    const auto& rule = j.policy.agency;
    if (g->status == AgencyStatus::canceled && g->canceled_at) {
        if (rule.reactivation == Reactivation::impossible) {
            j.refuse(errc::window_not_offered,
                     "the " + j.policy.name + " policy never reactivates a canceled agency");
        } else if (!rule.reactivation_window.is_open(*g->canceled_at, j.now)) {
            j.refuse(errc::window_closed, "the " + to_string(rule.reactivation_window)
                                              + " reactivation window closed at "
                                              + format_time(*g->reactivation_until));
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    out->push_back(events::AgencyReactivated{g->id, j.now});
    emit_billing(*out, g->id, g->charges, j.policy.charges.agency_active, false, j.now);
    if (g->balance.status == BalanceStatus::refundable) {
        out->push_back(events::BalanceReinstated{g->id, j.now});
    }
}

void handle(Judge& j, const commands::RestoreNumber& c, Events* out) {
    const auto op = Operation::restore_number;
    const auto* n = j.number(c.number);
    if (n == nullptr) return;
    const auto* a = j.account(n->account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    if (n->status != NumberStatus::released) {
        j.refuse(errc::number_not_released,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
        return;
    }
    if (const auto* other = number_in_use(j.state, n->number, &n->id)) {
        j.refuse(errc::already_exists,
                 n->number.e164() + " is routing again as tracking number " + other->id.str());
    }
    const auto rule = rule_for(j.policy, *a);
    const Time since = a->timeline.canceled_at.value_or(n->released_at.value_or(j.now));
    bool carrier_level = false;
    if (!rule.number_restore_window.is_offered()) {
        j.refuse(errc::window_not_offered,
                 "the " + j.policy.name + " policy does not restore released numbers");
    } else if (!rule.number_restore_window.is_open(since, j.now)) {
        const auto closed_at = format_time(*rule.number_restore_window.end_from(since));
        if (!rule.support_restores_after_window) {
            j.refuse(errc::window_closed, "the " + to_string(rule.number_restore_window)
                                              + " restore window closed at " + closed_at);
        } else if (!is_support(j.actor)) {
            j.refuse(errc::support_only, "the " + to_string(rule.number_restore_window)
                                             + " self-service restore window closed at " + closed_at
                                             + "; support can attempt a carrier-level restore");
        } else {
            carrier_level = true;
        }
    }
    if (out && j.ok()) {
        out->push_back(events::NumberRestored{n->id, a->id, carrier_level, j.now});
    }
}

void handle(Judge& j, const commands::RequestRefund& c, Events* out) {
    const auto op = Operation::request_refund;
    const Balance* b = nullptr;
    if (const auto* id = std::get_if<AccountId>(&c.owner)) {
        const auto* a = j.account(*id);
        if (a == nullptr) return;
        j.offered(op);
        j.authorized(op, target_of(*a));
        j.gate(op, *a);
        b = &a->balance;
    } else {
        const auto* g = j.agency(std::get<AgencyId>(c.owner));
        if (g == nullptr) return;
        j.offered(op);
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
        b = &g->balance;
    }
    switch (b->status) {
        case BalanceStatus::in_use:
            // Past the status gate the owner is canceled or closed: a cancel keeps only a
            // positive balance refundable, so one with no credit is left in use.
            if (j.ok() && (b->available.is_zero() || b->available.is_negative())) {
                j.refuse(errc::nothing_to_refund, "the available balance is "
                                                      + to_string(b->available)
                                                      + "; there is no credit to refund");
            } else if (j.ok()) {
                j.refuse(errc::invalid_state,
                         "the balance is in use; it is refundable only "
                         "after a cancel");
            }
            break;
        case BalanceStatus::refundable:
            if (b->refundable_until && j.now >= *b->refundable_until) {
                j.refuse(errc::window_closed,
                         "the refund window closed at " + format_time(*b->refundable_until));
            } else if (b->available.is_zero() || b->available.is_negative()) {
                j.refuse(errc::nothing_to_refund,
                         "the available balance is " + to_string(b->available));
            }
            break;
        case BalanceStatus::refund_requested:
            j.refuse(errc::already_in_state, "a refund was requested already");
            break;
        case BalanceStatus::forfeited:
            j.refuse(errc::nothing_to_refund, "the balance was forfeited");
            break;
    }
    if (out && j.ok()) out->push_back(events::RefundRequested{c.owner, b->available, j.now});
}

void handle_port(Judge& j, Operation op, const NumberId& id, Events* out) {
    const auto* n = j.number(id);
    if (n == nullptr) return;
    const auto* a = j.account(n->account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    const bool starting = op == Operation::start_port_out;
    if (starting && n->status == NumberStatus::port_out_pending) {
        j.refuse(errc::already_in_state, "a port-out of " + n->number.e164() + " is under way");
    } else if (starting && n->status != NumberStatus::active) {
        j.refuse(errc::invalid_state,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
    } else if (!starting && n->status != NumberStatus::port_out_pending) {
        j.refuse(errc::invalid_state, "no port-out of " + n->number.e164() + " is under way");
    }
    if (!out || !j.ok()) return;
    switch (op) {
        case Operation::start_port_out:
            out->push_back(events::PortOutStarted{id, j.now});
            break;
        case Operation::complete_port_out:
            out->push_back(events::PortOutCompleted{id, j.now});
            break;
        default:
            out->push_back(events::PortOutAbandoned{id, j.now});
            break;
    }
}

void handle(Judge& j, const commands::StartPortOut& c, Events* out) {
    handle_port(j, Operation::start_port_out, c.number, out);
}
void handle(Judge& j, const commands::CompletePortOut& c, Events* out) {
    handle_port(j, Operation::complete_port_out, c.number, out);
}
void handle(Judge& j, const commands::AbandonPortOut& c, Events* out) {
    handle_port(j, Operation::abandon_port_out, c.number, out);
}

void handle(Judge& j, const commands::TransferSubAccount& c, Events* out) {
    const auto op = Operation::transfer_sub_account;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    const auto* to = j.agency(c.to);
    if (to == nullptr) return;
    j.offered(op);
    if (!a->agency) {
        j.refuse(errc::not_a_sub_account, "account " + a->id.str() + " belongs to no agency");
        return;
    }
    const auto* from = j.agency(*a->agency);
    if (from == nullptr) return;
    j.gate(op, *a);
    j.gate(op, *from);
    j.gate(op, *to);
    if (from->id == to->id) {
        j.refuse(errc::already_in_state,
                 "sub-account " + a->id.str() + " belongs to agency " + to->id.str() + " already");
    }
    if (j.actor.user != c.source_approver && j.actor.user != c.target_approver) {
        j.refuse(errc::permission_denied,
                 "user " + j.actor.user.str() + " is neither of the transfer's approvers");
    }
    // Each side's approval is judged on the approver's own grants.
    const RoleSet allowed = j.policy.rule(op).sub_account_roles;
    const Target source_side = target_of(*a);
    const Target target_side{TargetKind::sub_account, &a->id, &to->id};
    if (!holds_role(actor_of(j.state, c.source_approver), source_side, allowed)) {
        j.refuse(errc::transfer_not_approved, "user " + c.source_approver.str() + " is not one of "
                                                  + to_string(allowed) + " on agency "
                                                  + from->id.str());
    }
    if (!holds_role(actor_of(j.state, c.target_approver), target_side, allowed)) {
        j.refuse(errc::transfer_not_approved, "user " + c.target_approver.str() + " is not one of "
                                                  + to_string(allowed) + " on agency "
                                                  + to->id.str());
    }
    if (out && j.ok()) {
        out->push_back(events::SubAccountTransferred{a->id, from->id, to->id, j.now});
    }
}

void handle(Judge& j, const commands::RecordSurvey& c, Events* out) {
    const auto op = Operation::record_survey;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    if (out && j.ok()) out->push_back(events::SurveyRecorded{a->id, c.outcome, j.now});
}

void judge(Judge& j, const Command& command, Events* out) {
    if (j.state.last_event_at && j.now < *j.state.last_event_at) {
        j.refuse(errc::clock_went_backwards, "it is " + format_time(j.now)
                                                 + ", earlier than the last event at "
                                                 + format_time(*j.state.last_event_at));
        return;
    }
    std::visit([&](const auto& c) { handle(j, c, out); }, command);
}

}  // namespace

bool Verdict::has(errc code) const noexcept {
    return std::any_of(refusals.begin(), refusals.end(),
                       [&](const Refusal& r) { return r.code == code; });
}

std::string describe(const Refusal& refusal) {
    std::string out = refusal.code.category() == calltrack_category()
                          ? std::string(to_string(static_cast<errc>(refusal.code.value())))
                          : refusal.code.message();
    if (!refusal.detail.empty()) out += ": " + refusal.detail;
    return out;
}

Verdict check(const State& state, const Command& command, const Actor& actor, const Policy& policy,
              Time now) {
    Verdict verdict;
    Judge j(state, actor, policy, now, verdict.refusals);
    judge(j, command, nullptr);
    return verdict;
}

result<std::vector<Event>> decide(const State& state, const Command& command, const Actor& actor,
                                  const Policy& policy, Time now) {
    auto decision = decide_with_reasons(state, command, actor, policy, now);
    if (!decision.is_allowed()) return decision.refusals.front().code;
    return std::move(decision.events);
}

Decision decide_with_reasons(const State& state, const Command& command, const Actor& actor,
                             const Policy& policy, Time now) {
    Decision decision;
    Judge j(state, actor, policy, now, decision.refusals);
    judge(j, command, &decision.events);
    if (!decision.is_allowed()) decision.events.clear();
    return decision;
}

}  // namespace calltrack
