#pragma once

// The scenario reader, shared by the files that hold its parts: the Parser, which keeps the first
// thing wrong; its refusals end with the library's suggester (calltrack/detail/suggest.hpp), so a
// scenario and a command say the same about the same misspelling. The reader stays one class
// because every part refuses through the same first-error bookkeeping; its members are defined in
// three files, by what they read (plain values, the document and its steps, expectations), because
// the steps and the expectations are each long enough to read on their own.

#include "scenario.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/suggest.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack::cli::scenario_reader {

using Json = nlohmann::ordered_json;
using calltrack::detail::describe_type;
using calltrack::detail::in_quotes;
using calltrack::detail::indexed;
using calltrack::detail::join;
using calltrack::detail::suggest;

/// Reads the document; every method returns false after recording the first thing wrong.
class Parser {
  public:
    explicit Parser(ScenarioDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    /// The entry the parser is reading now ("step 3", "setup 1", "actor alice"), named in every
    /// refusal; empty outside the entries.
    void locate(std::string location) { location_ = std::move(location); }

    // --- the first thing wrong, and plain values (scenario_reader.cpp) ------------------------

    bool refuse(errc code, const std::string& field, std::string problem);
    bool refuse(errc code, const std::string& field, const std::string& location,
                std::string problem);
    bool invalid(const std::string& field, std::string problem);
    bool wrong_type(const Json& j, const std::string& field, std::string_view expected);
    /// Every key of `j` is one of `keys`.
    bool only_keys(const Json& j, const std::string& path, std::initializer_list<std::string> keys);
    bool text(const Json& j, const std::string& field, std::string& out);
    bool time(const Json& j, const std::string& field, Time& out);
    /// One of `names`.
    bool name(const Json& j, const std::string& field, const std::vector<std::string>& names,
              std::string_view what, std::string& out);
    bool names(const Json& j, const std::string& field, const std::vector<std::string>* allowed,
               std::string_view what, std::vector<std::string>& out);
    bool charges(const Json& j, const std::string& field, Charges& out);

    template <class Id>
    bool id(const std::string& text_value, const std::string& field, Id& out) {
        auto parsed = Id::parse(text_value);
        if (!parsed) {
            return invalid(field, parsed.error().message() + "; got " + in_quotes(text_value));
        }
        out = std::move(parsed).value();
        return true;
    }

    /// A command object, read by calltrack's own command reader; its diagnostic's field is put
    /// under `field`.
    bool command(const Json& j, const std::string& field, Command& out);

    // --- the document (scenario_steps.cpp) ---------------------------------------------------

    bool scenario(const Json& j, Scenario& out);
    bool policy(const Json& j, PolicySource& out);
    bool actors(const Json& j, std::vector<ActorSpec>& out);
    bool setup(const Json& j, std::vector<SetupEntry>& out);
    /// Each declared grant becomes a GrantRole command, run as support after the file's setup.
    bool grants_as_setup(const std::vector<ActorSpec>& actors, std::vector<SetupEntry>& out);
    bool steps(const Json& j, Scenario& out);
    bool step(const Json& j, const Scenario& scenario, Time previous, Step& s);
    static bool is_declared(const Scenario& scenario, const std::string& name);

    // --- expectations (scenario_expectations.cpp) --------------------------------------------

    bool expectation(const Json& j, const std::string& path, Step::Kind kind, Expectation& out);
    /// The optional key `key` of `object`: absent leaves `out` empty, present must be one of
    /// `names`.
    bool optional_name(const Json& object, const std::string& path, const char* key,
                       const std::vector<std::string>& names, std::string_view what,
                       std::optional<std::string>& out);
    bool optional_charges(const Json& object, const std::string& path, std::optional<Charges>& out);
    bool accounts(const Json& j, const std::string& path, Expectation& out);
    bool agencies(const Json& j, const std::string& path, Expectation& out);
    bool numbers(const Json& j, const std::string& path, Expectation& out);

  private:
    ScenarioDiagnostic* diagnostic_;
    errc error_{};
    std::string location_;
};

}  // namespace calltrack::cli::scenario_reader
