// The public entry points of json.hpp: to_json and *_from_json for commands, events, effects and
// the records a store keeps, and command_name. Apart from the writer and the reader because this
// is where their templates are instantiated for each type, and the one file a reader of json.hpp
// needs to open first.

#include <calltrack/json.hpp>

#include "codec.hpp"
#include "fields.hpp"
#include "reader.hpp"
#include "writer.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack {

using codec_detail::blank;
using codec_detail::Json;
using codec_detail::read_document;
using codec_detail::read_record;
using codec_detail::Reader;
using codec_detail::Tag;
using codec_detail::write_alternative;
using codec_detail::write_text;

std::string_view command_name(const Command& command) noexcept {
    return to_string(operation_of(command));
}

namespace {

/// The names of a variant's alternatives in order, as `name_of` gives them for a blank of each.
template <class Variant, class NameOf, std::size_t... I>
std::array<std::string_view, sizeof...(I)> names_of(NameOf name_of, std::index_sequence<I...>) {
    return {name_of(
        Variant(std::in_place_index<I>, blank(Tag<std::variant_alternative_t<I, Variant>>{})))...};
}

const std::array<std::string_view, std::variant_size_v<Command>>& command_names() {
    static const auto names =
        names_of<Command>([](const Command& c) { return command_name(c); },
                          std::make_index_sequence<std::variant_size_v<Command>>{});
    return names;
}

const std::array<std::string_view, std::variant_size_v<Event>>& event_names() {
    static const auto names =
        names_of<Event>([](const Event& e) { return event_name(e); },
                        std::make_index_sequence<std::variant_size_v<Event>>{});
    return names;
}

}  // namespace

// --- public entry points -----------------------------------------------------------------------

std::string to_json(const Command& command) {
    return write_alternative("command", command_name(command), command);
}

result<Command> command_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_document(json, diagnostic, Command{}, [](Reader& r, const Json& j, Command& out) {
        return r.alternative(j, "command", "command", command_names(), out);
    });
}

std::string to_json(const Event& event) {
    return write_alternative("event", event_name(event), event);
}

result<Event> event_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_document(json, diagnostic, Event{}, [](Reader& r, const Json& j, Event& out) {
        return r.alternative(j, "event", "event", event_names(), out);
    });
}

std::string to_json(const HostEffect& effect) {
    return write_text(effect);
}

result<HostEffect> effect_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<HostEffect>(json, diagnostic);
}

std::string to_json(const Account& account) {
    return write_text(account);
}

result<Account> account_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<Account>(json, diagnostic);
}

std::string to_json(const Agency& agency) {
    return write_text(agency);
}

result<Agency> agency_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<Agency>(json, diagnostic);
}

std::string to_json(const TrackingNumber& number) {
    return write_text(number);
}

result<TrackingNumber> number_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<TrackingNumber>(json, diagnostic);
}

std::string to_json(const std::vector<RoleGrant>& grants) {
    return write_text(grants);
}

result<std::vector<RoleGrant>> grants_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<std::vector<RoleGrant>>(json, diagnostic);
}

std::string to_json(const Audit& audit) {
    return write_text(audit);
}

result<Audit> audit_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<Audit>(json, diagnostic);
}

}  // namespace calltrack
