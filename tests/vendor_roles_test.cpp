// Roles are a policy's data: each preset declares its vendor's roles, where each is granted and
// what it implies; a grant names a declared role on a scope it is granted on; refusals name the
// roles that may and the roles the actor holds; a document declares its own roles, and one
// without them reads with the four calltrack always had.
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

/// One agency g1 with the sub-account sub1, the standalone account solo, a number on each.
World vendor_world(Policy policy) {
    World w(std::move(policy), at("2024-03-01T09:00:00Z"));
    w.agency("g1");
    w.account("solo").account("sub1", "g1");
    w.number("n_solo", "solo", "+14045550101").number("n_sub1", "sub1", "+14045550102");
    return w;
}

commands::AddTrackingNumber new_number(const char* account) {
    return commands::AddTrackingNumber{NumberId("n_new"), AccountId(account), phone("+14045550177"),
                                       phone("+14045550100"), NumberSource::offsite};
}

std::string first_detail(const Verdict& v) {
    return v.refusals.empty() ? std::string("allowed") : v.refusals.front().detail;
}

std::vector<std::string> role_names(const Policy& p) {
    std::vector<std::string> out;
    for (const auto& role : p.roles) out.emplace_back(to_string(role.name));
    return out;
}

}  // namespace

TEST_CASE("each preset declares its vendor's roles", "[roles][vendor-roles]") {
    CHECK(role_names(policies::callrail())
          == std::vector<std::string>{"administrator", "manager", "reporting", "notification",
                                      "support"});
    CHECK(role_names(policies::ctm())
          == std::vector<std::string>{"agency_administrator", "agency_billing_manager",
                                      "administrator", "billing_manager", "marketing_manager",
                                      "call_manager", "report_manager", "call_agent", "support"});
    CHECK(role_names(policies::smrtphone())
          == std::vector<std::string>{"account_owner", "user", "support"});
    for (const auto& policy : {policies::callrail(), policies::ctm(), policies::smrtphone()}) {
        INFO(policy.name);
        CHECK(validate(policy));
        for (const auto& role : policy.roles) {
            INFO(to_string(role.name));
            CHECK_FALSE(role.title.empty());
            CHECK_FALSE(role.granted_on.empty());
        }
    }
    // Each version of a preset keeps the roles; only the rules around them change.
    for (const char* name : {"callrail", "smrtphone"}) {
        auto history = policies::history_by_name(name);
        REQUIRE(history);
        const auto& versions = history.value().versions();
        REQUIRE(versions.size() == 2);
        CHECK(versions.front().policy.roles == versions.back().policy.roles);
    }
}

TEST_CASE(
    "callrail: a manager sets up numbers, and is refused billing and closing as a manager, not "
    "as someone who holds nothing",
    "[roles][vendor-roles]") {
    auto w = vendor_world(policies::callrail());
    w.grant("mia", Role("manager"), AccountId("solo"));
    w.grant("rex", Role("reporting"), AccountId("solo"));
    w.grant("nia", Role("notification"), AccountId("solo"));
    const auto mia = w.user("mia");

    CHECK(w.when(mia, new_number("solo")));
    CHECK(w.when(mia, commands::ChangeForwarding{NumberId("n_solo"), phone("+14045550199")}));

    const commands::CloseAccount close{AccountId("solo"), [] {
                                           Confirmation c = clicked();
                                           c.reasons = {"moving"};
                                           return c;
                                       }()};
    const auto refused = w.check(mia, close);
    CHECK(refused.has(errc::permission_denied));
    CHECK_FALSE(refused.has(errc::actor_out_of_scope));
    CHECK(first_detail(refused)
          == "close_account on standalone account solo needs one of: administrator; user mia "
             "holds: manager");
    CHECK(first_detail(w.check(mia, commands::SetPlan{AccountId("solo"), Plan{"Lite", {}}}))
          == "set_plan on standalone account solo needs one of: administrator, support; user mia "
             "holds: manager");

    // Reporting and notification users act on nothing the library decides.
    for (const char* user : {"rex", "nia"}) {
        INFO(user);
        const auto actor = w.user(user);
        const auto numbers = w.check(actor, new_number("solo"));
        CHECK(numbers.has(errc::permission_denied));
        CHECK_THAT(first_detail(numbers),
                   Catch::Contains("needs one of: administrator, manager, support; user "
                                   + std::string(user) + " holds: "));
        CHECK(w.check(actor, close).has(errc::permission_denied));
    }
    CHECK(w.account_state("solo").status == AccountStatus::active);
}

TEST_CASE(
    "ctm: an agency administrator acts as administrator on every sub-account of its agency, and "
    "an agency billing manager as billing manager",
    "[roles][vendor-roles]") {
    auto w = vendor_world(policies::ctm());
    w.grant("ada", Role::agency_administrator, AgencyId("g1"));
    w.grant("abe", Role("agency_billing_manager"), AgencyId("g1"));
    w.grant("bo", Role("billing_manager"), AccountId("sub1"));
    w.grant("cal", Role("call_agent"), AccountId("sub1"));
    w.grant("mo", Role("marketing_manager"), AccountId("sub1"));

    // The implication: the rule names administrator and billing_manager alone.
    CHECK(policies::ctm().rule(Operation::close_sub_account).sub_account_roles
          == RoleSet{Role::administrator});
    CHECK(policies::ctm().implied_by(Role::agency_administrator)
          == RoleSet{Role::agency_administrator, Role::administrator});

    // Billing: set the plan and adjust the balance, from the agency or on the sub-account.
    CHECK(w.when(w.user("abe"), commands::SetPlan{AccountId("sub1"), Plan{"Lite", {}}}));
    CHECK(w.when(w.user("bo"), commands::AdjustBalance{AccountId("sub1"), dollars(1'000)}));
    CHECK(w.when(w.user("abe"), commands::AdjustBalance{AgencyId("g1"), dollars(2'000)}));
    // Numbers: the marketing manager; the billing managers may not.
    CHECK(w.when(w.user("mo"), new_number("sub1")));
    CHECK(
        w.check(w.user("bo"), commands::ChangeForwarding{NumberId("n_sub1"), phone("+14045550199")})
            .has(errc::permission_denied));

    // Closing the sub-account: only an administrator, an agency administrator included.
    const commands::CloseSubAccount close{AccountId("sub1"), clicked()};
    for (const char* user : {"abe", "bo", "cal", "mo"}) {
        INFO(user);
        const auto refused = w.check(w.user(user), close);
        CHECK(refused.has(errc::permission_denied));
        CHECK_THAT(first_detail(refused),
                   Catch::StartsWith("close_sub_account on sub-account sub1 needs one of: "
                                     "agency_administrator, administrator; user "
                                     + std::string(user) + " holds: "));
    }
    CHECK_THAT(first_detail(w.check(w.user("cal"), close)), Catch::EndsWith("holds: call_agent"));
    auto closed = w.when(w.user("ada"), close);
    REQUIRE(closed);
    CHECK(w.account_state("sub1").status == AccountStatus::canceled);

    // A refund of the closed sub-account's balance: its billing manager, from either side.
    CHECK(w.check(w.user("abe"), commands::RequestRefund{AccountId("sub1")}).is_allowed());
    CHECK(w.check(w.user("bo"), commands::RequestRefund{AccountId("sub1")}).is_allowed());
    CHECK(w.check(w.user("cal"), commands::RequestRefund{AccountId("sub1")})
              .has(errc::permission_denied));
}

TEST_CASE(
    "ctm: an agency's roles never reach a standalone account, and refusals there do not offer "
    "them",
    "[roles][vendor-roles]") {
    auto w = vendor_world(policies::ctm());
    w.grant("ada", Role::agency_administrator, AgencyId("g1"));
    const auto refused =
        w.check(w.user("ada"), commands::CancelAccount{AccountId("solo"), clicked()});
    CHECK(refused.has(errc::actor_out_of_scope));
    CHECK(first_detail(refused)
          == "user ada holds no role on standalone account solo; cancel_account on standalone "
             "account solo needs one of: administrator");
}

TEST_CASE(
    "smrtphone: one account owner per account, and only the owner cancels; a user under it is "
    "told so",
    "[roles][vendor-roles]") {
    auto w = vendor_world(policies::smrtphone());
    w.grant("olga", Role::account_owner, AccountId("solo"));
    w.grant("uma", Role("user"), AccountId("solo"));

    const commands::GrantRole second{UserId("uma"),
                                     RoleGrant{Role::account_owner, AccountId("solo")}};
    auto refused = w.when(w.support, second);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::role_already_held);
    CHECK(first_detail(w.check(w.support, second))
          == "user olga is account_owner on account solo, and the smrtphone policy allows one; "
             "revoke theirs first");
    // Another account's owner is another scope.
    CHECK(w.check(w.support, commands::GrantRole{UserId("uma"),
                                                 RoleGrant{Role::account_owner, AccountId("sub1")}})
              .is_allowed());

    w.given(w.user("olga"), commands::RecordSurvey{AccountId("solo"), SurveyOutcome::confirm});
    Confirmation c = clicked();
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    const commands::CancelAccount cancel{AccountId("solo"), c};
    CHECK(first_detail(w.check(w.user("uma"), cancel))
          == "cancel_account on standalone account solo needs one of: account_owner; user uma "
             "holds: user");

    // Ownership moves by a revoke, then a grant.
    w.given(
        commands::RevokeRole{UserId("olga"), RoleGrant{Role::account_owner, AccountId("solo")}});
    REQUIRE(w.when(w.support, second));
    CHECK(w.when(w.user("uma"), cancel));
}

TEST_CASE(
    "grant_role names a role the policy declares, on a scope it is granted on; revoke_role may "
    "take away a role no longer declared",
    "[roles][vendor-roles]") {
    auto w = vendor_world(policies::callrail());
    const auto grant = [&](RoleGrant g) {
        return w.check(w.support, commands::GrantRole{UserId("u"), std::move(g)});
    };

    const auto undeclared = grant(RoleGrant{Role::agency_administrator, AgencyId("g1")});
    CHECK(undeclared.has(errc::invalid_role));
    CHECK(first_detail(undeclared)
          == "the callrail policy has no role agency_administrator; its roles are: administrator, "
             "manager, reporting, notification, support");
    const auto on_platform = grant(RoleGrant{Role("manager"), Platform{}});
    CHECK(on_platform.has(errc::invalid_role));
    CHECK(first_detail(on_platform)
          == "manager is granted on an account or an agency, not on the platform");
    const auto support_on_account = grant(RoleGrant{Role::support, AccountId("solo")});
    CHECK(first_detail(support_on_account)
          == "support is granted on the platform, not on an account");
    CHECK(grant(RoleGrant{Role("manager"), AgencyId("g1")}).is_allowed());

    // A grant of a role the policy does not declare (left by a host's older policy) grants
    // nothing, and can be revoked.
    World older(policies::ctm(), w.now);
    older.agency("g1").account("sub1", "g1");
    older.grant("u", Role("call_agent"), AccountId("sub1"));
    World later(policies::callrail(), w.now);
    later.state = older.state;
    CHECK(later.check(later.user("u"), commands::SetPlan{AccountId("sub1"), Plan{"Lite", {}}})
              .has(errc::permission_denied));
    auto revoked = later.when(
        later.support,
        commands::RevokeRole{UserId("u"), RoleGrant{Role("call_agent"), AccountId("sub1")}});
    REQUIRE(revoked);
    CHECK(names(revoked.value()) == std::vector<std::string>{"role_revoked"});
}

TEST_CASE("a role name is 1 to 31 of a-z, 0-9 and _, a letter first", "[roles][vendor-roles]") {
    for (const char* good :
         {"a", "call_manager", "tier2_support", "abcdefghijklmnopqrstuvwxyz01234"}) {
        INFO(good);
        auto r = parse_role(good);
        REQUIRE(r);
        CHECK(to_string(r.value()) == good);
        CHECK(Role(good).str() == good);
    }
    for (const char* bad : {"", "Administrator", "call manager", "2nd", "_x",
                            "abcdefghijklmnopqrstuvwxyz012345", "é"}) {
        INFO(bad);
        CHECK(parse_role(bad).error() == errc::invalid_role);
        CHECK_THROWS_AS(Role(bad), std::invalid_argument);
    }
    CHECK(Role().empty());
    CHECK(Role::administrator == Role("administrator"));
    CHECK(RoleSet{Role("b"), Role("a")} == RoleSet{Role("a"), Role("b")});
    CHECK(to_string(RoleSet{Role("b"), Role("a"), Role("b")}) == "b, a");
}

TEST_CASE("validate refuses roles that cannot hold, naming the field", "[roles][vendor-roles]") {
    const auto diagnose = [](const Policy& p) {
        PolicyDiagnostic d;
        auto r = validate(p, &d);
        REQUIRE_FALSE(r);
        return d;
    };
    {
        Policy p = policies::ctm();
        p.rule(Operation::cancel_account).account_roles = {Role::administrator,
                                                           Role("adminstrator")};
        const auto d = diagnose(p);
        CHECK(d.field == "operations.cancel_account.roles.account[1]");
        CHECK(d.problem
              == "\"adminstrator\" is not a role of this policy; did you mean \"administrator\"?");
    }
    {
        Policy p = policies::callrail();
        p.rule(Operation::close_account).sub_account_roles = {Role::agency_administrator};
        CHECK(diagnose(p).field == "operations.close_account.roles.sub_account[0]");
    }
    {
        Policy p = policies::ctm();
        p.roles[1].implies = {Role("billing")};
        CHECK(diagnose(p).field == "roles[1].implies[0]");
    }
    {
        Policy p = policies::ctm();
        p.roles.push_back(p.roles[2]);
        const auto d = diagnose(p);
        CHECK(d.field == "roles[9].name");
        CHECK(d.problem == "\"administrator\" is declared twice (first at roles[2])");
    }
    {
        Policy p = policies::ctm();
        p.roles[2].implies = {
            Role::agency_administrator};  // administrator <-> agency_administrator
        const auto d = diagnose(p);
        CHECK(d.field == "roles[0].implies");
        CHECK_THAT(d.problem, Catch::Contains("implies it back"));
    }
    {
        Policy p = policies::smrtphone();
        p.roles[1].granted_on.clear();
        CHECK(diagnose(p).field == "roles[1].granted_on");
        p = policies::smrtphone();
        p.roles[1].title.clear();
        CHECK(diagnose(p).field == "roles[1].title");
    }
}

TEST_CASE(
    "a policy document declares its roles; one without \"roles\" reads with calltrack's original "
    "four",
    "[roles][vendor-roles]") {
    for (const auto& preset : {policies::callrail(), policies::ctm(), policies::smrtphone()}) {
        INFO(preset.name);
        auto back = policy_from_json(policy_to_json(preset));
        REQUIRE(back);
        CHECK(back.value().roles == preset.roles);
        CHECK(back.value() == preset);
    }

    // A document written before roles were data: the old CTM preset's, with every rule naming
    // the four roles of then.
    Policy old = policies::ctm();
    old.roles = original_roles();
    for (std::size_t i = 0; i < operation_count; ++i) {
        for (RoleSet* set : {&old.operations[i].account_roles, &old.operations[i].sub_account_roles,
                             &old.operations[i].agency_roles}) {
            RoleSet kept;
            for (const Role& r : *set) {
                if (old.role(r) != nullptr) kept.insert(r);
            }
            if (set->contains(Role::administrator) && set == &old.operations[i].sub_account_roles) {
                kept.insert(Role::agency_administrator);
            }
            *set = kept;
        }
    }
    REQUIRE(validate(old));
    std::string text = policy_to_json(old);
    const auto from = text.find("  \"roles\": [");
    const auto to = text.find("  \"operations\"");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    text.erase(from, to - from);
    auto read = policy_from_json(text);
    REQUIRE(read);
    CHECK(read.value().roles == original_roles());
    CHECK(read.value() == old);

    // A role the document names but does not declare is refused where it is named.
    std::string misnamed = policy_to_json(policies::callrail());
    const auto at = misnamed.find("\"manager\"", misnamed.find("\"add_tracking_number\""));
    REQUIRE(at != std::string::npos);
    misnamed.replace(at, 9, "\"managr\"");
    PolicyDiagnostic d;
    REQUIRE_FALSE(policy_from_json(misnamed, &d));
    CHECK(d.field == "operations.add_tracking_number.roles.account[1]");
    CHECK(d.problem == "\"managr\" is not a role of this policy; did you mean \"manager\"?");
}
