// Group commit: many commits in one transaction, for bulk imports and deadline sweeps. The
// group holds the write lock from begin_group() to end_group() or rollback_group(), and owns the
// counters its batches share (connection.hpp), which must be dropped however the group ends. It
// is apart from the one write because its state (the depth, a group lost to SQLite's rollback)
// outlives any single commit.

#include "connection.hpp"

#include <utility>

namespace calltrack {

using sqlite_detail::at;
using sqlite_detail::Lock;
using sqlite_detail::Sql;

// --- group commit --------------------------------------------------------------------------------

result<void> SqliteStore::begin_group() {
    const Lock lock(mutex_);
    if (group_depth_ > 0) {
        ++group_depth_;
        return boost::outcome_v2::success();
    }
    if (auto begun = run(at(Sql::begin_immediate)); !begun) return begun.error();
    group_depth_ = 1;
    is_group_lost_ = false;
    drop_group_counters();
    return boost::outcome_v2::success();
}

result<void> SqliteStore::end_group() {
    const Lock lock(mutex_);
    return end_group_locked();
}

result<void> SqliteStore::end_group_locked() {
    if (group_depth_ == 0) {
        last_error_ = "end_group without begin_group";
        return errc::invalid_state;
    }
    if (--group_depth_ > 0) return boost::outcome_v2::success();
    const std::optional<std::int64_t> latest_event_at = group_counters_->pending_last_event_at;
    drop_group_counters();
    if (is_group_lost_) {
        is_group_lost_ = false;
        return errc::store_unavailable;
    }
    auto committed = latest_event_at ? raise_last_event_at(*latest_event_at)
                                     : result<void>(boost::outcome_v2::success());
    if (committed) committed = run(at(Sql::commit));
    if (!committed) {
        const std::string reason = last_error_;
        if (sqlite3_get_autocommit(db_) == 0) (void)run(at(Sql::rollback));
        last_error_ = reason;
        return committed.error();
    }
    return boost::outcome_v2::success();
}

result<void> SqliteStore::rollback_group() {
    const Lock lock(mutex_);
    return rollback_group_locked();
}

// Rolling back drops the whole group, however deeply nested the call.
result<void> SqliteStore::rollback_group_locked() {
    if (group_depth_ == 0) {
        last_error_ = "rollback_group without begin_group";
        return errc::invalid_state;
    }
    group_depth_ = 0;
    is_group_lost_ = false;
    drop_group_counters();
    if (sqlite3_get_autocommit(db_) != 0) return boost::outcome_v2::success();
    return run(at(Sql::rollback));
}

bool SqliteStore::is_in_group() const {
    const Lock lock(mutex_);
    return group_depth_ > 0;
}

SqliteStore::Group::Group(Group&& other) noexcept : store_(std::exchange(other.store_, nullptr)) {}

SqliteStore::Group::~Group() {
    if (store_ != nullptr) (void)store_->rollback_group();
}

result<void> SqliteStore::Group::commit() {
    if (store_ == nullptr) return errc::invalid_state;
    return std::exchange(store_, nullptr)->end_group();
}

result<SqliteStore::Group> SqliteStore::group() {
    if (auto begun = begin_group(); !begun) return begun.error();
    return Group(*this);
}

}  // namespace calltrack
