#pragma once

// Small batches the PostgreSQL store tests commit straight to a store: an account opened with one
// event, a deadline and a receipt; and waiting for something another connection does.

#include <calltrack/store.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace calltrack::testing::batches {

namespace ct = ::calltrack;

inline ct::Time at_minute(int minute) {
    return ct::parse_time("2020-09-15T10:00:00Z").value() + boost::posix_time::minutes(minute);
}

inline ct::Money usd(std::int64_t cents) {
    return ct::Money(cents, ct::Currency::parse("USD").value());
}

inline ct::Account account(const std::string& id) {
    ct::Account a;
    a.id = ct::AccountId(id);
    a.plan = ct::Plan{"starter", {}};
    a.balance.available = usd(0);
    a.timeline.opened_at = at_minute(0);
    return a;
}

inline ct::Event resumed(const std::string& id, int minute) {
    return ct::events::AccountResumed{ct::AccountId(id), at_minute(minute)};
}

/// One new account with one event, a deadline and an idempotency receipt.
inline ct::CommitBatch open_account(const std::string& id, int minute) {
    ct::CommitBatch batch;
    batch.accounts.push_back(ct::RecordWrite<ct::Account>{account(id), 0});
    batch.events.push_back(ct::AppendEvent{"account:" + id, resumed(id, minute)});
    batch.deadlines_added.push_back(
        ct::Deadline{at_minute(minute), ct::DeadlineKind::refund_window_closes, "account:" + id});
    batch.idempotency = ct::IdempotencyRecord{"open-" + id, "fp-" + id, {resumed(id, minute)}, {}};
    return batch;
}

/// Waits until `condition` holds, for at most 10 s.
template <class Condition>
bool eventually(Condition condition) {
    for (int i = 0; i < 1000; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace calltrack::testing::batches
