#include <calltrack/json.hpp>
#include <calltrack/typed_effect.hpp>

#include "lifecycle_fixture.hpp"

#include <rapidcheck.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

Currency currency(const char* code) {
    return Currency::parse(code).value();
}

const AccountId beta{"beta"};
const AgencyId first_agency{"agency-1"};
const AgencyId other_agency{"agency-2"};
const NumberId n1{"n1"};
const NumberId n2{"n2"};
const UserId ann_id{"ann"};
const UserId bob_id{"bob"};

/// Every part of a confirmation set, so a member the codec forgot cannot round-trip.
Confirmation full_confirmation() {
    Confirmation c;
    c.clicked = true;
    c.typed = "CONFIRM";
    c.acknowledged = {"numbers_released", "data_purged"};
    c.terms_accepted = true;
    c.reasons = {"too expensive", "moving to \"another\" vendor"};
    c.billing_details_entered = true;
    return c;
}

Plan growth_plan() {
    return Plan{"growth", {"form_tracking", "conversation_intelligence"}};
}

/// One of each Command alternative, in variant order, with every member set.
std::vector<Command> one_of_each_command() {
    const Confirmation c = full_confirmation();
    const RoleGrant grant{Role::administrator, Scope{acme}};
    return {
        commands::CreateAgency{first_agency, currency("EUR")},
        commands::OpenAccount{acme, first_agency, growth_plan(), currency("USD")},
        commands::AddTrackingNumber{n1, acme, phone("+14045550101"), phone("+14045550199"),
                                    NumberSource::onsite_dynamic},
        commands::ChangeForwarding{n1, phone("+442079460000")},
        commands::SetPlan{acme, growth_plan()},
        commands::AdjustBalance{BalanceOwner{first_agency}, dollars(-1250)},
        commands::GrantRole{ann_id, grant},
        commands::RevokeRole{bob_id, RoleGrant{Role::support, Scope{Platform{}}}},
        commands::PauseTracking{acme, n1, c},
        commands::ResumeTracking{acme, n2, c},
        commands::StopCalls{acme, n1, c},
        commands::ResumeCalls{acme, n2, c},
        commands::PauseAccount{acme, c},
        commands::ResumeAccount{acme, c},
        commands::CancelAccount{acme, c},
        commands::CloseSubAccount{beta, c},
        commands::CancelAgency{first_agency, c},
        commands::CloseAccount{acme, c},
        commands::ReopenAccount{acme, c},
        commands::ReactivateAccount{beta, c},
        commands::ReactivateAgency{first_agency, c},
        commands::RestoreNumber{n1},
        commands::RequestRefund{BalanceOwner{acme}},
        commands::StartPortOut{n1},
        commands::CompletePortOut{n1},
        commands::AbandonPortOut{n2},
        commands::RequestTransfer{beta, other_agency},
        commands::ApproveTransfer{beta},
        commands::RefuseTransfer{beta},
        commands::WithdrawTransfer{beta},
        commands::RecordSurvey{acme, SurveyOutcome::book_meeting},
        commands::ChargeUsage{acme, dollars(125)},
        commands::ChargeRenewal{acme, {n1, n2}, dollars(600)},
    };
}

/// One of each Event alternative, in variant order, with every member and optional set.
std::vector<Event> one_of_each_event() {
    const Time t = at("2024-03-01T12:30:00Z");
    const Time later = at("2024-04-01T00:00:00.250000Z");
    const Charges billed{Charge::subscription, Charge::usage};
    const RoleGrant grant{Role::agency_administrator, Scope{first_agency}};
    return {
        events::AgencyCreated{first_agency, dollars(5000), billed, t},
        events::AccountOpened{acme, first_agency, growth_plan(), dollars(100), billed, t},
        events::TrackingNumberAdded{n1, acme, phone("+14045550101"), phone("+14045550199"),
                                    NumberSource::onsite_dynamic, t},
        events::ForwardingChanged{n1, phone("+14045550198"), t},
        events::PlanChanged{acme, growth_plan(), t},
        events::BalanceAdjusted{BalanceOwner{acme}, dollars(-300), t},
        events::RoleGranted{ann_id, grant, t},
        events::RoleRevoked{bob_id, RoleGrant{Role::account_owner, Scope{acme}}, t},
        events::TrackingPaused{acme, n1, t},
        events::TrackingResumed{acme, n1, t},
        events::CallsStopped{acme, n2, t},
        events::CallsResumed{acme, n2, t},
        events::AccountPaused{acme, growth_plan(), true, later, t},
        events::NumbersHeld{acme, {n1, n2}, t},
        events::AccountResumed{acme, t},
        events::NumbersReactivated{acme, {n2, n1}, t},
        events::PlanRestored{acme, growth_plan(), t},
        events::NumberReleased{n1, acme, t},
        events::NumberRestored{n1, acme, true, t},
        events::AccountCanceled{acme, CancelKind::agency_cascade, {"price"}, later, later, t},
        events::AgencyCanceled{first_agency, {"closing shop"}, {acme, beta}, later, t},
        events::AccountReactivated{acme, t},
        events::AgencyReactivated{first_agency, t},
        events::BillingChanged{BalanceOwner{first_agency}, Charges{Charge::hold_fee}, true, t},
        events::DataPurgeScheduled{acme, later, t},
        events::DataPurgeCanceled{acme, t},
        events::DataPurged{acme, t},
        events::BalanceRefundable{BalanceOwner{acme}, dollars(999), later, t},
        events::BalanceReinstated{BalanceOwner{first_agency}, t},
        events::RefundRequested{BalanceOwner{acme}, dollars(999), t},
        events::BalanceForfeited{BalanceOwner{first_agency}, Money(70, currency("JPY")), t},
        events::PortOutStarted{n1, t},
        events::PortOutCompleted{n1, t},
        events::PortOutAbandoned{n2, t},
        events::TransferRequested{beta, first_agency, other_agency, other_agency, ann_id, t, t},
        events::TransferApproved{beta, bob_id, t},
        events::TransferRefused{beta, ann_id, t},
        events::TransferWithdrawn{beta, t},
        events::TransferExpired{beta, t},
        events::TransferDropped{beta, t},
        events::SubAccountTransferred{beta, first_agency, other_agency, t},
        events::SurveyRecorded{acme, SurveyOutcome::confirm, t},
        events::AccountClosed{acme, t},
        events::AgencyClosed{first_agency, t},
        events::RestoreWindowClosed{acme, t},
        events::PauseMaximumReached{acme, t},
        events::LinkedSubscriptionCanceled{acme, "smrtdialer", t},
        events::UsageCharged{acme, dollars(125), t},
        events::RenewalCharged{acme, {n1, n2}, dollars(600), t},
        events::RenewalUnpaid{acme, {n2}, dollars(300), t},
        events::SuspendedForBalance{acme, dollars(-25), t},
        events::SuspensionLifted{acme, dollars(475), t},
    };
}

constexpr EffectKind all_effect_kinds[] = {
    EffectKind::release_number,       EffectKind::hold_number,
    EffectKind::reactivate_number,    EffectKind::restore_number,
    EffectKind::update_forwarding,    EffectKind::stop_swapping,
    EffectKind::resume_swapping,      EffectKind::stop_routing_calls,
    EffectKind::resume_routing_calls, EffectKind::suspend_reports,
    EffectKind::restore_reports,      EffectKind::change_billing,
    EffectKind::final_usage_invoice,  EffectKind::purge_call_data,
    EffectKind::refund_balance,       EffectKind::forfeit_balance,
    EffectKind::port_out_number,      EffectKind::cancel_linked_subscription,
};
static_assert(std::size(all_effect_kinds) == std::variant_size_v<TypedEffect>,
              "every effect kind is tested");

Account full_account() {
    Account a;
    a.id = beta;
    a.agency = first_agency;
    a.status = AccountStatus::canceled;
    a.plan = growth_plan();
    a.plan_before_pause = Plan{"starter", {}};
    a.is_tracking_paused = true;
    a.are_calls_stopped = true;
    a.has_report_access = false;
    a.charges = Charges{Charge::number_renewals, Charge::hold_fee};
    a.balance = Balance{dollars(4200), BalanceStatus::refundable, at("2024-06-01T00:00:00Z")};
    a.survey = SurveyOutcome::keep_account;
    a.was_canceled_with_agency = true;
    a.data = DataStatus::purge_scheduled;
    a.data_purge_at = at("2024-09-01T00:00:00Z");
    a.reactivation_until = at("2024-05-01T00:00:00Z");
    a.restore_until = at("2024-03-31T00:00:00Z");
    a.pause_until = at("2024-12-01T00:00:00Z");
    a.suspended_for_balance_at = at("2024-02-15T00:00:00Z");
    a.timeline = AccountTimeline{at("2023-01-01T00:00:00Z"),        at("2023-06-01T00:00:00Z"),
                                 at("2023-07-01T00:00:00Z"),        at("2024-03-01T00:00:00Z"),
                                 at("2024-03-02T00:00:00.000001Z"), at("2024-08-01T00:00:00Z"),
                                 at("2024-09-01T00:00:00Z"),        at("2024-02-01T00:00:00Z")};
    return a;
}

/// Only what has no optional: a standalone account just opened.
Account bare_account() {
    Account a;
    a.id = acme;
    a.plan = Plan{"starter", {}};
    a.balance.available = dollars(0);
    a.timeline.opened_at = at("2024-01-01T00:00:00Z");
    return a;
}

Agency full_agency() {
    Agency a;
    a.id = first_agency;
    a.status = AgencyStatus::canceled;
    a.charges = Charges{Charge::subscription};
    a.balance = Balance{dollars(10), BalanceStatus::refund_requested, at("2024-06-01T00:00:00Z")};
    a.cancel_reasons = {"merged", "price"};
    a.reactivation_until = at("2024-05-01T00:00:00Z");
    a.created_at = at("2020-01-01T00:00:00Z");
    a.canceled_at = at("2024-03-01T00:00:00Z");
    a.reactivated_at = at("2024-02-01T00:00:00Z");
    a.closed_at = at("2024-05-01T00:00:00Z");
    return a;
}

TrackingNumber number_with(std::optional<Time> released_at) {
    return TrackingNumber{n1,
                          acme,
                          phone("+14045550101"),
                          phone("+14045550199"),
                          NumberSource::onsite_dynamic,
                          released_at ? NumberStatus::released : NumberStatus::port_out_pending,
                          true,
                          true,
                          released_at};
}

/// The refusal of `text` by `parse`, with its diagnostic.
template <class Parse>
std::pair<boost::system::error_code, JsonDiagnostic> refusal(Parse parse, std::string_view text) {
    JsonDiagnostic diagnostic;
    const auto parsed = parse(text, &diagnostic);
    REQUIRE_FALSE(parsed);
    return {parsed.error(), diagnostic};
}

auto command_refusal(std::string_view text) {
    return refusal([](std::string_view t, JsonDiagnostic* d) { return command_from_json(t, d); },
                   text);
}

}  // namespace

TEST_CASE("every command round-trips through JSON", "[json]") {
    const auto all = one_of_each_command();
    REQUIRE(all.size() == std::variant_size_v<Command>);
    std::set<std::size_t> alternatives;
    for (const Command& command : all) {
        alternatives.insert(command.index());
        const std::string text = to_json(command);
        INFO(text);
        const auto back = command_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == command);
        CHECK(to_json(back.value()) == text);
    }
    CHECK(alternatives.size() == std::variant_size_v<Command>);
}

TEST_CASE("commands with their optional members unset round-trip", "[json]") {
    const std::vector<Command> all = {
        commands::OpenAccount{acme, std::nullopt, Plan{"starter", {}}, currency("USD")},
        commands::PauseTracking{acme, std::nullopt, Confirmation{}},
        commands::StopCalls{acme, std::nullopt, Confirmation{}},
    };
    for (const Command& command : all) {
        const std::string text = to_json(command);
        INFO(text);
        CHECK(text.find("\"agency\"") == std::string::npos);
        CHECK(text.find("\"number\"") == std::string::npos);
        const auto back = command_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == command);
    }
}

TEST_CASE("every event round-trips through JSON", "[json]") {
    const auto all = one_of_each_event();
    REQUIRE(all.size() == std::variant_size_v<Event>);
    std::set<std::size_t> alternatives;
    for (const Event& event : all) {
        alternatives.insert(event.index());
        const std::string text = to_json(event);
        INFO(text);
        CHECK(text.rfind("{\"event\":\"" + std::string(event_name(event)) + "\"", 0) == 0);
        const auto back = event_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == event);
        CHECK(to_json(back.value()) == text);
    }
    CHECK(alternatives.size() == std::variant_size_v<Event>);
}

TEST_CASE("events with their optional members unset round-trip", "[json]") {
    const Time t = at("2024-03-01T12:30:00Z");
    const std::vector<Event> all = {
        events::AccountOpened{acme, std::nullopt, Plan{"starter", {}}, dollars(0), Charges{}, t},
        events::TrackingPaused{acme, std::nullopt, t},
        events::AccountPaused{acme, Plan{"starter", {}}, false, std::nullopt, t},
        events::NumbersHeld{acme, {}, t},
        events::AccountCanceled{acme, CancelKind::cancel, {}, std::nullopt, std::nullopt, t},
        events::AgencyCanceled{first_agency, {}, {}, std::nullopt, t},
        events::BalanceRefundable{BalanceOwner{first_agency}, dollars(1), std::nullopt, t},
    };
    for (const Event& event : all) {
        const std::string text = to_json(event);
        INFO(text);
        CHECK(text.find("_until\"") == std::string::npos);
        const auto back = event_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == event);
    }
}

// An effect's JSON carries only the members of its kind (typed_effect.hpp): `full` sets every
// member of HostEffect, and its text is that of the same effect with only its kind's members.
TEST_CASE("every kind of host effect round-trips with its own members, set and unset", "[json]") {
    for (const EffectKind kind : all_effect_kinds) {
        HostEffect needed;
        needed.kind = kind;
        needed.at = at("2024-03-01T00:00:00Z");
        needed.account = acme;
        needed.number = n1;
        needed.amount = dollars(-5);
        needed.subscription = "smrtdialer";
        HostEffect full = needed;
        full.phone_number = phone("+14045550101");
        full.forwarding_destination = phone("+14045550199");
        full.charges = Charges{Charge::usage, Charge::hold_fee};
        full.hold_fee = dollars(500);
        full.carrier_level = true;
        std::vector<HostEffect> cases{needed, full};
        const bool owned =
            kind == EffectKind::change_billing || kind == EffectKind::final_usage_invoice
            || kind == EffectKind::refund_balance || kind == EffectKind::forfeit_balance;
        if (owned) {  // billed or paid to an agency rather than an account
            cases.push_back(full);
            cases.back().account.reset();
            cases.back().agency = first_agency;
        }
        for (const HostEffect& given : cases) {
            const HostEffect own = untyped(typed(given));
            CHECK(own.kind == kind);
            const std::string text = to_json(given);
            INFO(text);
            CHECK(text.rfind("{\"effect\":\"" + std::string(to_string(kind)) + "\"", 0) == 0);
            CHECK(text == to_json(own));
            const auto back = effect_from_json(text);
            REQUIRE(back);
            CHECK(back.value() == own);
        }
    }
}

TEST_CASE("an effect's JSON holds only its kind's members, and the reader refuses any other",
          "[json]") {
    HostEffect release;
    release.kind = EffectKind::release_number;
    release.number = n1;
    release.account = acme;
    release.at = at("2024-03-01T00:00:00Z");
    CHECK(
        to_json(release)
        == R"({"effect":"release_number","account":"acme","number":"n1","at":"2024-03-01T00:00:00Z"})");

    HostEffect billing;
    billing.kind = EffectKind::change_billing;
    billing.account = acme;
    billing.charges = Charges{Charge::hold_fee};
    billing.hold_fee = dollars(500);
    billing.at = release.at;
    CHECK(to_json(billing)
          == R"({"effect":"change_billing","account":"acme","charges":["hold_fee"],)"
             R"("hold_fee":{"minor_units":500,"currency":"USD"},"at":"2024-03-01T00:00:00Z"})");

    JsonDiagnostic d;
    const auto charged = effect_from_json(
        R"({"effect":"release_number","number":"n1","charges":["usage"],"at":"2024-03-01T00:00:00Z"})",
        &d);
    REQUIRE_FALSE(charged);
    CHECK(charged.error() == errc::json_invalid_field);
    CHECK(d.field == "charges");
    CHECK(d.problem
          == R"("charges" does not apply to a release_number effect, which has "account", )"
             R"("number", "phone_number", "forwarding_destination", "at")");

    const auto numberless =
        effect_from_json(R"({"effect":"release_number","at":"2024-03-01T00:00:00Z"})", &d);
    REQUIRE_FALSE(numberless);
    CHECK(d.field == "number");
    CHECK(d.problem == R"(missing key "number"; a release_number effect needs it)");

    const auto two_owners = effect_from_json(
        R"({"effect":"refund_balance","account":"acme","agency":"umbrella",)"
        R"("amount":{"minor_units":5,"currency":"USD"},"at":"2024-03-01T00:00:00Z"})",
        &d);
    REQUIRE_FALSE(two_owners);
    CHECK(d.field == "account");
    CHECK(d.problem == R"(a refund_balance effect has exactly one owner: "account" or "agency")");

    // What calltrack wrote before each kind had its own members: an empty "charges" and a false
    // "carrier_level" on every effect. An outbox or receipt from then still reads.
    const auto earlier = effect_from_json(
        R"({"effect":"release_number","account":"acme","number":"n1","charges":[],)"
        R"("carrier_level":false,"at":"2024-03-01T00:00:00Z"})");
    REQUIRE(earlier);
    CHECK(earlier.value() == release);
}

TEST_CASE("accounts round-trip with every optional set and with none", "[json]") {
    for (const Account& account : {full_account(), bare_account()}) {
        const std::string text = to_json(account);
        INFO(text);
        const auto back = account_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == account);
    }
    CHECK(to_json(bare_account())
          == R"({"id":"acme","status":"active","plan":{"name":"starter","add_ons":[]},)"
             R"("is_tracking_paused":false,"are_calls_stopped":false,"has_report_access":true,)"
             R"("charges":[],"balance":{"available":{"minor_units":0,"currency":"USD"},)"
             R"("status":"in_use"},"was_canceled_with_agency":false,"data":"retained",)"
             R"("timeline":{"opened_at":"2024-01-01T00:00:00Z"}})");
}

TEST_CASE("agencies and tracking numbers round-trip with every optional set and with none",
          "[json]") {
    Agency bare;
    bare.id = other_agency;
    bare.created_at = at("2021-01-01T00:00:00Z");
    for (const Agency& a : {full_agency(), bare}) {
        const std::string text = to_json(a);
        INFO(text);
        const auto back = agency_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == a);
    }
    for (const TrackingNumber& n :
         {number_with(at("2024-03-01T00:00:00Z")), number_with(std::nullopt)}) {
        const std::string text = to_json(n);
        INFO(text);
        const auto back = number_from_json(text);
        REQUIRE(back);
        CHECK(back.value() == n);
    }
}

TEST_CASE("role grants round-trip with each kind of scope", "[json]") {
    const std::vector<RoleGrant> grants = {
        RoleGrant{Role::administrator, Scope{acme}},
        RoleGrant{Role::agency_administrator, Scope{first_agency}},
        RoleGrant{Role::support, Scope{Platform{}}},
    };
    const std::string text = to_json(grants);
    CHECK(text
          == R"([{"role":"administrator","scope":{"account":"acme"}},)"
             R"({"role":"agency_administrator","scope":{"agency":"agency-1"}},)"
             R"({"role":"support","scope":"platform"}])");
    const auto back = grants_from_json(text);
    REQUIRE(back);
    CHECK(back.value() == grants);
    CHECK(to_json(std::vector<RoleGrant>{}) == "[]");
    CHECK(grants_from_json("[]").value().empty());
}

TEST_CASE("the text is canonical: compact, in declaration order, equal values give equal bytes",
          "[json]") {
    const Command a = commands::CancelAccount{AccountId{"acme"}, full_confirmation()};
    const Command b = commands::CancelAccount{acme, full_confirmation()};
    CHECK(to_json(a) == to_json(b));
    CHECK(to_json(a)
          == R"({"command":"cancel_account","account":"acme","confirmation":{"clicked":true,)"
             R"("typed":"CONFIRM","acknowledged":["numbers_released","data_purged"],)"
             R"("terms_accepted":true,"reasons":["too expensive","moving to \"another\" vendor"],)"
             R"("billing_details_entered":true}})");
    const Event canceled = events::AccountCanceled{acme,
                                                   CancelKind::cancel,
                                                   {"too expensive"},
                                                   at("2024-04-01T00:00:00Z"),
                                                   at("2024-03-31T00:00:00Z"),
                                                   at("2024-03-01T12:30:00Z")};
    CHECK(to_json(canceled)
          == R"({"event":"account_canceled","account":"acme","kind":"cancel",)"
             R"("reasons":["too expensive"],"reactivation_until":"2024-04-01T00:00:00Z",)"
             R"("restore_until":"2024-03-31T00:00:00Z","at":"2024-03-01T12:30:00Z"})");
    // Keys written in another order or with whitespace read back to the same canonical text.
    const auto reordered = command_from_json(R"({ "account": "acme", "command": "cancel_account",
        "confirmation": { "billing_details_entered": true, "reasons":
        ["too expensive", "moving to \"another\" vendor"], "terms_accepted": true,
        "acknowledged": ["numbers_released", "data_purged"], "typed": "CONFIRM",
        "clicked": true } })");
    REQUIRE(reordered);
    CHECK(to_json(reordered.value()) == to_json(a));
}

namespace {

/// What nlohmann writes for the document `text` holds: compact, keys in the text's order. The
/// writer puts its text together itself, so this is the check that it is byte for byte what
/// nlohmann's dump of the same document gives (and gave, when the writer built the document).
std::string nlohmann_dump(const std::string& text) {
    using Json = nlohmann::ordered_json;
    return Json::parse(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("the text is byte for byte nlohmann's compact dump of the same document", "[json]") {
    std::vector<std::string> texts;
    for (const Command& c : one_of_each_command()) texts.push_back(to_json(c));
    for (const Event& e : one_of_each_event()) texts.push_back(to_json(e));
    for (const EffectKind kind : all_effect_kinds) {
        HostEffect e;
        e.kind = kind;
        e.at = at("2024-03-01T00:00:00.000250Z");
        texts.push_back(to_json(e));
        e.account = acme;
        e.agency = first_agency;
        e.number = n1;
        e.phone_number = phone("+14045550101");
        e.forwarding_destination = phone("+14045550199");
        e.charges = Charges{Charge::usage, Charge::hold_fee};
        e.amount = Money(std::numeric_limits<std::int64_t>::min(), currency("USD"));
        e.carrier_level = true;
        texts.push_back(to_json(e));
    }
    Account awkward = full_account();
    // Every byte that needs escaping, a DEL, valid UTF-8 of every length and invalid UTF-8
    // (replaced by U+FFFD the way nlohmann replaces it).
    std::string every_control;
    for (char c = 1; c < 0x20; ++c) every_control += c;
    awkward.plan.name = every_control + "\"\\/\x7f caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x8e\x89";
    awkward.plan.add_ons = {"", "bad \xff byte", "cut \xe6\x9d", "\xc0\xaf overlong", "plain"};
    awkward.balance.available = Money(std::numeric_limits<std::int64_t>::max(), currency("EUR"));
    for (const Account& a : {full_account(), bare_account(), awkward}) texts.push_back(to_json(a));
    texts.push_back(to_json(full_agency()));
    texts.push_back(to_json(number_with(at("2024-03-01T00:00:00Z"))));
    texts.push_back(to_json(number_with(std::nullopt)));
    texts.push_back(to_json(std::vector<RoleGrant>{
        RoleGrant{Role::administrator, Scope{acme}}, RoleGrant{Role::support, Scope{Platform{}}},
        RoleGrant{Role::agency_administrator, Scope{first_agency}}}));
    texts.push_back(to_json(std::vector<RoleGrant>{}));
    for (const std::string& text : texts) {
        INFO(text);
        CHECK(text == nlohmann_dump(text));
    }
    CHECK(to_json(awkward).find("\"\\u0001\\u0002") != std::string::npos);
    CHECK(to_json(awkward).find("bad \xef\xbf\xbd byte") != std::string::npos);
}

TEST_CASE("command_name is the operation name, and the discriminator", "[json]") {
    for (const Command& command : one_of_each_command()) {
        const std::string_view name = command_name(command);
        CHECK(name == to_string(operation_of(command)));
        CHECK(to_json(command).rfind("{\"command\":\"" + std::string(name) + "\"", 0) == 0);
    }
    CHECK(command_name(commands::CancelAccount{acme, {}}) == "cancel_account");
}

TEST_CASE("a person's command may leave out the confirmation, or any key inside it", "[json]") {
    const auto bare = command_from_json(R"({"command":"cancel_account","account":"acme"})");
    REQUIRE(bare);
    CHECK(bare.value() == Command{commands::CancelAccount{acme, Confirmation{}}});

    const auto typed = command_from_json(
        R"({"command":"cancel_account","account":"acme","confirmation":{"typed":"CONFIRM"}})");
    REQUIRE(typed);
    Confirmation expected;
    expected.typed = "CONFIRM";
    CHECK(typed.value() == Command{commands::CancelAccount{acme, expected}});

    const auto no_number =
        command_from_json(R"({"command":"pause_tracking","account":"acme","number":null})");
    REQUIRE(no_number);
    CHECK(no_number.value() == Command{commands::PauseTracking{acme, std::nullopt, {}}});

    // Phone numbers as people write them; the canonical text has the E.164 form.
    const auto added = command_from_json(
        R"({"command":"add_tracking_number","number":"n1","account":"acme",)"
        R"("phone_number":"+1 (404) 555-0101","forwarding_destination":"+1.404.555.0199",)"
        R"("source":"offsite"})");
    REQUIRE(added);
    CHECK(added.value()
          == Command{commands::AddTrackingNumber{n1, acme, phone("+14045550101"),
                                                 phone("+14045550199"), NumberSource::offsite}});
    CHECK(to_json(added.value()).find("\"phone_number\":\"+14045550101\"") != std::string::npos);
}

TEST_CASE("records and events must carry every key that is not optional", "[json]") {
    // The leniency is for commands' confirmations only.
    std::string text = to_json(bare_account());
    const std::string key = R"("has_report_access":true,)";
    text.erase(text.find(key), key.size());
    JsonDiagnostic diagnostic;
    const auto account = account_from_json(text, &diagnostic);
    REQUIRE_FALSE(account);
    CHECK(account.error() == errc::json_invalid_field);
    CHECK(diagnostic.field == "has_report_access");

    const auto event =
        event_from_json(R"({"event":"account_closed","account":"acme"})", &diagnostic);
    REQUIRE_FALSE(event);
    CHECK(event.error() == errc::json_invalid_field);
    CHECK(diagnostic.field == "at");
    CHECK(diagnostic.problem == R"(missing key "at"; it is required)");
}

TEST_CASE("property: accounts with generated values round-trip exactly", "[json][property]") {
    const auto text = [] {
        return *rc::gen::oneOf(
            rc::gen::container<std::string>(rc::gen::inRange<char>(0, 127)),
            rc::gen::elementOf(std::vector<std::string>{"café", "東京", "🎉 party", "tab\there",
                                                        "\"quoted\" \\ slash", ""}));
    };
    const auto id_text = [] {
        return *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(33, 127)));
    };
    const auto time = [] {
        const auto day = *rc::gen::inRange(0, 365 * 200);
        const auto micros = *rc::gen::inRange<std::int64_t>(0, 86'400'000'000LL);
        return Time(boost::gregorian::date(1970, 1, 1) + boost::gregorian::days(day),
                    boost::posix_time::microseconds(micros));
    };
    const auto maybe_time = [&]() -> std::optional<Time> {
        if (*rc::gen::arbitrary<bool>()) return time();
        return std::nullopt;
    };
    const auto money = [] {
        return Money(*rc::gen::arbitrary<std::int64_t>(),
                     currency(*rc::gen::element("USD", "EUR", "JPY", "XXX")));
    };
    const auto plan = [&] {
        Plan p;
        p.name = text();
        const auto count = *rc::gen::inRange(0, 3);
        for (int i = 0; i < count; ++i) p.add_ons.push_back(text());
        return p;
    };
    const bool ok = rc::check("account_from_json(to_json(a)) == a", [&] {
        Account a;
        a.id = AccountId(id_text());
        if (*rc::gen::arbitrary<bool>()) a.agency = AgencyId(id_text());
        a.status = *rc::gen::element(AccountStatus::active, AccountStatus::paused,
                                     AccountStatus::canceled, AccountStatus::closed);
        a.plan = plan();
        if (*rc::gen::arbitrary<bool>()) a.plan_before_pause = plan();
        a.is_tracking_paused = *rc::gen::arbitrary<bool>();
        a.are_calls_stopped = *rc::gen::arbitrary<bool>();
        a.has_report_access = *rc::gen::arbitrary<bool>();
        for (const Charge c : all_charges) {
            if (*rc::gen::arbitrary<bool>()) a.charges.insert(c);
        }
        a.balance.available = money();
        a.balance.status =
            *rc::gen::element(BalanceStatus::in_use, BalanceStatus::refundable,
                              BalanceStatus::refund_requested, BalanceStatus::forfeited);
        a.balance.refundable_until = maybe_time();
        if (*rc::gen::arbitrary<bool>()) {
            a.survey = *rc::gen::element(SurveyOutcome::keep_account, SurveyOutcome::book_meeting,
                                         SurveyOutcome::confirm);
        }
        a.was_canceled_with_agency = *rc::gen::arbitrary<bool>();
        a.data = *rc::gen::element(DataStatus::retained, DataStatus::purge_scheduled,
                                   DataStatus::purged);
        a.data_purge_at = maybe_time();
        a.reactivation_until = maybe_time();
        a.restore_until = maybe_time();
        a.pause_until = maybe_time();
        a.suspended_for_balance_at = maybe_time();
        a.timeline = AccountTimeline{time(),       maybe_time(), maybe_time(), maybe_time(),
                                     maybe_time(), maybe_time(), maybe_time(), maybe_time()};

        const std::string json = to_json(a);
        const auto back = account_from_json(json);
        RC_ASSERT(back.has_value());
        RC_ASSERT(back.value() == a);
        RC_ASSERT(to_json(back.value()) == json);
        RC_ASSERT(nlohmann_dump(json) == json);
    });
    CHECK(ok);
}

TEST_CASE("text that is not JSON is refused as json_malformed", "[json]") {
    for (const char* bad : {"", "{", "{\"command\":\"cancel_account\",}", "[1, 2", "nul",
                            "{\"command\":\"cancel_account\"} trailing"}) {
        INFO("input: " << bad);
        const auto [code, diagnostic] = command_refusal(bad);
        CHECK(code == errc::json_malformed);
        CHECK(diagnostic.field.empty());
        CHECK(diagnostic.problem.rfind("not valid JSON: parse error at line 1, column ", 0) == 0);
    }
    const auto [code, diagnostic] =
        command_refusal(R"({"command":"cancel_account","account":"acme","account":"beta"})");
    CHECK(code == errc::json_malformed);
    CHECK(diagnostic.field == "account");
    CHECK(diagnostic.problem.find("appears twice") != std::string::npos);

    // The path names the element of an array the repeated key sits in.
    JsonDiagnostic d;
    CHECK(grants_from_json(R"([{"role":"support","scope":"platform"},)"
                           R"({"role":"support","role":"administrator","scope":"platform"}])",
                           &d)
              .error()
          == errc::json_malformed);
    CHECK(d.field == "[1].role");
    CHECK(command_refusal(R"({"command":"cancel_account","account":"acme",)"
                          R"("confirmation":{"reasons":["a",{"x":1,"x":2}]}})")
              .second.field
          == "confirmation.reasons[1].x");
}

TEST_CASE("an unknown command name is refused, naming the command field", "[json]") {
    const auto [code, diagnostic] =
        command_refusal(R"({"command":"cancle_account","account":"acme"})");
    CHECK(code == errc::json_invalid_field);
    CHECK(diagnostic.field == "command");
    CHECK(diagnostic.problem
          == R"(unknown command "cancle_account"; did you mean "cancel_account"?)");

    const auto far = command_refusal(R"({"command":"explode","account":"acme"})");
    CHECK(far.second.problem.rfind(
              R"(unknown command "explode"; expected one of "create_agency", )", 0)
          == 0);

    const auto missing = command_refusal(R"({"account":"acme"})");
    CHECK(missing.first == errc::json_invalid_field);
    CHECK(missing.second.field == "command");

    JsonDiagnostic d;
    CHECK(event_from_json(R"({"event":"account_cancelled","account":"acme"})", &d).error()
          == errc::json_invalid_field);
    CHECK(d.field == "event");
    CHECK(d.problem == R"(unknown event "account_cancelled"; did you mean "account_canceled"?)");
    CHECK(effect_from_json(R"({"effect":"relase_number","at":"2024-01-01T00:00:00Z"})", &d).error()
          == errc::json_invalid_field);
    CHECK(d.field == "effect");
    CHECK(d.problem == R"(unknown value "relase_number"; did you mean "release_number"?)");
}

TEST_CASE("a misspelt key is refused in a command and in its confirmation", "[json]") {
    const auto top = command_refusal(R"({"command":"cancel_account","acount":"acme"})");
    CHECK(top.first == errc::json_unknown_field);
    CHECK(top.second.field == "acount");
    CHECK(top.second.problem == R"(unknown key "acount"; did you mean "account"?)");

    const auto nested = command_refusal(
        R"({"command":"cancel_account","account":"acme","confirmation":{"typd":"CONFIRM"}})");
    CHECK(nested.first == errc::json_unknown_field);
    CHECK(nested.second.field == "confirmation.typd");
    CHECK(nested.second.problem == R"(unknown key "typd"; did you mean "typed"?)");

    // A key from another command is as unknown as a typo.
    const auto foreign =
        command_refusal(R"({"command":"restore_number","number":"n1","account":"acme"})");
    CHECK(foreign.first == errc::json_unknown_field);
    CHECK(foreign.second.field == "account");
    CHECK(foreign.second.problem == R"(unknown key "account"; expected one of "number")");

    JsonDiagnostic d;
    CHECK(grants_from_json(R"([{"role":"support","scope":"platform","scoop":1}])", &d).error()
          == errc::json_unknown_field);
    CHECK(d.field == "[0].scoop");
}

TEST_CASE("a command's misspelling is suggested as a scenario's is: a swap is one edit", "[json]") {
    // "tyepd" is two plain edits from "typed" but one swap; names of up to five letters are
    // suggested at one edit.
    const auto swapped = command_refusal(
        R"({"command":"cancel_account","account":"acme","confirmation":{"tyepd":"CONFIRM"}})");
    CHECK(swapped.second.problem == R"(unknown key "tyepd"; did you mean "typed"?)");
}

TEST_CASE("a bad phone number is refused with the phone number's own message", "[json]") {
    const auto [code, diagnostic] = command_refusal(
        R"({"command":"change_forwarding","number":"n1","forwarding_destination":"404 555 0199"})");
    CHECK(code == errc::json_invalid_field);
    CHECK(diagnostic.field == "forwarding_destination");
    CHECK(diagnostic.problem
          == make_error_code(errc::phone_number_missing_plus).message()
                 + R"(; got "404 555 0199")");
    CHECK(diagnostic.problem.rfind("the phone number must start with '+'", 0) == 0);

    JsonDiagnostic d;
    std::string text = to_json(number_with(std::nullopt));
    text.replace(text.find("+14045550101"), 12, "+1404555");
    CHECK(number_from_json(text, &d).error() == errc::json_invalid_field);
    CHECK(d.field == "number");
    CHECK(d.problem.rfind(make_error_code(errc::phone_number_too_short).message(), 0) == 0);
}

TEST_CASE("a bad time is refused with the time's own message", "[json]") {
    JsonDiagnostic d;
    CHECK(event_from_json(R"({"event":"account_closed","account":"acme","at":"yesterday"})", &d)
              .error()
          == errc::json_invalid_field);
    CHECK(d.field == "at");
    CHECK(d.problem == make_error_code(errc::invalid_time).message() + R"(; got "yesterday")");

    std::string text = to_json(full_account());
    text.replace(text.find("2023-06-01T00:00:00Z"), 20, "2023-02-30T00:00:00Z");
    CHECK(account_from_json(text, &d).error() == errc::json_invalid_field);
    CHECK(d.field == "timeline.paused_at");
}

TEST_CASE("a missing required member is refused, naming it", "[json]") {
    const auto [code, diagnostic] = command_refusal(R"({"command":"cancel_account"})");
    CHECK(code == errc::json_invalid_field);
    CHECK(diagnostic.field == "account");
    CHECK(diagnostic.problem == R"(missing key "account"; it is required)");

    const auto money = command_refusal(
        R"({"command":"adjust_balance","owner":{"account":"acme"},"amount":{"minor_units":5}})");
    CHECK(money.first == errc::json_invalid_field);
    CHECK(money.second.field == "amount.currency");
}

TEST_CASE("a value of the wrong type is refused, naming the field and both types", "[json]") {
    const auto id = command_refusal(R"({"command":"cancel_account","account":42})");
    CHECK(id.first == errc::json_invalid_field);
    CHECK(id.second.field == "account");
    CHECK(id.second.problem == "expected an id string, got a number");

    const auto clicked = command_refusal(
        R"({"command":"cancel_account","account":"acme","confirmation":{"clicked":"yes"}})");
    CHECK(clicked.second.field == "confirmation.clicked");
    CHECK(clicked.second.problem == "expected true or false, got a string");

    const auto reasons = command_refusal(
        R"({"command":"cancel_account","account":"acme","confirmation":{"reasons":["ok",7]}})");
    CHECK(reasons.second.field == "confirmation.reasons[1]");

    const auto fraction = command_refusal(R"({"command":"adjust_balance","owner":{"agency":"a"},)"
                                          R"("amount":{"minor_units":1.5,"currency":"USD"}})");
    CHECK(fraction.second.field == "amount.minor_units");
    CHECK(fraction.second.problem == "expected a whole number, got a fractional number");

    const auto top = command_refusal(R"(["cancel_account"])");
    CHECK(top.first == errc::json_invalid_field);
    CHECK(top.second.field.empty());
    CHECK(top.second.problem == "expected an object, got an array");
}

TEST_CASE("bad values inside values are refused: ids, currencies, scopes, names, duplicates",
          "[json]") {
    const auto empty_id = command_refusal(R"({"command":"cancel_account","account":""})");
    CHECK(empty_id.first == errc::json_invalid_field);
    CHECK(empty_id.second.problem.rfind(make_error_code(errc::invalid_id).message(), 0) == 0);

    const auto lower =
        command_refusal(R"({"command":"create_agency","agency":"a","currency":"usd"})");
    CHECK(lower.second.field == "currency");

    const auto both =
        command_refusal(R"({"command":"request_refund","owner":{"account":"a","agency":"b"}})");
    CHECK(both.first == errc::json_invalid_field);
    CHECK(both.second.field == "owner");

    const auto platform_owner =
        command_refusal(R"({"command":"request_refund","owner":"platform"})");
    CHECK(platform_owner.second.field == "owner");

    const auto role = command_refusal(
        R"({"command":"grant_role","user":"ann","grant":{"role":"Admin","scope":"platform"}})");
    CHECK(role.second.field == "grant.role");
    CHECK(role.second.problem.rfind(make_error_code(errc::invalid_role).message(), 0) == 0);

    const auto too_big =
        command_refusal(R"({"command":"adjust_balance","owner":{"agency":"a"},)"
                        R"("amount":{"minor_units":9223372036854775808,"currency":"USD"}})");
    CHECK(too_big.second.field == "amount.minor_units");

    JsonDiagnostic d;
    std::string text = to_json(full_agency());
    text.replace(text.find(R"("charges":["subscription"])"), 26, R"("charges":["usage","usage"])");
    CHECK(agency_from_json(text, &d).error() == errc::json_invalid_field);
    CHECK(d.field == "charges[1]");
}

TEST_CASE("the JSON errors are invalid input that retrying cannot fix", "[json][errors]") {
    for (const errc e :
         {errc::json_malformed, errc::json_unknown_field, errc::json_invalid_field}) {
        const boost::system::error_code ec = e;
        CHECK(ec == condition::invalid_input);
        CHECK_FALSE(is_retryable(ec));
    }
    CHECK(to_string(errc::json_unknown_field) == "json_unknown_field");
}

TEST_CASE("a number beyond a double is refused, naming its field, in every reader", "[json]") {
    // nlohmann throws out_of_range on such a number, not parse_error: it used to abort.
    const auto money = command_refusal(R"({"command":"adjust_balance","owner":{"agency":"a"},)"
                                       R"("amount":{"minor_units":1e400,"currency":"USD"}})");
    CHECK(money.first == errc::json_invalid_field);
    CHECK(money.second.field == "amount.minor_units");
    CHECK(money.second.problem.rfind("1e400 is beyond the range", 0) == 0);

    const auto reason = command_refusal(
        R"({"command":"cancel_account","account":"acme","confirmation":{"reasons":["a",-1e400]}})");
    CHECK(reason.first == errc::json_invalid_field);
    CHECK(reason.second.field == "confirmation.reasons[1]");

    const auto top = command_refusal("1e400");
    CHECK(top.first == errc::json_invalid_field);
    CHECK(top.second.field.empty());

    const auto event =
        refusal([](std::string_view t, JsonDiagnostic* d) { return event_from_json(t, d); },
                R"({"event":"account_resumed","account":1e999,"at":"x"})");
    CHECK(event.first == errc::json_invalid_field);
    CHECK(event.second.field == "account");

    const auto effect =
        refusal([](std::string_view t, JsonDiagnostic* d) { return effect_from_json(t, d); },
                R"({"effect":"refund_balance","amount":{"minor_units":1e400}})");
    CHECK(effect.second.field == "amount.minor_units");

    const auto account =
        refusal([](std::string_view t, JsonDiagnostic* d) { return account_from_json(t, d); },
                R"({"id":"acme","balance":{"available":{"minor_units":2e308,"currency":"USD"}}})");
    CHECK(account.first == errc::json_invalid_field);
    CHECK(account.second.field == "balance.available.minor_units");

    const auto grants =
        refusal([](std::string_view t, JsonDiagnostic* d) { return grants_from_json(t, d); },
                R"([{"role":"administrator","scope":"platform"},{"role":1e400}])");
    CHECK(grants.second.field == "[1].role");
}

TEST_CASE("a whole number beyond 64 bits is called that, not a fractional number", "[json]") {
    const auto big = command_refusal(R"({"command":"adjust_balance","owner":{"agency":"a"},)"
                                     R"("amount":{"minor_units":12345678901234567890123,)"
                                     R"("currency":"USD"}})");
    CHECK(big.first == errc::json_invalid_field);
    CHECK(big.second.field == "amount.minor_units");
    CHECK(big.second.problem.find("fractional") == std::string::npos);
    CHECK(big.second.problem.find("a whole number beyond 64 bits") != std::string::npos);

    const auto id =
        command_refusal(R"({"command":"cancel_account","account":12345678901234567890123})");
    CHECK(id.second.problem == "expected an id string, got a whole number beyond 64 bits");

    const auto exponent = command_refusal(R"({"command":"cancel_account","account":1e3})");
    CHECK(exponent.second.problem
          == "expected an id string, got a number written with a decimal point or an exponent");
}
