#pragma once

// The writer of the canonical text: TextWriter, and write_text() and write_alternative() for
// records and for commands and events. Apart from the reader because writing cannot fail and
// shares nothing with reading but the field lists; a header because its templates are
// instantiated for each record where the entry points (json.cpp) call them.

#include "codec.hpp"
#include "fields.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

namespace calltrack::codec_detail {

/// Writes the canonical text straight into a string, without building an nlohmann document
/// first: the bytes are exactly what dump() gives for the document with the same members
/// (compact, keys in the field lists' order, empty optionals left out), which is how the text
/// was made before, at a fraction of the allocations. A string
/// that needs escaping, or holds anything but printable ASCII, goes through nlohmann's own
/// serialiser, so escaping and the replacement of invalid UTF-8 stay nlohmann's to the byte.
/// The tests check the text against nlohmann's dump of it.
class TextWriter {
  public:
    /// `with_times` false leaves out every member that is a time (the impact text, impact.hpp).
    explicit TextWriter(std::string& out, bool with_times = true)
        : out_(out), with_times_(with_times) {}

    void string(std::string_view s);
    void integer(std::int64_t v);

    void value(bool b) { out_ += b ? "true" : "false"; }
    void value(const std::string& s) { string(s); }
    template <class IdTag>
    void value(const StrongId<IdTag>& id) {
        string(id.str());
    }
    void value(const PhoneNumber& n) { string(n.e164()); }
    void value(Time t) { string(format_time(t)); }
    void value(Currency c) { string(c.code()); }
    void value(const TimeZone& zone) { string(zone.name()); }
    void value(const Role& r) { string(r.str()); }
    void value(const Money& m);
    void value(Charges charges);
    void value(const Scope& scope);
    void value(const BalanceOwner& owner);
    /// Only the members of the effect's kind (members_of()), each as a record's member.
    void value(const HostEffect& effect);
    template <class IdTag>
    void subject(std::string_view key, const StrongId<IdTag>& id) {
        out_ += '{';
        string(key);
        out_ += ':';
        string(id.str());
        out_ += '}';
    }
    template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
    void value(E e) {
        string(to_string(e));
    }
    template <class T>
    void value(const std::vector<T>& items) {
        out_ += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i != 0) out_ += ',';
            value(items[i]);
        }
        out_ += ']';
    }
    template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
    void value(const T& record) {
        out_ += '{';
        bool first = true;
        members(record, first);
        out_ += '}';
    }

    /// The record's members as `"key":value` pairs, leaving out empty optionals; `first` says
    /// whether the object has no member yet.
    template <class T>
    void members(const T& record, bool& first) {
        std::apply([&](const auto&... f) { (member(record, f, first), ...); }, T::fields());
    }
    template <class T, class M>
    void member(const T& record, const Field<T, M>& f, bool& first) {
        const M& m = record.*(f.member);
        if constexpr (std::is_same_v<M, Time> || std::is_same_v<M, std::optional<Time>>) {
            if (!with_times_) return;
        }
        if constexpr (is_optional<M>::value) {
            if (!m) return;
            key(key_of(f), first);
            value(*m);
        } else {
            key(key_of(f), first);
            value(m);
        }
    }
    void key(std::string_view k, bool& first);

  private:
    std::string& out_;
    bool with_times_;
};

template <class T>
std::string write_text(const T& value) {
    std::string out;
    out.reserve(256);
    TextWriter(out).value(value);
    return out;
}

template <class Variant>
std::string write_alternative(std::string_view discriminator, std::string_view name,
                              const Variant& v, bool with_times = true) {
    std::string out;
    out.reserve(256);
    TextWriter writer(out, with_times);
    out += '{';
    bool first = true;
    writer.key(discriminator, first);
    writer.string(name);
    std::visit([&](const auto& alternative) { writer.members(alternative, first); }, v);
    out += '}';
    return out;
}

}  // namespace calltrack::codec_detail
