#pragma once

// What a step is about, for people reading a timeline or a comparison: the command's target in
// words ("reactivate_account acme-dental"), and the agency or account whose charges a
// comparison shows after it. Read from the command alone; a tracking number's account is the
// runner's to look up.

#include <calltrack/command.hpp>
#include <calltrack/ids.hpp>

#include <optional>
#include <string>

namespace calltrack::cli {

/// The command's target: the tracking number, account, agency or balance owner it acts on, or
/// the user it grants a role to ("ann administrator@account acme"); a transfer adds the agency it
/// goes to ("acme-dental to beta"), a paused or stopped number its account ("acme number web").
std::string target_of(const Command& command);

/// The agency or account the command acts on: its account, agency or balance owner. A command on
/// a tracking number gives nullopt (its account is in the store), as does a role grant.
std::optional<BalanceOwner> owner_of(const Command& command);

/// The tracking number the command acts on, if it acts on one by itself.
std::optional<NumberId> number_of(const Command& command);

}  // namespace calltrack::cli
