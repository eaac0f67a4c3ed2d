// PhoneNumber::parse on any text: never crashes; what it accepts is E.164 ('+', 8 to 15 digits,
// the first not 0) and parses back to itself.
#include "fuzz_support.hpp"

#include <calltrack/errors.hpp>  // parse() returns result<T>, complete only here
#include <calltrack/phone_number.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    auto number = PhoneNumber::parse(fuzz::text_of(data, size));
    if (!number) {
        fuzz::require(number.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        return 0;
    }
    const std::string& e164 = number.value().e164();
    fuzz::require(e164.size() >= 9 && e164.size() <= 16 && e164[0] == '+' && e164[1] != '0',
                  "not E.164: " + e164);
    for (std::size_t i = 1; i < e164.size(); ++i) {
        fuzz::require(e164[i] >= '0' && e164[i] <= '9', "not E.164: " + e164);
    }
    auto again = PhoneNumber::parse(e164);
    fuzz::require(again && again.value() == number.value(), "E.164 does not parse back: " + e164);
    return 0;
}
