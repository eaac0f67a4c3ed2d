#pragma once

// What the program's printers share (report.cpp, report_records.cpp): calltrack's own JSON nested
// as values, the JSON text they print, and one line per event or effect. Private to the program.

#include <calltrack/effect.hpp>
#include <calltrack/event.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack::cli::report_detail {

using Json = nlohmann::ordered_json;

/// calltrack's own canonical JSON text, as a value to nest.
Json nested(const std::string& text);
Json events_json(const std::vector<Event>& events);
Json effects_json(const std::vector<HostEffect>& effects);
/// The document as printed: indented by two, invalid UTF-8 replaced, a newline at the end.
std::string dump(const Json& j);
/// "  <tag><describe(x)>" for each event or effect.
void lines(std::ostream& out, std::string_view tag, const std::vector<Event>& events);
void lines(std::ostream& out, std::string_view tag, const std::vector<HostEffect>& effects);

}  // namespace calltrack::cli::report_detail
