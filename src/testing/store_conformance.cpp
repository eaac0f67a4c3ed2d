// The suite's public entry points and the table that orders its checks. The checks themselves
// live in one file per part of the contract (conformance_*.cpp); this file only puts the parts in
// the order of the contract and runs each check against a fresh store, so the order and the
// handling of a store that throws are decided in one place.

#include <calltrack/testing/store_conformance.hpp>

#include "conformance.hpp"

#include <exception>
#include <string>
#include <vector>

namespace calltrack::testing {

namespace {

using conformance::Check;
using conformance::CheckAborted;
using conformance::CheckDefinition;

// --- the table ----------------------------------------------------------------------------------

/// Every check, in the order they run: the parts in the order of the contract, each part's checks
/// in the order its file lists them.
std::vector<CheckDefinition> all_checks() {
    std::vector<CheckDefinition> all;
    for (const auto part :
         {conformance::record_checks, conformance::number_checks, conformance::event_checks,
          conformance::deadline_checks, conformance::outbox_checks, conformance::claim_checks}) {
        const std::vector<CheckDefinition> checks = part();
        all.insert(all.end(), checks.begin(), checks.end());
    }
    return all;
}

}  // namespace

std::vector<ConformanceFailure> run_store_conformance(
    const std::function<std::unique_ptr<Store>()>& make_store) {
    std::vector<ConformanceFailure> failures;
    for (const auto& definition : all_checks()) {
        std::unique_ptr<Store> store = make_store ? make_store() : nullptr;
        if (!store) {
            failures.push_back({definition.name, "make_store returned no store"});
            continue;
        }
        Check check(*store, definition.name, failures);
        try {
            definition.run(check);
        } catch (const CheckAborted&) {
            // Recorded already.
        } catch (const std::exception& e) {
            check.fail(std::string("the store threw: ") + e.what());
        } catch (...) {
            check.fail("the store threw something that is not a std::exception");
        }
    }
    return failures;
}

std::vector<std::string> store_conformance_checks() {
    std::vector<std::string> names;
    for (const auto& definition : all_checks()) names.emplace_back(definition.name);
    return names;
}

}  // namespace calltrack::testing
