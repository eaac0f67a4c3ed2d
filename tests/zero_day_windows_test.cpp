// Windows of 0 days (Window refuses only negative counts): a command opens a deadline at exactly
// its own now. The engine against the pure core (engine_mirror.hpp) on the mirror world, with
// every window of the policy 0 days long: the deadline fires on the next advance() or execute()
// at that same instant, whole sweep or one deadline per batch, over InMemoryStore and
// SqliteStore.
#include "engine_mirror.hpp"
#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/sqlite_store.hpp>

#include <catch2/catch.hpp>

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
