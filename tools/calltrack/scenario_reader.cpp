// The scenario reader's first-error bookkeeping, its readers of plain values (text, times, names,
// charges, ids, commands). They know nothing of what a scenario holds, and the readers of steps
// and expectations are built on them, so they sit apart from both.

#include "scenario_reader.hpp"

#include <calltrack/json.hpp>

#include <algorithm>

namespace calltrack::cli::scenario_reader {

bool Parser::refuse(errc code, const std::string& field, std::string problem) {
    return refuse(code, field, location_, std::move(problem));
}
bool Parser::refuse(errc code, const std::string& field, const std::string& location,
                    std::string problem) {
    if (error_ == errc{}) {
        error_ = code;
        if (diagnostic_ != nullptr) {
            diagnostic_->field = field;
            diagnostic_->location = location;
            diagnostic_->problem = std::move(problem);
        }
    }
    return false;
}
bool Parser::invalid(const std::string& field, std::string problem) {
    return refuse(errc::json_invalid_field, field, std::move(problem));
}
bool Parser::wrong_type(const Json& j, const std::string& field, std::string_view expected) {
    return invalid(field, "expected " + std::string(expected) + ", got " + describe_type(j));
}

bool Parser::only_keys(const Json& j, const std::string& path,
                       std::initializer_list<std::string> keys) {
    const auto unknown = detail::first_unknown_key(j, keys);
    if (!unknown) return true;
    return refuse(errc::json_unknown_field, join(path, *unknown),
                  detail::unknown_key_problem(*unknown, keys));
}

bool Parser::text(const Json& j, const std::string& field, std::string& out) {
    if (!j.is_string()) return wrong_type(j, field, "a string");
    out = j.get<std::string>();
    return true;
}

bool Parser::time(const Json& j, const std::string& field, Time& out) {
    if (!j.is_string()) return wrong_type(j, field, "a UTC time such as \"2024-03-01T09:00:00Z\"");
    const auto& s = j.get_ref<const std::string&>();
    auto parsed = parse_time(s);
    if (!parsed) return invalid(field, parsed.error().message() + "; got " + in_quotes(s));
    out = parsed.value();
    return true;
}

bool Parser::name(const Json& j, const std::string& field, const std::vector<std::string>& names,
                  std::string_view what, std::string& out) {
    if (!j.is_string()) return wrong_type(j, field, "a " + std::string(what) + " name");
    const auto& s = j.get_ref<const std::string&>();
    if (std::find(names.begin(), names.end(), s) == names.end()) {
        return invalid(
            field, "unknown " + std::string(what) + " " + in_quotes(s) + "; " + suggest(s, names));
    }
    out = s;
    return true;
}

bool Parser::names(const Json& j, const std::string& field, const std::vector<std::string>* allowed,
                   std::string_view what, std::vector<std::string>& out) {
    if (!j.is_array()) return wrong_type(j, field, "an array of " + std::string(what) + " names");
    out.clear();
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string s;
        if (allowed != nullptr) {
            if (!name(j[i], indexed(field, i), *allowed, what, s)) return false;
        } else if (!text(j[i], indexed(field, i), s)) {
            return false;
        }
        out.push_back(std::move(s));
    }
    return true;
}

bool Parser::charges(const Json& j, const std::string& field, Charges& out) {
    if (!j.is_array()) return wrong_type(j, field, "an array of charge names");
    std::vector<std::string> known;
    for (const Charge c : all_charges) known.emplace_back(to_string(c));
    out = Charges{};
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string s;
        if (!name(j[i], indexed(field, i), known, "charge", s)) return false;
        for (const Charge c : all_charges) {
            if (to_string(c) == s) out.insert(c);
        }
    }
    return true;
}

bool Parser::command(const Json& j, const std::string& field, Command& out) {
    if (!j.is_object()) {
        return wrong_type(j, field,
                          "a command object such as {\"command\": \"cancel_account\", ...}");
    }
    JsonDiagnostic d;
    auto parsed = command_from_json(j.dump(), &d);
    if (!parsed) {
        return refuse(static_cast<errc>(parsed.error().value()),
                      d.field.empty() ? field : join(field, d.field), d.problem);
    }
    out = std::move(parsed).value();
    return true;
}

}  // namespace calltrack::cli::scenario_reader
