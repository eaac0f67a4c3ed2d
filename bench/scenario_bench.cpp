// What reading a scenario file costs as it grows: linear in its steps. nlohmann's callback parser,
// which the readers used before, scanned the steps array after every step object, so 3,000 steps
// took 2.2 s and 6,000 took 6.3 s. Google Benchmark fits the figures to O(N) and reports the fit.
#include "scenario.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

/// A scenario of `steps` pause_tracking steps on one account, all at the same time.
std::string scenario_of(std::int64_t steps) {
    std::string text =
        R"({"policy": "ctm", "start": "2024-03-01T09:00:00Z",)"
        R"( "actors": {"sam": [{"role": "administrator", "scope": {"account": "solo"}}]},)"
        R"( "setup": [{"command": "open_account", "account": "solo",)"
        R"( "plan": {"name": "Starter", "add_ons": []}, "currency": "USD"}], "steps": [)";
    for (std::int64_t i = 0; i < steps; ++i) {
        if (i != 0) text += ',';
        text += R"({"at": "2024-03-02T09:00:00Z", "actor": "sam", "command": {"command":)"
                R"( "pause_tracking", "account": "solo", "confirmation": {"clicked": true}}})";
    }
    return text + "]}";
}

void BM_ParseScenario(benchmark::State& state) {
    const std::string text = scenario_of(state.range(0));
    for (auto _ : state) {
        auto parsed = calltrack::cli::parse_scenario(text);
        if (!parsed) {
            std::cerr << "the benchmark scenario does not parse\n";
            std::abort();
        }
        benchmark::DoNotOptimize(parsed);
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ParseScenario)
    ->Name("parse_scenario, N steps")
    ->RangeMultiplier(2)
    ->Range(750, 6000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace
