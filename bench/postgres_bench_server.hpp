#pragma once

// The server the PostgreSQL benchmarks use: CALLTRACK_BENCH_POSTGRES_URI names one of your own;
// otherwise the first benchmark starts a throwaway one with scripts/postgres-test-server, as the
// tests do, but with CALLTRACK_PG_DURABLE=1 (fsync, synchronous_commit and full_page_writes on),
// and it is stopped at exit. Each benchmark works in a schema of its own and drops it.

#include <calltrack/postgres_store.hpp>

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace calltrack::bench {

namespace ct = ::calltrack;

// --- the server ----------------------------------------------------------------------------------

class Server {
  public:
    static Server& get() {
        static Server server;
        return server;
    }
    const std::string& uri() const { return uri_; }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

  private:
    Server() {
        if (const char* own = std::getenv("CALLTRACK_BENCH_POSTGRES_URI"); own && *own) {
            uri_ = own;
            return;
        }
        state_ = "/tmp/calltrack-bench-pg-" + std::to_string(static_cast<long>(::getpid()));
        ::setenv("CALLTRACK_PG_DURABLE", "1", 1);
        const std::string start = script() + " start " + state_;
        if (std::system(start.c_str()) != 0) {
            throw std::runtime_error("cannot start a PostgreSQL server: " + start);
        }
        std::ifstream in(state_ + "/uri");
        std::getline(in, uri_);
    }
    ~Server() {
        if (state_.empty()) return;
        const std::string stop = script() + " stop " + state_ + " && rm -rf " + state_;
        (void)std::system(stop.c_str());
    }
    static std::string script() {
        return std::string(CALLTRACK_SOURCE_DIR) + "/scripts/postgres-test-server";
    }

    std::string uri_;
    std::string state_;
};

/// A plain libpq connection; throws when a statement fails.
class Raw {
  public:
    explicit Raw(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
        exec("SET client_min_messages = warning");
        exec("SET synchronous_commit = on");
    }
    ~Raw() { PQfinish(conn_); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    void exec(const std::string& sql) {
        PGresult* r = PQexec(conn_, sql.c_str());
        const bool ok =
            PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        const std::string error = PQresultErrorMessage(r);
        PQclear(r);
        if (!ok) throw std::runtime_error(sql + ": " + error);
    }
    void prepare(const char* name, const std::string& sql) {
        PGresult* r = PQprepare(conn_, name, sql.c_str(), 0, nullptr);
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const std::string error = PQresultErrorMessage(r);
        PQclear(r);
        if (!ok) throw std::runtime_error(sql + ": " + error);
    }
    PGconn* get() const { return conn_; }

  private:
    PGconn* conn_;
};

inline std::string identifier(const std::string& name) {
    return "\"" + name + "\"";
}

/// A schema of one benchmark's own, dropped when it ends.
class Schema {
  public:
    explicit Schema(const std::string& what)
        : name_("ctb_" + what + "_" + std::to_string(static_cast<long>(::getpid())) + "_"
                + std::to_string(++counter())) {}
    ~Schema() {
        try {
            Raw(Server::get().uri())
                .exec("DROP SCHEMA IF EXISTS " + identifier(name_) + " CASCADE");
        } catch (...) {
        }
    }
    Schema(const Schema&) = delete;
    Schema& operator=(const Schema&) = delete;
    const std::string& name() const { return name_; }
    std::unique_ptr<ct::PostgresStore> open(bool notify = true) const {
        ct::PostgresOptions options;
        options.schema = name_;
        options.notify_effects = notify;
        std::string why;
        auto store = ct::PostgresStore::open(Server::get().uri(), options, &why);
        if (!store) throw std::runtime_error("cannot open " + name_ + ": " + why);
        return std::move(store).value();
    }

  private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::string name_;
};

}  // namespace calltrack::bench
