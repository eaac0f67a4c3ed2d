// The effect reader on any text: never crashes; what it accepts writes back as canonical text that
// reads back to the same value, holds what its kind needs (typed() does not throw) and nothing
// of another kind (untyped(typed()) gives it back).
#include "fuzz_support.hpp"

#include <calltrack/json.hpp>
#include <calltrack/typed_effect.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    JsonDiagnostic why;
    auto value = effect_from_json(fuzz::text_of(data, size), &why);
    if (!value) {
        fuzz::require(value.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        return 0;
    }
    const std::string text = to_json(value.value());
    auto again = effect_from_json(text, &why);
    fuzz::require(static_cast<bool>(again),
                  "to_json's text is refused: " + text + ": " + why.field + ": " + why.problem);
    fuzz::require(again.value() == value.value() && to_json(again.value()) == text,
                  "the effect changed on a round trip: " + text);
    fuzz::require(untyped(typed(value.value())) == value.value(),
                  "the effect holds a member its kind does not have: " + text);
    return 0;
}
