// The state as of any instant (replay.hpp): the events at or before an instant, replayed, give
// each record as the store held it then; one second before, at, and after a command. Over
// InMemoryStore and SqliteStore.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/replay.hpp>
#include <calltrack/sqlite_store.hpp>

#include "lifecycle_fixture.hpp"
#include "store_choice.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const Actor as_of_staff = Actor::support(UserId("support"));
const Actor as_of_admin{UserId("ada"), {RoleGrant{Role::administrator, acme}}};

State replayed(Store& store, std::optional<Time> at) {
    auto state = replay(store, at, 2);  // pages of 2: the replay crosses pages
    REQUIRE(state);
    return std::move(state).value();
}

}  // namespace

TEST_CASE("replay as of an instant gives each record as it was then", "[replay][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = memory_or_sqlite_store(sqlite);
    const Time opened = at("2024-03-01T09:00:00Z");
    const Time canceled = at("2024-03-05T09:00:00Z");
    ManualClock clock(opened);
    Engine engine(policies::ctm(), clock, *store);
    REQUIRE(engine.execute(as_of_staff,
                           commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(engine.execute(as_of_staff,
                           commands::AddTrackingNumber{NumberId("n1"), acme, phone("+14045550101"),
                                                       phone("+14045550199")}));
    REQUIRE(engine.execute(as_of_staff,
                           commands::GrantRole{as_of_admin.user, as_of_admin.grants.front()}));
    REQUIRE(clock.set(canceled));
    REQUIRE(engine.execute(as_of_admin, commands::CancelAccount{acme, Confirmation::click()}));

    CHECK(replayed(*store, opened - seconds(1)).accounts.empty());
    const State at_open = replayed(*store, opened);
    REQUIRE(at_open.find_account(acme) != nullptr);
    CHECK(at_open.find_account(acme)->status == AccountStatus::active);
    CHECK(at_open.find_number(NumberId("n1"))->status == NumberStatus::active);
    CHECK(at_open.deadlines.empty());

    const State before = replayed(*store, canceled - seconds(1));
    CHECK(before.find_account(acme)->status == AccountStatus::active);
    CHECK(before.grants.at(as_of_admin.user) == as_of_admin.grants);
    const State at_cancel = replayed(*store, canceled);
    CHECK(at_cancel.find_account(acme)->status == AccountStatus::canceled);
    CHECK(at_cancel.find_number(NumberId("n1"))->status == NumberStatus::released);
    CHECK_FALSE(at_cancel.deadlines.empty());
    CHECK(replayed(*store, canceled + seconds(1)) == at_cancel);

    // Without an instant, or after the last event: the records the store holds.
    const State all = replayed(*store, std::nullopt);
    CHECK(all == at_cancel);
    auto stored = store->load_account(acme);
    REQUIRE(stored);
    REQUIRE(stored.value());
    CHECK(stored.value()->value == *all.find_account(acme));

    // What check would have said then: a cancel was allowed the second before, not after.
    const commands::CancelAccount again{acme, Confirmation::click()};
    CHECK(check(before, again, as_of_admin, policies::ctm(), canceled - seconds(1)).is_allowed());
    CHECK_FALSE(check(at_cancel, again, as_of_admin, policies::ctm(), canceled).is_allowed());
}
