#pragma once

// Who made an event happen, and how: stored with every event (StoredEvent::audit), so that a
// dispute over who canceled what, and when, is settled by the log. The hash chain that makes the
// log tamper-evident is the store's (store.hpp: chain_hash); verify.hpp checks both.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/command.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/operation.hpp>

#include <optional>
#include <vector>

namespace calltrack {

struct Audit {
    /// The user whose command it was. Empty when no person acted (a deadline the engine fired)
    /// and for events stored before actors were recorded, which also name no policy version.
    std::optional<UserId> actor;
    /// The actor's role grants when they acted: the roles they acted under.
    std::vector<RoleGrant> roles;
    /// The operation they asked for; empty for a deadline.
    std::optional<Operation> operation;
    /// What they typed, acknowledged and accepted, and the reasons they gave, for a command that
    /// takes a confirmation; empty for one that takes none.
    std::optional<Confirmation> confirmation;
    /// The cancellation survey's outcome the command was judged with: the one given (RecordSurvey)
    /// or the account's last answer (a cancel or close of an account that has one).
    std::optional<SurveyOutcome> survey;

    CALLTRACK_FIELDS(Audit, actor, roles, operation, confirmation, survey)
};

/// What a command's events record of the person who asked: the actor, their grants, the
/// operation, the command's confirmation, and `survey` as the engine found it.
CALLTRACK_API Audit audit_of(const Actor& actor, const Command& command,
                             std::optional<SurveyOutcome> survey = std::nullopt);

}  // namespace calltrack
