#pragma once

// One story told to an engine over any store, and the check that two stores hold the same after
// it: a CTM agency with sub-accounts, a standalone account, numbers and grants, a sub-account
// closed and an account canceled under idempotency keys, then the windows closing and a key used
// again. The SQLite and PostgreSQL store tests each run it beside an InMemoryStore.

#include <calltrack/engine.hpp>

#include <catch2/catch.hpp>

#include "lifecycle_fixture.hpp"

#include <string>
#include <vector>

namespace calltrack::testing::store_scenario {

namespace ct = ::calltrack;

inline const ct::Actor support_actor{ct::UserId("support"),
                                     {ct::RoleGrant{ct::Role::support, ct::Platform{}}}};
inline const ct::Actor agency_admin{
    ct::UserId("alice"), {ct::RoleGrant{ct::Role::agency_administrator, ct::AgencyId("agency")}}};

/// A CTM agency with two sub-accounts, a standalone account with a balance and a few numbers;
/// then a sub-account closed and the standalone account canceled, each under an idempotency key.
inline void open_and_cancel(ct::Engine& engine) {
    namespace t = ct::testing;
    namespace c = ct::commands;
    const std::vector<ct::Command> commands = {
        c::CreateAgency{ct::AgencyId("agency"), t::usd()},
        c::OpenAccount{ct::AccountId("dental"), ct::AgencyId("agency"), ct::Plan{"Pro", {}},
                       t::usd()},
        c::OpenAccount{ct::AccountId("plumbing"), ct::AgencyId("agency"), ct::Plan{"Pro", {}},
                       t::usd()},
        c::OpenAccount{ct::AccountId("solo"), std::nullopt, ct::Plan{"Starter", {}}, t::usd()},
        c::AddTrackingNumber{ct::NumberId("d1"), ct::AccountId("dental"), t::phone("+14045550001"),
                             t::phone("+14045550100"), ct::NumberSource::onsite_dynamic},
        c::AddTrackingNumber{ct::NumberId("p1"), ct::AccountId("plumbing"),
                             t::phone("+14045550003"), t::phone("+14045550100"),
                             ct::NumberSource::offsite},
        c::AddTrackingNumber{ct::NumberId("s1"), ct::AccountId("solo"), t::phone("+14045550005"),
                             t::phone("+14045550100"), ct::NumberSource::onsite_dynamic},
        c::AdjustBalance{ct::AccountId("solo"), t::dollars(4'200)},
        c::GrantRole{ct::UserId("alice"),
                     ct::RoleGrant{ct::Role::agency_administrator, ct::AgencyId("agency")}},
        c::GrantRole{ct::UserId("sam"),
                     ct::RoleGrant{ct::Role::administrator, ct::AccountId("solo")}},
    };
    for (const auto& step : commands) REQUIRE(engine.execute(support_actor, step));
    REQUIRE(engine.execute(agency_admin,
                           c::CloseSubAccount{ct::AccountId("plumbing"), t::clicked()},
                           std::string("close-plumbing")));
    const ct::Actor sam = engine.actor(ct::UserId("sam")).value();
    REQUIRE(engine.execute(sam, c::CancelAccount{ct::AccountId("solo"), t::clicked()},
                           std::string("cancel-solo")));
}

/// Time passes: every window closes, data is purged, the balance is forfeited; then the first
/// key is used again.
inline void let_windows_close(ct::Engine& engine, ct::ManualClock& clock) {
    namespace t = ct::testing;
    REQUIRE(clock.advance(t::days(61)));
    REQUIRE(engine.advance());
    REQUIRE(clock.advance(t::days(30)));
    REQUIRE(engine.advance());
    const auto replay = engine.execute(
        agency_admin, ct::commands::CloseSubAccount{ct::AccountId("plumbing"), t::clicked()},
        std::string("close-plumbing"));
    REQUIRE(replay);
    CHECK(replay.value().is_replay);
}

/// Both stores hold the same records, events, deadlines, outbox and receipts.
inline void require_same_contents(ct::Store& expected, ct::Store& actual) {
    CHECK(actual.read_all(0, 1'000'000).value() == expected.read_all(0, 1'000'000).value());
    CHECK(actual.pending_effects(1'000'000).value() == expected.pending_effects(1'000'000).value());
    const ct::Time far = ct::testing::at("9999-01-01T00:00:00Z");
    CHECK(actual.due_deadlines(far, 1'000'000).value()
          == expected.due_deadlines(far, 1'000'000).value());
    CHECK(actual.last_event_time().value() == expected.last_event_time().value());
    CHECK(actual.load_agency(ct::AgencyId("agency")).value()
          == expected.load_agency(ct::AgencyId("agency")).value());
    for (const char* id : {"dental", "plumbing", "solo"}) {
        INFO(id);
        CHECK(actual.load_account(ct::AccountId(id)).value()
              == expected.load_account(ct::AccountId(id)).value());
        CHECK(actual.load_numbers_of(ct::AccountId(id)).value()
              == expected.load_numbers_of(ct::AccountId(id)).value());
    }
    CHECK(actual.load_sub_accounts(ct::AgencyId("agency")).value()
          == expected.load_sub_accounts(ct::AgencyId("agency")).value());
    for (const char* user : {"alice", "sam"}) {
        CHECK(actual.load_grants(ct::UserId(user)).value()
              == expected.load_grants(ct::UserId(user)).value());
    }
    for (const char* key : {"close-plumbing", "cancel-solo"}) {
        CHECK(actual.find_idempotency(key).value() == expected.find_idempotency(key).value());
    }
}

}  // namespace calltrack::testing::store_scenario
