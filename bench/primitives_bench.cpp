// Costs of the primitives that sit on every command's path: parsing input numbers and money sums.
#include <calltrack/errors.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>

#include <benchmark/benchmark.h>

namespace {

void BM_PhoneNumberParseCanonical(benchmark::State& state) {
    for (auto _ : state) {
        auto parsed = calltrack::PhoneNumber::parse("+14045550123");
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_PhoneNumberParseCanonical);

void BM_PhoneNumberParseHumanSpelling(benchmark::State& state) {
    for (auto _ : state) {
        auto parsed = calltrack::PhoneNumber::parse("+1 (404) 555-0123");
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_PhoneNumberParseHumanSpelling);

void BM_MoneyAdd(benchmark::State& state) {
    const auto usd = calltrack::Currency::parse("USD").value();
    calltrack::Money total(0, usd);
    const calltrack::Money fee(500, usd);
    for (auto _ : state) {
        total = calltrack::add(total, fee).value();
        benchmark::DoNotOptimize(total);
    }
}
BENCHMARK(BM_MoneyAdd);

}  // namespace
