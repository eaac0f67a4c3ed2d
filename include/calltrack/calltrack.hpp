#pragma once

// Everything the calltrack::calltrack target offers, for hosts that prefer one include: the
// values, the pure core, policies, the engine, the Store interface and InMemoryStore, and the
// JSON codecs. The components' headers are included on their own, with their targets:
// <calltrack/sqlite_store.hpp> (calltrack::sqlite) and <calltrack/testing/...>
// (test support).

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/command.hpp>
#include <calltrack/decide.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/errc.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/literals.hpp>
#include <calltrack/money.hpp>
#include <calltrack/observer.hpp>
#include <calltrack/operation.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/result.hpp>
#include <calltrack/state.hpp>
#include <calltrack/store.hpp>
#include <calltrack/time_zone.hpp>
#include <calltrack/tracking_number.hpp>
#include <calltrack/typed_effect.hpp>
#include <calltrack/version.hpp>
#include <calltrack/window.hpp>
