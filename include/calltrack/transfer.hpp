#pragma once

// A transfer of a sub-account to another agency while it waits for the other side: one side's
// administrator asks, an administrator of the other side approves or refuses, and until then the
// sub-account stays where it is. It is kept on the sub-account's record, which both agencies
// read.

#include <calltrack/clock.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>

#include <optional>

namespace calltrack {

struct PendingTransfer {
    AgencyId to;
    /// The agency whose administrator asked: the sub-account's own agency or `to`. The other one
    /// approves or refuses; this one may withdraw.
    AgencyId requested_by;
    UserId requester;
    Time requested_at;
    /// The approval window's end, fixed at the request so that a later policy cannot move it;
    /// nullopt for an unlimited window.
    std::optional<Time> expires_at;

    CALLTRACK_FIELDS(PendingTransfer, to, requested_by, requester, requested_at, expires_at)
};

}  // namespace calltrack
