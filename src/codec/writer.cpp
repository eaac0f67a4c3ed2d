// The members of TextWriter that are not templates: strings, numbers, money, charge sets and the
// two subjects (scope, balance owner). Apart from writer.hpp so that they are compiled once,
// whatever instantiates the writer's templates.

#include "writer.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>

namespace calltrack::codec_detail {
namespace {

/// Compact and in insertion order: the canonical text. Text that is not UTF-8 cannot be written
/// as JSON; it is replaced rather than thrown on.
std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

void TextWriter::string(std::string_view s) {
    const bool is_plain = std::all_of(s.begin(), s.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\';
    });
    if (is_plain) {
        out_ += '"';
        out_ += s;
        out_ += '"';
    } else {
        out_ += dump(Json(std::string(s)));
    }
}

void TextWriter::integer(std::int64_t v) {
    char digits[24];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), v).ptr;
    out_.append(digits, end);
}

void TextWriter::value(const Money& m) {
    out_ += "{\"minor_units\":";
    integer(m.minor_units());
    out_ += ",\"currency\":";
    value(m.currency());
    out_ += '}';
}

void TextWriter::value(Charges charges) {
    out_ += '[';
    bool first = true;
    for (const Charge c : all_charges) {
        if (!charges.contains(c)) continue;
        if (!first) out_ += ',';
        first = false;
        value(c);
    }
    out_ += ']';
}

void TextWriter::value(const Scope& scope) {
    if (const auto* account = std::get_if<AccountId>(&scope)) {
        subject("account", *account);
    } else if (const auto* agency = std::get_if<AgencyId>(&scope)) {
        subject("agency", *agency);
    } else {
        string("platform");
    }
}

void TextWriter::value(const BalanceOwner& owner) {
    if (const auto* account = std::get_if<AccountId>(&owner)) {
        subject("account", *account);
    } else {
        subject("agency", std::get<AgencyId>(owner));
    }
}

void TextWriter::value(const HostEffect& effect) {
    out_ += '{';
    bool first = true;
    key("effect", first);
    value(effect.kind);
    for_each_member(effect, [&](const auto& field) { member(effect, field, first); });
    out_ += '}';
}

void TextWriter::key(std::string_view k, bool& first) {
    if (!first) out_ += ',';
    first = false;
    string(k);
    out_ += ':';
}

}  // namespace calltrack::codec_detail
