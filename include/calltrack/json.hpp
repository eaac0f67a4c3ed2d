#pragma once

// Lossless JSON text for commands, events, host effects and records: what a store keeps in a
// column, what an idempotency key fingerprints, and what a person writes in a scenario file.
//
// Every value is one JSON object whose keys are the C++ member names, in declaration order.
// Commands, events and effects start with a discriminator naming the alternative:
//
//   {"command":"cancel_account","account":"acme","confirmation":{"clicked":true,...}}
//   {"event":"account_canceled","account":"acme","kind":"cancel","reasons":[],...}
//   {"effect":"release_number","account":"acme","number":"n1",...}
//
// Ids are strings; phone numbers E.164 strings; times "2020-09-15T10:00:00Z"; money
// {"minor_units":500,"currency":"USD"}; enums their to_string names; a set of charges an array of
// charge names; a Scope {"account":"id"}, {"agency":"id"} or "platform"; a BalanceOwner
// {"account":"id"} or {"agency":"id"}. An optional member that is empty is left out. The one
// number is minor_units, a whole number in 64 bits (-2^63 to 2^63-1) written without a fraction
// or exponent; a number beyond a double (1e400) is refused while the text is read, as
// json_invalid_field naming its path.
//
// Writing is canonical: no whitespace, fixed key order, so equal values give byte-identical text.
// Reading refuses unknown keys everywhere, so a misspelt key never passes silently. Commands are
// written by people, so reading them is forgiving where that is harmless: `confirmation` may be
// left out (nothing confirmed), and so may any key inside it; phone numbers may be written with
// the separators people type ("+1 (404) 555-0123"). Records, events and effects are written by
// machines and must carry every non-optional key.
//
// Text members (typed confirmations, reasons, plan names) must be UTF-8: JSON can carry nothing
// else, and invalid bytes are written as U+FFFD. A time or id that its own parser refuses (a
// not-a-date-time, an empty id) is written as text that reading refuses in turn.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/audit.hpp>
#include <calltrack/command.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/tracking_number.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace calltrack {

/// Where a JSON text is wrong, for a person to fix: `field` is a path such as
/// "confirmation.typed" or "reasons[1]" (empty for the text as a whole), and `problem` says what
/// is wrong with it, reusing the message of the underlying failure where there is one.
struct JsonDiagnostic {
    std::string field;
    std::string problem;
};

// Each reader returns errc::json_malformed (not JSON, or a key twice in one object),
// errc::json_unknown_field (a key the type does not have) or errc::json_invalid_field (a missing
// key, a value of the wrong type, or a bad value) and fills `diagnostic` when one is given.

CALLTRACK_API std::string to_json(const Command& command);
CALLTRACK_API result<Command> command_from_json(std::string_view json,
                                                JsonDiagnostic* diagnostic = nullptr);

CALLTRACK_API std::string to_json(const Event& event);
CALLTRACK_API result<Event> event_from_json(std::string_view json,
                                            JsonDiagnostic* diagnostic = nullptr);

/// An effect's text holds only the members of its kind (typed_effect.hpp). The reader refuses a
/// member of another kind and a missing one its kind needs, as json_invalid_field naming it; it
/// still reads the empty "charges" and false "carrier_level" once written on every effect.
CALLTRACK_API std::string to_json(const HostEffect& effect);
CALLTRACK_API result<HostEffect> effect_from_json(std::string_view json,
                                                  JsonDiagnostic* diagnostic = nullptr);

CALLTRACK_API std::string to_json(const Account& account);
CALLTRACK_API result<Account> account_from_json(std::string_view json,
                                                JsonDiagnostic* diagnostic = nullptr);

CALLTRACK_API std::string to_json(const Agency& agency);
CALLTRACK_API result<Agency> agency_from_json(std::string_view json,
                                              JsonDiagnostic* diagnostic = nullptr);

CALLTRACK_API std::string to_json(const TrackingNumber& number);
CALLTRACK_API result<TrackingNumber> number_from_json(std::string_view json,
                                                      JsonDiagnostic* diagnostic = nullptr);

/// A JSON array of {"role":"administrator","scope":{"account":"acme"}}.
CALLTRACK_API std::string to_json(const std::vector<RoleGrant>& grants);
CALLTRACK_API result<std::vector<RoleGrant>> grants_from_json(std::string_view json,
                                                              JsonDiagnostic* diagnostic = nullptr);

/// An event's audit record (StoredEvent::audit), as the stores keep it beside the event.
CALLTRACK_API std::string to_json(const Audit& audit);
CALLTRACK_API result<Audit> audit_from_json(std::string_view json,
                                            JsonDiagnostic* diagnostic = nullptr);

/// The command's name as written in scenario files, e.g. "cancel_account"
/// (== to_string(operation_of(command))).
CALLTRACK_API std::string_view command_name(const Command& command) noexcept;

}  // namespace calltrack
