#pragma once

// What the engine reads before it decides and writes after: the partial State a command loads,
// with the version of every record (Snapshot, Loader), and the one CommitBatch its events turn
// into. Private to the engine layer; the engine's member functions (engine.cpp) are the only
// callers.

#include <calltrack/engine.hpp>

#include <boost/outcome/try.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::engine_detail {

/// A partial State read from the store, and the version each record was read at.
struct Snapshot {
    State state;
    std::map<AgencyId, Version> agency_versions;
    std::map<AccountId, Version> account_versions;
    std::map<NumberId, Version> number_versions;
    std::map<UserId, Version> grant_versions;
    std::set<std::string> subjects_with_deadlines;
};

/// Reads records into a Snapshot once each, keeping State's indexes exact for what is loaded.
class Loader {
  public:
    Loader(Store& store, Snapshot& snapshot) : store_(store), snap_(snapshot) {}

    result<void> agency(const AgencyId& id) {
        if (snap_.agency_versions.count(id) != 0 || missing_agencies_.count(id) != 0)
            return boost::outcome_v2::success();
        auto loaded = store_.load_agency(id);
        if (!loaded) return loaded.error();
        if (!loaded.value()) {
            missing_agencies_.insert(id);
            return boost::outcome_v2::success();
        }
        snap_.agency_versions[id] = loaded.value()->version;
        snap_.state.agencies.emplace(id, std::move(loaded.value()->value));
        return deadlines(deadline_subject(id));
    }

    /// The account, its agency, and (with_numbers) every number on it.
    result<void> account(const AccountId& id, bool with_numbers = true) {
        if (snap_.account_versions.count(id) == 0 && missing_accounts_.count(id) == 0) {
            auto loaded = store_.load_account(id);
            if (!loaded) return loaded.error();
            if (!loaded.value()) {
                missing_accounts_.insert(id);
                return boost::outcome_v2::success();
            }
            add_account(std::move(*loaded.value()));
            BOOST_OUTCOME_TRYV(deadlines(deadline_subject(id)));
        }
        const auto* a = snap_.state.find_account(id);
        if (a == nullptr) return boost::outcome_v2::success();
        if (a->agency) {
            BOOST_OUTCOME_TRYV(agency(*a->agency));
        }
        if (with_numbers && numbers_loaded_.insert(id).second) {
            auto numbers = store_.load_numbers_of(id);
            if (!numbers) return numbers.error();
            for (auto& n : numbers.value()) add_number(std::move(n));
        }
        return boost::outcome_v2::success();
    }

    /// The sub-account, its agency, and the agency its pending transfer would move it to.
    result<void> transfer(const AccountId& id) {
        BOOST_OUTCOME_TRYV(account(id, false));
        const auto* a = snap_.state.find_account(id);
        if (a != nullptr && a->pending_transfer) return agency(a->pending_transfer->to);
        return boost::outcome_v2::success();
    }

    /// The number and its account (with the account's other numbers).
    result<void> number(const NumberId& id) {
        if (snap_.number_versions.count(id) == 0) {
            auto loaded = store_.load_number(id);
            if (!loaded) return loaded.error();
            if (!loaded.value()) return boost::outcome_v2::success();
            const AccountId owner = loaded.value()->value.account;
            add_number(std::move(*loaded.value()));
            return account(owner);
        }
        return account(snap_.state.numbers.at(id).account);
    }

    /// Every account asking to move into the agency, without numbers: what a cancel of the
    /// agency drops.
    result<void> incoming_transfers(const AgencyId& id) {
        auto asking = store_.load_incoming_transfers(id);
        if (!asking) return asking.error();
        for (auto& a : asking.value()) {
            const AccountId account_id = a.value.id;
            if (snap_.account_versions.count(account_id) == 0) {
                add_account(std::move(a));
                BOOST_OUTCOME_TRYV(deadlines(deadline_subject(account_id)));
            }
            BOOST_OUTCOME_TRYV(account(account_id, false));
        }
        return boost::outcome_v2::success();
    }

    /// Every sub-account of the agency, with their numbers.
    result<void> sub_accounts(const AgencyId& id) {
        BOOST_OUTCOME_TRYV(agency(id));
        auto subs = store_.load_sub_accounts(id);
        if (!subs) return subs.error();
        for (auto& a : subs.value()) {
            const AccountId account_id = a.value.id;
            if (snap_.account_versions.count(account_id) == 0) {
                add_account(std::move(a));
                BOOST_OUTCOME_TRYV(deadlines(deadline_subject(account_id)));
            }
            BOOST_OUTCOME_TRYV(account(account_id));
        }
        return boost::outcome_v2::success();
    }

    result<void> grants(const UserId& user) {
        if (snap_.grant_versions.count(user) != 0) return boost::outcome_v2::success();
        auto loaded = store_.load_grants(user);
        if (!loaded) return loaded.error();
        if (!loaded.value()) {
            snap_.grant_versions[user] = 0;
            return boost::outcome_v2::success();
        }
        snap_.grant_versions[user] = loaded.value()->version;
        if (!loaded.value()->value.grants.empty()) {
            snap_.state.grants[user] = std::move(loaded.value()->value.grants);
        }
        return boost::outcome_v2::success();
    }

    /// Whatever tracking number routes as this phone number now.
    result<void> phone(const PhoneNumber& p) {
        auto found = store_.find_number_by_phone(p);
        if (!found) return found.error();
        if (found.value()) return number(*found.value());
        return boost::outcome_v2::success();
    }

    /// The number, and whatever routes as its phone number now (a restore must not collide).
    result<void> number_and_its_phone(const NumberId& id) {
        BOOST_OUTCOME_TRYV(number(id));
        if (const auto* n = snap_.state.find_number(id)) return phone(n->number);
        return boost::outcome_v2::success();
    }

    result<void> owner(const BalanceOwner& o) {
        if (const auto* id = std::get_if<AccountId>(&o)) return account(*id, false);
        return agency(std::get<AgencyId>(o));
    }

    /// Everyone holding a role on the account or agency, with their grants: who else holds a
    /// role that only one user may hold there. No one is loaded for the platform, whose roles
    /// have many holders (validation refuses a one-holder role there).
    result<void> holders(const Scope& s) {
        if (std::holds_alternative<Platform>(s)) return boost::outcome_v2::success();
        auto loaded = store_.load_grants_on(s);
        if (!loaded) return loaded.error();
        for (auto& g : loaded.value()) {
            const UserId user = g.value.user;
            if (!snap_.grant_versions.emplace(user, g.version).second) continue;
            if (!g.value.grants.empty()) snap_.state.grants[user] = std::move(g.value.grants);
        }
        return boost::outcome_v2::success();
    }

    result<void> scope(const Scope& s) {
        if (const auto* id = std::get_if<AccountId>(&s)) return account(*id, false);
        if (const auto* id = std::get_if<AgencyId>(&s)) return agency(*id);
        return boost::outcome_v2::success();
    }

    result<void> deadlines(const std::string& subject) {
        if (!snap_.subjects_with_deadlines.insert(subject).second)
            return boost::outcome_v2::success();
        auto pending = store_.deadlines_of(subject);
        if (!pending) return pending.error();
        for (auto& d : pending.value()) {
            // due() trusts every deadline it is given; one calltrack never writes is damage.
            if (d.subject != subject || !owner_of(d)) return errc::store_corrupt;
            snap_.state.deadlines.insert(std::move(d));
        }
        return boost::outcome_v2::success();
    }

    /// The account or agency a due deadline belongs to, with its deadlines; store_corrupt when
    /// the deadline is not one calltrack writes or its subject has no record, with `problem`
    /// saying which.
    result<void> subject(const Deadline& d, std::string& problem) {
        const std::string which = "deadline (" + format_time(d.at) + ", "
                                  + std::string(to_string(d.kind)) + ", " + d.subject + ")";
        const auto owner = owner_of(d);
        if (!owner) {
            problem = which + ": not a deadline calltrack writes for that subject";
            return errc::store_corrupt;
        }
        if (const auto* id = std::get_if<AccountId>(&*owner)) {
            BOOST_OUTCOME_TRYV(account(*id, false));
            if (snap_.state.find_account(*id) == nullptr) {
                problem = which + ": no account has the id " + id->str();
                return errc::store_corrupt;
            }
        } else {
            const auto& agency_id = std::get<AgencyId>(*owner);
            BOOST_OUTCOME_TRYV(agency(agency_id));
            if (snap_.state.find_agency(agency_id) == nullptr) {
                problem = which + ": no agency has the id " + agency_id.str();
                return errc::store_corrupt;
            }
        }
        return boost::outcome_v2::success();
    }

  private:
    void add_account(Versioned<Account> a) {
        const AccountId id = a.value.id;
        if (a.value.agency) snap_.state.sub_accounts_by_agency[*a.value.agency].insert(id);
        snap_.account_versions[id] = a.version;
        snap_.state.accounts.emplace(id, std::move(a.value));
    }

    void add_number(Versioned<TrackingNumber> n) {
        const NumberId id = n.value.id;
        if (snap_.number_versions.count(id) != 0) return;
        snap_.number_versions[id] = n.version;
        snap_.state.numbers_by_account[n.value.account].insert(id);
        if (is_on_account(n.value)) snap_.state.number_by_phone[n.value.number] = id;
        snap_.state.numbers.emplace(id, std::move(n.value));
    }

    Store& store_;
    Snapshot& snap_;
    std::set<AccountId> numbers_loaded_;
    std::set<AccountId> missing_accounts_;
    std::set<AgencyId> missing_agencies_;
};

/// Loads the numbers of every account whose pause maximum the snapshot holds and is due by `now`.
result<void> load_numbers_for_due(Loader& load, const State& state, Time now);
/// Loads everything `command` reads.
result<void> load_for(Loader& load, const Command& command);
/// A snapshot for `command`, with deadlines already due by `now` fired in memory.
result<Snapshot> load_decidable(Store& store, const Command& command, const PolicyHistory& policies,
                                Time now, std::optional<Time> last_event);

/// The records that changed from `before` to `after`, at the versions they were read.
CommitBatch diff(const Snapshot& before, const State& after);
/// Adds to `batch`, unchanged, the account or agency each granted role is on, at the version it
/// was read: two engines granting on one scope at once then conflict, and the one that retries
/// sees the other's grant, so a role with one holder keeps one.
void order_grants_by_scope(CommitBatch& batch, const Snapshot& before,
                           const std::vector<Event>& events);
/// Appends `events`, each on its stream with the policy version in force at its time and `audit`,
/// and the host effects they queue (also to *effects_out).
void add_events(CommitBatch& batch, const std::vector<Event>& events, const State& after,
                const PolicyHistory& policies, const Audit& audit,
                std::vector<HostEffect>* effects_out);
/// What a command's events record of who asked (audit.hpp), with the survey answer of the account
/// a cancel or close is judged on, as `before` holds it.
Audit command_audit(const Actor& actor, const Command& command, const State& before);
/// What makes two commands under one idempotency key the same request.
std::string fingerprint(const Actor& actor, const Command& command);

}  // namespace calltrack::engine_detail
