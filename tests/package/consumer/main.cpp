// A host program that only knows calltrack's public interface.
#include <calltrack/calltrack.hpp>
#include <calltrack/sqlite_store.hpp>
#if CALLTRACK_CONSUMER_TESTING
#include <calltrack/testing/store_conformance.hpp>
#endif
#if CALLTRACK_CONSUMER_POSTGRES
#include <calltrack/postgres_store.hpp>
#endif

#include <unistd.h>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

namespace {

// calltrack::sqlite links: a store in a real temporary file keeps what it is given.
int check_sqlite_store() {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path()
                         / ("calltrack-consumer-" + std::to_string(static_cast<long>(::getpid())));
    fs::create_directories(dir);
    const std::string path = (dir / "store.db").string();
    int status = 0;
    {
        auto store = calltrack::SqliteStore::open(path);
        if (!store) {
            status = 3;
        } else {
            calltrack::Account account;
            account.id = calltrack::AccountId("acme");
            account.timeline.opened_at = calltrack::parse_time("2020-09-15T10:00:00Z").value();
            calltrack::CommitBatch batch;
            batch.accounts.push_back(calltrack::RecordWrite<calltrack::Account>{account, 0});
            const auto committed = store.value()->commit(batch);
            const auto loaded = store.value()->load_account(account.id);
            if (!committed || !loaded || !loaded.value() || loaded.value()->version != 1) {
                status = 4;
            }
        }
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    if (status == 0) std::cout << "calltrack::sqlite linked; stored an account in " << path << '\n';
    return status;
}

#if CALLTRACK_CONSUMER_POSTGRES
// calltrack::postgres links and runs: without a server (a unix socket folder that does not exist,
// so nothing is reached) open() fails as it should, retryable, naming where it looked.
int check_postgres_store() {
    const std::string uri = "postgresql:///calltrack?host=/nonexistent/calltrack-consumer";
    std::string why;
    const auto store = calltrack::PostgresStore::open(uri, {}, &why);
    if (store || store.error() != calltrack::errc::store_unavailable
        || why.find("/nonexistent/calltrack-consumer") == std::string::npos) {
        std::cerr << "PostgresStore::open without a server: " << why << '\n';
        return 6;
    }
    std::cout << "calltrack::postgres linked; without a server: " << why << '\n';
    return 0;
}
#endif

#if CALLTRACK_CONSUMER_TESTING
// calltrack::testing links: the conformance suite passes on the default store.
int check_testing() {
    const auto failures = calltrack::testing::run_store_conformance(
        [] { return std::make_unique<calltrack::InMemoryStore>(); });
    for (const auto& f : failures) std::cerr << f.check << ": " << f.detail << '\n';
    if (!failures.empty()) return 5;
    std::cout << "calltrack::testing linked; InMemoryStore passed "
              << calltrack::testing::store_conformance_checks().size() << " conformance checks\n";
    return 0;
}
#endif

}  // namespace

int main() {
    const auto number = calltrack::PhoneNumber::parse("+1 (404) 555-0123");
    if (!number || number.value().e164() != "+14045550123") return 1;
    const auto refused = calltrack::PhoneNumber::parse("404");
    if (refused || refused.error() != calltrack::errc::phone_number_missing_plus) return 2;
    std::cout << "calltrack " << calltrack::version_string() << " linked; parsed " << number.value()
              << '\n';
    if (const int status = check_sqlite_store(); status != 0) return status;
#if CALLTRACK_CONSUMER_POSTGRES
    if (const int status = check_postgres_store(); status != 0) return status;
#endif
#if CALLTRACK_CONSUMER_TESTING
    if (const int status = check_testing(); status != 0) return status;
#endif
    return 0;
}
