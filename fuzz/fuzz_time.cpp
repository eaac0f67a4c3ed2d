// parse_time on any text: never crashes; what it accepts is a real time, which format_time writes
// as text that parses back to the same instant.
#include "fuzz_support.hpp"

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>  // parse() returns result<T>, complete only here

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    auto t = parse_time(fuzz::text_of(data, size));
    if (!t) {
        fuzz::require(t.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        return 0;
    }
    fuzz::require(!t.value().is_special(), "parse_time accepted a time that is not a time");
    const std::string text = format_time(t.value());
    auto again = parse_time(text);
    fuzz::require(again && again.value() == t.value(), "format_time does not parse back: " + text);
    return 0;
}
