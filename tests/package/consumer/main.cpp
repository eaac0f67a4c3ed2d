// A host program that only knows calltrack's public interface.
#include <calltrack/calltrack.hpp>
#include <calltrack/sqlite_store.hpp>

#include <unistd.h>
#include <filesystem>
#include <iostream>
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

}  // namespace

int main() {
    const auto number = calltrack::PhoneNumber::parse("+1 (404) 555-0123");
    if (!number || number.value().e164() != "+14045550123") return 1;
    const auto refused = calltrack::PhoneNumber::parse("404");
    if (refused || refused.error() != calltrack::errc::phone_number_missing_plus) return 2;
    std::cout << "calltrack " << calltrack::version_string() << " linked; parsed " << number.value()
              << '\n';
    return check_sqlite_store();
}
