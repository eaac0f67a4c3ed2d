// Claims and leases across processes and machines: a worker's claim on due deadlines (one UPDATE
// whose rows are chosen FOR UPDATE SKIP LOCKED), a consumer's lease on outbox entries (one
// transaction under the schema's outbox advisory lock), the acknowledgement of exactly the
// entries a consumer delivered, and waiting for a commit to announce new effects (LISTEN). Kept
// apart from the reads, which lock nothing, and from the commit, which claims nothing;
// docs/postgres.md says why each takes the lock it takes.

#include "connection.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <poll.h>

namespace calltrack {

using postgres_detail::deadline_of;
using postgres_detail::Lock;
using postgres_detail::max_micros;
using postgres_detail::micros_of;
using postgres_detail::outbox_entry_of;
using postgres_detail::quote_identifier;
using postgres_detail::Rows;
using postgres_detail::Sql;
using postgres_detail::to_int64;

// "Not a date time" compares as not-before anything in ptime: every deadline is due then, and a
// lease that ends then never does.
result<std::vector<Deadline>> PostgresStore::claim_due_deadlines(Time t, std::size_t limit,
                                                                 const std::string& worker,
                                                                 Time lease_until) {
    const Lock lock(impl_->mutex);
    std::vector<Deadline> claimed;
    if (limit == 0) return claimed;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    const std::int64_t now = micros_of(t).value_or(max_micros);
    const std::int64_t until = micros_of(lease_until).value_or(max_micros);
    auto rows = impl_->run(
        Sql::claim_due_deadlines,
        {std::to_string(now), std::to_string(to_int64(limit)), worker, std::to_string(until)});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto d = deadline_of(r.int64(i, 0), r.int64(i, 1), r.text(i, 2), impl_->last_error);
        if (!d) return d.error();
        claimed.push_back(std::move(d).value());
    }
    // RETURNING follows no ORDER BY; the contract's order is the deadlines'.
    std::sort(claimed.begin(), claimed.end());
    return claimed;
}

result<std::vector<OutboxEntry>> PostgresStore::claim_effects(std::size_t limit,
                                                              const std::string& consumer, Time now,
                                                              Time lease_until) {
    const Lock lock(impl_->mutex);
    std::vector<OutboxEntry> claimed;
    if (limit == 0) return claimed;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    Impl& s = *impl_;
    const auto abandon = [&s](boost::system::error_code error) -> result<std::vector<OutboxEntry>> {
        s.abandon_write();
        return error;
    };
    if (auto begun = s.exec_script(s.begin_write_text()); !begun) {
        return abandon(begun.error());
    }
    // The lock is taken by a statement of its own, so the UPDATE's snapshot, taken after it,
    // sees every lease the claim before this one committed.
    if (auto locked = s.run(Sql::lock_outbox_claims, {"calltrack outbox " + s.options.schema});
        !locked) {
        return abandon(locked.error());
    }
    auto rows =
        s.run(Sql::claim_effects, {std::to_string(to_int64(limit)), consumer,
                                   std::to_string(micros_of(now).value_or(max_micros)),
                                   std::to_string(micros_of(lease_until).value_or(max_micros))});
    if (!rows) return abandon(rows.error());
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto entry = outbox_entry_of(r.uint64(i, 0), r.text(i, 1), s.last_error);
        if (!entry) return abandon(entry.error());
        claimed.push_back(std::move(entry).value());
    }
    if (auto committed = s.exec_script(s.end_write_text()); !committed) {
        return abandon(committed.error());
    }
    std::sort(claimed.begin(), claimed.end(),
              [](const OutboxEntry& a, const OutboxEntry& b) { return a.sequence < b.sequence; });
    return claimed;
}

result<void> PostgresStore::acknowledge_claimed_effects(
    const std::vector<std::uint64_t>& sequences) {
    const Lock lock(impl_->mutex);
    if (sequences.empty()) return boost::outcome_v2::success();
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    std::string array = "{";
    for (std::size_t i = 0; i < sequences.size(); ++i) {
        if (i != 0) array += ',';
        array += std::to_string(to_int64(sequences[i]));
    }
    array += '}';
    auto rows = impl_->run(Sql::acknowledge_claimed_effects, {array});
    if (!rows) return rows.error();
    return boost::outcome_v2::success();
}

// --- waiting for effects -------------------------------------------------------------------------

namespace {

/// Takes every notification libpq has read or can read now; whether there was one. False with
/// `lost` set when the connection broke.
bool take_notifications(PGconn* conn, bool& lost) {
    lost = PQconsumeInput(conn) == 0;
    bool any = false;
    while (PGnotify* n = PQnotifies(conn)) {
        any = true;
        PQfreemem(n);
    }
    return any;
}

}  // namespace

result<bool> PostgresStore::wait_for_effects(std::chrono::milliseconds timeout) {
    using Steady = std::chrono::steady_clock;
    const Steady::time_point give_up = Steady::now() + timeout;
    std::unique_lock<std::mutex> lock(impl_->mutex);
    for (;;) {
        if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
        Impl& s = *impl_;
        if (!s.is_listening) {
            if (auto listened = s.exec_script("LISTEN " + quote_identifier(s.effects_channel));
                !listened) {
                return listened.error();
            }
            s.is_listening = true;
            return true;  // nothing committed before now was announced to this connection
        }
        bool lost = false;
        if (take_notifications(s.conn, lost)) return true;
        if (lost) return s.fail(nullptr, "waiting for effects");
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Steady::now());
        if (left.count() <= 0) return false;
        // The store's other calls may use the connection while this one waits for its socket;
        // whatever they read, notifications included, libpq keeps for the next look.
        pollfd watched{PQsocket(s.conn), POLLIN, 0};
        lock.unlock();
        (void)::poll(&watched, 1,
                     static_cast<int>(
                         std::min<std::chrono::milliseconds::rep>(left.count(), 60 * 60 * 1000)));
        lock.lock();
    }
}

const std::string& PostgresStore::effects_channel() const {
    return impl_->effects_channel;
}

}  // namespace calltrack
