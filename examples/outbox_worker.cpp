// A host's outbox worker over PostgreSQL: it leases effects (PostgresStore::claim_effects), carries
// them out in order, acknowledges exactly those, and when there is nothing to do it sleeps in
// wait_for_effects() until a commit on any connection announces new ones (LISTEN/NOTIFY): no
// polling loop. Run as many as you like, on as many machines: each account's effects go to one
// worker at a time, and a worker that dies leaves its lease to run out, so nothing is lost.
//
// Here the application is a thread with its own connection and engine, pausing and resuming
// tracking on three accounts now and then; the worker drains until the application has finished
// and every effect it caused has been carried out.
//
//     outbox_worker postgresql://app@db/telephony     (or: outbox_worker --uri-file FILE)
#include <calltrack/engine.hpp>
#include <calltrack/postgres_store.hpp>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace ct = calltrack;
namespace cmd = calltrack::commands;

namespace {

std::unique_ptr<ct::PostgresStore> open_store(const std::string& uri, const std::string& schema) {
    ct::PostgresOptions options;
    options.schema = schema;
    std::string why;
    auto store = ct::PostgresStore::open(uri, options, &why);
    if (!store) {
        std::cerr << "outbox_worker: " << why << '\n';
        return nullptr;
    }
    return std::move(store).value();
}

/// The application: three accounts, their tracking paused and resumed three times each. Returns
/// how many effects its commands queued, or -1.
int run_application(const std::string& uri, const std::string& schema, const std::string& run) {
    auto store = open_store(uri, schema);
    if (!store) return -1;
    ct::SystemClock clock;
    ct::Engine engine(ct::policies::ctm(), clock, *store);
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    const ct::UserId alice("alice-" + run);
    std::vector<ct::AccountId> accounts;
    for (const char* name : {"dental", "plumbing", "roofing"}) {
        accounts.emplace_back(std::string(name) + "-" + run);
        const ct::AccountId& a = accounts.back();
        if (!engine.execute(support, cmd::OpenAccount{a, std::nullopt, ct::Plan{"Starter", {}},
                                                      ct::Currency::parse("USD").value()})) {
            return -1;
        }
        if (!engine.execute(support,
                            cmd::GrantRole{alice, ct::RoleGrant{ct::Role::administrator, a}})) {
            return -1;
        }
    }
    const ct::Actor admin = engine.actor(alice).value();
    int queued = 0;
    for (int round = 0; round < 3; ++round) {
        for (const auto& a : accounts) {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            auto paused = engine.execute(
                admin, cmd::PauseTracking{a, std::nullopt, ct::Confirmation::click()});
            if (!paused) return -1;
            auto resumed = engine.execute(
                admin, cmd::ResumeTracking{a, std::nullopt, ct::Confirmation::click()});
            if (!resumed) return -1;
            queued +=
                static_cast<int>(paused.value().effects.size() + resumed.value().effects.size());
        }
    }
    return queued;
}

}  // namespace

int main(int argc, char** argv) {
    std::string uri;
    if (argc == 3 && std::string(argv[1]) == "--uri-file") {
        std::ifstream file(argv[2]);
        std::getline(file, uri);
    } else if (argc == 2) {
        uri = argv[1];
    }
    if (uri.empty()) {
        std::cerr << "usage: outbox_worker URI | outbox_worker --uri-file FILE\n";
        return 2;
    }
    const std::string run = std::to_string(::getpid());
    const std::string schema = "calltrack_outbox_example";
    auto store = open_store(uri, schema);
    if (!store) return 1;
    // Effects left by an earlier run belong to its worker's accounts; this run drains its own.
    const std::string worker = "worker-" + run;
    const auto lease = boost::posix_time::seconds(30);
    ct::SystemClock clock;

    std::atomic<int> queued{-2};  // -2: the application is still running
    std::thread application([&] { queued = run_application(uri, schema, run); });

    int carried_out = 0;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        const ct::Time now = clock.now();
        auto claimed = store->claim_effects(50, worker, now, now + lease);
        if (!claimed) {
            std::cerr << "claim failed: " << claimed.error().message() << '\n';
            break;
        }
        if (!claimed.value().empty()) {
            std::vector<std::uint64_t> done;
            for (const auto& entry : claimed.value()) {
                // The host's own handler goes here: idempotent, keyed by the sequence.
                std::cout << "carried out " << entry.sequence << ": " << ct::describe(entry.effect)
                          << '\n';
                done.push_back(entry.sequence);
                if (entry.effect.account
                    && entry.effect.account->str().find(run) != std::string::npos) {
                    ++carried_out;
                }
            }
            if (!store->acknowledge_claimed_effects(done)) break;
            continue;
        }
        const int expected = queued;
        if (expected != -2 && carried_out >= expected)
            break;  // the application is done, and so are we
        if (std::chrono::steady_clock::now() > give_up) break;
        // Nothing to do: sleep until a commit announces effects, or a second passes.
        auto woken = store->wait_for_effects(std::chrono::milliseconds(1000));
        if (!woken) {
            std::cerr << "waiting failed: " << woken.error().message() << '\n';
            break;
        }
    }
    application.join();
    std::cout << "application queued " << queued << " effects; the worker carried out "
              << carried_out << '\n';
    return queued > 0 && carried_out == queued ? 0 : 1;
}
