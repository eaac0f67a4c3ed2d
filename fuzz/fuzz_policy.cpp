// The policy reader on any text: never crashes; what it accepts validates, and writing it then
// reading it back gives the same policy and the same text.
#include "fuzz_support.hpp"

#include <calltrack/policy.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    PolicyDiagnostic why;
    auto policy = policy_from_json(fuzz::text_of(data, size), &why);
    if (!policy) {
        fuzz::require(policy.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        return 0;
    }
    fuzz::require(static_cast<bool>(validate(policy.value())), "an accepted policy fails validate");
    const std::string text = policy_to_json(policy.value());
    auto again = policy_from_json(text, &why);
    fuzz::require(static_cast<bool>(again),
                  "policy_to_json's text is refused: " + why.field + ": " + why.problem);
    fuzz::require(again.value() == policy.value(), "the policy changed on a round trip");
    fuzz::require(policy_to_json(again.value()) == text, "policy_to_json is not canonical");
    return 0;
}
