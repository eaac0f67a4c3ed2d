#pragma once

// Everything calltrack offers, for hosts that prefer one include.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/command.hpp>
#include <calltrack/decide.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/state.hpp>
#include <calltrack/tracking_number.hpp>
#include <calltrack/version.hpp>
#include <calltrack/window.hpp>
