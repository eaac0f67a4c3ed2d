// The connection: PostgresStore::Impl's construction and closing, connecting and reconnecting,
// the statement cache, and the few calls through which every other part reaches libpq (run, exec,
// exec_script) and turns its failures into an errc and last_error(). Kept apart so that the one
// mapping from SQLSTATEs and libpq's connection failures to calltrack's errors is in one place.

#include "connection.hpp"

#include <calltrack/digest.hpp>
#include <calltrack/json.hpp>
#include <calltrack/window.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

namespace calltrack::postgres_detail {

std::string with_schema(std::string_view text, const std::string& quoted_schema) {
    std::string out;
    out.reserve(text.size() + 8 * quoted_schema.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 3, "{s}") == 0) {
            out += quoted_schema;
            i += 3;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string in_quotes(std::string_view text) {
    std::string out = "'";
    out += text;
    out += '\'';
    return out;
}

namespace {

const Time& epoch() {
    static const Time t(boost::gregorian::date(1970, 1, 1));
    return t;
}

}  // namespace

std::optional<std::int64_t> micros_of(Time t) {
    if (t.is_pos_infinity()) return max_micros;
    if (t.is_neg_infinity()) return min_micros;
    if (t.is_special()) return std::nullopt;
    return (t - epoch()).total_microseconds();
}

Time time_of(std::int64_t micros) {
    if (micros == max_micros) return Time(boost::posix_time::pos_infin);
    if (micros == min_micros) return Time(boost::posix_time::neg_infin);
    return epoch() + boost::posix_time::microseconds(micros);
}

bool is_stored_time(std::int64_t micros) {
    static const std::int64_t first = *micros_of(first_time());
    static const std::int64_t last = *micros_of(last_time());
    return micros == max_micros || micros == min_micros || (first <= micros && micros <= last);
}

std::int64_t to_int64(std::uint64_t v) noexcept {
    return v > static_cast<std::uint64_t>(max_micros) ? max_micros : static_cast<std::int64_t>(v);
}

namespace {

constexpr int last_deadline_kind = static_cast<int>(DeadlineKind::transfer_expires);

}  // namespace

result<Deadline> deadline_of(std::int64_t micros, std::int64_t kind, std::string subject,
                             std::string& error) {
    const auto key = [&] {
        return "deadlines row (" + std::to_string(micros) + ", " + std::to_string(kind) + ", "
               + in_quotes(subject) + ")";
    };
    if (kind < 0 || kind > last_deadline_kind) {
        error = key() + ": unknown kind " + std::to_string(kind);
        return errc::store_corrupt;
    }
    if (!is_stored_time(micros)) {
        error = key() + ": the time is outside the calendar calltrack writes";
        return errc::store_corrupt;
    }
    return Deadline{time_of(micros), static_cast<DeadlineKind>(kind), std::move(subject)};
}

result<OutboxEntry> outbox_entry_of(std::uint64_t sequence, const std::string& json,
                                    std::string& error) {
    JsonDiagnostic diagnostic;
    auto effect = effect_from_json(json, &diagnostic);
    if (effect) return OutboxEntry{sequence, std::move(effect).value()};
    error = "outbox row " + in_quotes(std::to_string(sequence))
            + " holds JSON calltrack cannot read: "
            + (diagnostic.field.empty() ? std::string() : diagnostic.field + ": ")
            + (diagnostic.problem.empty() ? effect.error().message() : diagnostic.problem);
    return errc::store_corrupt;
}

std::int64_t Rows::int64(int row, int column) const {
    const char* text = PQgetvalue(r_, row, column);
    const char* end = text + PQgetlength(r_, row, column);
    std::int64_t v = 0;
    std::from_chars(text, end, v);
    return v;
}

std::uint64_t Rows::affected() const {
    const char* text = r_ != nullptr ? PQcmdTuples(r_) : "";
    std::uint64_t v = 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), v);
    return v;
}

// The classes of SQLSTATE (PostgreSQL's Appendix A) by what a caller can do about them.
errc errc_of_sqlstate(std::string_view state) noexcept {
    // Another transaction won: the same command, decided again, may succeed.
    if (state == "40001" || state == "40P01" || state == "55P03" || state == "23505") {
        return errc::concurrency_conflict;
    }
    if (state == "42501" || state.substr(0, 2) == "28") return errc::store_access_denied;
    if (state == "3D000") return errc::store_not_found;
    // The schema lost a table, column or itself behind calltrack's back.
    if (state == "42P01" || state == "42703" || state == "3F000" || state == "42883") {
        return errc::store_corrupt;
    }
    // A value PostgreSQL cannot hold as text (a NUL, invalid UTF-8).
    if (state.substr(0, 2) == "22") return errc::invalid_id;
    // 08 connection, 53 resources (disk full, too many connections), 57 operator intervention
    // (shutdown, a cancelled statement), 58 system errors, and anything else: nothing was
    // written, and the same call may work later.
    return errc::store_unavailable;
}

bool is_success(const PGresult* r) {
    if (r == nullptr) return false;
    const ExecStatusType status = PQresultStatus(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

const std::string* with_nul(const Params& params) {
    for (const auto& p : params) {
        if (p && p->find('\0') != std::string::npos) return &*p;
    }
    return nullptr;
}

}  // namespace calltrack::postgres_detail

namespace calltrack {

using postgres_detail::errc_of_sqlstate;
using postgres_detail::is_success;
using postgres_detail::Params;
using postgres_detail::Rows;
using postgres_detail::Sql;
using postgres_detail::sql_text;
using postgres_detail::with_nul;

PostgresStore::Impl::Impl(std::string uri_, PostgresOptions options_)
    : uri(std::move(uri_)),
      options(std::move(options_)),
      quoted_schema(postgres_detail::quote_identifier(options.schema)),
      // A channel is an identifier of at most 63 bytes, and a schema name may take all of them.
      effects_channel("calltrack_effects_" + sha256_hex(options.schema).substr(0, 16)) {
    for (std::size_t i = 0; i < postgres_detail::statement_count; ++i) {
        sql[i] = postgres_detail::with_schema(sql_text[i], quoted_schema);
    }
}

PostgresStore::Impl::~Impl() {
    if (conn != nullptr) PQfinish(conn);
}

std::string PostgresStore::Impl::where() const {
    if (conn == nullptr) return "the server of " + postgres_detail::in_quotes(uri);
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    const char* db = PQdb(conn);
    const char* user = PQuser(conn);
    std::string out = "database ";
    out += postgres_detail::in_quotes(db != nullptr ? db : "");
    out += " on ";
    out += host != nullptr ? host : "?";
    out += ':';
    out += port != nullptr ? port : "?";
    out += " as ";
    out += postgres_detail::in_quotes(user != nullptr ? user : "");
    return out;
}

namespace {

/// libpq reports a failed connection as text only (no SQLSTATE): the server's FATAL message.
errc errc_of_connection_failure(std::string_view message) {
    const auto has = [&](std::string_view part) { return message.find(part) != message.npos; };
    if (has("password authentication failed") || has("no pg_hba.conf entry")
        || (has("role \"") && has("does not exist")) || has("permission denied for database")
        || has("authentication failed") || has("is not permitted to log in")) {
        return errc::store_access_denied;
    }
    if (has("database \"") && has("does not exist")) return errc::store_not_found;
    // Refused, timed out, unknown host, the server starting up or shutting down: retryable.
    return errc::store_unavailable;
}

void ignore_notice(void*, const char*) {}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

result<void> PostgresStore::Impl::connect(std::string* why) {
    if (conn != nullptr) {
        PQfinish(conn);
        conn = nullptr;
    }
    prepared.fill(false);
    is_listening = false;
    const std::string timeout =
        std::to_string(std::max<std::chrono::seconds::rep>(1, options.connect_timeout.count()));
    // Earlier keywords are defaults the URI may override; application_name, when given, wins.
    std::vector<const char*> keys = {"connect_timeout", "fallback_application_name",
                                     "client_encoding", "dbname"};
    std::vector<const char*> values = {timeout.c_str(), "calltrack", "UTF8", uri.c_str()};
    if (!options.application_name.empty()) {
        keys.push_back("application_name");
        values.push_back(options.application_name.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        const std::string message =
            trimmed(conn != nullptr ? PQerrorMessage(conn) : "libpq is out of memory");
        last_error = message;
        last_sqlstate.clear();
        const errc code = errc_of_connection_failure(message);
        if (why != nullptr) {
            std::string advice;
            if (code == errc::store_access_denied) {
                advice =
                    "; give the role a login (and password) the server accepts, and the "
                    "CONNECT privilege on the database";
            } else if (code == errc::store_not_found) {
                advice = "; create the database first (createdb), or name another in the URI";
            } else {
                advice =
                    "; check that the server is running and accepts connections at the "
                    "host and port the URI names (retrying may help)";
            }
            *why = "cannot connect to PostgreSQL at " + postgres_detail::in_quotes(uri) + ": "
                   + message + advice;
        }
        if (conn != nullptr) {
            PQfinish(conn);
            conn = nullptr;
        }
        return code;
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    // Every commit states its isolation level; the session only bounds how long it waits.
    const std::string session =
        "SET lock_timeout = " + std::to_string(std::max<long long>(0, options.lock_timeout.count()))
        + "; SET client_min_messages = warning";
    if (auto set = exec_script(session); !set) {
        if (why != nullptr) {
            *why = "cannot set up the session on " + where() + ": " + last_error;
        }
        return set.error();
    }
    return boost::outcome_v2::success();
}

result<void> PostgresStore::Impl::ensure_connected() {
    if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) return check_group();
    // A new connection would silently drop the open group's writes: the group is lost instead,
    // and the call that ends it reconnects.
    if (group_depth > 0) {
        is_group_lost = true;
        return check_group();
    }
    std::string why;
    auto connected = connect(&why);
    if (!connected) last_error = "reconnecting: " + why;
    return connected;
}

boost::system::error_code PostgresStore::Impl::fail(const PGresult* r, std::string_view what) {
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    last_sqlstate = state != nullptr ? state : "";
    std::string message =
        r != nullptr ? PQresultErrorMessage(r) : (conn != nullptr ? PQerrorMessage(conn) : "");
    last_error = std::string(what) + ": " + trimmed(message);
    if (!last_sqlstate.empty()) last_error += " (SQLSTATE " + last_sqlstate + ")";
    // A connection libpq has lost is reported as unavailable whatever the result says: nothing
    // uncommitted survives it, and the next call connects again.
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
        last_error += "; the connection to " + where() + " was lost, the next call reconnects";
        return make_error_code(errc::store_unavailable);
    }
    if (last_sqlstate.empty()) return make_error_code(errc::store_unavailable);
    return make_error_code(errc_of_sqlstate(last_sqlstate));
}

boost::system::error_code PostgresStore::Impl::corrupt(std::string what) {
    last_error = std::move(what);
    return make_error_code(errc::store_corrupt);
}

namespace {

std::vector<const char*> values_of(const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    return values;
}

}  // namespace

boost::system::error_code PostgresStore::Impl::refuse_nul(const std::string& value) {
    last_error = "a value holds a NUL character, which PostgreSQL text cannot store: "
                 + postgres_detail::in_quotes(value.substr(0, value.find('\0')))
                 + " followed by NUL";
    last_sqlstate.clear();
    return make_error_code(errc::invalid_id);
}

result<Rows> PostgresStore::Impl::run(Sql which, const Params& params) {
    const std::size_t i = postgres_detail::at(which);
    if (const std::string* bad = with_nul(params)) return refuse_nul(*bad);
    const std::string name = "calltrack_" + std::to_string(i);
    if (!prepared[i]) {
        Rows made(PQprepare(conn, name.c_str(), sql[i].c_str(), 0, nullptr));
        if (!is_success(made.get())) return fail(made.get(), sql[i]);
        prepared[i] = true;
    }
    const auto values = values_of(params);
    Rows rows(PQexecPrepared(conn, name.c_str(), static_cast<int>(values.size()), values.data(),
                             nullptr, nullptr, 0));
    if (!is_success(rows.get())) return fail(rows.get(), sql[i]);
    return rows;
}

result<Rows> PostgresStore::Impl::exec(const std::string& text, const Params& params) {
    if (const std::string* bad = with_nul(params)) return refuse_nul(*bad);
    const std::string statement = postgres_detail::with_schema(text, quoted_schema);
    const auto values = values_of(params);
    Rows rows(PQexecParams(conn, statement.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0));
    if (!is_success(rows.get())) return fail(rows.get(), statement);
    return rows;
}

result<void> PostgresStore::Impl::exec_script(const std::string& text) {
    const std::string script = postgres_detail::with_schema(text, quoted_schema);
    Rows rows(PQexec(conn, script.c_str()));
    if (!is_success(rows.get())) return fail(rows.get(), "script");
    return boost::outcome_v2::success();
}

void PostgresStore::Impl::rollback() noexcept {
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) return;
    if (PQtransactionStatus(conn) == PQTRANS_IDLE) return;
    PGresult* r = PQexec(conn, "ROLLBACK");
    if (r != nullptr) PQclear(r);
}

// --- the store's own face ------------------------------------------------------------------------

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresStore::~PostgresStore() = default;

const std::string& PostgresStore::schema() const {
    return impl_->options.schema;
}

std::string PostgresStore::last_error() const {
    const postgres_detail::Lock lock(impl_->mutex);
    return impl_->last_error;
}

}  // namespace calltrack
