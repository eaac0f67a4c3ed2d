#pragma once

// Many accounts, each with one deadline due at the same instant, written straight into a store:
// the population a sweep shared by several workers fires. One CallRail account is paused through
// an engine over an InMemoryStore (so its record and its pause maximum are what the engine
// writes); then `count` copies of it, under ids "acct-00000", ..., are committed in batches of
// 500 with their deadlines. Each fires as pause_maximum_reached once its 182 days are up.

#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace calltrack::testing::paused_accounts {

namespace ct = ::calltrack;

inline const char* const paused_at = "2020-09-01T00:00:00Z";

/// When every pause maximum of the population is due: 182 days and a minute after the pause.
inline ct::Time all_due() {
    return ct::parse_time(paused_at).value() + boost::posix_time::hours(24 * 182)
           + boost::posix_time::minutes(1);
}

inline std::string account_id(std::size_t i) {
    char text[16];
    std::snprintf(text, sizeof text, "acct-%05zu", i);
    return text;
}

/// Commits `count` paused accounts, each with its pause maximum, into `store`.
inline void seed(ct::Store& store, std::size_t count) {
    ct::InMemoryStore memory;
    ct::ManualClock clock(ct::parse_time(paused_at).value());
    ct::Engine engine(ct::policies::callrail(), clock, memory);
    const ct::AccountId tpl("tpl");
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    REQUIRE(
        engine.execute(support, ct::commands::OpenAccount{tpl, std::nullopt, ct::Plan{"Pro", {}},
                                                          ct::Currency::parse("USD").value()}));
    REQUIRE(engine.execute(
        support,
        ct::commands::GrantRole{ct::UserId("ann"), ct::RoleGrant{ct::Role::administrator, tpl}}));
    const ct::Actor ann = engine.actor(ct::UserId("ann")).value();
    REQUIRE(engine.execute(ann, ct::commands::PauseAccount{tpl, ct::Confirmation::click()}));
    const ct::Account account = memory.load_account(tpl).value().value().value;
    const auto deadlines = memory.deadlines_of(ct::deadline_subject(tpl)).value();
    REQUIRE(deadlines.size() == 1);
    REQUIRE(deadlines.front().kind == ct::DeadlineKind::pause_maximum);

    constexpr std::size_t per_commit = 500;
    for (std::size_t first = 0; first < count; first += per_commit) {
        ct::CommitBatch batch;
        for (std::size_t i = first; i < count && i < first + per_commit; ++i) {
            ct::Account copy = account;
            copy.id = ct::AccountId(account_id(i));
            batch.accounts.push_back({copy, 0});
            batch.deadlines_added.push_back(ct::Deadline{
                deadlines.front().at, ct::DeadlineKind::pause_maximum, deadline_subject(copy.id)});
        }
        REQUIRE(store.commit(batch));
    }
}

/// How many pause_maximum_reached events each account has in the store's log.
inline std::vector<std::size_t> fired_per_account(ct::Store& store, std::size_t count) {
    std::vector<std::size_t> fired(count, 0);
    std::uint64_t after = 0;
    for (;;) {
        auto page = store.read_all(after, 5000);
        REQUIRE(page);
        if (page.value().empty()) return fired;
        for (const auto& e : page.value()) {
            after = e.sequence;
            const auto* reached = std::get_if<ct::events::PauseMaximumReached>(&e.event);
            if (reached == nullptr) continue;
            const std::string& id = reached->account.str();
            REQUIRE(id.rfind("acct-", 0) == 0);
            const std::size_t i = std::stoul(id.substr(5));
            REQUIRE(i < count);
            ++fired[i];
        }
    }
}

}  // namespace calltrack::testing::paused_accounts
