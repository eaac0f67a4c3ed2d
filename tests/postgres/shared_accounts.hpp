#pragma once

// The world the many-client and SIGKILL tests write: one CTM agency with `count` sub-accounts,
// each owing a large debit (so that a close never forfeits a credit, and each balance stays the
// sum of its adjustments), an agency administrator who pauses, resumes, closes and reactivates,
// and support who adjusts balances. Every command is timed at one instant, so clients on clocks
// of their own never see a stored event after their reading.

#include <calltrack/engine.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/state.hpp>

#include <catch2/catch.hpp>

#include "lifecycle_fixture.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace calltrack::testing::shared_accounts {

namespace ct = ::calltrack;
namespace c = ::calltrack::commands;

constexpr std::size_t count = 50;
/// Each account's balance after the seed: a debit of a million dollars.
constexpr std::int64_t seed_cents = -100'000'000;

inline ct::Time now() {
    return ct::testing::at("2024-03-01T09:00:00Z");
}

/// CTM's rules, but for its balance rule: an account below 0 USD is suspended (issue 13), and the
/// debit that keeps a close from forfeiting a credit would suspend every account. These tests are
/// about commits from many processes, not billing, so the debt is plain debt here.
inline ct::Policy policy() {
    ct::Policy p = ct::policies::ctm();
    p.balance.suspends = ct::BalanceSuspension::never;
    return p;
}

inline ct::AccountId account(std::size_t i) {
    char text[16];
    std::snprintf(text, sizeof text, "shared-%02zu", i);
    return ct::AccountId(text);
}

inline const ct::AgencyId agency("agency");
inline const ct::Actor support{ct::UserId("support"),
                               {ct::RoleGrant{ct::Role::support, ct::Platform{}}}};
inline const ct::Actor admin{ct::UserId("alice"),
                             {ct::RoleGrant{ct::Role::agency_administrator, agency}}};

/// The agency, its administrator, and `count` sub-accounts with their debits, through an engine
/// over `store`.
inline void seed(ct::Store& store) {
    ct::ManualClock clock(now());
    ct::Engine engine(policy(), clock, store);
    std::vector<ct::Command> setup = {
        c::CreateAgency{agency, ct::testing::usd()},
        c::GrantRole{admin.user, admin.grants.front()},
    };
    for (std::size_t i = 0; i < count; ++i) {
        setup.push_back(
            c::OpenAccount{account(i), agency, ct::Plan{"Pro", {}}, ct::testing::usd()});
        setup.push_back(c::AdjustBalance{account(i), ct::testing::dollars(seed_cents)});
    }
    for (const ct::Command& command : setup) REQUIRE(engine.execute(support, command));
}

/// The kinds of command the clients send, and what each is called in a report.
enum Kind : std::size_t { adjust, pause, resume, close, reactivate, kinds };
inline const std::array<const char*, kinds> kind_names = {"adjust_balance", "pause_tracking",
                                                          "resume_tracking", "close_sub_account",
                                                          "reactivate_account"};

inline const ct::Actor& actor_for(std::size_t kind) {
    return kind == adjust ? support : admin;
}

/// One command: of which kind, on which account, and for an adjustment its amount.
struct Pick {
    std::size_t kind;
    std::size_t account;
    std::int64_t cents;
    ct::Command command;
};

/// A command of kind `kind` on account `i`; `cents` is an adjustment's amount.
inline ct::Command command_of(std::size_t kind, std::size_t i, std::int64_t cents) {
    const ct::AccountId id = account(i);
    switch (kind) {
        case adjust:
            return c::AdjustBalance{id, ct::testing::dollars(cents)};
        case pause:
            return c::PauseTracking{id, std::nullopt, ct::testing::clicked()};
        case resume:
            return c::ResumeTracking{id, std::nullopt, ct::testing::clicked()};
        case close:
            return c::CloseSubAccount{id, ct::testing::clicked()};
        default:
            return c::ReactivateAccount{id, ct::testing::clicked()};
    }
}

/// A random command: adjustments most often (credits and debits of up to $50), and closes three
/// times rarer than reactivations, so that accounts spend most of their time open.
inline Pick pick(std::mt19937& random) {
    std::discrete_distribution<std::size_t> kind_of({40, 20, 20, 5, 15});
    std::uniform_int_distribution<std::size_t> account_of(0, count - 1);
    std::uniform_int_distribution<std::int64_t> cents_of(1, 5'000);
    std::bernoulli_distribution debit(0.5);
    Pick p;
    p.kind = kind_of(random);
    p.account = account_of(random);
    p.cents = cents_of(random) * (debit(random) ? -1 : 1);
    if (p.kind != adjust) p.cents = 0;
    p.command = command_of(p.kind, p.account, p.cents);
    return p;
}

/// How many events of each kind's own event the log holds after its first `skip`.
inline std::vector<std::uint64_t> count_by_kind(const std::vector<ct::StoredEvent>& log,
                                                std::size_t skip) {
    std::vector<std::uint64_t> out(kinds, 0);
    for (std::size_t i = skip; i < log.size(); ++i) {
        const ct::Event& e = log[i].event;
        if (std::holds_alternative<ct::events::BalanceAdjusted>(e)) ++out[adjust];
        if (std::holds_alternative<ct::events::TrackingPaused>(e)) ++out[pause];
        if (std::holds_alternative<ct::events::TrackingResumed>(e)) ++out[resume];
        if (std::holds_alternative<ct::events::AccountCanceled>(e)) ++out[close];
        if (std::holds_alternative<ct::events::AccountReactivated>(e)) ++out[reactivate];
    }
    return out;
}

/// Every record `replayed` holds is stored exactly so, and so are the pending deadlines.
inline void require_records_match(ct::Store& store, const ct::State& replayed) {
    for (const auto& [id, expected] : replayed.accounts) {
        const auto loaded = store.load_account(id);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        INFO("account " << id.str());
        CHECK(loaded.value()->value == expected);
    }
    for (const auto& [id, expected] : replayed.agencies) {
        const auto loaded = store.load_agency(id);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        CHECK(loaded.value()->value == expected);
    }
    for (const auto& [user, expected] : replayed.grants) {
        const auto loaded = store.load_grants(user);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        CHECK(loaded.value()->value.grants == expected);
    }
    const auto due = store.due_deadlines(ct::testing::at("9999-01-01T00:00:00Z"), 1'000'000);
    REQUIRE(due);
    CHECK(std::set<ct::Deadline>(due.value().begin(), due.value().end()) == replayed.deadlines);
}

}  // namespace calltrack::testing::shared_accounts
