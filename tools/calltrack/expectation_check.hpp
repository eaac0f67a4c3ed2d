#pragma once

// Whether a step met what its scenario expected (expectation_check.cpp). Private to the program.

#include "runner.hpp"
#include "scenario.hpp"

#include <calltrack/engine.hpp>
#include <calltrack/store.hpp>

#include <string>

namespace calltrack::cli {

/// Why the step's outcome differs from the expectation (ok or refused with the codes it names,
/// the events and effects it lists, includes or excludes); empty when it does not.
std::string unmet_outcome(const Expectation& e, const StepReport& r);
/// Why the state after a step differs from what the expectation says; empty when it does not.
std::string unmet_state(const Expectation& e, Engine& engine, Store& store);

}  // namespace calltrack::cli
