// Local calendar days through the engine, over InMemoryStore and SqliteStore, and through replay
// (replay.hpp): the zone is stored with the account, the window's end is fixed at the cancel from
// it, and the engine's check, its sweep and the replayed state agree one second before the end,
// at it and after it. New York, across the spring-forward of 10 March 2024.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/replay.hpp>
#include <calltrack/sqlite_store.hpp>
#include <calltrack/time_zone.hpp>

#include "lifecycle_fixture.hpp"
#include "store_choice.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const Actor zone_staff = Actor::support(UserId("support"));
const Actor zone_admin{UserId("ada"), {RoleGrant{Role::administrator, acme}}};

/// CTM with the standalone account's reactivation and retention in 3 local days.
Policy ctm_three_local_days() {
    Policy p = policies::ctm();
    p.standalone.reactivation_window = Window::local_days(3);
    p.standalone.data_retention = Window::local_days(3);
    return p;
}

State zone_replayed(Store& store, std::optional<Time> at) {
    auto state = replay(store, at);
    REQUIRE(state);
    return std::move(state).value();
}

Account stored_account(Store& store) {
    auto loaded = store.load_account(acme);
    REQUIRE(loaded);
    REQUIRE(loaded.value());
    return loaded.value()->value;
}

bool may_reactivate(Engine& engine) {
    auto verdict = engine.check(zone_admin, commands::ReactivateAccount{acme, clicked()});
    REQUIRE(verdict);
    return verdict.value().is_allowed();
}

}  // namespace

TEST_CASE("a window of local days through each store and replay", "[local_days][engine][replay]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = memory_or_sqlite_store(sqlite);
    // Friday 8 March 2024, 15:00 EST.
    const Time canceled = at("2024-03-08T20:00:00Z");
    // Midnight EDT starting Tuesday 12 March; exact days would have ended at 20:00Z on the 11th.
    const Time end = at("2024-03-12T04:00:00Z");
    ManualClock clock(canceled - days(1));
    Engine engine(ctm_three_local_days(), clock, *store);
    REQUIRE(engine.execute(zone_staff, commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}},
                                                             usd(), TimeZone("America/New_York")}));
    REQUIRE(engine.execute(zone_staff,
                           commands::GrantRole{zone_admin.user, zone_admin.grants.front()}));
    REQUIRE(clock.set(canceled));
    REQUIRE(engine.execute(zone_admin, commands::CancelAccount{acme, clicked()}));

    // The store gives the zone back, and the end fixed from it.
    const Account after_cancel = stored_account(*store);
    CHECK(after_cancel.time_zone == TimeZone("America/New_York"));
    CHECK(after_cancel.reactivation_until == end);
    CHECK(after_cancel.data_purge_at == end);

    REQUIRE(clock.set(end - seconds(1)));
    CHECK(may_reactivate(engine));
    REQUIRE(engine.advance());
    CHECK(stored_account(*store).status == AccountStatus::canceled);
    CHECK(zone_replayed(*store, end - seconds(1)).accounts.at(acme) == stored_account(*store));

    REQUIRE(clock.set(end));
    CHECK_FALSE(may_reactivate(engine));
    REQUIRE(engine.advance());
    const Account closed = stored_account(*store);
    CHECK(closed.status == AccountStatus::closed);
    CHECK(closed.timeline.closed_at == end);
    CHECK(closed.data == DataStatus::purged);
    CHECK(closed.timeline.data_purged_at == end);

    REQUIRE(clock.set(end + seconds(1)));
    CHECK_FALSE(may_reactivate(engine));
    // Replayed as of each instant, the account is what the store held then.
    const State before = zone_replayed(*store, end - seconds(1));
    CHECK(before.accounts.at(acme).status == AccountStatus::canceled);
    CHECK(before.accounts.at(acme).time_zone == TimeZone("America/New_York"));
    CHECK(zone_replayed(*store, end).accounts.at(acme) == closed);
    CHECK(zone_replayed(*store, end + seconds(1)).accounts.at(acme) == closed);
}
