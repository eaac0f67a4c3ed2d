// Policy versions with effective dates (issue 10): a history is validated whole, the version in
// force is chosen at each boundary exactly (just before and at each effective instant), the
// document round-trips and names every error's field, the engine judges each command and each
// deadline under the version in force at its time, and both stores record that version with the
// event. The presets' versions are tested rule by rule where a vendor changed.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/sqlite_store.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const boost::posix_time::microseconds one_tick(1);

/// CTM as "ctm-2023" (60-day reactivation and data retention), then from 2024-02-01 as
/// "ctm-2024-02" with 30-day ones.
PolicyHistory ctm_then_shorter() {
    Policy later = policies::ctm();
    later.standalone.reactivation_window = Window::days(30);
    later.standalone.data_retention = Window::days(30);
    return PolicyHistory::make({{"ctm-2023", at("2023-01-01T00:00:00Z"), policies::ctm()},
                                {"ctm-2024-02", at("2024-02-01T00:00:00Z"), later}})
        .value();
}

std::string diagnose(const std::vector<PolicyVersion>& versions) {
    PolicyDiagnostic d;
    auto made = PolicyHistory::make(versions, &d);
    REQUIRE_FALSE(made);
    return std::string(to_string(static_cast<errc>(made.error().value()))) + " at " + d.field + ": "
           + d.problem;
}

std::string diagnose_json(const std::string& json) {
    PolicyDiagnostic d;
    auto read = policy_history_from_json(json, &d);
    REQUIRE_FALSE(read);
    return std::string(to_string(static_cast<errc>(read.error().value()))) + " at " + d.field + ": "
           + d.problem;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

TEST_CASE("the version in force is the last one started at or before the time", "[versions]") {
    const auto h = ctm_then_shorter();
    const Time boundary = at("2024-02-01T00:00:00Z");
    CHECK(h.in_force_at(boundary - one_tick).version == "ctm-2023");
    CHECK(h.in_force_at(boundary).version == "ctm-2024-02");
    CHECK(h.in_force_at(boundary + one_tick).version == "ctm-2024-02");
    CHECK(h.in_force_at(at("2023-01-01T00:00:00Z")).version == "ctm-2023");
    // Before the first version, the first version's rules are the earliest known.
    CHECK(h.in_force_at(at("2020-01-01T00:00:00Z")).version == "ctm-2023");
    CHECK(h.latest().version == "ctm-2024-02");
    REQUIRE(h.find("ctm-2023"));
    CHECK(h.find("ctm-2023")->policy == policies::ctm());
    CHECK_FALSE(h.find("ctm-2022"));
}

TEST_CASE("a policy is a history of one version, named after it, in force at every time",
          "[versions]") {
    const PolicyHistory h(policies::ctm());
    REQUIRE(h.versions().size() == 1);
    CHECK(h.latest().version == "ctm");
    CHECK(h.in_force_at(first_time()).policy == policies::ctm());
    CHECK(h.in_force_at(last_time()).policy == policies::ctm());
}

TEST_CASE("a history is refused, naming the field, when its versions cannot be ordered or used",
          "[versions]") {
    const Time t1 = at("2020-01-01T00:00:00Z");
    const Time t2 = at("2021-01-01T00:00:00Z");
    CHECK(diagnose({}) == "policy_invalid_value at versions: a history needs at least one version");
    CHECK(starts_with(diagnose({{"", t1, policies::ctm()}}),
                      "policy_invalid_value at versions[0].version: a version needs a name"));
    CHECK(starts_with(diagnose({{"a", t1, policies::ctm()}, {"a", t2, policies::ctm()}}),
                      "policy_contradictory at versions[1].version: the version \"a\" is named "
                      "twice"));
    CHECK(starts_with(diagnose({{"a", t2, policies::ctm()}, {"b", t1, policies::ctm()}}),
                      "policy_contradictory at versions[1].effective_from: version \"b\" is in "
                      "force from 2020-01-01T00:00:00Z, not after version \"a\""));
    CHECK(starts_with(diagnose({{"a", t1, policies::ctm()}, {"b", t1, policies::ctm()}}),
                      "policy_contradictory at versions[1].effective_from"));
    Policy broken = policies::ctm();
    broken.standalone.reactivation_window = Window::days(-1);
    CHECK(starts_with(diagnose({{"a", t1, policies::ctm()}, {"b", t2, broken}}),
                      "policy_invalid_value at "
                      "versions[1].policy.cancellation.standalone.reactivation_window"));
}

TEST_CASE(
    "a history document reads back to an equal history, and a policy document is one "
    "version",
    "[versions]") {
    for (const char* name : {"callrail", "ctm", "smrtphone"}) {
        INFO(name);
        auto h = policies::history_by_name(name);
        REQUIRE(h);
        const auto text = policy_history_to_json(h.value());
        PolicyDiagnostic d;
        auto back = policy_history_from_json(text, &d);
        INFO(d.field << ": " << d.problem);
        REQUIRE(back);
        CHECK(back.value() == h.value());
    }
    auto one = policy_history_from_json(policy_to_json(policies::smrtphone()));
    REQUIRE(one);
    CHECK(one.value() == PolicyHistory(policies::smrtphone()));
    CHECK_FALSE(policies::history_by_name("ringba"));
}

TEST_CASE("a history document's errors name the field", "[versions]") {
    const std::string ctm = policy_to_json(policies::ctm());
    const auto version = [&](const std::string& name, const std::string& from,
                             const std::string& policy) {
        return R"({"version": ")" + name + R"(", "effective_from": ")" + from + R"(", "policy": )"
               + policy + "}";
    };
    CHECK(starts_with(diagnose_json("{\"versions\": [], \"extra\": 1}"),
                      "policy_unknown_key at extra: unknown key \"extra\""));
    CHECK(diagnose_json(R"({"versions": {}})")
          == "policy_invalid_value at versions: expected an array of versions, got an object");
    CHECK(diagnose_json(R"({"versions": [3]})")
          == "policy_invalid_value at versions[0]: expected an object, got a number");
    CHECK(starts_with(diagnose_json(R"({"versions": [{"version": "a", "effective_from": )"
                                    R"("2020-01-01T00:00:00Z", "policy": {}, "efective": 1}]})"),
                      "policy_unknown_key at versions[0].efective: unknown key \"efective\""));
    CHECK(diagnose_json(R"({"versions": [{"version": "a", "policy": {}}]})")
          == "policy_invalid_value at versions[0].effective_from: missing key \"effective_from\"");
    CHECK(diagnose_json(R"({"versions": [{"version": 1, "effective_from": "x", "policy": {}}]})")
          == "policy_invalid_value at versions[0].version: expected a string, got a number");
    CHECK(diagnose_json("{\"versions\": [" + version("a", "October 2020", ctm) + "]}")
          == "policy_invalid_value at versions[0].effective_from: expected a time such as "
             "\"2020-10-01T00:00:00Z\", got \"October 2020\"");
    CHECK(starts_with(
        diagnose_json("{\"versions\": [" + version("a", "2020-01-01T00:00:00Z", "{}") + "]}"),
        "policy_invalid_value at versions[0].policy.name: missing key \"name\""));
    CHECK(starts_with(diagnose_json("{\"versions\": [" + version("a", "2021-01-01T00:00:00Z", ctm)
                                    + ", " + version("b", "2020-01-01T00:00:00Z", ctm) + "]}"),
                      "policy_contradictory at versions[1].effective_from"));
    CHECK(starts_with(diagnose_json("{\"versions\": ["),
                      "policy_malformed at : the document is "
                      "not valid JSON"));
}

TEST_CASE("CallRail's versions: pause offered before October 2020 and withdrawn from it",
          "[versions][callrail]") {
    auto h = policies::history_by_name("callrail");
    REQUIRE(h);
    REQUIRE(h.value().versions().size() == 2);
    const Time withdrawn = at("2020-10-01T00:00:00Z");
    const auto& before = h.value().in_force_at(withdrawn - one_tick);
    const auto& after = h.value().in_force_at(withdrawn);
    CHECK(before.version == "callrail-original");
    CHECK(after.version == "callrail-2020-10");
    CHECK(before.policy.rule(Operation::pause_account).offered);
    CHECK_FALSE(before.policy.rule(Operation::pause_account).offered_until);
    CHECK_FALSE(after.policy.rule(Operation::pause_account).offered);
    // A paused account can still resume after the withdrawal (seed 000 is about resuming).
    CHECK(after.policy.rule(Operation::resume_account).offered);
    CHECK(after.effective_from
          == *policies::callrail().rule(Operation::pause_account).offered_until);
}

TEST_CASE("smrtPhone's versions: nothing comes back, then 90 days to change one's mind",
          "[versions][smrtphone]") {
    auto h = policies::history_by_name("smrtphone");
    REQUIRE(h);
    const Time newer_from = at("2025-01-01T00:00:00Z");
    const auto& older = h.value().in_force_at(newer_from - one_tick).policy;
    const auto& newer = h.value().in_force_at(newer_from).policy;
    CHECK(older == policies::smrtphone());
    CHECK(newer.standalone.reactivation == Reactivation::self_service);
    CHECK(newer.standalone.reactivation_window == Window::days(90));
    CHECK(newer.standalone.data == DataOnCancel::retain);
    CHECK(newer.standalone.data_retention == Window::days(90));
    CHECK(newer.rule(Operation::reactivate_account).account_roles.contains(Role::account_owner));
    // Only the owner cancels, in both.
    CHECK(newer.rule(Operation::cancel_account).account_roles == RoleSet{Role::account_owner});
}

namespace {

/// An engine over `store` under `policies`, with a standalone account "solo" administered by
/// sam, opened at `start`.
struct VersionedWorld {
    VersionedWorld(PolicyHistory policies, Store& store, Time start)
        : clock(start), engine(std::move(policies), clock, store) {
        for (const Command& c : std::vector<Command>{
                 commands::OpenAccount{AccountId("solo"), std::nullopt, Plan{"Pro", {}}, usd()},
                 commands::AddTrackingNumber{NumberId("s1"), AccountId("solo"),
                                             phone("+14045550005"), phone("+14045550100"),
                                             NumberSource::onsite_dynamic},
                 commands::GrantRole{UserId("sam"),
                                     RoleGrant{Role::administrator, AccountId("solo")}}}) {
            auto r = engine.execute(Actor::support(UserId("support")), c);
            INFO((r ? "" : r.error().message()));
            REQUIRE(r);
        }
    }
    Actor sam() {
        auto a = engine.actor(UserId("sam"));
        REQUIRE(a);
        return a.value();
    }
    ManualClock clock;
    Engine engine;
};

std::unique_ptr<Store> make_store(bool sqlite) {
    if (!sqlite) return std::make_unique<InMemoryStore>();
    auto opened = SqliteStore::open(":memory:");
    REQUIRE(opened);
    return std::move(opened).value();
}

}  // namespace

TEST_CASE(
    "the engine judges a command under the version in force at its time, just before and "
    "at the boundary, and each stored event records it",
    "[versions][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = make_store(sqlite);
    auto h = policies::history_by_name("callrail");
    REQUIRE(h);
    const Time withdrawn = at("2020-10-01T00:00:00Z");
    VersionedWorld w(h.value(), *store, at("2020-09-01T00:00:00Z"));
    const commands::PauseAccount pause{AccountId("solo"), Confirmation::click()};

    REQUIRE(w.clock.set(withdrawn - one_tick));
    auto just_before = w.engine.check(w.sam(), pause);
    REQUIRE(just_before);
    CHECK(just_before.value().is_allowed());
    REQUIRE(w.clock.set(withdrawn));
    auto at_boundary = w.engine.check(w.sam(), pause);
    REQUIRE(at_boundary);
    CHECK(at_boundary.value().has(errc::operation_not_offered));

    // Paused just before the withdrawal, resumed after it: each event names its version.
    auto store2 = make_store(sqlite);
    VersionedWorld v(h.value(), *store2, at("2020-09-01T00:00:00Z"));
    REQUIRE(v.clock.set(withdrawn - boost::posix_time::hours(1)));
    REQUIRE(v.engine.execute(v.sam(), pause));
    REQUIRE(v.clock.set(withdrawn + boost::posix_time::hours(1)));
    REQUIRE(v.engine.execute(
        v.sam(), commands::ResumeAccount{AccountId("solo"), Confirmation{}.accept_terms()}));
    auto history = v.engine.history(AccountId("solo"));
    REQUIRE(history);
    std::vector<std::pair<std::string, std::string>> seen;
    for (const auto& e : history.value()) {
        seen.emplace_back(std::string(event_name(e.event)), e.policy_version);
    }
    CHECK(seen.front()
          == std::pair<std::string, std::string>("account_opened", "callrail-original"));
    CHECK(std::count(seen.begin(), seen.end(),
                     std::pair<std::string, std::string>("account_paused", "callrail-original"))
          == 1);
    CHECK(std::count(seen.begin(), seen.end(),
                     std::pair<std::string, std::string>("account_resumed", "callrail-2020-10"))
          == 1);
}

TEST_CASE(
    "a window opened under one version is decided under the next as it was opened, and a "
    "deadline fires under the version in force at its own time",
    "[versions][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = make_store(sqlite);
    VersionedWorld w(ctm_then_shorter(), *store, at("2024-01-10T00:00:00Z"));
    // Canceled under ctm-2023: 60 days to reactivate, until 2024-03-10.
    REQUIRE(w.engine.execute(w.sam(),
                             commands::CancelAccount{AccountId("solo"), Confirmation::click()}));
    const commands::ReactivateAccount reactivate{AccountId("solo"), Confirmation::click()};

    // Day 45, under ctm-2024-02 (30 days): still open, as the cancel fixed it.
    REQUIRE(w.clock.set(at("2024-02-24T00:00:00Z")));
    auto open = w.engine.check(w.sam(), reactivate);
    REQUIRE(open);
    CHECK(open.value().is_allowed());

    // Swept after the version change, the cancel's deadlines fire where they were fixed, and
    // each fired event records the version in force at the deadline.
    REQUIRE(w.clock.set(at("2024-03-20T00:00:00Z")));
    auto sweep = w.engine.advance();
    REQUIRE(sweep);
    auto account = w.engine.account(AccountId("solo"));
    REQUIRE(account);
    REQUIRE(account.value());
    CHECK(account.value()->status == AccountStatus::closed);
    CHECK(account.value()->timeline.closed_at == at("2024-03-10T00:00:00Z"));
    auto history = w.engine.history(AccountId("solo"));
    REQUIRE(history);
    for (const auto& e : history.value()) {
        INFO(event_name(e.event));
        CHECK(e.policy_version
              == (event_time(e.event) < at("2024-02-01T00:00:00Z") ? "ctm-2023" : "ctm-2024-02"));
    }
    auto closed = w.engine.check(w.sam(), reactivate);
    REQUIRE(closed);
    CHECK(closed.value().has(errc::account_closed));
    bool named = false;
    for (const auto& r : closed.value().refusals) {
        named = named
                || r.detail
                       == "the 60-day reactivation window, opened at 2024-01-10T00:00:00Z, closed "
                          "at 2024-03-10T00:00:00Z";
    }
    CHECK(named);
}

TEST_CASE("due() under a history fires each deadline under the version in force at it",
          "[versions]") {
    // A pause maximum reached before a version that closes accounts at the maximum releases the
    // numbers only, even when the sweep runs after that version started.
    Policy later = policies::callrail();
    later.pause.on_maximum = OnPauseMaximum::close_account;
    const auto h = PolicyHistory::make({{"release", first_time(), policies::callrail()},
                                        {"close", at("2021-01-01T00:00:00Z"), later}})
                       .value();
    World w(policies::callrail(), at("2020-06-01T00:00:00Z"));
    w.account("acme").number("n1", "acme", "+14045550001");
    w.grant("ann", Role::administrator, AccountId("acme"));
    REQUIRE(w.when(w.user("ann"), commands::PauseAccount{AccountId("acme"), clicked()}));
    // The maximum (182 days) is reached 2020-11-30, before "close" starts.
    const auto fired = due(w.state, h, at("2021-06-01T00:00:00Z"));
    std::vector<std::string> names;
    for (const auto& e : fired) names.emplace_back(event_name(e));
    CHECK(
        names
        == std::vector<std::string>{"pause_maximum_reached", "number_released", "billing_changed"});
    const auto closing = due(w.state, later, at("2021-06-01T00:00:00Z"));
    CHECK(std::any_of(closing.begin(), closing.end(), [](const Event& e) {
        return std::holds_alternative<events::AccountClosed>(e);
    }));
}
