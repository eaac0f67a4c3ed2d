// The scenario reader (the `calltrack` program's input) on any text: never crashes, and every
// refusal names what is wrong.
#include "fuzz_support.hpp"

#include "scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    cli::ScenarioDiagnostic why;
    auto scenario = cli::parse_scenario(fuzz::text_of(data, size), &why);
    if (!scenario) {
        fuzz::require(scenario.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        fuzz::require(!why.problem.empty(), "a refusal that says nothing");
        return 0;
    }
    // Steps are numbered from 1 in order, and each step's time is a real time.
    for (std::size_t i = 0; i < scenario.value().steps.size(); ++i) {
        const auto& step = scenario.value().steps[i];
        fuzz::require(step.number == i + 1, "steps out of order");
        fuzz::require(!step.at.is_special(), "a step at a time that is not a time");
    }
    return 0;
}
