// Properties of the pure core over random histories: under each preset, random commands from a
// small fixed set of ids, by random actors, at random time steps, with deadlines fired between
// steps. Given any such history, when it is replayed from an empty State, then the state is the
// same; check() and decide() agree on every command; events carry `now` or the time of the
// deadline that fired them; no deadline is left behind the last advance.
#include "lifecycle_fixture.hpp"

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

/// Who acts on what: each tenant is one account, its agency (if any), its numbers and the users
/// with a role there. Most steps act inside one tenant, so that commands get past the lookups
/// and the role checks and reach the lifecycle; the last tenant mixes everything up, unknown ids
/// and strangers included.
struct ReplayTenant {
    std::vector<const char*> accounts;
    std::vector<const char*> agencies;
    std::vector<const char*> numbers;
    std::vector<const char*> users;
};

const ReplayTenant replay_tenants[] = {
    {{"a1"}, {"g1"}, {"n1", "n2", "n5"}, {"admin_a1", "owner_a1", "support"}},
    {{"s1"}, {"g1"}, {"n3", "n6"}, {"agadmin_g1", "admin_s1", "support"}},
    {{"s2"}, {"g2"}, {"n4", "n6"}, {"agadmin_g2", "owner_s2", "support"}},
    {{"a1", "s1", "s2", "ghost"},
     {"g1", "g2", "nowhere"},
     {"n1", "n2", "n3", "n4", "n5", "n6", "n9"},
     {"support", "admin_a1", "owner_a1", "agadmin_g1", "agadmin_g2", "admin_s1", "owner_s2",
      "stranger"}},
};

const char* const phones[] = {"+14045550101", "+14045550102", "+14045550105", "+14045550106"};

/// Time steps that straddle every window in the presets: 14, 60, 90 and 182 days.
const Duration window_steps[] = {seconds(0), seconds(1), boost::posix_time::hours(1),
                                 days(1),    days(13),   days(14),
                                 days(30),   days(59),   days(60),
                                 days(61),   days(89),   days(90),
                                 days(182),  days(400)};

/// Most steps are short, so that a history can cancel and come back inside a window.
const Duration small_steps[] = {seconds(0), seconds(1), boost::posix_time::hours(1), days(1)};

/// An integer in [lo, hi), uniform whatever the current size (rc::gen::inRange alone uses only
/// the low part of the range while the size is small).
int uniform(int lo, int hi) {
    return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi));
}

template <class T, std::size_t N>
const T& pick(const T (&items)[N]) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(N)))];
}

template <class T>
const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size())))];
}

bool coin() {
    return uniform(0, 2) == 1;
}

/// Mostly everything any vendor asks for, sometimes a random part of it.
Confirmation confirmation() {
    Confirmation c;
    const bool full = uniform(0, 4) != 0;
    c.clicked = full || coin();
    c.typed = full ? "CONFIRM" : pick({"", "CONFIRM", "confirm"});
    if (full || coin()) c.acknowledged = {"unported_numbers_lost"};
    c.terms_accepted = full || coin();
    if (full || coin()) c.reasons = {"price"};
    c.billing_details_entered = full || coin();
    return c;
}

Scope scope(const ReplayTenant& t) {
    switch (uniform(0, 3)) {
        case 0:
            return AccountId(pick(t.accounts));
        case 1:
            return AgencyId(pick(t.agencies));
        default:
            return Platform{};
    }
}

/// The roles every preset shares and one of each vendor's own, so that some grants name a role
/// the policy under test does not declare.
RoleGrant grant(const ReplayTenant& t) {
    static const Role roles[] = {Role::agency_administrator,
                                 Role::administrator,
                                 Role::account_owner,
                                 Role::support,
                                 Role("manager"),
                                 Role("billing_manager"),
                                 Role("user")};
    return RoleGrant{pick(roles), scope(t)};
}

BalanceOwner owner(const ReplayTenant& t) {
    if (uniform(0, 4) != 0) return AccountId(pick(t.accounts));
    return AgencyId(pick(t.agencies));
}

std::optional<NumberId> maybe_number(const ReplayTenant& t) {
    if (coin()) return std::nullopt;
    return NumberId(pick(t.numbers));
}

Command any_command(const ReplayTenant& t) {
    const AccountId a(pick(t.accounts));
    const NumberId n(pick(t.numbers));
    const AgencyId g(pick(t.agencies));
    const AgencyId other(pick(replay_tenants[3].agencies));
    const UserId u(pick(t.users));
    // Mostly a lifecycle operation (cases 6 to 25), sometimes anything.
    switch (uniform(0, 3) != 0 ? uniform(6, 26) : uniform(0, 28)) {
        case 0:
            return commands::AddTrackingNumber{
                n, a, phone(pick(phones)), phone("+14045550100"),
                coin() ? NumberSource::onsite_dynamic : NumberSource::offsite};
        case 1:
            return commands::ChangeForwarding{n, phone(coin() ? "+14045550100" : "+14045550199")};
        case 2:
            return commands::SetPlan{a, coin() ? Plan{"Pro", {"form-tracking"}} : Plan{"Lite", {}}};
        case 3:
            return commands::AdjustBalance{owner(t), dollars(uniform(-500, 1'000))};
        case 4:
            return commands::GrantRole{u, grant(t)};
        case 5:
            return commands::RevokeRole{u, grant(t)};
        case 6:
            return commands::PauseTracking{a, maybe_number(t), confirmation()};
        case 7:
            return commands::ResumeTracking{a, maybe_number(t), confirmation()};
        case 8:
            return commands::StopCalls{a, maybe_number(t), confirmation()};
        case 9:
            return commands::ResumeCalls{a, maybe_number(t), confirmation()};
        case 10:
            return commands::PauseAccount{a, confirmation()};
        case 11:
            return commands::ResumeAccount{a, confirmation()};
        case 12:
            return commands::CancelAccount{a, confirmation()};
        case 13:
            return commands::CloseSubAccount{a, confirmation()};
        case 14:
            return commands::CancelAgency{g, confirmation()};
        case 15:
            return commands::CloseAccount{a, confirmation()};
        case 16:
            return commands::ReopenAccount{a, confirmation()};
        case 17:
            return commands::ReactivateAccount{a, confirmation()};
        case 18:
            return commands::ReactivateAgency{g, confirmation()};
        case 19:
            return commands::RestoreNumber{n};
        case 20:
            return commands::RequestRefund{owner(t)};
        case 21:
            return commands::StartPortOut{n};
        case 22:
            return commands::CompletePortOut{n};
        case 23:
            return commands::AbandonPortOut{n};
        case 24:
            switch (uniform(0, 4)) {
                case 0:
                    return commands::RequestTransfer{a, other};
                case 1:
                    return commands::ApproveTransfer{a};
                case 2:
                    return commands::RefuseTransfer{a};
                default:
                    return commands::WithdrawTransfer{a};
            }
        case 25:
            return commands::RecordSurvey{
                a, pick({SurveyOutcome::keep_account, SurveyOutcome::book_meeting,
                         SurveyOutcome::confirm})};
        case 26:
            return commands::OpenAccount{a, coin() ? std::optional<AgencyId>(g) : std::nullopt,
                                         Plan{"Pro", {}}, usd()};
        default:
            return commands::CreateAgency{g, usd()};
    }
}

/// A command, mostly one that the preset offers.
Command command(const Policy& policy, const ReplayTenant& t) {
    Command c = any_command(t);
    for (int tries = 0; tries < 3 && !policy.rule(operation_of(c)).offered; ++tries) {
        c = any_command(t);
    }
    return c;
}

/// The same world under any preset: two agencies with a sub-account each, a standalone account,
/// four numbers, credit, and a user for every one of these roles the preset has.
World start(Policy policy) {
    World w(std::move(policy), at("2020-09-01T00:00:00Z"));
    w.agency("g1").agency("g2");
    w.account("a1").account("s1", "g1").account("s2", "g2");
    w.number("n1", "a1", "+14045550101")
        .number("n2", "a1", "+14045550102", NumberSource::offsite)
        .number("n3", "s1", "+14045550103")
        .number("n4", "s2", "+14045550104", NumberSource::offsite);
    const auto grant = [&](const char* user, const Role& role, Scope scope) {
        if (w.policy.role(role) != nullptr) w.grant(user, role, std::move(scope));
    };
    grant("admin_a1", Role::administrator, AccountId("a1"));
    grant("owner_a1", Role::account_owner, AccountId("a1"));
    grant("agadmin_g1", Role::agency_administrator, AgencyId("g1"));
    grant("agadmin_g2", Role::agency_administrator, AgencyId("g2"));
    grant("admin_s1", Role::administrator, AccountId("s1"));
    grant("owner_s2", Role::account_owner, AccountId("s2"));
    w.credit("a1", 1'000).credit("s1", 500);
    w.given(commands::AdjustBalance{AgencyId("g1"), dollars(700)});
    return w;
}

Policy preset_numbered(int which) {
    switch (which) {
        case 0:
            return policies::callrail();
        case 1:
            return policies::ctm();
        default:
            return policies::smrtphone();
    }
}

/// How often each event name was applied across every generated history, to show that the
/// generator reaches the lifecycle and not only refusals.
std::map<std::string, std::size_t>& applied() {
    static std::map<std::string, std::size_t> counts;
    return counts;
}

/// Moves time on and fires the due deadlines; every fired event carries the time of a deadline
/// that was due, and no deadline at or before the new time is left.
void advance(World& w, Duration by) {
    const Time to = w.now + by;
    std::set<Time> due_times;
    for (const auto& d : w.state.deadlines) {
        if (d.at <= to) due_times.insert(d.at);
    }
    const auto fired = w.advance_to(to);
    for (const auto& e : fired) {
        RC_LOG() << "fired: " << describe(e) << '\n';
        RC_ASSERT(due_times.count(event_time(e)) == 1U);
        ++applied()[std::string(event_name(e))];
    }
    for (const auto& d : w.state.deadlines) RC_ASSERT(d.at > to);
}

/// check() and decide() agree; the events carry `now`; afterwards no deadline lies before the
/// last advance.
void attempt(World& w, const Actor& actor, const Command& c) {
    const auto verdict = w.check(actor, c);
    const Time now = w.now;
    const auto result = w.when(actor, c);
    RC_LOG() << actor.user << " " << to_string(operation_of(c)) << ": "
             << (result ? "applied" : result.error().message()) << '\n';
    RC_ASSERT(verdict.is_allowed() == result.has_value());
    if (!result) {
        RC_ASSERT(verdict.refusals.front().code == result.error());
        return;
    }
    for (const auto& e : result.value()) {
        RC_LOG() << "  " << describe(e) << '\n';
        RC_ASSERT(event_time(e) == now);
        ++applied()[std::string(event_name(e))];
    }
    for (const auto& d : w.state.deadlines) RC_ASSERT(d.at >= now);
}

/// A random history under a random preset: each step moves time on (firing what is due) and
/// attempts one command by one actor, checking every property of a step on the way.
World random_history() {
    auto w = start(preset_numbered(uniform(0, 3)));
    RC_TAG(w.policy.name);
    const auto count = *rc::gen::inRange(1, 80);
    const ReplayTenant& focus = replay_tenants[uniform(0, 3)];
    for (int i = 0; i < count; ++i) {
        advance(w, uniform(0, 6) != 0 ? pick(small_steps) : pick(window_steps));
        const ReplayTenant& t = uniform(0, 5) != 0 ? focus : replay_tenants[3];
        const std::string user = pick(t.users);
        attempt(w, user == "support" ? w.support : w.user(user.c_str()), command(w.policy, t));
    }
    return w;
}

}  // namespace

TEST_CASE(
    "property: random histories replay to the same state, check agrees with decide, and "
    "events carry now or a fired deadline's time",
    "[property]") {
    applied().clear();
    const bool ok = rc::check("replayed history equals the state", [] {
        auto w = random_history();
        State replayed;
        calltrack::apply(replayed, w.history);
        RC_ASSERT(replayed == w.state);
        RC_ASSERT(w.replays_to_same_state());
    });
    CHECK(ok);
    INFO("applied events: " << [] {
        std::string out;
        for (const auto& [name, n] : applied()) out += name + "=" + std::to_string(n) + " ";
        return out;
    }());
    std::size_t lifecycle = 0;
    for (const char* name :
         {"account_paused", "account_resumed", "account_canceled", "account_reactivated",
          "agency_canceled", "tracking_paused", "calls_stopped", "number_restored",
          "refund_requested", "port_out_completed", "pause_maximum_reached"}) {
        lifecycle += applied()[name];
    }
    CHECK(lifecycle >= 10);
}

TEST_CASE(
    "property: deadlines fire the same events whether time moves in one jump or in many "
    "steps",
    "[property]") {
    const bool ok = rc::check("one advance equals many smaller ones", [] {
        const auto w = random_history();
        World once = w;
        World stepwise = w;
        const Duration total = days(uniform(1, 400)) + seconds(uniform(0, 86'400));
        const int pieces = uniform(2, 10);

        once.advance(total);
        for (int k = 1; k <= pieces; ++k) stepwise.advance_to(w.now + total * k / pieces);

        RC_ASSERT(stepwise.now == once.now);
        RC_ASSERT(stepwise.history == once.history);
        RC_ASSERT(stepwise.state == once.state);
    });
    CHECK(ok);
}

TEST_CASE(
    "property: a lifecycle command after a deadline is allowed or refused the same whether "
    "or not the host has fired the deadline",
    "[property]") {
    const bool ok = rc::check("judged the same before and after firing", [] {
        const auto w = random_history();
        World fired = w;
        World unfired = w;
        const Duration by = pick(window_steps) + pick(window_steps);
        fired.advance(by);
        unfired.now = w.now + by;
        for (int i = 0; i < 10; ++i) {
            const ReplayTenant& t = pick(replay_tenants);
            const std::string user = pick(t.users);
            const Actor actor = user == "support" ? w.support : w.user(user.c_str());
            const Command c = command(w.policy, t);
            if (operation_of(c) < Operation::pause_tracking) continue;  // provisioning
            const auto after = fired.check(actor, c);
            const auto before = unfired.check(actor, c);
            RC_LOG() << to_string(operation_of(c)) << " by " << user << ": fired "
                     << (after.is_allowed() ? "allowed" : after.refusals.front().detail)
                     << ", not fired "
                     << (before.is_allowed() ? "allowed" : before.refusals.front().detail) << '\n';
            RC_ASSERT(after.is_allowed() == before.is_allowed());
        }
    });
    CHECK(ok);
}

TEST_CASE("replay equality covers every part of the state, the phone-number index included",
          "[property]") {
    auto w = start(policies::ctm());
    REQUIRE(w.replays_to_same_state());

    State broken = w.state;
    broken.number_by_phone.erase(phone("+14045550101"));

    CHECK(broken != w.state);
}
