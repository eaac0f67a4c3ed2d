// Who may do what: every offered lifecycle operation of each preset, against each role, exactly
// as the preset's role sets say; tenant isolation between accounts and agencies; and the rules
// for granting roles. Every test reads "given these grants, when this command, then allowed or
// this refusal".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

/// What a command acts on, as the policy's role sets see it.
enum class RuleTarget { standalone, sub_account, agency };

const char* to_text(RuleTarget t) {
    switch (t) {
        case RuleTarget::standalone:
            return "standalone account";
        case RuleTarget::sub_account:
            return "sub-account";
        case RuleTarget::agency:
            return "agency";
    }
    return "?";
}

TargetKind target_kind_of(RuleTarget t) {
    switch (t) {
        case RuleTarget::standalone:
            return TargetKind::account;
        case RuleTarget::sub_account:
            return TargetKind::sub_account;
        case RuleTarget::agency:
            break;
    }
    return TargetKind::agency;
}

/// Two agencies with one sub-account each, and a standalone account; one number on each account
/// the role loop acts on. Before CallRail's pause cut-off, so every preset offers what it ever
/// offered.
World role_world(Policy policy) {
    World w(std::move(policy), at("2020-09-01T00:00:00Z"));
    w.agency("g1").agency("g2");
    w.account("acct1").account("sub1", "g1").account("sub2", "g2");
    w.number("na", "acct1", "+14045550101").number("ns", "sub1", "+14045550102");
    return w;
}

const char* account_of(RuleTarget t) {
    return t == RuleTarget::standalone ? "acct1" : "sub1";
}
const char* number_of(RuleTarget t) {
    return t == RuleTarget::standalone ? "na" : "ns";
}

/// Everything any vendor asks of a person, so that only roles and state can refuse.
Confirmation everything_for_roles() {
    Confirmation c = clicked();
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    c.terms_accepted = true;
    c.reasons = {"testing roles"};
    c.billing_details_entered = true;
    return c;
}

/// The command for `op` on target `t`, or nothing where the operation cannot name such a target.
/// Transfers are judged on two agencies and have a test of their own.
std::optional<Command> command_for(Operation op, RuleTarget t) {
    const auto c = everything_for_roles();
    if (t == RuleTarget::agency) {
        const AgencyId g("g1");
        switch (op) {
            case Operation::cancel_agency:
                return commands::CancelAgency{g, c};
            case Operation::reactivate_agency:
                return commands::ReactivateAgency{g, c};
            case Operation::request_refund:
                return commands::RequestRefund{g};
            default:
                return std::nullopt;
        }
    }
    const AccountId a(account_of(t));
    const NumberId n(number_of(t));
    switch (op) {
        case Operation::pause_tracking:
            return commands::PauseTracking{a, std::nullopt, c};
        case Operation::resume_tracking:
            return commands::ResumeTracking{a, std::nullopt, c};
        case Operation::stop_calls:
            return commands::StopCalls{a, std::nullopt, c};
        case Operation::resume_calls:
            return commands::ResumeCalls{a, std::nullopt, c};
        case Operation::pause_account:
            return commands::PauseAccount{a, c};
        case Operation::resume_account:
            return commands::ResumeAccount{a, c};
        case Operation::cancel_account:
            return commands::CancelAccount{a, c};
        case Operation::close_sub_account:
            return commands::CloseSubAccount{a, c};
        case Operation::close_account:
            return commands::CloseAccount{a, c};
        case Operation::reopen_account:
            return commands::ReopenAccount{a, c};
        case Operation::reactivate_account:
            return commands::ReactivateAccount{a, c};
        case Operation::restore_number:
            return commands::RestoreNumber{n};
        case Operation::request_refund:
            return commands::RequestRefund{a};
        case Operation::start_port_out:
            return commands::StartPortOut{n};
        case Operation::complete_port_out:
            return commands::CompletePortOut{n};
        case Operation::abandon_port_out:
            return commands::AbandonPortOut{n};
        case Operation::record_survey:
            return commands::RecordSurvey{a, SurveyOutcome::confirm};
        default:
            return std::nullopt;
    }
}

/// Each role granted where its policy grants it, preferring the platform, then the target's own
/// account, then the agency g1: support on the platform, an administrator or owner on the
/// account, an agency administrator on the agency.
Scope scope_for(const RoleDefinition& role, RuleTarget t) {
    const auto on = [&](ScopeKind k) { return role.is_granted_on(k); };
    if (on(ScopeKind::platform)) return Platform{};
    if (on(ScopeKind::account)) {
        return AccountId(account_of(t == RuleTarget::agency ? RuleTarget::sub_account : t));
    }
    return AgencyId("g1");
}

/// Whether a grant on that scope reaches the target at all.
bool reaches(const Scope& scope, RuleTarget t) {
    if (std::holds_alternative<Platform>(scope)) return true;
    if (std::holds_alternative<AgencyId>(scope)) return t != RuleTarget::standalone;
    return t != RuleTarget::agency;
}

bool is_role_refusal(const boost::system::error_code& code) {
    return code == errc::permission_denied || code == errc::actor_out_of_scope
           || code == errc::support_only;
}

/// Every offered lifecycle operation, every target it can name, every role: the role refusals
/// of check() are exactly what the preset's role set for that target says.
void every_role_as_the_preset_says(const Policy& policy) {
    auto w = role_world(policy);
    std::size_t allowed_seen = 0;
    std::size_t refused_seen = 0;
    for (auto i = static_cast<std::size_t>(Operation::pause_tracking); i < operation_count; ++i) {
        const auto op = static_cast<Operation>(i);
        const auto& rule = policy.rule(op);
        if (!rule.offered) continue;
        for (const auto t : {RuleTarget::standalone, RuleTarget::sub_account, RuleTarget::agency}) {
            const auto command = command_for(op, t);
            if (!command) continue;
            const RoleSet& allowed = rule.roles_on(target_kind_of(t));
            const RoleSet may = policy.roles_giving(allowed, target_kind_of(t));
            const bool support_only = std::all_of(
                allowed.begin(), allowed.end(),
                [&](const Role& r) { return scope_for(*policy.role(r), t) == Scope{Platform{}}; });
            for (const auto& definition : policy.roles) {
                const Role& role = definition.name;
                const Scope scope = scope_for(definition, t);
                INFO(policy.name << ": " << to_string(op) << " on a " << to_text(t) << " by "
                                 << to_string(role) << " on " << to_string(scope) << "; allowed: "
                                 << to_string(allowed) << ", so " << to_string(may));
                const auto verdict =
                    w.check(Actor{UserId("actor"), {RoleGrant{role, scope}}}, *command);
                if (allowed.empty()) {
                    CHECK(verdict.has(errc::operation_not_offered));
                    continue;
                }
                std::vector<boost::system::error_code> role_refusals;
                for (const auto& r : verdict.refusals) {
                    if (is_role_refusal(r.code)) role_refusals.push_back(r.code);
                }
                if (may.contains(role) && reaches(scope, t)) {
                    ++allowed_seen;
                    CHECK(role_refusals.empty());
                } else {
                    ++refused_seen;
                    const errc expected = support_only        ? errc::support_only
                                          : reaches(scope, t) ? errc::permission_denied
                                                              : errc::actor_out_of_scope;
                    CHECK(role_refusals
                          == std::vector<boost::system::error_code>{make_error_code(expected)});
                }
            }
        }
    }
    CHECK(allowed_seen > 0);
    CHECK(refused_seen > 0);
}

}  // namespace

TEST_CASE("every callrail lifecycle operation allows exactly the roles of its role sets",
          "[roles]") {
    every_role_as_the_preset_says(policies::callrail());
}

TEST_CASE("every ctm lifecycle operation allows exactly the roles of its role sets", "[roles]") {
    every_role_as_the_preset_says(policies::ctm());
}

TEST_CASE("every smrtphone lifecycle operation allows exactly the roles of its role sets",
          "[roles]") {
    every_role_as_the_preset_says(policies::smrtphone());
}

TEST_CASE(
    "tenant isolation: an administrator of account A is refused on account B as out of "
    "scope",
    "[roles]") {
    for (auto& policy : {policies::callrail(), policies::ctm(), policies::smrtphone()}) {
        INFO("preset " << policy.name);
        auto w = role_world(policy);
        w.account("other");
        // Each preset's account administrator: smrtPhone's owner, the others' administrator.
        const Role admin =
            policy.role(Role::administrator) ? Role::administrator : Role::account_owner;
        w.grant("ann", admin, AccountId("acct1"));
        const auto ann = w.user("ann");

        for (const Command& command :
             {Command{commands::CancelAccount{AccountId("other"), everything_for_roles()}},
              Command{commands::CloseAccount{AccountId("other"), everything_for_roles()}},
              Command{commands::RecordSurvey{AccountId("other"), SurveyOutcome::confirm}},
              Command{commands::SetPlan{AccountId("other"), Plan{"Starter", {}}}},
              Command{commands::GrantRole{UserId("ann"), RoleGrant{admin, AccountId("other")}}}}) {
            INFO("operation " << to_string(operation_of(command)));
            if (!w.policy.rule(operation_of(command)).offered) continue;
            const auto verdict = w.check(ann, command);
            CHECK(verdict.has(errc::actor_out_of_scope));
            CHECK_FALSE(verdict.has(errc::permission_denied));
            CHECK_FALSE(decide(w.state, command, ann, w.policy, w.now));
        }
        auto result = w.when(ann, commands::SetPlan{AccountId("other"), Plan{"Starter", {}}});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::actor_out_of_scope);
        // Where it holds nothing, and who may.
        const auto refusal =
            w.check(ann, commands::SetPlan{AccountId("other"), Plan{"Starter", {}}})
                .refusals.front()
                .detail;
        const auto may = policy.roles_giving(policy.rule(Operation::set_plan).account_roles,
                                             TargetKind::account);
        CHECK(refusal
              == "user ann holds no role on standalone account other; set_plan on standalone "
                 "account other needs one of: "
                     + to_string(may));
    }
}

TEST_CASE(
    "tenant isolation: an agency administrator of agency X is refused on a sub-account of "
    "agency Y",
    "[roles]") {
    auto w = role_world(policies::ctm());
    w.grant("xavier", Role::agency_administrator, AgencyId("g1"));
    const auto xavier = w.user("xavier");

    auto close = w.when(xavier, commands::CloseSubAccount{AccountId("sub2"), clicked()});
    REQUIRE_FALSE(close);
    CHECK(close.error() == errc::actor_out_of_scope);
    auto pause =
        w.when(xavier, commands::PauseTracking{AccountId("sub2"), std::nullopt, clicked()});
    REQUIRE_FALSE(pause);
    CHECK(pause.error() == errc::actor_out_of_scope);
    auto agency = w.when(xavier, commands::CancelAgency{AgencyId("g2"), clicked()});
    REQUIRE_FALSE(agency);
    CHECK(agency.error() == errc::actor_out_of_scope);
    auto standalone =
        w.when(xavier, commands::PauseTracking{AccountId("acct1"), std::nullopt, clicked()});
    REQUIRE_FALSE(standalone);
    CHECK(standalone.error() == errc::actor_out_of_scope);
    CHECK(w.account_state("sub2").status == AccountStatus::active);

    auto own = w.when(xavier, commands::CloseSubAccount{AccountId("sub1"), clicked()});
    REQUIRE(own);
    CHECK(w.account_state("sub1").status == AccountStatus::canceled);
}

TEST_CASE("a revoked grant no longer authorizes", "[roles]") {
    auto w = role_world(policies::ctm());
    w.grant("ann", Role::administrator, AccountId("acct1"));
    w.given(
        commands::RevokeRole{UserId("ann"), RoleGrant{Role::administrator, AccountId("acct1")}});

    auto result =
        w.when(w.user("ann"), commands::PauseTracking{AccountId("acct1"), std::nullopt, clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::actor_out_of_scope);
    CHECK(w.state.grants.count(UserId("ann")) == 0);
}

TEST_CASE("grant_role: support only on the platform, and the platform only for support",
          "[roles]") {
    auto w = role_world(policies::ctm());
    for (const RoleGrant& grant :
         {RoleGrant{Role::support, AccountId("acct1")}, RoleGrant{Role::support, AgencyId("g1")},
          RoleGrant{Role::administrator, Platform{}}, RoleGrant{Role::account_owner, Platform{}},
          RoleGrant{Role::agency_administrator, Platform{}}}) {
        INFO(to_string(grant.role) << " on " << to_string(grant.scope));
        auto result = w.when(w.support, commands::GrantRole{UserId("u"), grant});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::invalid_role);
    }
    auto ok =
        w.when(w.support, commands::GrantRole{UserId("u"), RoleGrant{Role::support, Platform{}}});
    REQUIRE(ok);
    CHECK(names(ok.value()) == std::vector<std::string>{"role_granted"});
}

TEST_CASE("grant_role: agency_administrator only on an agency", "[roles]") {
    auto w = role_world(policies::ctm());

    auto on_account = w.when(
        w.support,
        commands::GrantRole{UserId("u"), RoleGrant{Role::agency_administrator, AccountId("sub1")}});
    REQUIRE_FALSE(on_account);
    CHECK(on_account.error() == errc::invalid_role);

    auto on_agency = w.when(
        w.support,
        commands::GrantRole{UserId("u"), RoleGrant{Role::agency_administrator, AgencyId("g1")}});
    REQUIRE(on_agency);
    CHECK(w.user("u").grants
          == std::vector<RoleGrant>{RoleGrant{Role::agency_administrator, AgencyId("g1")}});
}

TEST_CASE(
    "grant_role: only support grants support, and an administrator grants only where it "
    "administers",
    "[roles]") {
    auto w = role_world(policies::ctm());
    w.grant("ann", Role::administrator, AccountId("acct1"));
    const auto ann = w.user("ann");

    auto support =
        w.when(ann, commands::GrantRole{UserId("u"), RoleGrant{Role::support, Platform{}}});
    REQUIRE_FALSE(support);
    CHECK(support.error() == errc::support_only);
    auto elsewhere = w.when(
        ann, commands::GrantRole{UserId("u"), RoleGrant{Role::administrator, AccountId("sub2")}});
    REQUIRE_FALSE(elsewhere);
    CHECK(elsewhere.error() == errc::actor_out_of_scope);
    auto own = w.when(
        ann, commands::GrantRole{UserId("u"), RoleGrant{Role::administrator, AccountId("acct1")}});
    REQUIRE(own);
}

TEST_CASE(
    "a transfer is asked by an agency administrator of one side and approved by one of the "
    "other",
    "[roles]") {
    auto w = role_world(policies::ctm());
    w.grant("xavier", Role::agency_administrator, AgencyId("g1"));
    w.grant("yvonne", Role::agency_administrator, AgencyId("g2"));
    w.grant("ann", Role::administrator, AccountId("sub1"));
    const commands::RequestTransfer request{AccountId("sub1"), AgencyId("g2")};
    const commands::ApproveTransfer approve{AccountId("sub1")};

    auto by_outsider = w.when(w.user("ann"), request);
    REQUIRE_FALSE(by_outsider);
    CHECK(by_outsider.error() == errc::permission_denied);

    REQUIRE(w.when(w.user("xavier"), request));
    auto same_side = w.when(w.user("xavier"), approve);
    REQUIRE_FALSE(same_side);
    CHECK(same_side.error() == errc::transfer_not_approved);
    const auto verdict = w.check(w.user("xavier"), approve);
    REQUIRE(verdict.refusals.size() == 1);
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("g2"));
    CHECK(w.check(w.user("ann"), approve).has(errc::permission_denied));

    auto result = w.when(w.user("yvonne"), approve);
    REQUIRE(result);
    CHECK(names(result.value())
          == std::vector<std::string>{"transfer_approved", "sub_account_transferred"});
    CHECK(w.account_state("sub1").agency == AgencyId("g2"));
}

TEST_CASE("Actor::support is a user with the support role on the platform, as granted", "[roles]") {
    const Actor support = Actor::support(UserId("sam"));
    CHECK(support == Actor{UserId("sam"), {RoleGrant{Role::support, Platform{}}}});

    auto w = role_world(policies::ctm());
    w.grant("sam", Role::support, Platform{});
    CHECK(w.user("sam") == support);
    CHECK(w.when(support, commands::CreateAgency{AgencyId("g3"), usd()}));
    CHECK(w.when(support,
                 commands::OpenAccount{AccountId("sub3"), AgencyId("g3"), Plan{"Pro", {}}, usd()}));
}
