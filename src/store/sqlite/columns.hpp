#pragma once

// How calltrack's values meet SQLite's columns: the Query that binds a cached statement's
// parameters and reads its columns, and the mapping of times to the integers stored for them.
// Every part of the store that runs a statement needs them, so they are declared here once,
// beside the sources, and never in a public header (which must not include <sqlite3.h>).

#include <calltrack/clock.hpp>
#include <calltrack/store.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace calltrack::sqlite_detail {

inline constexpr std::int64_t max_micros = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t min_micros = std::numeric_limits<std::int64_t>::min();

// Times are integer microseconds since 1970-01-01T00:00:00Z, so that integer order is time order
// (the deadlines' primary key sorts exactly as Deadline's operator<). The infinities take the
// ends of the range; "not a date time" has no place in the order and is not stored.
std::optional<std::int64_t> micros_of(Time t);
Time time_of(std::int64_t micros);

/// Whether stored microseconds are a time calltrack can have written: inside the calendar
/// (first_time() to last_time()) or one of the infinities. Anything else would be a ptime past the
/// year 9999 that throws when it is formatted.
bool is_stored_time(std::int64_t micros);

std::int64_t to_int64(std::uint64_t v) noexcept;
std::int64_t limit_of(std::size_t limit) noexcept;

/// One use of a cached statement: bind, step, read columns; reset when it goes out of scope.
class Query {
  public:
    explicit Query(sqlite3_stmt* statement) : s_(statement) {}
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }

    Query& bind(int i, std::string_view text) {
        // An empty view may have no data pointer, which SQLite would bind as NULL.
        const char* data = text.data() != nullptr ? text.data() : "";
        sqlite3_bind_text64(s_, i, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        return *this;
    }
    /// A text made for this use (a record's JSON): kept by the Query and bound without SQLite
    /// copying it, which is safe because the destructor clears the bindings before the text goes.
    Query& bind(int i, std::string&& text) {
        if (is_kept_) return bind(i, std::string_view(text));
        kept_ = std::move(text);
        is_kept_ = true;
        sqlite3_bind_text64(s_, i, kept_.c_str(), kept_.size(), SQLITE_STATIC, SQLITE_UTF8);
        return *this;
    }
    Query& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    Query& bind_null(int i) {
        sqlite3_bind_null(s_, i);
        return *this;
    }

    /// SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(s_); }

    std::int64_t int64(int column) const { return sqlite3_column_int64(s_, column); }
    std::uint64_t uint64(int column) const {
        const std::int64_t v = int64(column);
        return v < 0 ? 0 : static_cast<std::uint64_t>(v);
    }
    bool is_null(int column) const { return sqlite3_column_type(s_, column) == SQLITE_NULL; }
    std::string text(int column) const {
        const unsigned char* p = sqlite3_column_text(s_, column);
        const int n = sqlite3_column_bytes(s_, column);
        if (p == nullptr || n <= 0) return std::string();
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }

  private:
    sqlite3_stmt* s_;
    std::string kept_;  ///< destroyed after ~Query() has cleared the bindings
    bool is_kept_ = false;
};

std::string in_quotes(std::string_view text);

/// A deadlines row back into its Deadline; a row calltrack never writes is corruption, named by
/// its key (at, kind, subject) in `error`.
result<Deadline> deadline_of(std::int64_t micros, std::int64_t kind, std::string subject,
                             std::string& error);
/// An outbox row back into its entry; JSON that does not decode is corruption, named by its
/// sequence in `error`.
result<OutboxEntry> outbox_entry_of(std::uint64_t sequence, const std::string& json,
                                    std::string& error);

}  // namespace calltrack::sqlite_detail
