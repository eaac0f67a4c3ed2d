#pragma once

// The state decisions read: one value, maps keyed by id (iterated in id order), entities
// referring to each other by id. Deadlines are kept as an ordered index so that finding the due
// ones costs in proportion to how many are due, not to how many accounts there are.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/tracking_number.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace calltrack {

/// Time-driven changes, in the order they fire when they fall due at the same instant.
enum class DeadlineKind : std::uint8_t {
    pause_maximum,                      ///< a paused account reaches the longest pause
    restore_window_closes,              ///< self-service number restore ends
    reactivation_window_closes,         ///< a canceled account closes for good
    agency_reactivation_window_closes,  ///< a canceled agency closes for good
    data_purge,                         ///< retained call history is purged
    refund_window_closes,               ///< an unclaimed balance is forfeited
    transfer_expires,                   ///< a transfer no one answered lapses
};
CALLTRACK_API std::string_view to_string(DeadlineKind k) noexcept;

/// One pending time-driven change. `subject` is the id of the account or agency it belongs to
/// ("account:<id>" or "agency:<id>"), which also breaks ties between equal times and kinds.
struct Deadline {
    Time at;
    DeadlineKind kind;
    std::string subject;

    friend bool operator<(const Deadline& a, const Deadline& b) {
        return std::tie(a.at, a.kind, a.subject) < std::tie(b.at, b.kind, b.subject);
    }
    CALLTRACK_FIELDS(Deadline, at, kind, subject)
};

CALLTRACK_API std::string deadline_subject(const AccountId& id);
CALLTRACK_API std::string deadline_subject(const AgencyId& id);
/// A grant's scope as one text: "account:<id>", "agency:<id>" (as deadline_subject) or
/// "platform"; what a store keys Store::load_grants_on by.
CALLTRACK_API std::string scope_subject(const Scope& scope);

/// The account or agency a deadline belongs to, read from its subject. Nullopt for a deadline
/// calltrack never writes, which due() cannot fire: a subject other than "account:<id>" or
/// "agency:<id>" with a valid id, or a kind its subject cannot have (only a refund window closes
/// on either; an agency's reactivation window only on an agency, every other kind only on an
/// account). Stores and the engine refuse such a deadline as errc::store_corrupt.
CALLTRACK_API std::optional<std::variant<AccountId, AgencyId>> owner_of(const Deadline& d);

struct CALLTRACK_API State {
    std::map<AgencyId, Agency> agencies;
    std::map<AccountId, Account> accounts;
    std::map<NumberId, TrackingNumber> numbers;
    std::map<UserId, std::vector<RoleGrant>> grants;
    /// Indexes kept by evolve(): the numbers of each account, the sub-accounts of each agency.
    std::map<AccountId, std::set<NumberId>> numbers_by_account;
    std::map<AgencyId, std::set<AccountId>> sub_accounts_by_agency;
    /// The tracking number each phone number routes as, while it is on an account.
    std::map<PhoneNumber, NumberId> number_by_phone;
    std::set<Deadline> deadlines;
    /// The time of the last event applied; decisions at an earlier time are refused.
    std::optional<Time> last_event_at;

    const Account* find_account(const AccountId& id) const;
    const Agency* find_agency(const AgencyId& id) const;
    const TrackingNumber* find_number(const NumberId& id) const;

    CALLTRACK_FIELDS(State, agencies, accounts, numbers, grants, numbers_by_account,
                     sub_accounts_by_agency, number_by_phone, deadlines, last_event_at)
};

/// The sub-accounts waiting to move into `agency`, asked by either side, in id order: the
/// incoming side of each Account::pending_transfer. It reads the accounts this state holds.
CALLTRACK_API std::vector<AccountId> incoming_transfers(const State& state, const AgencyId& agency);

/// The zone an account's local calendar days are counted in: its own; for a sub-account without
/// one, its agency's as this state holds it; otherwise UTC.
CALLTRACK_API TimeZone zone_of(const State& state, const Account& account);
/// The agency's own zone, or UTC.
CALLTRACK_API TimeZone zone_of(const Agency& agency);

/// The Actor for a user, with the grants the state holds for it (none for an unknown user).
CALLTRACK_API Actor actor_of(const State& state, const UserId& user);

}  // namespace calltrack
