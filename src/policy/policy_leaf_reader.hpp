#pragma once

// The leaf readers of a policy document: objects of fixed keys, booleans, texts, times, names and
// sets of names from a table, bounded integers, windows and money, each refusing what is wrong
// with the field at fault. The readers of the document's sections (policy_reader.cpp) are built
// on them. Private to the policy layer.

#include <calltrack/policy.hpp>

#include "policy_document.hpp"
#include "policy_json.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/model_names.hpp>
#include <calltrack/detail/policy_names.hpp>
#include <calltrack/detail/suggest.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack::policy_detail {

using detail::describe_type;
using detail::in_quotes;
using detail::indexed;
using detail::join;
using detail::Named;
using detail::quoted_list;
using detail::suggest;
using detail::value_named;

class LeafReader {
  public:
    explicit LeafReader(PolicyDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    bool refuse(errc code, const std::string& field, std::string problem) {
        if (error_ == errc{}) {
            error_ = code;
            (void)policy_detail::refuse(diagnostic_, code, field, std::move(problem));
        }
        return false;
    }

    bool wrong_type(const Json& j, const std::string& field, std::string_view expected) {
        return refuse(errc::policy_invalid_value, field,
                      "expected " + std::string(expected) + ", got " + describe_type(j));
    }

    /// `j` must be an object with exactly `keys`: unknown keys are refused first, then missing
    /// ones.
    template <class Keys>
    bool object(const Json& j, const std::string& path, const Keys& keys) {
        if (!j.is_object()) return wrong_type(j, path, "an object");
        if (const auto unknown = detail::first_unknown_key(j, keys)) {
            return refuse(errc::policy_unknown_key, join(path, *unknown),
                          detail::unknown_key_problem(*unknown, keys));
        }
        if (const auto missing = detail::first_missing_key(j, keys)) {
            return refuse(errc::policy_invalid_value, join(path, *missing),
                          "missing key " + in_quotes(*missing) + "; every policy key is required");
        }
        return true;
    }
    bool object(const Json& j, const std::string& path, std::initializer_list<std::string> keys) {
        return object<std::initializer_list<std::string>>(j, path, keys);
    }

    bool boolean(const Json& j, const std::string& path, bool& out) {
        if (!j.is_boolean()) return wrong_type(j, path, "true or false");
        out = j.get<bool>();
        return true;
    }

    bool text(const Json& j, const std::string& path, std::string& out) {
        if (!j.is_string()) return wrong_type(j, path, "a string");
        out = j.get<std::string>();
        return true;
    }

    bool optional_text(const Json& j, const std::string& path, std::optional<std::string>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_string()) return wrong_type(j, path, "a string or null");
        out = j.get<std::string>();
        return true;
    }

    bool optional_time(const Json& j, const std::string& path, std::optional<Time>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_string()) {
            return wrong_type(j, path, "a UTC time such as \"2020-10-01T00:00:00Z\" or null");
        }
        const auto& s = j.get_ref<const std::string&>();
        auto parsed = parse_time(s);
        if (!parsed) {
            return refuse(errc::policy_invalid_value, path,
                          "expected a UTC time such as \"2020-10-01T00:00:00Z\" or null, got "
                              + in_quotes(s));
        }
        out = parsed.value();
        return true;
    }

    bool strings(const Json& j, const std::string& path, std::vector<std::string>& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of strings");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            std::string s;
            if (!text(j[i], indexed(path, i), s)) return false;
            out.push_back(std::move(s));
        }
        return true;
    }

    /// One of the values of `names`, written as its name.
    template <class T, std::size_t N>
    bool name(const Json& j, const std::string& path, const std::array<Named<T>, N>& names,
              T& out) {
        std::vector<std::string_view> spellings;
        for (const auto& entry : names) spellings.push_back(entry.name);
        if (!j.is_string()) return wrong_type(j, path, "one of " + quoted_list(spellings));
        const auto& s = j.get_ref<const std::string&>();
        if (const auto v = value_named(names, s)) {
            out = *v;
            return true;
        }
        return refuse(errc::policy_invalid_value, path,
                      "unknown value " + in_quotes(s) + "; " + suggest(s, spellings));
    }

    /// A set of names from `names`, each at most once.
    template <class Set, class T, std::size_t N>
    bool name_set(const Json& j, const std::string& path, const std::array<Named<T>, N>& names,
                  Set& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of names");
        out = Set{};
        for (std::size_t i = 0; i < j.size(); ++i) {
            T v{};
            if (!name(j[i], indexed(path, i), names, v)) return false;
            if (out.contains(v)) {
                return refuse(errc::policy_invalid_value, indexed(path, i),
                              in_quotes(to_string(v)) + " is listed twice");
            }
            out.insert(v);
        }
        return true;
    }

    /// A whole number that fits in [low, high].
    bool integer(const Json& j, const std::string& path, std::int64_t low, std::int64_t high,
                 std::int64_t& out) {
        const auto range = "a whole number from " + std::to_string(low) + " to "
                           + std::to_string(high) + ", got " + j.dump();
        if (!j.is_number_integer()) {
            if (j.is_number())
                return refuse(errc::policy_invalid_value, path,
                              "expected " + range + ", " + describe_type(j));
            return wrong_type(j, path, "a whole number");
        }
        if (j.is_number_unsigned()) {
            const auto u = j.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(high)) {
                return refuse(errc::policy_invalid_value, path, "expected " + range);
            }
            out = static_cast<std::int64_t>(u);
        } else {
            out = j.get<std::int64_t>();
        }
        if (out < low || out > high) {
            return refuse(errc::policy_invalid_value, path, "expected " + range);
        }
        return true;
    }

    bool window(const Json& j, const std::string& path, Window& out) {
        constexpr std::string_view expected =
            "\"not_offered\", \"unlimited\", {\"days\": N} or {\"local_days\": N}";
        if (j.is_string()) {
            const auto& s = j.get_ref<const std::string&>();
            if (s == "not_offered") {
                out = Window::not_offered();
                return true;
            }
            if (s == "unlimited") {
                out = Window::unlimited();
                return true;
            }
            return refuse(errc::policy_invalid_value, path,
                          "expected " + std::string(expected) + ", got " + in_quotes(s));
        }
        if (!j.is_object()) return wrong_type(j, path, expected);
        // Exact days and local calendar days are two kinds, never one object with both keys.
        const bool local = j.size() == 1 && j.contains("local_days");
        const char* key = local ? "local_days" : "days";
        if (!object(j, path, {key})) return false;
        std::int64_t days = 0;
        // Negative days are read here and refused by validate(), which names the same field.
        if (!integer(j[key], join(path, key), std::numeric_limits<std::int32_t>::min(),
                     std::numeric_limits<std::int32_t>::max(), days)) {
            return false;
        }
        const auto n = static_cast<std::int32_t>(days);
        out = local ? Window::local_days(n) : Window::days(n);
        return true;
    }

    bool money(const Json& j, const std::string& path, std::optional<Money>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_object()) {
            return wrong_type(j, path, "{\"minor_units\": N, \"currency\": \"USD\"} or null");
        }
        if (!object(j, path, {"minor_units", "currency"})) return false;
        std::int64_t minor = 0;
        std::string code;
        if (!integer(j["minor_units"], join(path, "minor_units"),
                     std::numeric_limits<std::int64_t>::min(),
                     std::numeric_limits<std::int64_t>::max(), minor)
            || !text(j["currency"], join(path, "currency"), code)) {
            return false;
        }
        auto currency = Currency::parse(code);
        if (!currency) {
            return refuse(errc::policy_invalid_value, join(path, "currency"),
                          "expected an ISO 4217 code of three upper-case letters such as "
                          "\"USD\", got "
                              + in_quotes(code));
        }
        out = Money(minor, currency.value());
        return true;
    }

  private:
    PolicyDiagnostic* diagnostic_;
    errc error_{};
};

}  // namespace calltrack::policy_detail
