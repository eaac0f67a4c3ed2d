// The members of Reader that are not templates: the refusals, and the leaves (booleans, strings,
// ids read by calltrack's own parsers, money, charge sets, scopes, balance owners, objects of
// fixed keys, whole numbers), and the parsing of a text into a document. Apart from reader.hpp so
// that they are compiled once, whatever instantiates the reader's templates.

#include "reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::codec_detail {

bool Reader::refuse(errc code, const std::string& field, std::string problem) {
    if (error_ == errc{}) {
        error_ = code;
        if (diagnostic_ != nullptr) {
            diagnostic_->field = field;
            diagnostic_->problem = std::move(problem);
        }
    }
    return false;
}

bool Reader::wrong_type(const Json& j, const std::string& path, std::string_view expected) {
    return refuse(errc::json_invalid_field, path,
                  "expected " + std::string(expected) + ", got " + describe_type(j));
}

bool Reader::value(const Json& j, const std::string& path, bool& out) {
    if (!j.is_boolean()) return wrong_type(j, path, "true or false");
    out = j.get<bool>();
    return true;
}

bool Reader::value(const Json& j, const std::string& path, std::string& out) {
    if (!j.is_string()) return wrong_type(j, path, "a string");
    out = j.get<std::string>();
    return true;
}

bool Reader::value(const Json& j, const std::string& path, PhoneNumber& out) {
    return parsed(j, path, "a phone number string such as \"+14045550123\"", &PhoneNumber::parse,
                  out);
}

bool Reader::value(const Json& j, const std::string& path, Time& out) {
    return parsed(j, path, "a UTC time string such as \"2020-09-15T10:00:00Z\"", &parse_time, out);
}

bool Reader::value(const Json& j, const std::string& path, Currency& out) {
    return parsed(j, path, "a currency code string such as \"USD\"", &Currency::parse, out);
}

bool Reader::value(const Json& j, const std::string& path, TimeZone& out) {
    return parsed(j, path, "an IANA time zone name such as \"America/New_York\"", &TimeZone::parse,
                  out);
}

bool Reader::value(const Json& j, const std::string& path, Role& out) {
    return parsed(j, path, "a role name string", &parse_role, out);
}

bool Reader::value(const Json& j, const std::string& path, NumberSource& out) {
    return parsed(j, path, "\"onsite_dynamic\" or \"offsite\"", &parse_number_source, out);
}

bool Reader::value(const Json& j, const std::string& path, SurveyOutcome& out) {
    return parsed(j, path, "\"keep_account\", \"book_meeting\" or \"confirm\"",
                  &parse_survey_outcome, out);
}

bool Reader::value(const Json& j, const std::string& path, Money& out) {
    if (!j.is_object()) {
        return wrong_type(j, path, "{\"minor_units\": N, \"currency\": \"USD\"}");
    }
    if (!object(j, path, {"minor_units", "currency"})) return false;
    std::int64_t minor = 0;
    Currency currency;
    if (!integer(j["minor_units"], join(path, "minor_units"), minor)
        || !value(j["currency"], join(path, "currency"), currency)) {
        return false;
    }
    out = Money(minor, currency);
    return true;
}

bool Reader::value(const Json& j, const std::string& path, Charges& out) {
    if (!j.is_array()) return wrong_type(j, path, "an array of charge names");
    out = Charges{};
    for (std::size_t i = 0; i < j.size(); ++i) {
        Charge c{};
        if (!value(j[i], indexed(path, i), c)) return false;
        if (out.contains(c)) {
            return refuse(errc::json_invalid_field, indexed(path, i),
                          in_quotes(to_string(c)) + " is listed twice");
        }
        out.insert(c);
    }
    return true;
}

bool Reader::value(const Json& j, const std::string& path, Scope& out) {
    constexpr std::string_view expected = "{\"account\": id}, {\"agency\": id} or \"platform\"";
    if (j.is_string()) {
        if (j.get_ref<const std::string&>() == "platform") {
            out = Platform{};
            return true;
        }
        return refuse(errc::json_invalid_field, path,
                      "expected " + std::string(expected) + ", got "
                          + in_quotes(j.get_ref<const std::string&>()));
    }
    if (!j.is_object()) return wrong_type(j, path, expected);
    return subject(j, path, out);
}

bool Reader::value(const Json& j, const std::string& path, BalanceOwner& out) {
    if (!j.is_object()) return wrong_type(j, path, "{\"account\": id} or {\"agency\": id}");
    return subject(j, path, out);
}

namespace {

/// What calltrack wrote for every effect kind before each kind had its own members; still read, so
/// that an outbox or a receipt written then stays readable.
bool written_for_every_kind(const std::string& key, const Json& value) {
    return (key == "charges" && value.is_array() && value.empty())
           || (key == "carrier_level" && value.is_boolean() && !value.get<bool>());
}

}  // namespace

bool Reader::value(const Json& j, const std::string& path, HostEffect& out) {
    if (!j.is_object()) return wrong_type(j, path, "an object");
    if (!j.contains("effect")) {
        return refuse(errc::json_invalid_field, join(path, "effect"),
                      "missing key \"effect\"; it is required");
    }
    if (!members(j, path, {}, out)) return false;
    const auto& kind = members_of(out.kind);
    const std::string kind_name(to_string(out.kind));
    for (const auto& [key, value] : j.items()) {
        if (key == "effect" || value.is_null() || kind.has(key)
            || written_for_every_kind(key, value)) {
            continue;
        }
        std::string expected;
        for (const auto k : kind.keys) expected += (expected.empty() ? "" : ", ") + in_quotes(k);
        return refuse(errc::json_invalid_field, join(path, key),
                      in_quotes(key) + " does not apply to a " + kind_name + " effect, which has "
                          + expected);
    }
    const auto given = [&](std::string_view key) {
        const auto found = j.find(std::string(key));
        return found != j.end() && !found->is_null();
    };
    for (const auto key : kind.required) {
        if (!given(key)) {
            return refuse(
                errc::json_invalid_field, join(path, std::string(key)),
                "missing key " + in_quotes(key) + "; a " + kind_name + " effect needs it");
        }
    }
    if (kind.needs_owner && given("account") == given("agency")) {
        return refuse(
            errc::json_invalid_field, join(path, "account"),
            "a " + kind_name + " effect has exactly one owner: \"account\" or \"agency\"");
    }
    return true;
}

bool Reader::object(const Json& j, const std::string& path,
                    std::initializer_list<std::string> keys) {
    if (!j.is_object()) return wrong_type(j, path, "an object");
    if (!only_keys(j, path, keys)) return false;
    if (const auto missing = detail::first_missing_key(j, keys)) {
        return refuse(errc::json_invalid_field, join(path, *missing),
                      "missing key " + in_quotes(*missing) + "; it is required");
    }
    return true;
}

bool Reader::integer(const Json& j, const std::string& path, std::int64_t& out) {
    if (!j.is_number_integer()) {
        if (j.is_number_float() && std::trunc(j.get<double>()) == j.get<double>()) {
            // 1e3, 1.0 or a whole number beyond 64 bits: say which, and the range.
            return refuse(errc::json_invalid_field, path,
                          "expected a whole number that fits in 64 bits, got " + j.dump() + ", "
                              + describe_type(j));
        }
        return wrong_type(j, path, "a whole number");
    }
    if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return refuse(errc::json_invalid_field, path,
                          "expected a whole number that fits in 64 bits, got " + j.dump());
        }
        out = static_cast<std::int64_t>(u);
    } else {
        out = j.get<std::int64_t>();
    }
    return true;
}

std::optional<Json> parse_document(std::string_view text, Reader& reader) {
    Json document;
    if (const auto failure = detail::parse_document(text, document)) {
        using Kind = detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                reader.refuse(errc::json_malformed, "", "not valid JSON: " + failure->problem);
                break;
            case Kind::number_out_of_range:
                reader.refuse(errc::json_invalid_field, failure->field, failure->problem);
                break;
            case Kind::duplicate_key:
                reader.refuse(errc::json_malformed, failure->field, failure->problem);
                break;
        }
        return std::nullopt;
    }
    return document;
}

}  // namespace calltrack::codec_detail
