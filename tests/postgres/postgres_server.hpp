#pragma once

// The server the PostgreSQL tests use, and nothing else: the URI from CALLTRACK_TEST_POSTGRES_URI
// (a developer's own server) or the one scripts/postgres-test-server wrote for the throwaway
// server CTest started (CALLTRACK_TEST_POSTGRES_STATE names its folder). With neither, every test
// fails saying why; none is skipped. Each test works in schemas of its own, named after the
// process, and drops them at the end, so a developer's database keeps nothing of a run.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace calltrack::testing {

/// The test server's URI; fails the current test with the reason when there is none.
inline std::string test_server_uri() {
    if (const char* uri = std::getenv("CALLTRACK_TEST_POSTGRES_URI"); uri != nullptr && *uri) {
        return uri;
    }
    const char* state = std::getenv("CALLTRACK_TEST_POSTGRES_STATE");
    if (state == nullptr || *state == '\0') {
        FAIL(
            "no PostgreSQL server for the tests: run them through ctest (its postgres.server.start "
            "fixture starts a throwaway server) or ./scripts/run-tests, or set "
            "CALLTRACK_TEST_POSTGRES_URI to a server of your own");
    }
    std::ifstream uri_file(std::string(state) + "/uri");
    std::string uri;
    if (uri_file && std::getline(uri_file, uri) && !uri.empty()) return uri;
    std::ifstream why_file(std::string(state) + "/why");
    std::string why;
    std::getline(why_file, why);
    FAIL("the throwaway PostgreSQL server did not start ("
         << (why.empty()
                 ? "scripts/postgres-test-server start wrote no URI in " + std::string(state)
                 : why)
         << "); set CALLTRACK_TEST_POSTGRES_URI to use a server of your own");
    return {};
}

/// A plain libpq connection beside the store, for what a test does behind its back.
class RawConnection {
  public:
    explicit RawConnection(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
        INFO(PQerrorMessage(conn_));
        REQUIRE(PQstatus(conn_) == CONNECTION_OK);
        exec("SET client_min_messages = warning");
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    ~RawConnection() { PQfinish(conn_); }

    /// Runs `sql`; the first column of the first row, or "" when there is none.
    std::string exec(const std::string& sql) {
        PGresult* r = PQexec(conn_, sql.c_str());
        const ExecStatusType status = PQresultStatus(r);
        std::string value;
        if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) value = PQgetvalue(r, 0, 0);
        const std::string error = PQresultErrorMessage(r);
        PQclear(r);
        INFO(sql << ": " << error);
        REQUIRE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK));
        return value;
    }
    /// Sends `sql` without waiting for its answer (a statement that will block).
    void send(const std::string& sql) { REQUIRE(PQsendQuery(conn_, sql.c_str()) == 1); }
    /// Waits for the answer to send(); true when it succeeded.
    bool finish_send() {
        bool ok = true;
        while (PGresult* r = PQgetResult(conn_)) {
            const ExecStatusType status = PQresultStatus(r);
            ok = ok && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK);
            PQclear(r);
        }
        return ok;
    }

    PGconn* get() const { return conn_; }
    std::string host() const { return PQhost(conn_); }
    std::string port() const { return PQport(conn_); }
    std::string user() const { return PQuser(conn_); }
    std::string database() const { return PQdb(conn_); }

  private:
    PGconn* conn_;
};

/// A text as an SQL string literal.
inline std::string literal(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + '\'';
}

/// A name as an SQL identifier.
inline std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

/// The schemas one test uses: new names, each dropped when the test ends.
class TestSchemas {
  public:
    TestSchemas()
        : uri_(test_server_uri()), raw_(uri_), raw_host_(raw_.host()), raw_port_(raw_.port()) {}
    TestSchemas(const TestSchemas&) = delete;
    TestSchemas& operator=(const TestSchemas&) = delete;
    ~TestSchemas() {
        for (const auto& name : made_) {
            PGresult* r = PQexec(raw_connection_for_cleanup(),
                                 ("DROP SCHEMA IF EXISTS " + quoted(name) + " CASCADE").c_str());
            PQclear(r);
        }
    }

    /// A schema name no other test or run uses.
    std::string fresh(const std::string& what = "t") {
        static int counter = 0;
        std::string name = "ct_" + what + "_" + std::to_string(static_cast<long>(::getpid())) + "_"
                           + std::to_string(++counter);
        made_.push_back(name);
        return name;
    }

    /// A new store in a new schema.
    std::unique_ptr<PostgresStore> open_fresh(PostgresOptions options = {}) {
        options.schema = fresh();
        return open(options);
    }
    std::unique_ptr<PostgresStore> open(const PostgresOptions& options) {
        std::string why;
        auto store = PostgresStore::open(uri_, options, &why);
        INFO(why);
        REQUIRE(store);
        return std::move(store).value();
    }

    const std::string& uri() const { return uri_; }
    RawConnection& raw() { return raw_; }

    /// The test server's URI for another database or user, on the same host and port.
    std::string uri_for(const std::string& database, const std::string& user) const {
        return "postgresql:///" + database + "?host=" + raw_host_ + "&port=" + raw_port_
               + "&user=" + user;
    }

  private:
    PGconn* raw_connection_for_cleanup() {
        if (cleanup_ == nullptr) {
            cleanup_.reset(PQconnectdb(uri_.c_str()));
            PQclear(PQexec(cleanup_.get(), "SET client_min_messages = warning"));
        }
        return cleanup_.get();
    }
    struct Finish {
        void operator()(PGconn* c) const { PQfinish(c); }
    };

    std::string uri_;
    RawConnection raw_;
    std::vector<std::string> made_;
    std::string raw_host_;
    std::string raw_port_;
    std::unique_ptr<PGconn, Finish> cleanup_;
};

}  // namespace calltrack::testing
