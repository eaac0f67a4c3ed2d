// The record readers (what a store keeps in a column: accounts, agencies, tracking numbers, a
// user's grants) on any text. The first byte picks the reader. Never crashes; what a reader
// accepts writes back as canonical text that reads back to the same record.
#include "fuzz_support.hpp"

#include <calltrack/json.hpp>

namespace {

template <class Read>
void round_trip(std::string_view text, Read read, const char* what) {
    using namespace calltrack;
    JsonDiagnostic why;
    auto value = read(text, &why);
    if (!value) {
        fuzz::require(value.error().category() == calltrack_category(),
                      "a refusal outside calltrack's category");
        return;
    }
    const std::string written = to_json(value.value());
    auto again = read(written, &why);
    fuzz::require(static_cast<bool>(again), std::string(what) + ": to_json's text is refused: "
                                                + written + ": " + why.field + ": " + why.problem);
    fuzz::require(again.value() == value.value() && to_json(again.value()) == written,
                  std::string(what) + " changed on a round trip: " + written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    if (size == 0) return 0;
    const auto text = fuzz::text_of(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            round_trip(
                text, [](std::string_view t, JsonDiagnostic* d) { return account_from_json(t, d); },
                "account");
            break;
        case 1:
            round_trip(
                text, [](std::string_view t, JsonDiagnostic* d) { return agency_from_json(t, d); },
                "agency");
            break;
        case 2:
            round_trip(
                text, [](std::string_view t, JsonDiagnostic* d) { return number_from_json(t, d); },
                "tracking number");
            break;
        default:
            round_trip(
                text, [](std::string_view t, JsonDiagnostic* d) { return grants_from_json(t, d); },
                "grants");
            break;
    }
    return 0;
}
