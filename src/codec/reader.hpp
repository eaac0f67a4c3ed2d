#pragma once

// The reader: Reader, which reads any type the codec knows from a document and names the first
// field at fault, and read_document() and read_record(), which parse a text and read it. Apart from
// the writer because reading is where a document can be wrong; a header because the templates are
// instantiated for each record, command and event where the entry points (json.cpp) call them.

#include "codec.hpp"
#include "fields.hpp"
#include "names.hpp"

#include <calltrack/detail/suggest.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack::codec_detail {

using detail::suggest;

/// Every reader returns false after recording what is wrong and where; the first refusal is the
/// one reported.
class Reader {
  public:
    explicit Reader(JsonDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    bool refuse(errc code, const std::string& field, std::string problem);
    bool wrong_type(const Json& j, const std::string& path, std::string_view expected);

    // Leaves.

    bool value(const Json& j, const std::string& path, bool& out);
    bool value(const Json& j, const std::string& path, std::string& out);

    /// Text read by one of calltrack's own parsers, whose errc message becomes the problem.
    template <class T, class Parse>
    bool parsed(const Json& j, const std::string& path, std::string_view expected, Parse parse,
                T& out) {
        if (!j.is_string()) return wrong_type(j, path, expected);
        const auto& text = j.get_ref<const std::string&>();
        auto parsed_value = parse(text);
        if (!parsed_value) {
            // The parser's own message says what is wrong: "the phone number must start with
            // '+' ...".
            return refuse(errc::json_invalid_field, path,
                          parsed_value.error().message() + "; got " + in_quotes(text));
        }
        out = std::move(parsed_value).value();
        return true;
    }

    template <class IdTag>
    bool value(const Json& j, const std::string& path, StrongId<IdTag>& out) {
        return parsed(j, path, "an id string", &StrongId<IdTag>::parse, out);
    }
    bool value(const Json& j, const std::string& path, PhoneNumber& out);
    bool value(const Json& j, const std::string& path, Time& out);
    bool value(const Json& j, const std::string& path, Currency& out);
    bool value(const Json& j, const std::string& path, TimeZone& out);
    bool value(const Json& j, const std::string& path, Role& out);
    bool value(const Json& j, const std::string& path, NumberSource& out);
    bool value(const Json& j, const std::string& path, SurveyOutcome& out);

    /// One of the enumeration's values, by its to_string name.
    template <class E, std::enable_if_t<has_values<E>::value, int> = 0>
    bool value(const Json& j, const std::string& path, E& out) {
        const auto& values = values_of(Tag<E>{});
        std::vector<std::string_view> names;
        for (const E v : values) names.push_back(to_string(v));
        if (!j.is_string()) return wrong_type(j, path, "a name string");
        const auto& text = j.get_ref<const std::string&>();
        for (const E v : values) {
            if (to_string(v) == text) {
                out = v;
                return true;
            }
        }
        return refuse(errc::json_invalid_field, path,
                      "unknown value " + in_quotes(text) + "; " + suggest(text, names));
    }

    bool value(const Json& j, const std::string& path, Money& out);
    /// An array of charge names, each at most once.
    bool value(const Json& j, const std::string& path, Charges& out);
    bool value(const Json& j, const std::string& path, Scope& out);
    bool value(const Json& j, const std::string& path, BalanceOwner& out);
    /// An effect: its kind, then only the members of that kind (members_of()), each it needs.
    bool value(const Json& j, const std::string& path, HostEffect& out);

    template <class T>
    bool value(const Json& j, const std::string& path, std::vector<T>& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            T item = blank(Tag<T>{});
            if (!value(j[i], indexed(path, i), item)) return false;
            out.push_back(std::move(item));
        }
        return true;
    }

    // Records.

    template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
    bool value(const Json& j, const std::string& path, T& out) {
        return members(j, path, {}, out);
    }

    /// The members of `out`, from an object that may also hold the key `discriminator`.
    template <class T>
    bool members(const Json& j, const std::string& path, std::string_view discriminator, T& out) {
        if (!j.is_object()) return wrong_type(j, path, "an object");
        const auto fields = T::fields();
        std::vector<std::string_view> keys;
        std::apply([&](const auto&... f) { (keys.push_back(key_of(f)), ...); }, fields);
        if (!only_keys(j, path, keys, discriminator)) return false;
        return std::apply([&](const auto&... f) { return (member(j, path, f, out) && ...); },
                          fields);
    }

    template <class T, class M>
    bool member(const Json& j, const std::string& path, const Field<T, M>& f, T& out) {
        M& m = out.*(f.member);
        const std::string key(key_of(f));
        const std::string where = join(path, key);
        const auto found = j.find(key);
        if (found == j.end() || (is_optional<M>::value && found->is_null())) {
            if constexpr (may_be_left_out<M> || every_key_may_be_left_out<T>) {
                m = M{};
                return true;
            } else {
                return refuse(errc::json_invalid_field, where,
                              "missing key " + in_quotes(key) + "; it is required");
            }
        }
        if constexpr (is_optional<M>::value) {
            auto v = blank(Tag<typename M::value_type>{});
            if (!value(*found, where, v)) return false;
            m = std::move(v);
            return true;
        } else {
            return value(*found, where, m);
        }
    }

    /// Refuses the first key of the object `j` that is not one of `keys` (nor `also`).
    template <class Keys>
    bool only_keys(const Json& j, const std::string& path, const Keys& keys,
                   std::string_view also = {}) {
        const auto unknown = detail::first_unknown_key(j, keys, also);
        if (!unknown) return true;
        return refuse(errc::json_unknown_field, join(path, *unknown),
                      detail::unknown_key_problem(*unknown, keys));
    }

    /// An object with every listed key and no other. Defaults stay on failure: callers return.
    bool object(const Json& j, const std::string& path, std::initializer_list<std::string> keys);

    bool integer(const Json& j, const std::string& path, std::int64_t& out);

    /// {"account": id} or {"agency": id}: whose balance, or where a grant applies.
    template <class Subject>
    bool subject(const Json& j, const std::string& path, Subject& out) {
        const std::initializer_list<std::string> keys = {"account", "agency"};
        if (!only_keys(j, path, keys)) return false;
        if (j.size() != 1) {
            return refuse(errc::json_invalid_field, path,
                          "expected exactly one of \"account\" or \"agency\", got "
                              + std::to_string(j.size()) + " keys");
        }
        if (j.contains("account")) {
            AccountId id;
            if (!value(j["account"], join(path, "account"), id)) return false;
            out = std::move(id);
        } else {
            AgencyId id;
            if (!value(j["agency"], join(path, "agency"), id)) return false;
            out = std::move(id);
        }
        return true;
    }

    /// The alternative of `Variant` that the discriminator names (`names` in variant order).
    template <class Variant, std::size_t N>
    bool alternative(const Json& j, std::string_view discriminator, std::string_view what,
                     const std::array<std::string_view, N>& names, Variant& out) {
        static_assert(N == std::variant_size_v<Variant>);
        if (!j.is_object()) return wrong_type(j, "", "an object");
        const std::string key(discriminator);
        const auto found = j.find(key);
        if (found == j.end()) {
            return refuse(errc::json_invalid_field, key,
                          "missing key " + in_quotes(key) + " naming the " + std::string(what));
        }
        if (!found->is_string()) {
            return wrong_type(*found, key, "the " + std::string(what) + " name as a string");
        }
        const auto& name = found->get_ref<const std::string&>();
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) {
            return refuse(errc::json_invalid_field, key,
                          "unknown " + std::string(what) + " " + in_quotes(name) + "; "
                              + suggest(name, names));
        }
        const auto index = static_cast<std::size_t>(at - names.begin());
        return alternative_at(j, discriminator, index, out,
                              std::make_index_sequence<std::variant_size_v<Variant>>{});
    }

  private:
    template <class Variant, std::size_t... I>
    bool alternative_at(const Json& j, std::string_view discriminator, std::size_t index,
                        Variant& out, std::index_sequence<I...>) {
        bool ok = false;
        (void)((index == I ? (ok = read_alternative<I>(j, discriminator, out), true) : false)
               || ...);
        return ok;
    }
    template <std::size_t I, class Variant>
    bool read_alternative(const Json& j, std::string_view discriminator, Variant& out) {
        using T = std::variant_alternative_t<I, Variant>;
        T alternative_value = blank(Tag<T>{});
        if (!members(j, "", discriminator, alternative_value)) return false;
        out.template emplace<I>(std::move(alternative_value));
        return true;
    }

    JsonDiagnostic* diagnostic_;
    errc error_{};
};

/// The document; nullopt after the reader refused it, naming where it breaks: json_malformed for
/// text that is not JSON or repeats a key, json_invalid_field for a number beyond a double.
std::optional<Json> parse_document(std::string_view text, Reader& reader);

/// Parses `text` and reads a T from it with `read`.
template <class T, class Read>
result<T> read_document(std::string_view text, JsonDiagnostic* diagnostic, T initial, Read read) {
    Reader reader(diagnostic);
    const auto document = parse_document(text, reader);
    if (!document) return reader.error();
    T out = std::move(initial);
    if (!read(reader, *document, out)) return reader.error();
    return out;
}

template <class T>
result<T> read_record(std::string_view text, JsonDiagnostic* diagnostic) {
    return read_document(
        text, diagnostic, blank(Tag<T>{}),
        [](Reader& reader, const Json& j, T& out) { return reader.value(j, "", out); });
}

}  // namespace calltrack::codec_detail
