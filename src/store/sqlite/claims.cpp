// Claims and leases: a worker's claim on due deadlines, a consumer's lease on outbox entries, and
// the acknowledgement of exactly the entries a consumer delivered. Each claim reads what is free
// and marks it taken in one write transaction, so SQLite's write lock orders the claims of every
// connection to the file: two workers never take the same deadline, two consumers never the same
// owner. Kept apart from the reads, which take no lock, and from the commit, which claims nothing.

#include "connection.hpp"

#include <string>
#include <utility>
#include <vector>

namespace calltrack {

using sqlite_detail::at;
using sqlite_detail::deadline_of;
using sqlite_detail::limit_of;
using sqlite_detail::Lock;
using sqlite_detail::max_micros;
using sqlite_detail::micros_of;
using sqlite_detail::outbox_entry_of;
using sqlite_detail::Query;
using sqlite_detail::Sql;
using sqlite_detail::sql_text;
using sqlite_detail::to_int64;

result<void> SqliteStore::begin_write() {
    const bool grouped = group_depth_ > 0;
    if (grouped && is_group_lost_) {
        last_error_ = "an earlier failure rolled the group back; end it and start again";
        return errc::store_unavailable;
    }
    return run(at(grouped ? Sql::savepoint : Sql::begin_immediate));
}

result<void> SqliteStore::end_write(result<void> done) {
    const bool grouped = group_depth_ > 0;
    if (done) {
        done = run(at(grouped ? Sql::release : Sql::commit));
        if (done) return done;
    }
    const std::string reason = last_error_;
    if (sqlite3_get_autocommit(db_) != 0) {
        // SQLite has already rolled the whole transaction back (an I/O error, a full disk).
        if (grouped) {
            is_group_lost_ = true;
            drop_group_counters();
        }
    } else if (grouped) {
        (void)run(at(Sql::rollback_to));
        (void)run(at(Sql::release));
    } else {
        (void)run(at(Sql::rollback));
    }
    last_error_ = reason;
    return done.error();
}

// "Not a date time" compares as not-before anything in ptime: every deadline is due then, and a
// lease that ends then never does.
result<std::vector<Deadline>> SqliteStore::claim_due_deadlines(Time t, std::size_t limit,
                                                               const std::string& worker,
                                                               Time lease_until) {
    const Lock lock(mutex_);
    std::vector<Deadline> claimed;
    if (limit == 0) return claimed;
    const std::int64_t now = micros_of(t).value_or(max_micros);
    const std::int64_t until = micros_of(lease_until).value_or(max_micros);
    if (auto begun = begin_write(); !begun) return begun.error();
    const auto claim = [&]() -> result<void> {
        {
            CALLTRACK_SQLITE_QUERY(q, Sql::claimable_deadlines);
            q.bind(1, now).bind(2, limit_of(limit)).bind(3, worker);
            int rc = SQLITE_OK;
            while ((rc = q.step()) == SQLITE_ROW) {
                auto d = deadline_of(q.int64(0), q.int64(1), q.text(2), last_error_);
                if (!d) return d.error();
                claimed.push_back(std::move(d).value());
            }
            if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::claimable_deadlines)]);
        }
        for (const Deadline& d : claimed) {
            CALLTRACK_SQLITE_QUERY(q, Sql::claim_deadline);
            q.bind(1, *micros_of(d.at)).bind(2, static_cast<std::int64_t>(d.kind));
            q.bind(3, d.subject).bind(4, worker).bind(5, until);
            const int rc = q.step();
            if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::claim_deadline)]);
        }
        return boost::outcome_v2::success();
    };
    if (auto done = end_write(claim()); !done) return done.error();
    return claimed;
}

result<std::vector<OutboxEntry>> SqliteStore::claim_effects(std::size_t limit,
                                                            const std::string& consumer, Time now,
                                                            Time lease_until) {
    const Lock lock(mutex_);
    std::vector<OutboxEntry> claimed;
    if (limit == 0) return claimed;
    const std::int64_t at_now = micros_of(now).value_or(max_micros);
    const std::int64_t until = micros_of(lease_until).value_or(max_micros);
    if (auto begun = begin_write(); !begun) return begun.error();
    const auto lease = [&]() -> result<void> {
        {
            CALLTRACK_SQLITE_QUERY(q, Sql::claimable_effects);
            q.bind(1, limit_of(limit)).bind(2, consumer).bind(3, at_now);
            int rc = SQLITE_OK;
            while ((rc = q.step()) == SQLITE_ROW) {
                auto entry = outbox_entry_of(q.uint64(0), q.text(1), last_error_);
                if (!entry) return entry.error();
                claimed.push_back(std::move(entry).value());
            }
            if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::claimable_effects)]);
        }
        for (const OutboxEntry& entry : claimed) {
            CALLTRACK_SQLITE_QUERY(q, Sql::lease_effect);
            q.bind(1, to_int64(entry.sequence)).bind(2, consumer).bind(3, until);
            const int rc = q.step();
            if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::lease_effect)]);
        }
        return boost::outcome_v2::success();
    };
    if (auto done = end_write(lease()); !done) {
        claimed.clear();
        return done.error();
    }
    return claimed;
}

result<void> SqliteStore::acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) {
    const Lock lock(mutex_);
    if (sequences.empty()) return boost::outcome_v2::success();
    if (auto begun = begin_write(); !begun) return begun.error();
    const auto acknowledge = [&]() -> result<void> {
        for (const std::uint64_t sequence : sequences) {
            CALLTRACK_SQLITE_QUERY(q, Sql::acknowledge_effect);
            q.bind(1, to_int64(sequence));
            const int rc = q.step();
            if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::acknowledge_effect)]);
        }
        return boost::outcome_v2::success();
    };
    return end_write(acknowledge());
}

}  // namespace calltrack
