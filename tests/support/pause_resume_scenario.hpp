#pragma once

// A scenario that names no policy, for the tests of the program's step reports and of compare: a
// standalone account "acme" with two numbers, ann made its administrator by the first step, then
// a pause (CallRail only, before October 2020) with the expectation given, and a resume.

#include <string>

namespace calltrack::testing {

/// A standalone account "acme" with two numbers, and ann its administrator where the vendor has
/// the role; the steps pause it (CallRail only, before October 2020) and resume it.
inline std::string pause_resume_scenario(const std::string& pause_expectation) {
    return R"({
  "title": "pause and resume, under each vendor",
  "start": "2020-09-01T09:00:00Z",
  "actors": {"ann": []},
  "setup": [
    {"command": "open_account", "account": "acme", "plan": {"name": "Pro", "add_ons": []}, "currency": "USD"},
    {"command": "add_tracking_number", "number": "web", "account": "acme", "phone_number": "+14045550101", "forwarding_destination": "+14045550199", "source": "onsite_dynamic"},
    {"command": "add_tracking_number", "number": "print", "account": "acme", "phone_number": "+14045550102", "forwarding_destination": "+14045550199", "source": "offsite"}
  ],
  "steps": [
    {"at": "2020-09-01T09:30:00Z", "actor": "support",
     "command": {"command": "grant_role", "user": "ann", "grant": {"role": "administrator", "scope": {"account": "acme"}}}},
    {"at": "2020-09-03T10:00:00Z", "actor": "ann",
     "command": {"command": "pause_account", "account": "acme", "confirmation": {"clicked": true}},
     "expect_by_policy": )"
           + pause_expectation + R"(},
    {"at": "2020-09-10T10:00:00Z", "actor": "ann",
     "command": {"command": "resume_account", "account": "acme", "confirmation": {"terms_accepted": true}},
     "expect_by_policy": {"ctm": {"error": "operation_not_offered"}}}
  ]
})";
}

inline const std::string pause_met =
    R"({"callrail": {"events_include": ["numbers_held"]}, "ctm": {"error": "operation_not_offered"}})";
/// Under ctm the pause is said to be allowed, which it is not.
inline const std::string pause_unmet = R"({"callrail": {"events_include": ["numbers_held"]}})";

}  // namespace calltrack::testing
