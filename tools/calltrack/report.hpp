#pragma once

// Printing what the runner and the one-shot subcommands did: a readable timeline for people, or
// one JSON document for programs. Nothing here touches a store or a clock.

#include "runner.hpp"

#include <calltrack/decide.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/event.hpp>
#include <calltrack/verify.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace calltrack::cli {

/// The timeline (every setup entry and step: time, actor, operation, result, every reason,
/// events, host effects), then the final state of every agency and account, then the verdict.
void print_timeline(std::ostream& out, const RunReport& report);

/// The same as one JSON document: {"scenario", "policy", "store", "start", "steps": [...],
/// "final": {...}, "ok", "failure"}.
std::string report_to_json(const RunReport& report);

/// One agency or account on one line, as the final state prints it.
std::string describe(const Agency& agency);
std::string describe(const AccountReport& account);

/// What `calltrack check` found.
void print_verdict(std::ostream& out, const Verdict& verdict);
std::string verdict_to_json(const Verdict& verdict);

/// What `calltrack preview` found: the events and effects, and the impact's digest for execute
/// --impact.
void print_preview(std::ostream& out, const Preview& preview);
std::string preview_to_json(const Preview& preview);

/// What `calltrack advance` fired.
/// What execute committed: "executed" (or "already executed", a receipt replayed for its key),
/// then its events and host effects.
void print_receipt(std::ostream& out, const Receipt& receipt);
std::string receipt_to_json(const Receipt& receipt);

/// One event stream, oldest first: each event's global sequence, its place in the stream, the
/// policy version it was decided under, and the event; then who acted, under which roles, with
/// which confirmation.
void print_history(std::ostream& out, const StreamId& stream,
                   const std::vector<StoredEvent>& events);
std::string history_to_json(const StreamId& stream, const std::vector<StoredEvent>& events);

/// What `calltrack verify` found: the log whole, with its head, or where it breaks.
void print_verification(std::ostream& out, const LogVerification& v);
std::string verification_to_json(const LogVerification& v);

/// The outbox's unacknowledged entries, oldest first, each with its sequence; `acknowledged` is
/// the sequence acknowledged up to first, if any.
void print_effects(std::ostream& out, const std::vector<OutboxEntry>& pending,
                   std::optional<std::uint64_t> acknowledged);
std::string effects_to_json(const std::vector<OutboxEntry>& pending,
                            std::optional<std::uint64_t> acknowledged);

void print_advance(std::ostream& out, Time to, const std::vector<Event>& events,
                   const std::vector<HostEffect>& effects);
std::string advance_to_json(Time to, const std::vector<Event>& events,
                            const std::vector<HostEffect>& effects);

}  // namespace calltrack::cli
