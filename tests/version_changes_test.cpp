// What changed between the presets' versions besides windows and pause (issue 10): smrtPhone's
// newer article cancels the smrtDialer subscription with the account, and CallRail called closing
// "suspending" before October 2020. Each is tested just before and at the version's instant, on
// the core and through the engine over both stores, and a refusal that depends on the version
// names it.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/sqlite_store.hpp>
#include <calltrack/typed_effect.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const boost::posix_time::microseconds tick(1);
const Time smrtphone_newer_from = at("2025-01-01T00:00:00Z");
const Time callrail_renamed_at = at("2020-10-01T00:00:00Z");

PolicyHistory preset_history(const char* name) {
    auto h = policies::history_by_name(name);
    REQUIRE(h);
    return std::move(h).value();
}

/// A smrtPhone account owned by olivia, its survey answered, ready to cancel at `t`.
World smrtphone_owner_ready_at(Time t) {
    World w(policies::smrtphone(), t - boost::posix_time::hours(1));
    w.account("acme")
        .number("n1", "acme", "+14045550101")
        .grant("olivia", Role::account_owner, acme)
        .given(w.user("olivia"), commands::RecordSurvey{acme, SurveyOutcome::confirm});
    w.now = t;
    return w;
}

commands::CancelAccount owner_cancel() {
    Confirmation c;
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    return commands::CancelAccount{acme, c};
}

std::vector<std::string> linked_subscriptions_in(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        if (const auto* linked = std::get_if<events::LinkedSubscriptionCanceled>(&e)) {
            CHECK(linked->account == acme);
            out.push_back(linked->subscription);
        }
    }
    return out;
}

std::vector<std::string> refusal_details(const Verdict& v) {
    std::vector<std::string> out;
    for (const auto& r : v.refusals) out.push_back(r.detail);
    return out;
}

bool has_detail(const Verdict& v, const std::string& detail) {
    const auto all = refusal_details(v);
    return std::find(all.begin(), all.end(), detail) != all.end();
}

}  // namespace

TEST_CASE("smrtPhone's newer version cancels the smrtDialer subscription with the account",
          "[versions][smrtphone]") {
    const auto history = preset_history("smrtphone");
    CHECK(history.in_force_at(smrtphone_newer_from - tick)
              .policy.standalone.linked_subscriptions.empty());
    CHECK(history.in_force_at(smrtphone_newer_from).policy.standalone.linked_subscriptions
          == std::vector<std::string>{"smrtdialer"});
    // The one-policy preset is the older article, which says nothing of smrtDialer.
    CHECK(policies::smrtphone().standalone.linked_subscriptions.empty());

    SECTION("just before the newer version: the cancel ends smrtPhone alone") {
        World w = smrtphone_owner_ready_at(smrtphone_newer_from - tick);
        const auto decision =
            decide_with_reasons(w.state, owner_cancel(), w.user("olivia"), history, w.now);
        REQUIRE(decision.is_allowed());
        CHECK(linked_subscriptions_in(decision.events).empty());
    }
    SECTION("at the newer version's instant: one event and one host effect for smrtDialer") {
        World w = smrtphone_owner_ready_at(smrtphone_newer_from);
        const auto decision =
            decide_with_reasons(w.state, owner_cancel(), w.user("olivia"), history, w.now);
        REQUIRE(decision.is_allowed());
        REQUIRE(linked_subscriptions_in(decision.events) == std::vector<std::string>{"smrtdialer"});
        // After the billing change, beside the account's own consequences.
        const auto names_seen = names(decision.events);
        const auto billing = std::find(names_seen.begin(), names_seen.end(), "billing_changed");
        const auto linked =
            std::find(names_seen.begin(), names_seen.end(), "linked_subscription_canceled");
        CHECK(billing < linked);

        State after = w.state;
        calltrack::apply(after, decision.events);
        std::vector<HostEffect> effects;
        for (const auto& e : decision.events) {
            if (!std::holds_alternative<events::LinkedSubscriptionCanceled>(e)) continue;
            effects = effects_of(e, after);
        }
        REQUIRE(effects.size() == 1);
        CHECK(effects[0].kind == EffectKind::cancel_linked_subscription);
        CHECK(effects[0].account == std::optional<AccountId>(acme));
        CHECK(effects[0].subscription == std::optional<std::string>("smrtdialer"));
        CHECK(describe(effects[0])
              == "cancel_linked_subscription account=acme subscription=smrtdialer "
                 "at=2025-01-01T00:00:00Z");
        const auto typed_effect = typed(effects[0]);
        const auto* cancel = std::get_if<effects::CancelLinkedSubscription>(&typed_effect);
        REQUIRE(cancel != nullptr);
        CHECK(cancel->subscription == "smrtdialer");
        CHECK(untyped(typed_effect) == effects[0]);
        const std::string text = to_json(effects[0]);
        CHECK(text.find("\"subscription\":\"smrtdialer\"") != std::string::npos);
        CHECK(effect_from_json(text).value() == effects[0]);
        // Changing one's mind brings smrtPhone back, not smrtDialer: no effect re-subscribes.
        World back = w;
        back.state = after;
        back.now = w.now + days(10);
        const auto reactivated = decide_with_reasons(
            back.state, commands::ReactivateAccount{acme, Confirmation::click()},
            back.user("olivia"), history, back.now);
        REQUIRE(reactivated.is_allowed());
        CHECK(linked_subscriptions_in(reactivated.events).empty());
    }
}

TEST_CASE("a linked subscription's event and effect are refused in JSON without their members",
          "[versions][json]") {
    const Event e = events::LinkedSubscriptionCanceled{acme, "smrtdialer", smrtphone_newer_from};
    CHECK(event_from_json(to_json(e)).value() == e);
    JsonDiagnostic d;
    const auto missing = effect_from_json(
        R"({"effect":"cancel_linked_subscription","account":"acme","at":"2025-01-01T00:00:00Z"})",
        &d);
    REQUIRE_FALSE(missing);
    CHECK(d.field == "subscription");
    const auto foreign =
        effect_from_json(R"({"effect":"release_number","number":"n1","subscription":"smrtdialer",)"
                         R"("at":"2025-01-01T00:00:00Z"})",
                         &d);
    REQUIRE_FALSE(foreign);
    CHECK(d.field == "subscription");
}

TEST_CASE("linked subscriptions in a policy document: read, written, and validated by field",
          "[versions][policy]") {
    Policy p = preset_history("smrtphone").latest().policy;
    const auto back = policy_from_json(policy_to_json(p));
    REQUIRE(back);
    CHECK(back.value() == p);

    PolicyDiagnostic d;
    p.standalone.linked_subscriptions = {"smrtdialer", "smrtdialer"};
    REQUIRE_FALSE(validate(p, &d));
    CHECK(d.field == "cancellation.standalone.linked_subscriptions[1]");
    CHECK(d.problem == "the subscription \"smrtdialer\" is listed twice");
    p.standalone.linked_subscriptions = {"smrt dialer"};
    REQUIRE_FALSE(validate(p, &d));
    CHECK(d.field == "cancellation.standalone.linked_subscriptions[0]");
    CHECK(d.problem
          == "\"smrt dialer\" is not a subscription name: 1 to 31 of a-z, 0-9 and _, a letter "
             "first");
    p.standalone.linked_subscriptions = {""};
    REQUIRE_FALSE(validate(p, &d));

    // A document written before the key existed reads as linking nothing.
    auto without = nlohmann::json::parse(policy_to_json(policies::ctm()));
    for (auto& [kind, rule] : without["cancellation"].items()) {
        REQUIRE(rule.contains("linked_subscriptions"));
        rule.erase("linked_subscriptions");
    }
    for (auto& [op, rule] : without["operations"].items()) rule.erase("title");
    const auto older = policy_from_json(without.dump());
    REQUIRE(older);
    CHECK(older.value() == policies::ctm());

    const auto wrong = nlohmann::json::parse(policy_to_json(policies::ctm()));
    auto bad = wrong;
    bad["cancellation"]["sub_account"]["linked_subscriptions"] = "smrtdialer";
    REQUIRE_FALSE(policy_from_json(bad.dump(), &d));
    CHECK(d.field == "cancellation.sub_account.linked_subscriptions");
    bad = wrong;
    bad["operations"]["close_account"]["title"] = 7;
    REQUIRE_FALSE(policy_from_json(bad.dump(), &d));
    CHECK(d.field == "operations.close_account.title");
}

TEST_CASE("CallRail called closing suspending before October 2020, and refusals say so",
          "[versions][callrail]") {
    const auto history = preset_history("callrail");
    const auto& before = history.in_force_at(callrail_renamed_at - tick);
    const auto& after = history.in_force_at(callrail_renamed_at);
    CHECK(before.policy.rule(Operation::close_account).title == "Suspend account");
    CHECK(after.policy.rule(Operation::close_account).title.empty());
    CHECK(policies::callrail().rule(Operation::close_account).title.empty());
    // The rename changes a word, not a rule.
    OperationRule renamed = before.policy.rule(Operation::close_account);
    renamed.title.clear();
    CHECK(renamed == after.policy.rule(Operation::close_account));

    World w(policies::callrail(), callrail_renamed_at - boost::posix_time::hours(1));
    w.account("acme").grant("ada", Role::administrator, acme);
    const commands::CloseAccount unconfirmed{acme, Confirmation{}};
    const auto said_before =
        check(w.state, unconfirmed, w.user("ada"), history, callrail_renamed_at - tick);
    CHECK(has_detail(said_before, "confirm close_account (\"Suspend account\")"));
    const auto said_after =
        check(w.state, unconfirmed, w.user("ada"), history, callrail_renamed_at);
    CHECK(has_detail(said_after, "confirm close_account"));
    CHECK_FALSE(has_detail(said_after, "confirm close_account (\"Suspend account\")"));
}

TEST_CASE("a refusal that depends on the version names it, and a lone policy's refusal does not",
          "[versions]") {
    const auto history = preset_history("callrail");
    World w(policies::callrail(), callrail_renamed_at - boost::posix_time::hours(1));
    w.account("acme").grant("ada", Role::administrator, acme);
    const commands::PauseAccount pause{acme, Confirmation::click()};

    const auto versioned = check(w.state, pause, w.user("ada"), history, callrail_renamed_at);
    REQUIRE(versioned.refusals.size() == 1);
    CHECK(versioned.refusals[0].code == errc::operation_not_offered);
    CHECK(versioned.refusals[0].detail
          == "the callrail policy (version callrail-2020-10, in force from 2020-10-01T00:00:00Z) "
             "does not offer pause_account");
    CHECK(check(w.state, pause, w.user("ada"), history, callrail_renamed_at - tick).is_allowed());

    // callrail() folds both versions into one policy: withdrawn, not a version's.
    const auto lone =
        check(w.state, pause, w.user("ada"), policies::callrail(), callrail_renamed_at);
    REQUIRE(lone.refusals.size() == 1);
    CHECK(lone.refusals[0].code == errc::operation_withdrawn);
    CHECK(lone.refusals[0].detail
          == "the callrail policy withdrew pause_account on 2020-10-01T00:00:00Z");
    // A history of one version is named after its policy and adds nothing.
    const auto one = check(w.state, commands::CancelAccount{acme, Confirmation::click()},
                           w.user("ada"), PolicyHistory(policies::callrail()), callrail_renamed_at);
    CHECK(has_detail(one, "the callrail policy does not offer cancel_account"));
}

TEST_CASE(
    "through the engine over both stores, smrtDialer's cancel reaches the outbox and the refusal "
    "names the version",
    "[versions][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    std::unique_ptr<Store> store;
    if (sqlite) {
        auto opened = SqliteStore::open(":memory:");
        REQUIRE(opened);
        store = std::move(opened).value();
    } else {
        store = std::make_unique<InMemoryStore>();
    }
    ManualClock clock(smrtphone_newer_from - boost::posix_time::hours(1));
    Engine engine(preset_history("smrtphone"), clock, *store);
    const Actor support = Actor::support(UserId("support"));
    const Actor olivia{UserId("olivia"), {RoleGrant{Role::account_owner, acme}}};
    for (const Command& step :
         std::vector<Command>{commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()},
                              commands::GrantRole{olivia.user, olivia.grants.front()}}) {
        REQUIRE(engine.execute(support, step));
    }
    REQUIRE(engine.execute(olivia, commands::RecordSurvey{acme, SurveyOutcome::confirm}));
    // Under the older version nothing comes back, and the refusal says which rules said so.
    auto before = engine.check(olivia, commands::ReactivateAccount{acme, Confirmation::click()});
    REQUIRE(before);
    REQUIRE_FALSE(before.value().refusals.empty());
    CHECK(before.value().refusals.front().detail
          == "the smrtphone policy (version smrtphone-original) does not offer "
             "reactivate_account");

    REQUIRE(clock.set(smrtphone_newer_from));
    auto canceled = engine.execute(olivia, owner_cancel());
    REQUIRE(canceled);
    CHECK(linked_subscriptions_in(canceled.value().events)
          == std::vector<std::string>{"smrtdialer"});
    auto pending = engine.pending_effects(100);
    REQUIRE(pending);
    std::vector<std::string> subscriptions;
    for (const auto& entry : pending.value()) {
        if (entry.effect.kind == EffectKind::cancel_linked_subscription) {
            subscriptions.push_back(entry.effect.subscription.value_or("?"));
        }
    }
    CHECK(subscriptions == std::vector<std::string>{"smrtdialer"});
    auto history = engine.history(acme);
    REQUIRE(history);
    bool recorded = false;
    for (const auto& e : history.value()) {
        if (std::holds_alternative<events::LinkedSubscriptionCanceled>(e.event)) {
            recorded = true;
            CHECK(e.policy_version == "smrtphone-2025-01");
        }
    }
    CHECK(recorded);
}
