// The connection: SqliteStore's construction and closing, the statement cache, and the few
// calls through which every other part reaches SQLite (prepare, run, execute, read_pragma_int)
// and turns its failures into an errc and last_error(). Kept apart so that the one mapping from
// SQLite's result codes to calltrack's errors, and the words last_error() gives, are in one place.

#include "connection.hpp"

#include <utility>

namespace calltrack::sqlite_detail {

errc errc_of(int code) noexcept {
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            // Another connection held the lock longer than busy_timeout: retryable.
            return errc::concurrency_conflict;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_CONSTRAINT:
        case SQLITE_MISMATCH:
        case SQLITE_FORMAT:
        case SQLITE_SCHEMA:
            return errc::store_corrupt;
        default:
            // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_NOMEM, ...
            return errc::store_unavailable;
    }
}

}  // namespace calltrack::sqlite_detail

namespace calltrack {

using sqlite_detail::errc_of;
using sqlite_detail::Query;
using sqlite_detail::sql_text;

SqliteStore::SqliteStore(sqlite3* db, SqliteOptions options)
    : db_(db),
      options_(options),
      statements_(std::make_unique<Statements>()),
      group_counters_(std::make_unique<Counters>()) {}

void SqliteStore::drop_group_counters() noexcept {
    *group_counters_ = Counters{};
}

SqliteStore::~SqliteStore() {
    if (db_ == nullptr) return;
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    statements_.reset();
    sqlite3_close_v2(db_);
}

boost::system::error_code SqliteStore::fail(int code, const char* what) {
    last_error_ = what;
    last_error_ += ": ";
    last_error_ += sqlite3_errmsg(db_);
    last_error_ += " (";
    last_error_ += sqlite3_errstr(code);
    last_error_ += ')';
    return make_error_code(errc_of(code));
}

boost::system::error_code SqliteStore::corrupt(std::string what) {
    last_error_ = std::move(what);
    return make_error_code(errc::store_corrupt);
}

std::string SqliteStore::last_error() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return last_error_;
}

result<sqlite3_stmt*> SqliteStore::prepare(std::size_t which) {
    sqlite3_stmt*& slot = statements_->cached[which];
    if (slot != nullptr) return slot;
    const int rc =
        sqlite3_prepare_v3(db_, sql_text[which], -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr);
    if (rc == SQLITE_OK) return slot;
    sqlite3_finalize(slot);
    slot = nullptr;
    // A statement that does not fit the schema ("no such table") means the file was changed
    // behind calltrack's back.
    return fail(rc == SQLITE_ERROR ? SQLITE_CORRUPT : rc, sql_text[which]);
}

/// Runs a cached statement that returns no rows (transaction control).
result<void> SqliteStore::run(std::size_t which) {
    auto statement = prepare(which);
    if (!statement) return statement.error();
    Query q(statement.value());
    const int rc = q.step();
    if (rc != SQLITE_DONE) return fail(rc, sql_text[which]);
    return boost::outcome_v2::success();
}

result<void> SqliteStore::execute(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return boost::outcome_v2::success();
    last_error_ = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return make_error_code(errc_of(rc));
}

result<int> SqliteStore::read_pragma_int(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr);
    int value = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) value = sqlite3_column_int(statement, 0);
    }
    if (rc != SQLITE_ROW) {
        const auto error = fail(rc, sql);
        sqlite3_finalize(statement);
        return error;
    }
    sqlite3_finalize(statement);
    return value;
}

}  // namespace calltrack
