#pragma once

// The store conformance suite: every promise of the Store contract (store.hpp, docs/storage.md)
// as a named check that any implementation can run, with no test framework required. A host that
// writes its own store runs it from its own tests:
//
//     auto failures = calltrack::testing::run_store_conformance(
//         [] { return std::make_unique<MyStore>(/* a fresh, empty database */); });
//     for (const auto& f : failures) std::cerr << f.check << ": " << f.detail << '\n';
//
// Each check runs against a fresh, empty store from `make_store`, so checks do not depend on each
// other's leftovers. A check stops at the first failure that makes the rest of it meaningless (a
// commit it relies on was refused); otherwise it reports every difference it finds.

#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace calltrack::testing {

/// One promise the store did not keep.
struct ConformanceFailure {
    std::string check;   ///< the name of the check, one of store_conformance_checks()
    std::string detail;  ///< which call, what was expected, what came back
};

/// Runs every contract check against fresh empty stores made by `make_store`; returns the failures
/// (empty: conforms). An exception thrown by the store is reported as a failure of that check.
CALLTRACK_TESTING_API std::vector<ConformanceFailure> run_store_conformance(
    const std::function<std::unique_ptr<Store>()>& make_store);

/// The names of the checks, in the order they run.
CALLTRACK_TESTING_API std::vector<std::string> store_conformance_checks();

}  // namespace calltrack::testing
