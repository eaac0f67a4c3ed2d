// Local calendar days over PostgresStore: the account's zone is stored in its record, the window's
// end is fixed from it at the cancel, and the engine's sweep and replay() agree one second before
// the end, at it and after it. New York across the spring-forward of 10 March 2024, as
// tests/local_days_store_test.cpp does over the other two stores.
#include <calltrack/engine.hpp>
#include <calltrack/postgres_store.hpp>
#include <calltrack/replay.hpp>
#include <calltrack/time_zone.hpp>

#include <catch2/catch.hpp>

#include "postgres_server.hpp"

#include <optional>

namespace ct = calltrack;

namespace {

ct::Time utc(const char* text) {
    return ct::parse_time(text).value();
}

ct::Account stored_nyc(ct::Store& store) {
    auto loaded = store.load_account(ct::AccountId("nyc"));
    REQUIRE(loaded);
    REQUIRE(loaded.value());
    return loaded.value()->value;
}

ct::Account replayed_nyc(ct::Store& store, ct::Time at) {
    auto state = ct::replay(store, at);
    REQUIRE(state);
    const ct::State& replayed = state.value();
    return replayed.accounts.at(ct::AccountId("nyc"));
}

}  // namespace

TEST_CASE("PostgresStore keeps an account's zone and the local-days end fixed from it",
          "[postgres][local_days]") {
    ct::testing::TestSchemas schemas;
    auto store = schemas.open_fresh();
    ct::Policy policy = ct::policies::ctm();
    policy.standalone.reactivation_window = ct::Window::local_days(3);
    policy.standalone.data_retention = ct::Window::local_days(3);
    // Friday 15:00 EST; midnight EDT starting Tuesday is 04:00Z.
    const ct::Time canceled = utc("2024-03-08T20:00:00Z");
    const ct::Time end = utc("2024-03-12T04:00:00Z");
    const auto one_second = boost::posix_time::seconds(1);
    ct::ManualClock clock(canceled);
    ct::Engine engine(policy, clock, *store);
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    REQUIRE(engine.execute(
        support, ct::commands::OpenAccount{ct::AccountId("nyc"), std::nullopt, ct::Plan{"Pro", {}},
                                           ct::Currency("USD"), ct::TimeZone("America/New_York")}));
    const ct::RoleGrant administrator{ct::Role::administrator, ct::AccountId("nyc")};
    REQUIRE(engine.execute(support, ct::commands::GrantRole{ct::UserId("ada"), administrator}));
    const ct::Actor ada{ct::UserId("ada"), {administrator}};
    REQUIRE(engine.execute(
        ada, ct::commands::CancelAccount{ct::AccountId("nyc"), ct::Confirmation::click()}));
    const ct::Account after_cancel = stored_nyc(*store);
    CHECK(after_cancel.time_zone == ct::TimeZone("America/New_York"));
    CHECK(after_cancel.reactivation_until == end);

    REQUIRE(clock.set(end - one_second));
    REQUIRE(engine.advance());
    CHECK(stored_nyc(*store).status == ct::AccountStatus::canceled);
    REQUIRE(clock.set(end));
    REQUIRE(engine.advance());
    const ct::Account closed = stored_nyc(*store);
    CHECK(closed.status == ct::AccountStatus::closed);
    CHECK(closed.timeline.closed_at == end);
    REQUIRE(clock.set(end + one_second));
    REQUIRE(engine.advance());
    CHECK(stored_nyc(*store) == closed);

    CHECK(replayed_nyc(*store, end - one_second).status == ct::AccountStatus::canceled);
    CHECK(replayed_nyc(*store, end) == closed);
    CHECK(replayed_nyc(*store, end + one_second) == closed);
}
