// Who may do what, proven rather than sampled: every operation x every role x every scope relation
// (a grant on the target's own account, on a sibling sub-account, on another agency's account, on
// the agency, on the platform) under every preset. The expected answer comes from an explicit table
// below, written from spec.md and docs/policies.md ("Operations") and from the scope rule of
// docs/concepts.md ("Who may do what"); nothing in it is read from the Policy under test.
//
// Each (preset, operation, target) gets a world prepared so that the operation would otherwise be
// allowed (an account to reactivate is canceled first, a number to restore was released, ...), so
// that an allowed cell means check() allows it outright, and a refused cell means the role check
// is the one and only refusal. The pure core and the engine (over InMemoryStore) are both asked.
#include "lifecycle_fixture.hpp"

#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

// --- the documented table -------------------------------------------------------------------

const Role AA = Role::agency_administrator;
const Role AD = Role::administrator;
const Role OW = Role::account_owner;
const Role SU = Role::support;
// CallRail's other roles.
const Role MG("manager");
const Role RP("reporting");
const Role NT("notification");
// CTM's other roles.
const Role ABM("agency_billing_manager");
const Role BM("billing_manager");
const Role MM("marketing_manager");
const Role CM("call_manager");
const Role RM("report_manager");
const Role CA("call_agent");
// smrtPhone's users under the owner.
const Role US("user");

/// docs/policies.md, "Roles": every role each vendor has.
std::vector<Role> roles_of(const std::string& preset) {
    if (preset == "callrail") return {AD, MG, RP, NT, SU};
    if (preset == "ctm") return {AA, ABM, AD, BM, MM, CM, RM, CA, SU};
    if (preset == "smrtphone") return {OW, US, SU};
    FAIL("no documented roles for preset " << preset);
    return {};
}

/// One row of docs/policies.md: whether the operation is offered, and the roles per target that
/// may do it, each role that gives an allowed one by implication included (CTM's agency
/// administrator acts as administrator on its sub-accounts).
struct Documented {
    bool offered = false;
    std::vector<Role> account;      ///< a standalone account
    std::vector<Role> sub_account;  ///< a sub-account
    std::vector<Role> agency;       ///< an agency
};

const Documented not_offered{};

/// "Provisioning": the same operations in all three presets, each vendor's roles in them.
Documented provisioning(const std::string& preset, Operation op) {
    const bool numbers = op == Operation::add_tracking_number || op == Operation::change_forwarding;
    const bool billing = op == Operation::set_plan || op == Operation::adjust_balance;
    if (op == Operation::create_agency) return {true, {}, {}, {SU}};
    if (preset == "callrail") {
        if (op == Operation::open_account) return {true, {SU}, {AD, SU}, {}};
        if (numbers) return {true, {AD, MG, SU}, {AD, MG, SU}, {AD, SU}};
        return {true, {AD, SU}, {AD, SU}, {AD, SU}};
    }
    if (preset == "ctm") {
        if (op == Operation::open_account) return {true, {SU}, {AA, SU}, {}};
        if (numbers) return {true, {AD, MM, SU}, {AA, AD, MM, SU}, {AA, ABM, SU}};
        if (billing) return {true, {AD, BM, SU}, {AA, ABM, AD, BM, SU}, {AA, ABM, SU}};
        return {true, {AD, SU}, {AA, AD, SU}, {AA, SU}};  // grant_role, revoke_role
    }
    if (op == Operation::open_account) return {true, {SU}, {SU}, {}};
    return {true, {OW, SU}, {OW, SU}, {SU}};
}

/// "Lifecycle", one column per preset: account / sub_account / agency.
Documented documented(const std::string& preset, Operation op) {
    if (op <= Operation::revoke_role) return provisioning(preset, op);
    // "Charges": posted by the host's billing as the platform, alike in all three presets.
    if (op == Operation::charge_usage || op == Operation::charge_renewal) {
        return {true, {SU}, {SU}, {}};
    }
    if (preset == "callrail") {
        switch (op) {
            case Operation::pause_account:
            case Operation::resume_account:
            case Operation::close_account:
            case Operation::reopen_account:
                return {true, {AD}, {AD}, {}};
            case Operation::request_refund:
                return {true, {AD, SU}, {}, {}};
            default:
                return not_offered;
        }
    }
    if (preset == "ctm") {
        switch (op) {
            case Operation::pause_tracking:
            case Operation::resume_tracking:
            case Operation::stop_calls:
            case Operation::resume_calls:
                return {true, {AD}, {AA, AD}, {}};
            case Operation::cancel_account:
                return {true, {AD}, {}, {}};
            case Operation::close_sub_account:
                return {true, {}, {AA, AD}, {}};
            case Operation::cancel_agency:
                return {true, {}, {}, {AA}};
            case Operation::reactivate_account:
            case Operation::restore_number:
                return {true, {AD, SU}, {AA, AD, SU}, {}};
            case Operation::reactivate_agency:
                return {true, {}, {}, {SU}};
            case Operation::request_refund:
                return {true, {AD, BM, SU}, {AA, ABM, AD, BM, SU}, {AA, ABM, SU}};
            case Operation::request_transfer:
            case Operation::approve_transfer:
            case Operation::refuse_transfer:
            case Operation::withdraw_transfer:
                return {true, {}, {AA}, {}};
            default:
                return not_offered;
        }
    }
    if (preset == "smrtphone") {
        switch (op) {
            case Operation::cancel_account:
            case Operation::start_port_out:
            case Operation::record_survey:
                return {true, {OW}, {}, {}};
            case Operation::complete_port_out:
                return {true, {SU}, {}, {}};
            case Operation::abandon_port_out:
                return {true, {OW, SU}, {}, {}};
            default:
                return not_offered;
        }
    }
    FAIL("no documented table for preset " << preset);
    return not_offered;
}

// --- targets and scope relations ------------------------------------------------------------

/// What a command acts on: the standalone account "solo", the sub-account "sub1" of agency "g1",
/// or the agency "g1" itself. g1 also has "sub1b"; agency "g2" has "sub2".
enum class Target { standalone, sub_account, agency };
constexpr Target all_targets[] = {Target::standalone, Target::sub_account, Target::agency};

const char* to_text(Target t) {
    switch (t) {
        case Target::standalone:
            return "standalone account";
        case Target::sub_account:
            return "sub-account";
        case Target::agency:
            return "agency";
    }
    return "?";
}

const std::vector<Role>& roles_for(const Documented& d, Target t) {
    switch (t) {
        case Target::standalone:
            return d.account;
        case Target::sub_account:
            return d.sub_account;
        case Target::agency:
            return d.agency;
    }
    return d.account;
}

bool contains(const std::vector<Role>& roles, const Role& r) {
    return std::find(roles.begin(), roles.end(), r) != roles.end();
}

/// Where the actor's one grant is scoped, relative to the target.
enum class Relation {
    own_account,
    sibling_sub_account,
    other_agencys_account,
    the_agency,
    platform
};
constexpr Relation all_relations[] = {Relation::own_account, Relation::sibling_sub_account,
                                      Relation::other_agencys_account, Relation::the_agency,
                                      Relation::platform};

const char* to_text(Relation r) {
    switch (r) {
        case Relation::own_account:
            return "its own account";
        case Relation::sibling_sub_account:
            return "a sibling sub-account";
        case Relation::other_agencys_account:
            return "another agency's account";
        case Relation::the_agency:
            return "the agency";
        case Relation::platform:
            return "the platform";
    }
    return "?";
}

/// The ids a command on `t` names: the account (for an agency target, one of its sub-accounts,
/// which is "its own account" for a member of the agency) and the agency.
struct Ids {
    const char* account;
    const char* agency;
};

/// The concrete scope of a relation. `account` is the target account (for create/open: the new
/// id), `agency` the target's agency (or the agency targeted).
Scope scope_of(Relation r, const Ids& ids) {
    switch (r) {
        case Relation::own_account:
            return AccountId(ids.account);
        case Relation::sibling_sub_account:
            return AccountId("sub1b");
        case Relation::other_agencys_account:
            return AccountId("sub2");
        case Relation::the_agency:
            return AgencyId(ids.agency);
        case Relation::platform:
            return Platform{};
    }
    return Platform{};
}

/// docs/concepts.md: "A grant applies to a target when it is scoped to that account, to the
/// agency the target belongs to (or is), or to the platform (support)." A grant on a sub-account
/// does not reach its agency; the standalone account belongs to no agency; only support's role is
/// granted on the platform.
bool reaches(Relation r, const Role& role, Target t) {
    switch (r) {
        case Relation::own_account:
            return t != Target::agency;
        case Relation::sibling_sub_account:
        case Relation::other_agencys_account:
            return false;
        case Relation::the_agency:
            return t != Target::standalone;
        case Relation::platform:
            return role == SU;
    }
    return false;
}

/// The answer the documents give for one cell: allowed, or the one refusal the role check makes
/// (docs/concepts.md: out of scope with no grant on the target, permission denied with grants
/// there but not the right role, support only where only support may act; an offered operation
/// with no roles for this kind of target is not offered on it).
struct Expected {
    bool allowed = false;
    errc refusal = errc::operation_not_offered;
};

/// docs/policies.md, "Roles": whether the role may be granted on the relation's kind of scope.
/// A grant on another kind (which only an Actor built by hand holds) reaches the target but
/// gives nothing.
bool granted_there(const Role& role, Relation r) {
    if (r == Relation::platform) return role == SU;
    if (role == SU) return false;
    const bool on_agency = r == Relation::the_agency;
    if (role == AA || role == ABM) return on_agency;
    if (role == OW || role == US) return !on_agency;
    return true;  // every other role: an account, or an agency for its sub-accounts
}

Expected expected_for(const Documented& d, Target t, const Role& role, Relation r) {
    const auto& roles = roles_for(d, t);
    if (!d.offered || roles.empty()) return {false, errc::operation_not_offered};
    const bool grant_reaches = reaches(r, role, t);
    if (contains(roles, role) && grant_reaches && granted_there(role, r)) return {true, {}};
    if (roles == std::vector<Role>{SU}) return {false, errc::support_only};
    return {false, grant_reaches ? errc::permission_denied : errc::actor_out_of_scope};
}

// --- the world, in the core and in the engine -----------------------------------------------

/// Everything any vendor asks of a person, so that only roles and state can refuse.
Confirmation everything() {
    Confirmation c = clicked();
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    c.terms_accepted = true;
    c.reasons = {"testing who may do what"};
    c.billing_details_entered = true;
    return c;
}

/// An actor that holds every role everywhere, to prepare a world before the cell under test.
Actor everyone() {
    Actor a{UserId("preparer"), {RoleGrant{SU, Platform{}}}};
    for (const char* g : {"g1", "g2"}) a.grants.push_back({AA, AgencyId(g)});
    for (const char* acct : {"solo", "sub1", "sub1b", "sub2"}) {
        a.grants.push_back({AD, AccountId(acct)});
        a.grants.push_back({OW, AccountId(acct)});
    }
    return a;
}

/// The same history in the pure core (World) and in an engine over its own InMemoryStore.
class Twin {
  public:
    explicit Twin(Policy policy)
        : world(policy, at("2020-09-01T00:00:00Z")),
          clock(world.now),
          engine(std::move(policy), clock, store) {
        given(commands::CreateAgency{AgencyId("g1"), usd()});
        given(commands::CreateAgency{AgencyId("g2"), usd()});
        open("solo", nullptr);
        open("sub1", "g1");
        open("sub1b", "g1");
        open("sub2", "g2");
        number("n_solo", "solo", "+14045550101");
        number("n_sub1", "sub1", "+14045550102");
        // g2's administrator, who asks for the transfers that g1's side answers.
        if (world.policy.role(AA) != nullptr) {
            given(commands::GrantRole{UserId("yvonne"), RoleGrant{AA, AgencyId("g2")}});
        }
    }

    World world;
    ManualClock clock;
    InMemoryStore store;
    Engine engine;

    /// A preparation step that must succeed in both.
    void given(const Command& command) {
        const Actor a = everyone();
        INFO("preparing " << to_string(operation_of(command)));
        world.given(a, command);
        auto receipt = engine.execute(a, command);
        INFO("engine: " << (receipt ? "" : receipt.error().message()));
        REQUIRE(receipt);
    }

    /// A preparation step by one actor that must succeed in both.
    void given(const Actor& a, const Command& command) {
        world.given(a, command);
        auto receipt = engine.execute(a, command);
        INFO("engine: " << (receipt ? "" : receipt.error().message()));
        REQUIRE(receipt);
    }

  private:
    void open(const char* id, const char* agency) {
        std::optional<AgencyId> parent;
        if (agency != nullptr) parent = AgencyId(agency);
        given(commands::OpenAccount{AccountId(id), parent, Plan{"Pro", {}}, usd()});
    }
    void number(const char* id, const char* account, const char* e164) {
        given(commands::AddTrackingNumber{NumberId(id), AccountId(account), phone(e164),
                                          phone("+14045550100"), NumberSource::onsite_dynamic});
    }
};

/// One cell's command and the world it is judged in.
struct Case {
    Ids ids;
    Command command;
    /// Steps that make the command otherwise allowed; run only where the documents say some
    /// role may do it (elsewhere the preparing steps are not offered either).
    std::function<void(Twin&)> prepare = [](Twin&) {};
};

const char* account_of(Target t) {
    return t == Target::standalone ? "solo" : "sub1";
}
const char* number_of(Target t) {
    return t == Target::standalone ? "n_solo" : "n_sub1";
}

/// Each vendor's way of leaving an account: cancel (CTM standalone), close the sub-account (CTM),
/// close (CallRail), cancel after the survey (smrtPhone).
void leave(Twin& w, Target t) {
    const AccountId a(account_of(t));
    const auto& name = w.world.policy.name;
    if (name == "callrail") {
        w.given(commands::CloseAccount{a, everything()});
    } else if (name == "smrtphone") {
        w.given(commands::RecordSurvey{a, SurveyOutcome::confirm});
        w.given(commands::CancelAccount{a, everything()});
    } else if (t == Target::sub_account) {
        w.given(commands::CloseSubAccount{a, everything()});
    } else {
        w.given(commands::CancelAccount{a, everything()});
    }
}

/// The command for `op` on `t`, or nothing where no command of that operation can name such a
/// target (a tracking number is always on an account, a cancel of an agency acts on an agency).
std::optional<Case> case_for(const Policy& policy, Operation op, Target t) {
    const auto c = everything();
    const AccountId a(account_of(t));
    const NumberId n(number_of(t));
    const bool on_agency = t == Target::agency;
    const Ids ids{on_agency ? "sub1" : account_of(t), "g1"};
    switch (op) {
        case Operation::create_agency:
            if (!on_agency) return std::nullopt;
            return Case{{"sub1", "g3"}, commands::CreateAgency{AgencyId("g3"), usd()}};
        case Operation::open_account: {
            if (on_agency) return std::nullopt;
            std::optional<AgencyId> parent;
            if (t == Target::sub_account) parent = AgencyId("g1");
            return Case{{"fresh", "g1"},
                        commands::OpenAccount{AccountId("fresh"), parent, Plan{"Pro", {}}, usd()}};
        }
        case Operation::add_tracking_number:
            if (on_agency) return std::nullopt;
            return Case{ids,
                        commands::AddTrackingNumber{NumberId("n_new"), a, phone("+14045550177"),
                                                    phone("+14045550100"), NumberSource::offsite}};
        case Operation::change_forwarding:
            if (on_agency) return std::nullopt;
            return Case{ids, commands::ChangeForwarding{n, phone("+14045550199")}};
        case Operation::set_plan:
            if (on_agency) return std::nullopt;
            return Case{ids, commands::SetPlan{a, Plan{"Lite", {}}}};
        case Operation::adjust_balance:
            if (on_agency)
                return Case{ids, commands::AdjustBalance{AgencyId("g1"), dollars(1'000)}};
            return Case{ids, commands::AdjustBalance{a, dollars(1'000)}};
        case Operation::grant_role:
        case Operation::revoke_role: {
            // A role the preset grants on an account or an agency: smrtPhone's user, on an
            // account only, so no smrtPhone grant names an agency.
            const bool smrtphone = policy.name == "smrtphone";
            if (smrtphone && on_agency) return std::nullopt;
            const Role role = smrtphone ? US : AD;
            const RoleGrant g = on_agency ? RoleGrant{role, AgencyId("g1")} : RoleGrant{role, a};
            if (op == Operation::grant_role) return Case{ids, commands::GrantRole{UserId("u"), g}};
            return Case{ids, commands::RevokeRole{UserId("u"), g}, [g](Twin& w) {
                            w.given(commands::GrantRole{UserId("u"), g});
                        }};
        }
        case Operation::cancel_agency:
            if (!on_agency) return std::nullopt;
            return Case{ids, commands::CancelAgency{AgencyId("g1"), c}};
        case Operation::reactivate_agency:
            if (!on_agency) return std::nullopt;
            return Case{ids, commands::ReactivateAgency{AgencyId("g1"), c}, [c](Twin& w) {
                            w.given(commands::CancelAgency{AgencyId("g1"), c});
                        }};
        case Operation::request_refund:
            if (on_agency) {
                return Case{ids, commands::RequestRefund{AgencyId("g1")}, [c](Twin& w) {
                                w.given(commands::AdjustBalance{AgencyId("g1"), dollars(1'000)});
                                w.given(commands::CancelAgency{AgencyId("g1"), c});
                            }};
            }
            return Case{ids, commands::RequestRefund{a}, [a, t](Twin& w) {
                            w.given(commands::AdjustBalance{a, dollars(1'000)});
                            leave(w, t);
                        }};
        // The actor acts for g1, the sub-account's own agency: it asks, or answers g2's request.
        case Operation::request_transfer:
            if (t != Target::sub_account) return std::nullopt;
            return Case{ids, commands::RequestTransfer{a, AgencyId("g2")}};
        case Operation::approve_transfer:
        case Operation::refuse_transfer:
            if (t != Target::sub_account) return std::nullopt;
            return Case{ids,
                        op == Operation::approve_transfer ? Command(commands::ApproveTransfer{a})
                                                          : Command(commands::RefuseTransfer{a}),
                        [a](Twin& w) {
                            const Actor yvonne{UserId("yvonne"), {RoleGrant{AA, AgencyId("g2")}}};
                            w.given(yvonne, commands::RequestTransfer{a, AgencyId("g2")});
                        }};
        case Operation::withdraw_transfer:
            if (t != Target::sub_account) return std::nullopt;
            return Case{ids, commands::WithdrawTransfer{a}, [a](Twin& w) {
                            w.given(commands::RequestTransfer{a, AgencyId("g2")});
                        }};
        default:
            break;
    }
    if (on_agency) return std::nullopt;
    switch (op) {
        case Operation::pause_tracking:
            return Case{ids, commands::PauseTracking{a, std::nullopt, c}};
        case Operation::resume_tracking:
            return Case{ids, commands::ResumeTracking{a, std::nullopt, c}, [a, c](Twin& w) {
                            w.given(commands::PauseTracking{a, std::nullopt, c});
                        }};
        case Operation::stop_calls:
            return Case{ids, commands::StopCalls{a, std::nullopt, c}};
        case Operation::resume_calls:
            return Case{ids, commands::ResumeCalls{a, std::nullopt, c}, [a, c](Twin& w) {
                            w.given(commands::StopCalls{a, std::nullopt, c});
                        }};
        case Operation::pause_account:
            return Case{ids, commands::PauseAccount{a, c}};
        case Operation::resume_account:
            return Case{ids, commands::ResumeAccount{a, c}, [a, c](Twin& w) {
                            w.given(commands::PauseAccount{a, c});
                        }};
        case Operation::cancel_account:
            return Case{ids, commands::CancelAccount{a, c}, [a](Twin& w) {
                            if (w.world.policy.name == "smrtphone") {
                                w.given(commands::RecordSurvey{a, SurveyOutcome::confirm});
                            }
                        }};
        case Operation::close_sub_account:
            return Case{ids, commands::CloseSubAccount{a, c}};
        case Operation::close_account:
            return Case{ids, commands::CloseAccount{a, c}};
        case Operation::reopen_account:
            return Case{ids, commands::ReopenAccount{a, c}, [t](Twin& w) { leave(w, t); }};
        case Operation::reactivate_account:
            return Case{ids, commands::ReactivateAccount{a, c}, [t](Twin& w) { leave(w, t); }};
        case Operation::restore_number:
            return Case{ids, commands::RestoreNumber{n}, [a, c, t](Twin& w) {
                            leave(w, t);
                            w.given(commands::ReactivateAccount{a, c});
                        }};
        case Operation::start_port_out:
            return Case{ids, commands::StartPortOut{n}};
        case Operation::complete_port_out:
            return Case{ids, commands::CompletePortOut{n},
                        [n](Twin& w) { w.given(commands::StartPortOut{n}); }};
        case Operation::abandon_port_out:
            return Case{ids, commands::AbandonPortOut{n},
                        [n](Twin& w) { w.given(commands::StartPortOut{n}); }};
        case Operation::record_survey:
            return Case{ids, commands::RecordSurvey{a, SurveyOutcome::confirm}};
        case Operation::charge_usage:
            return Case{ids, commands::ChargeUsage{a, dollars(100)}};
        case Operation::charge_renewal:
            return Case{ids, commands::ChargeRenewal{a, {n}, dollars(100)}};
        default:
            return std::nullopt;
    }
}

std::vector<errc> codes(const Verdict& v) {
    std::vector<errc> out;
    for (const auto& r : v.refusals) out.push_back(static_cast<errc>(r.code.value()));
    return out;
}

std::string describe_verdict(const Verdict& v) {
    if (v.is_allowed()) return "allowed";
    std::string out;
    for (const auto& r : v.refusals) out += std::string(r.code.message()) + " (" + r.detail + "); ";
    return out;
}

/// How many cells each answer covered, to show the matrix is complete.
struct Tally {
    std::size_t cells = 0;
    std::size_t allowed = 0;
    std::map<errc, std::size_t> refused;
};

/// One preset's matrix: every operation, every target it can name, every role, every relation.
Tally run_matrix(const Policy& policy) {
    Tally tally;
    for (std::size_t i = 0; i < operation_count; ++i) {
        const auto op = static_cast<Operation>(i);
        const Documented doc = documented(policy.name, op);
        std::size_t targets_named = 0;
        for (const Target t : all_targets) {
            const auto c = case_for(policy, op, t);
            if (!c) continue;
            ++targets_named;
            const bool someone_may = doc.offered && !roles_for(doc, t).empty();
            for (const Role& role : roles_of(policy.name)) {
                for (const Relation relation : all_relations) {
                    // A fresh world per cell: the engine's check must not see an earlier cell.
                    Twin w(policy);
                    if (someone_may) c->prepare(w);
                    const RoleGrant grant{role, scope_of(relation, c->ids)};
                    const Actor actor{UserId("actor"), {grant}};
                    const Expected want = expected_for(doc, t, role, relation);
                    const errc want_code = want.refusal;

                    INFO(policy.name
                         << ": " << to_string(op) << " on the " << to_text(t) << " by "
                         << to_string(role) << " granted on " << to_text(relation) << " ("
                         << to_string(grant.scope) << "); documented: "
                         << (want.allowed ? "allowed" : make_error_code(want_code).message()));
                    const auto core = w.world.check(actor, c->command);
                    INFO("core check: " << describe_verdict(core));
                    const auto decided =
                        decide(w.world.state, c->command, actor, w.world.policy, w.world.now);
                    auto engine_check = w.engine.check(actor, c->command);
                    REQUIRE(engine_check);
                    const Verdict engine_verdict = engine_check.value();
                    INFO("engine check: " << describe_verdict(engine_verdict));
                    ++tally.cells;
                    if (want.allowed) {
                        ++tally.allowed;
                        CHECK(core.is_allowed());
                        CHECK(decided);
                        CHECK(engine_verdict.is_allowed());
                        auto preview = w.engine.preview(actor, c->command);
                        CHECK(preview);
                        continue;
                    }
                    ++tally.refused[want_code];
                    if (someone_may) {
                        // The world is otherwise ready: the role check is the only refusal.
                        CHECK(codes(core) == std::vector<errc>{want_code});
                    } else {
                        // Not offered: said so, and no role refusal on top of it.
                        CHECK(core.has(want_code));
                        CHECK_FALSE(core.has(errc::permission_denied));
                        CHECK_FALSE(core.has(errc::actor_out_of_scope));
                        CHECK_FALSE(core.has(errc::support_only));
                    }
                    CHECK(codes(engine_verdict) == codes(core));
                    REQUIRE_FALSE(decided);
                    if (someone_may) CHECK(decided.error() == want_code);
                    // Executing changes nothing in the store: no event, no effect.
                    auto before = w.store.read_all(0, 1'000'000);
                    REQUIRE(before);
                    const std::size_t events_before = before.value().size();
                    auto executed = w.engine.execute(actor, c->command);
                    REQUIRE_FALSE(executed);
                    CHECK(executed.error() == decided.error());
                    auto after = w.store.read_all(0, 1'000'000);
                    REQUIRE(after);
                    CHECK(after.value().size() == events_before);
                }
            }
        }
        INFO(policy.name << ": " << to_string(op));
        CHECK(targets_named > 0);
    }
    return tally;
}

std::string summary(const Tally& t) {
    std::string out = std::to_string(t.cells) + " cells, " + std::to_string(t.allowed) + " allowed";
    for (const auto& [code, n] : t.refused) {
        out += ", " + std::to_string(n) + " " + make_error_code(code).message();
    }
    return out;
}

}  // namespace

TEST_CASE("authority matrix: every operation, role and scope relation under every preset",
          "[authority-matrix][roles]") {
    const auto preset = GENERATE(as<std::string>{}, "callrail", "ctm", "smrtphone");
    auto policy = policies::by_name(preset);
    REQUIRE(policy);
    Tally tally = run_matrix(policy.value());
    WARN(preset << ": " << summary(tally));
    // Every cell is one of the operations x its targets x the preset's roles x 5 relations.
    CHECK(tally.cells % (roles_of(preset).size() * 5) == 0);
    CHECK(tally.allowed > 0);
    CHECK(tally.refused[errc::actor_out_of_scope] > 0);
    CHECK(tally.refused[errc::operation_not_offered] > 0);
}

TEST_CASE(
    "authority matrix: the documented table itself is what the presets hold (a changed preset "
    "fails here first)",
    "[authority-matrix][roles]") {
    for (const auto& policy : {policies::callrail(), policies::ctm(), policies::smrtphone()}) {
        RoleSet declared;
        for (const auto& role : policy.roles) declared.insert(role.name);
        RoleSet documented_roles;
        for (const Role& r : roles_of(policy.name)) documented_roles.insert(r);
        INFO(policy.name << " declares " << to_string(declared));
        CHECK(declared == documented_roles);
        for (std::size_t i = 0; i < operation_count; ++i) {
            const auto op = static_cast<Operation>(i);
            const auto doc = documented(policy.name, op);
            const auto& rule = policy.rule(op);
            INFO(policy.name << ": " << to_string(op));
            CHECK(rule.offered == doc.offered);
            for (const Target t : all_targets) {
                const TargetKind kind = t == Target::standalone    ? TargetKind::account
                                        : t == Target::sub_account ? TargetKind::sub_account
                                                                   : TargetKind::agency;
                RoleSet want;
                for (const Role& r : roles_for(doc, t)) want.insert(r);
                const RoleSet may = policy.roles_giving(rule.roles_on(kind), kind);
                INFO("on a " << to_text(t) << ": the preset's roles that may " << to_string(may)
                             << ", documented " << to_string(want));
                CHECK(may == want);
            }
        }
    }
}
