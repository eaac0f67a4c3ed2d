#pragma once

// A fixed world for comparing the engine with the pure core (engine_mirror.hpp): two agencies with
// a sub-account each, a standalone account, numbers, credit, and one user for each role, built by
// support through the same commands a host uses; and a fixed lifecycle script that visits every
// operation, with time steps straddling every preset window. Used by the fuzz targets (a fuzzed
// policy plays the script; fuzzed commands are judged in the world) and by the stateful property
// test. No test framework here.

#include "engine_mirror.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>

#include <optional>
#include <string>
#include <vector>

namespace calltrack::testing::mirror_world {

inline Time start_time() {
    return parse_time("2020-09-01T00:00:00Z").value();
}
inline PhoneNumber phone(const char* text) {
    return PhoneNumber::parse(text).value();
}
inline Currency usd() {
    return Currency::parse("USD").value();
}
inline Money cents(std::int64_t n) {
    return Money(n, usd());
}
inline Duration days(long n) {
    return boost::posix_time::hours(24 * n);
}

inline Actor support() {
    return Actor{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
}

/// Every user of the world (support is not stored: its grant is given to the engine directly).
inline const std::vector<std::string>& users() {
    static const std::vector<std::string> names{"support",    "admin_a1", "owner_a1", "agadmin_g1",
                                                "agadmin_g2", "admin_s1", "owner_s2", "stranger"};
    return names;
}

/// The ids the world and its commands use, the unknown ones included.
inline const std::vector<std::string>& account_ids() {
    static const std::vector<std::string> ids{"a1", "s1", "s2", "ghost"};
    return ids;
}
inline const std::vector<std::string>& agency_ids() {
    static const std::vector<std::string> ids{"g1", "g2", "nowhere"};
    return ids;
}
inline const std::vector<std::string>& number_ids() {
    static const std::vector<std::string> ids{"n1", "n2", "n3", "n4", "n5", "n9"};
    return ids;
}

/// The provisioning, in order, all by support.
inline std::vector<Command> setup() {
    using namespace commands;
    const Plan pro{"Pro", {"form-tracking"}};
    const auto dest = phone("+14045550100");
    return {
        CreateAgency{AgencyId("g1"), usd()},
        CreateAgency{AgencyId("g2"), usd()},
        OpenAccount{AccountId("a1"), std::nullopt, pro, usd()},
        OpenAccount{AccountId("s1"), AgencyId("g1"), pro, usd()},
        OpenAccount{AccountId("s2"), AgencyId("g2"), pro, usd()},
        AddTrackingNumber{NumberId("n1"), AccountId("a1"), phone("+14045550101"), dest,
                          NumberSource::onsite_dynamic},
        AddTrackingNumber{NumberId("n2"), AccountId("a1"), phone("+14045550102"), dest,
                          NumberSource::offsite},
        AddTrackingNumber{NumberId("n3"), AccountId("s1"), phone("+14045550103"), dest,
                          NumberSource::onsite_dynamic},
        AddTrackingNumber{NumberId("n4"), AccountId("s2"), phone("+14045550104"), dest,
                          NumberSource::offsite},
        GrantRole{UserId("admin_a1"), RoleGrant{Role::administrator, AccountId("a1")}},
        GrantRole{UserId("owner_a1"), RoleGrant{Role::account_owner, AccountId("a1")}},
        GrantRole{UserId("agadmin_g1"), RoleGrant{Role::agency_administrator, AgencyId("g1")}},
        GrantRole{UserId("agadmin_g2"), RoleGrant{Role::agency_administrator, AgencyId("g2")}},
        GrantRole{UserId("admin_s1"), RoleGrant{Role::administrator, AccountId("s1")}},
        GrantRole{UserId("owner_s2"), RoleGrant{Role::account_owner, AccountId("s2")}},
        AdjustBalance{AccountId("a1"), cents(1'000)},
        AdjustBalance{AccountId("s1"), cents(500)},
        AdjustBalance{AgencyId("g1"), cents(700)},
    };
}

/// The actor for a user, with the grants the core's state holds for it now.
inline Actor actor(const Mirror& m, const std::string& user) {
    if (user == "support") return support();
    return actor_of(m.state(), UserId(user));
}

/// Everything any vendor asks of a person.
inline Confirmation everything() {
    Confirmation c;
    c.clicked = true;
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    c.terms_accepted = true;
    c.reasons = {"price"};
    c.billing_details_entered = true;
    return c;
}

/// One step of the fixed script: wait, then run a command by a user, or (no user) advance.
struct ScriptStep {
    Duration wait;
    std::string user;
    std::optional<Command> command;
};

/// The fixed lifecycle script: every operation at least once, by the role each preset names,
/// some by the wrong role, with waits of 0 s, 1 h, 14, 60, 90 and 182 days around them.
inline std::vector<ScriptStep> script() {
    using namespace commands;
    const auto c = everything();
    const AccountId a1("a1"), s1("s1"), s2("s2");
    const Duration none = boost::posix_time::seconds(0);
    const Duration hour = boost::posix_time::hours(1);
    return {
        {none, "admin_a1", PauseTracking{a1, std::nullopt, c}},
        {hour, "admin_a1", PauseTracking{a1, NumberId("n1"), c}},
        {none, "admin_a1", ResumeTracking{a1, std::nullopt, c}},
        {none, "agadmin_g1", StopCalls{s1, std::nullopt, c}},
        {hour, "admin_s1", ResumeCalls{s1, std::nullopt, c}},
        {none, "admin_a1", StopCalls{a1, NumberId("n2"), c}},
        {none, "admin_a1", ResumeCalls{a1, NumberId("n2"), c}},
        {none, "admin_a1", ChangeForwarding{NumberId("n1"), phone("+14045550199")}},
        {none, "admin_a1", SetPlan{a1, Plan{"Lite", {}}}},
        {none, "admin_a1", PauseAccount{a1, c}},
        {days(1), "admin_a1", ResumeAccount{a1, c}},
        {none, "admin_s1", PauseAccount{s1, c}},
        {none, "", std::nullopt},
        {days(183), "", std::nullopt},
        {none, "admin_s1", ResumeAccount{s1, c}},
        {none, "owner_a1", StartPortOut{NumberId("n2")}},
        {none, "support", CompletePortOut{NumberId("n2")}},
        {none, "owner_a1", StartPortOut{NumberId("n1")}},
        {none, "owner_a1", AbandonPortOut{NumberId("n1")}},
        {none, "owner_a1", RecordSurvey{a1, SurveyOutcome::confirm}},
        {none, "stranger", CancelAccount{a1, c}},
        {none, "owner_a1", CancelAccount{a1, c}},
        {none, "admin_a1", CancelAccount{a1, c}},
        {none, "admin_a1", CloseAccount{a1, c}},
        {hour, "admin_a1", RequestRefund{a1}},
        {days(1), "admin_a1", ReactivateAccount{a1, c}},
        {none, "admin_a1", ReopenAccount{a1, c}},
        {none, "admin_a1", RestoreNumber{NumberId("n1")}},
        {none, "agadmin_g2", RequestTransfer{s1, AgencyId("g2")}},
        {none, "agadmin_g1", RefuseTransfer{s1}},
        {none, "agadmin_g1", RequestTransfer{s1, AgencyId("g2")}},
        {none, "agadmin_g1", WithdrawTransfer{s1}},
        {none, "agadmin_g1", RequestTransfer{s1, AgencyId("g2")}},
        {none, "agadmin_g1", ApproveTransfer{s1}},  // refused: the asking side cannot approve
        {hour, "agadmin_g2", ApproveTransfer{s1}},
        {none, "agadmin_g2", CloseSubAccount{s2, c}},
        {none, "admin_s1", CloseSubAccount{s1, c}},
        {days(15), "", std::nullopt},
        {none, "admin_s1", ReactivateAccount{s1, c}},
        {none, "support", RestoreNumber{NumberId("n3")}},
        {none, "agadmin_g1", CancelAgency{AgencyId("g1"), c}},
        {none, "agadmin_g1", RequestRefund{AgencyId("g1")}},
        {days(14), "support", ReactivateAgency{AgencyId("g1"), c}},
        {none, "support", ReactivateAccount{s1, c}},
        {days(60), "", std::nullopt},
        {none, "support", AdjustBalance{AccountId("a1"), cents(250)}},
        {none, "support", GrantRole{UserId("stranger"), RoleGrant{Role::administrator, a1}}},
        {none, "support", RevokeRole{UserId("owner_a1"), RoleGrant{Role::account_owner, a1}}},
        {days(90), "", std::nullopt},
        {none, "admin_a1", RequestRefund{a1}},
        {none, "support",
         AddTrackingNumber{NumberId("n5"), s2, phone("+14045550101"), phone("+14045550100"),
                           NumberSource::onsite_dynamic}},
        {none, "support", OpenAccount{AccountId("ghost"), AgencyId("g2"), Plan{"Pro", {}}, usd()}},
        {none, "support", CreateAgency{AgencyId("nowhere"), usd()}},
        {days(400), "", std::nullopt},
    };
}

}  // namespace calltrack::testing::mirror_world
