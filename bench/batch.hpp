#pragma once

// The batch the store benchmarks commit, SqliteStore's and PostgresStore's alike, so that their
// figures compare: the account acme at its next version, two events and one outbox entry.

#include <calltrack/json.hpp>
#include <calltrack/store.hpp>

#include <cstdint>

namespace calltrack::bench {

namespace ct = ::calltrack;

inline ct::Time at(int minute) {
    // Parsed once: building the batches is the caller's work, not the store's.
    static const ct::Time start = ct::parse_time("2020-09-15T10:00:00Z").value();
    return start + boost::posix_time::minutes(minute);
}

inline ct::Account bench_account() {
    ct::Account a;
    a.id = ct::AccountId("acme");
    a.plan = ct::Plan{"pro", {"form_tracking"}};
    a.charges = ct::Charges{ct::Charge::subscription, ct::Charge::usage};
    a.balance.available = ct::Money(1250, ct::Currency::parse("USD").value());
    a.timeline.opened_at = at(0);
    return a;
}

inline ct::Event bench_event(int i) {
    return ct::events::TrackingPaused{ct::AccountId("acme"), std::nullopt, at(i)};
}

inline ct::HostEffect bench_effect() {
    ct::HostEffect e{};
    e.kind = ct::EffectKind::stop_swapping;
    e.account = ct::AccountId("acme");
    e.at = at(1);
    return e;
}

/// Batch n (from 1): the account at version n, two events, one effect.
inline ct::CommitBatch bench_batch(const ct::Account& account, std::uint64_t n) {
    ct::CommitBatch batch;
    batch.accounts.push_back(ct::RecordWrite<ct::Account>{account, n - 1});
    batch.events.push_back(ct::AppendEvent{"account:acme", bench_event(1)});
    batch.events.push_back(ct::AppendEvent{"account:acme", bench_event(2)});
    batch.effects.push_back(bench_effect());
    return batch;
}

}  // namespace calltrack::bench
