// Windows of 0 days (Window refuses only negative counts): a command opens a deadline at exactly
// its own now. The engine against the pure core (engine_mirror.hpp) on the mirror world, with
// every window of the policy 0 days long: the deadline fires on the next advance() or execute()
// at that same instant, whole sweep or one deadline per batch, over InMemoryStore and
// SqliteStore; and a sweep that reads such a deadline another writer added after the store listed
// what was due leaves it for the next sweep rather than dropping it unfired.
#include "engine_mirror.hpp"
#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/sqlite_store.hpp>
#include <calltrack/testing/forwarding_store.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;
namespace mw = calltrack::testing::mirror_world;

namespace {

/// CTM with CallRail's account pause, and every window 0 days: a cancel opens its data
/// retention, refund, reactivation and restore windows closed, and a pause reaches its maximum
/// at once.
Policy ctm_with_zero_day_windows() {
    Policy p = policies::ctm();
    p.rule(Operation::pause_account) = p.rule(Operation::pause_tracking);
    p.rule(Operation::resume_account) = p.rule(Operation::resume_tracking);
    p.pause = policies::callrail().pause;
    p.pause.maximum = Window::days(0);
    for (CancellationRule* rule : {&p.standalone, &p.sub_account, &p.agency}) {
        rule->data_retention = Window::days(0);
        rule->refund_window = Window::days(0);
        rule->reactivation_window = Window::days(0);
        rule->number_restore_window = Window::days(0);
    }
    return p;
}

/// One step at the current instant (no time passes in this file): a command, or (no user) advance.
struct Step {
    std::string user;
    std::optional<Command> command;
};

/// Each command opens 0-day windows, and the step after it, at the same instant, must fire them.
std::vector<Step> same_instant_script() {
    using namespace commands;
    const auto c = mw::everything();
    return {
        // A pause maximum at now, fired by the next advance.
        {"admin_s1", PauseAccount{AccountId("s1"), c}},
        {"", std::nullopt},
        // Reactivation, restore, data retention and refund windows at now, fired by the next
        // execute before it decides: the reactivation is refused, the account being closed.
        {"admin_a1", CancelAccount{AccountId("a1"), c}},
        {"admin_a1", ReactivateAccount{AccountId("a1"), c}},
        // An agency cascade: deadlines at now on the agency and its sub-account, fired together.
        {"agadmin_g2", CancelAgency{AgencyId("g2"), c}},
        {"", std::nullopt},
        {"support", ReactivateAgency{AgencyId("g2"), c}},
        {"", std::nullopt},
    };
}

/// Runs the script through a Mirror on `store`; every step's differences, with the step.
std::string run_script(Store& store, EngineOptions options) {
    Mirror m(ctm_with_zero_day_windows(), mw::start_time(), store, options);
    std::string diff;
    for (const auto& c : mw::setup()) diff += m.execute(mw::support(), c);
    const auto steps = same_instant_script();
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const Step& s = steps[k];
        std::string step;
        if (s.command) {
            const Actor actor = mw::actor(m, s.user);
            step += m.judge(actor, *s.command);
            step += m.execute(actor, *s.command);
        } else {
            step += m.advance();
        }
        step += m.compare_store();
        if (!step.empty()) diff += "step " + std::to_string(k + 1) + ":\n" + step;
    }
    // Every window opened fired at the instant it opened: nothing is left pending.
    if (!m.state().deadlines.empty()) diff += "the core has deadlines left\n";
    const auto account = [&](const char* id) { return m.state().accounts.at(AccountId(id)); };
    if (account("a1").status != AccountStatus::closed) diff += "a1 is not closed\n";
    if (account("a1").data != DataStatus::purged) diff += "a1's data is not purged\n";
    if (account("s2").data != DataStatus::purged) diff += "s2's data is not purged\n";
    if (m.state().agencies.at(AgencyId("g2")).status != AgencyStatus::closed) {
        diff += "g2 is not closed\n";
    }
    return diff;
}

}  // namespace

TEST_CASE(
    "a 0-day window's deadline fires on the next advance or execute at the same instant, "
    "as the core fires it",
    "[engine][zero-day]") {
    for (const std::size_t batch : {std::size_t{1000}, std::size_t{1}}) {
        INFO("advance_batch " << batch);
        EngineOptions options;
        options.advance_batch = batch;
        {
            InMemoryStore memory;
            const auto diff = run_script(memory, options);
            INFO("InMemoryStore:\n" << diff);
            CHECK(diff.empty());
        }
        {
            auto sqlite = SqliteStore::open(":memory:");
            REQUIRE(sqlite);
            const auto diff = run_script(*sqlite.value(), options);
            INFO("SqliteStore:\n" << diff);
            CHECK(diff.empty());
        }
    }
}

namespace {

/// Forwards to a store, and runs a hook once, just before the first deadlines_of(subject):
/// another writer that commits after a sweep asked for the due deadlines and read the subject's
/// record, but before it read the subject's deadlines.
class DeadlinesRaceStore final : public ForwardingStore {
  public:
    DeadlinesRaceStore(Store& inner, std::string subject, std::function<void()> hook)
        : ForwardingStore(inner), subject_(std::move(subject)), hook_(std::move(hook)) {}

    result<std::vector<Deadline>> deadlines_of(const std::string& subject) override {
        if (hook_ && subject == subject_) std::exchange(hook_, nullptr)();
        return ForwardingStore::deadlines_of(subject);
    }

  private:
    std::string subject_;
    std::function<void()> hook_;
};

}  // namespace

TEST_CASE("a sweep leaves a 0-day deadline another writer added meanwhile for the next sweep",
          "[engine][zero-day]") {
    // a1 was canceled and reactivated, so its 14-day restore window is still pending, and due at
    // `now`. While a sweep fires it, another engine (its clock a second behind) pauses a1 with a
    // pause maximum of 0 days: a deadline at or before now that the sweep never listed as due,
    // read with a1's record from before the pause. The sweep used to erase every deadline at or
    // before now that it had loaded, fired or not, so the pause maximum was dropped unfired and
    // a1 stayed paused for ever.
    Policy policy = ctm_with_zero_day_windows();
    policy.standalone.reactivation_window = Window::days(60);
    policy.standalone.number_restore_window = Window::days(14);
    InMemoryStore store;
    Mirror m(policy, mw::start_time(), store);
    for (const auto& c : mw::setup()) REQUIRE(m.execute(mw::support(), c).empty());
    const auto c = mw::everything();
    const AccountId a1("a1");
    REQUIRE(m.execute(mw::actor(m, "admin_a1"), commands::CancelAccount{a1, c}).empty());
    m.set_time(m.now() + mw::days(1));
    REQUIRE(m.execute(mw::actor(m, "admin_a1"), commands::ReactivateAccount{a1, c}).empty());
    m.set_time(m.now() + mw::days(13));
    const Time now = m.now();
    REQUIRE(
        m.state().deadlines
        == std::set<Deadline>{{now, DeadlineKind::restore_window_closes, deadline_subject(a1)}});

    const Time pause_at = now - boost::posix_time::seconds(1);
    ManualClock other_clock(pause_at);
    Engine other(policy, other_clock, store);
    const Actor admin = mw::actor(m, "admin_a1");
    DeadlinesRaceStore racing(store, deadline_subject(a1), [&] {
        REQUIRE(other.execute(admin, commands::PauseAccount{a1, c}));
    });
    ManualClock clock(now);
    Engine sweeping(policy, clock, racing);
    const auto swept = sweeping.advance();
    REQUIRE(swept);
    const Deadline pause_maximum{pause_at, DeadlineKind::pause_maximum, deadline_subject(a1)};
    // Either the sweep fired the pause maximum with the record that opened it, or it left it.
    const auto pending = store.deadlines_of(deadline_subject(a1)).value();
    const bool is_left = std::count(pending.begin(), pending.end(), pause_maximum) == 1;
    const bool is_fired =
        std::count_if(
            swept.events().begin(), swept.events().end(),
            [](const Event& e) { return std::holds_alternative<events::PauseMaximumReached>(e); })
        == 1;
    CHECK(is_left != is_fired);
    // Whichever it did, the next sweep ends where the core ends: the store's whole log folded,
    // with what is due fired, and the deadlines that leaves.
    REQUIRE(sweeping.advance());
    const auto log = store.read_all(0, 1'000'000).value();  // held: value() of a temporary dangles
    State core;
    for (const auto& e : log) calltrack::apply(core, e.event);
    CHECK(due(core, policy, now).empty());
    CHECK(core.accounts.at(a1).status == AccountStatus::paused);
    CHECK(core.accounts.at(a1).pause_until == std::optional<Time>());
    const auto left = store.due_deadlines(last_time(), 1'000'000).value();
    CHECK(std::set<Deadline>(left.begin(), left.end()) == core.deadlines);
}
