#pragma once

// What the overlay resolution (policy_overlay.cpp) asks of the reader (policy_reader.cpp): the
// text of one document parsed, and a whole document read into a Policy. Apart from
// policy_json.hpp because only these two files see nlohmann; validation never does.

#include <calltrack/policy.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace calltrack::policy_detail {

using Json = nlohmann::ordered_json;

/// Parses one document's text into `out`, refusing what is not JSON, a key given twice and a
/// number beyond a double, each named by its path.
result<void> parse_policy_text(std::string_view text, Json& out, PolicyDiagnostic* diagnostic);

/// Reads a whole document, with no "extends", into `out`: unknown keys are refused first, then
/// missing ones, then values of the wrong type or name. Not validated.
result<void> read_policy(const Json& document, Policy& out, PolicyDiagnostic* diagnostic);

}  // namespace calltrack::policy_detail
