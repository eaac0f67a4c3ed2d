#pragma once

// Everything calltrack offers, for hosts that prefer one include.

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/version.hpp>
