// Group commit: many commits in one transaction, for bulk imports and deadline sweeps, with the
// shape SqliteStore's has. Inside a group each write (commit, claim_effects) is a savepoint, so a
// refused batch is undone alone and the group goes on; reads on this store see the group's
// writes, other connections none of them until end_group(). Its state (the depth, a group lost
// with its connection) outlives any single commit, so it is apart from the one write.

#include "connection.hpp"

#include <utility>

namespace calltrack {

using postgres_detail::Lock;

const char* PostgresStore::Impl::begin_write_text() const {
    return group_depth > 0 ? "SAVEPOINT calltrack_write" : "BEGIN ISOLATION LEVEL READ COMMITTED";
}

const char* PostgresStore::Impl::end_write_text() const {
    return group_depth > 0 ? "RELEASE SAVEPOINT calltrack_write" : "COMMIT";
}

result<void> PostgresStore::Impl::check_group() {
    if (group_depth > 0 && is_group_lost) {
        last_error = "an earlier failure lost the group's transaction; end it and start again";
        return errc::store_unavailable;
    }
    return boost::outcome_v2::success();
}

void PostgresStore::Impl::abandon_write() noexcept {
    const std::string reason = last_error;
    if (group_depth == 0) {
        rollback();
    } else if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        is_group_lost = true;
    } else {
        PGresult* r = PQexec(conn,
                             "ROLLBACK TO SAVEPOINT calltrack_write; "
                             "RELEASE SAVEPOINT calltrack_write");
        if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) is_group_lost = true;
        if (r != nullptr) PQclear(r);
    }
    last_error = reason;
}

result<void> PostgresStore::begin_group() {
    const Lock lock(impl_->mutex);
    Impl& s = *impl_;
    if (s.group_depth > 0) {
        ++s.group_depth;
        return boost::outcome_v2::success();
    }
    if (auto connected = s.ensure_connected(); !connected) return connected.error();
    if (auto begun = s.exec_script("BEGIN ISOLATION LEVEL READ COMMITTED"); !begun) {
        s.rollback();
        return begun.error();
    }
    s.group_depth = 1;
    s.is_group_lost = false;
    return boost::outcome_v2::success();
}

result<void> PostgresStore::end_group() {
    const Lock lock(impl_->mutex);
    Impl& s = *impl_;
    if (s.group_depth == 0) {
        s.last_error = "end_group without begin_group";
        return errc::invalid_state;
    }
    if (--s.group_depth > 0) return boost::outcome_v2::success();
    if (s.is_group_lost) {
        s.is_group_lost = false;
        s.rollback();
        return errc::store_unavailable;
    }
    if (s.conn == nullptr || PQstatus(s.conn) != CONNECTION_OK) {
        s.last_error = "the connection to " + s.where() + " was lost with the group's transaction";
        return errc::store_unavailable;
    }
    if (auto committed = s.exec_script("COMMIT"); !committed) {
        const std::string reason = s.last_error;
        s.rollback();
        s.last_error = reason;
        return committed.error();
    }
    return boost::outcome_v2::success();
}

// Rolling back drops the whole group, however deeply nested the call.
result<void> PostgresStore::rollback_group() {
    const Lock lock(impl_->mutex);
    Impl& s = *impl_;
    if (s.group_depth == 0) {
        s.last_error = "rollback_group without begin_group";
        return errc::invalid_state;
    }
    s.group_depth = 0;
    s.is_group_lost = false;
    s.rollback();
    return boost::outcome_v2::success();
}

bool PostgresStore::is_in_group() const {
    const Lock lock(impl_->mutex);
    return impl_->group_depth > 0;
}

PostgresStore::Group::Group(Group&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)) {}

PostgresStore::Group::~Group() {
    if (store_ != nullptr) (void)store_->rollback_group();
}

result<void> PostgresStore::Group::commit() {
    if (store_ == nullptr) return errc::invalid_state;
    return std::exchange(store_, nullptr)->end_group();
}

result<PostgresStore::Group> PostgresStore::group() {
    if (auto begun = begin_group(); !begun) return begun.error();
    return Group(*this);
}

}  // namespace calltrack
