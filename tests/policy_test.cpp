#include <calltrack/policy.hpp>

#include <catch2/catch.hpp>

#include <cctype>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using calltrack::BalanceOnCancel;
using calltrack::Charge;
using calltrack::Currency;
using calltrack::DataOnCancel;
using calltrack::errc;
using calltrack::Money;
using calltrack::OnPauseMaximum;
using calltrack::Operation;
using calltrack::operation_count;
using calltrack::parse_time;
using calltrack::Policy;
using calltrack::policy_from_json;
using calltrack::policy_to_json;
using calltrack::PolicyDiagnostic;
using calltrack::Reactivation;
using calltrack::Role;
using calltrack::RoleSet;
using calltrack::validate;
using calltrack::Window;

namespace {

Policy preset(std::string_view name) {
    auto p = calltrack::policies::by_name(name);
    REQUIRE(p);
    return p.value();
}

const char* const preset_names[] = {"callrail", "ctm", "smrtphone"};

/// Finds each anchor in turn, then replaces the first `from` after the last anchor by `to`.
std::string edit(std::string doc, std::initializer_list<std::string_view> anchors,
                 std::string_view from, std::string_view to) {
    std::size_t pos = 0;
    for (const auto anchor : anchors) {
        pos = doc.find(anchor, pos);
        INFO("anchor: " << anchor);
        REQUIRE(pos != std::string::npos);
        pos += anchor.size();
    }
    pos = doc.find(from, pos);
    INFO("text to replace: " << from);
    REQUIRE(pos != std::string::npos);
    doc.replace(pos, from.size(), to);
    return doc;
}

/// Where the JSON value of the first `key` after the anchors starts and ends. Window and money
/// objects hold no nested object, so an object value ends at its first '}'.
std::pair<std::size_t, std::size_t> value_span(const std::string& doc,
                                               std::initializer_list<std::string_view> anchors,
                                               std::string_view key) {
    std::size_t pos = 0;
    for (const auto anchor : anchors) {
        pos = doc.find(anchor, pos);
        INFO("anchor: " << anchor);
        REQUIRE(pos != std::string::npos);
    }
    const std::string quoted_key = "\"" + std::string(key) + "\": ";
    pos = doc.find(quoted_key, pos);
    INFO("key: " << key);
    REQUIRE(pos != std::string::npos);
    pos += quoted_key.size();
    const std::size_t end =
        doc[pos] == '{' ? doc.find('}', pos) + 1 : doc.find_first_of(",\n", pos);
    return {pos, end};
}

/// The JSON value of `key` after the anchors, with whitespace removed.
std::string value_after(const std::string& doc, std::initializer_list<std::string_view> anchors,
                        std::string_view key) {
    const auto [begin, end] = value_span(doc, anchors, key);
    std::string value;
    for (std::size_t i = begin; i < end; ++i) {
        if (!std::isspace(static_cast<unsigned char>(doc[i]))) value += doc[i];
    }
    return value;
}

/// The document with the value of `key` after the anchors replaced by `value`.
std::string with_value(std::string doc, std::initializer_list<std::string_view> anchors,
                       std::string_view key, std::string_view value) {
    const auto [begin, end] = value_span(doc, anchors, key);
    doc.replace(begin, end - begin, value);
    return doc;
}

struct JsonRefusal {
    errc code;
    PolicyDiagnostic diagnostic;
};

JsonRefusal refusal_of_json(const std::string& doc) {
    PolicyDiagnostic diagnostic;
    const auto parsed = policy_from_json(doc, &diagnostic);
    REQUIRE_FALSE(parsed);
    REQUIRE(parsed.error().category() == calltrack::calltrack_category());
    INFO("field: " << diagnostic.field << "; problem: " << diagnostic.problem);
    CHECK_FALSE(diagnostic.problem.empty());
    return {static_cast<errc>(parsed.error().value()), diagnostic};
}

JsonRefusal refusal_of(const Policy& p) {
    PolicyDiagnostic diagnostic;
    const auto valid = validate(p, &diagnostic);
    REQUIRE_FALSE(valid);
    CHECK(valid.error().category() == calltrack::calltrack_category());
    CHECK_FALSE(diagnostic.problem.empty());
    // The same policy, written out and read back, is refused for the same reason.
    PolicyDiagnostic from_json;
    const auto parsed = policy_from_json(policy_to_json(p), &from_json);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == valid.error());
    CHECK(from_json.field == diagnostic.field);
    return {static_cast<errc>(valid.error().value()), diagnostic};
}

}  // namespace

TEST_CASE("operation names are the enumerator names and parse back", "[policy]") {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < operation_count; ++i) {
        const auto op = static_cast<Operation>(i);
        const auto name = to_string(op);
        CHECK(name != "unknown");
        CHECK(seen.insert(name).second);
        const auto parsed = calltrack::parse_operation(name);
        REQUIRE(parsed);
        CHECK(parsed.value() == op);
    }
    CHECK(to_string(Operation::cancel_account) == "cancel_account");
    CHECK(to_string(Operation::request_transfer) == "request_transfer");
    for (const char* bad : {"", "Cancel_Account", "cancel-account", "cancel_account ", "pause"}) {
        INFO("input: '" << bad << "'");
        const auto parsed = calltrack::parse_operation(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == errc::invalid_operation);
    }
}

TEST_CASE("cancellation and pause enums have snake_case names", "[policy]") {
    CHECK(to_string(DataOnCancel::retain) == "retain");
    CHECK(to_string(DataOnCancel::purge_now) == "purge_now");
    CHECK(to_string(BalanceOnCancel::refundable) == "refundable");
    CHECK(to_string(BalanceOnCancel::forfeit) == "forfeit");
    CHECK(to_string(Reactivation::self_service) == "self_service");
    CHECK(to_string(Reactivation::support_only) == "support_only");
    CHECK(to_string(Reactivation::impossible) == "impossible");
    CHECK(to_string(OnPauseMaximum::release_numbers) == "release_numbers");
    CHECK(to_string(OnPauseMaximum::close_account) == "close_account");
}

TEST_CASE("every preset validates and is found by its name", "[policy][presets]") {
    for (const char* name : preset_names) {
        INFO("preset: " << name);
        const Policy p = preset(name);
        CHECK(p.name == name);
        PolicyDiagnostic diagnostic;
        const auto valid = validate(p, &diagnostic);
        INFO(diagnostic.field << ": " << diagnostic.problem);
        CHECK(valid);
    }
    CHECK(preset("callrail") == calltrack::policies::callrail());
    CHECK(preset("ctm") == calltrack::policies::ctm());
    CHECK(preset("smrtphone") == calltrack::policies::smrtphone());
    CHECK(calltrack::policies::ctm() != calltrack::policies::smrtphone());
    for (const char* bad : {"", "CTM", "callrail ", "twilio"}) {
        INFO("name: '" << bad << "'");
        const auto p = calltrack::policies::by_name(bad);
        REQUIRE_FALSE(p);
        CHECK(p.error() == errc::policy_invalid_value);
    }
}

TEST_CASE("presets encode the articles' windows, roles and confirmations", "[policy][presets]") {
    const Policy callrail = calltrack::policies::callrail();
    const auto& pause = callrail.rule(Operation::pause_account);
    CHECK(pause.offered);
    CHECK(pause.offered_until == parse_time("2020-10-01T00:00:00Z").value());
    CHECK(pause.account_roles == RoleSet{Role::administrator});
    CHECK(callrail.rule(Operation::resume_account).confirmation.terms);
    CHECK(callrail.rule(Operation::close_account).confirmation.reason);
    CHECK(callrail.rule(Operation::reopen_account).confirmation.billing_details);
    CHECK(callrail.standalone.reactivation_window == Window::unlimited());
    CHECK(callrail.standalone.number_restore_window == Window::not_offered());
    CHECK(callrail.standalone.final_usage_invoice);
    CHECK(callrail.pause.number_limit == 50);
    CHECK(callrail.pause.maximum == Window::days(182));
    CHECK(callrail.pause.monthly_hold_fee == Money(500, Currency::parse("USD").value()));
    CHECK(callrail.pause.suspends_report_access);
    CHECK_FALSE(callrail.rule(Operation::cancel_account).offered);

    const Policy ctm = calltrack::policies::ctm();
    CHECK(ctm.rule(Operation::cancel_account).account_roles == RoleSet{Role::administrator});
    CHECK(ctm.rule(Operation::cancel_agency).agency_roles == RoleSet{Role::agency_administrator});
    CHECK_FALSE(ctm.rule(Operation::cancel_agency).confirmation.reason);
    CHECK(ctm.rule(Operation::reactivate_agency).agency_roles == RoleSet{Role::support});
    CHECK(ctm.standalone.data_retention == Window::days(60));
    CHECK(ctm.standalone.refund_window == Window::days(90));
    CHECK(ctm.sub_account.reactivation_window == Window::days(60));
    CHECK(ctm.sub_account.number_restore_window == Window::days(14));
    CHECK(ctm.sub_account.support_restores_after_window);
    CHECK(ctm.agency.reactivation == Reactivation::support_only);
    CHECK(ctm.sub_account.reactivation == Reactivation::self_service);
    CHECK_FALSE(ctm.rule(Operation::pause_account).offered);
    CHECK(ctm.pause.maximum == Window::not_offered());

    const Policy smrtphone = calltrack::policies::smrtphone();
    const auto& cancel = smrtphone.rule(Operation::cancel_account).confirmation;
    CHECK(cancel.typed_phrase == std::optional<std::string>("CONFIRM"));
    CHECK(cancel.survey_confirmed);
    CHECK(cancel.acknowledgements == std::vector<std::string>{"unported_numbers_lost"});
    CHECK(smrtphone.rule(Operation::cancel_account).account_roles == RoleSet{Role::account_owner});
    CHECK(smrtphone.standalone.data == DataOnCancel::purge_now);
    CHECK(smrtphone.standalone.balance == BalanceOnCancel::forfeit);
    CHECK(smrtphone.standalone.reactivation == Reactivation::impossible);
    CHECK(smrtphone.standalone.reactivation_window == Window::not_offered());

    for (const Policy* p : {&callrail, &ctm, &smrtphone}) {
        INFO("preset: " << p->name);
        CHECK(p->charges.canceled.empty());
        CHECK(p->charges.agency_canceled.empty());
        CHECK(p->charges.paused.contains(Charge::hold_fee));
        CHECK(p->charges.calls_stopped.contains(Charge::subscription));
        CHECK(p->charges.agency_active.contains(Charge::number_renewals));
        // Provisioning is the host's, the same operations in every preset: support builds the
        // world everywhere, each vendor's roles in it.
        CHECK(p->rule(Operation::create_agency).agency_roles == RoleSet{Role::support});
        CHECK(p->rule(Operation::open_account).account_roles == RoleSet{Role::support});
        for (const Operation op :
             {Operation::add_tracking_number, Operation::set_plan, Operation::grant_role}) {
            INFO(to_string(op));
            CHECK(p->rule(op).account_roles.contains(Role::support));
            CHECK(p->rule(op).sub_account_roles.contains(Role::support));
            CHECK(p->rule(op).agency_roles.contains(Role::support));
        }
    }
}

TEST_CASE("the JSON round trip is lossless and stable for every preset", "[policy][json]") {
    for (const char* name : preset_names) {
        INFO("preset: " << name);
        const Policy p = preset(name);
        const std::string doc = policy_to_json(p);
        CHECK(policy_to_json(p) == doc);
        PolicyDiagnostic diagnostic;
        const auto back = policy_from_json(doc, &diagnostic);
        INFO(diagnostic.field << ": " << diagnostic.problem);
        REQUIRE(back);
        CHECK(back.value() == p);
        CHECK(policy_to_json(back.value()) == doc);
    }
}

TEST_CASE("the JSON document spells every field as documented", "[policy][json]") {
    const std::string doc = policy_to_json(calltrack::policies::callrail());
    CHECK(doc.rfind("{\n  \"name\": \"callrail\",\n  \"roles\": [\n    {\n      \"name\": "
                    "\"administrator\",\n      \"title\": \"Administrator\",\n      "
                    "\"granted_on\": [\n        \"account\",\n        \"agency\"\n      ],",
                    0)
          == 0);
    CHECK(doc.find("\n  ],\n  \"operations\": {") != std::string::npos);
    CHECK(value_after(doc, {"\"pause_account\""}, "offered_until") == "\"2020-10-01T00:00:00Z\"");
    CHECK(value_after(doc, {"\"pause_account\""}, "offered_from") == "null");
    CHECK(value_after(doc, {"\"pause\": {"}, "monthly_hold_fee")
          == R"({"minor_units":500,"currency":"USD"})");
    CHECK(value_after(doc, {"\"pause\": {"}, "maximum") == R"({"days":182})");
    CHECK(value_after(doc, {"\"pause\": {"}, "on_maximum") == "\"release_numbers\"");
    CHECK(value_after(doc, {"\"cancellation\"", "\"standalone\""}, "reactivation")
          == "\"self_service\"");
    const std::string smrtphone = policy_to_json(calltrack::policies::smrtphone());
    CHECK(value_after(smrtphone, {"\"cancel_account\"", "\"confirmation\""}, "typed_phrase")
          == "\"CONFIRM\"");
    CHECK(value_after(smrtphone, {"\"cancellation\"", "\"agency\""}, "data") == "\"purge_now\"");
    CHECK(value_after(smrtphone, {"\"pause\": {"}, "monthly_hold_fee") == "null");
    // Role sets are written in the order they hold, charge sets in declaration order.
    CHECK(doc.find("\"administrator\",\n          \"manager\",\n          \"support\"")
          != std::string::npos);
    CHECK(doc.find("\"subscription\",\n      \"number_renewals\",\n      \"usage\"")
          != std::string::npos);
}

TEST_CASE("not offered, unlimited and zero days are three different JSON values",
          "[policy][json][window]") {
    Policy p = calltrack::policies::ctm();
    p.standalone.number_restore_window = Window::not_offered();
    p.standalone.support_restores_after_window = false;
    p.sub_account.number_restore_window = Window::unlimited();
    p.agency.number_restore_window = Window::days(0);
    REQUIRE(validate(p));

    const std::string doc = policy_to_json(p);
    const auto window_of = [&](std::string_view target) {
        return value_after(doc, {"\"cancellation\"", target}, "number_restore_window");
    };
    CHECK(window_of("\"standalone\"") == "\"not_offered\"");
    CHECK(window_of("\"sub_account\"") == "\"unlimited\"");
    CHECK(window_of("\"agency\"") == R"({"days":0})");

    const auto back = policy_from_json(doc);
    REQUIRE(back);
    CHECK(back.value() == p);
    CHECK(back.value().standalone.number_restore_window == Window::not_offered());
    CHECK(back.value().sub_account.number_restore_window == Window::unlimited());
    CHECK(back.value().agency.number_restore_window == Window::days(0));
    CHECK(back.value().standalone.number_restore_window
          != back.value().agency.number_restore_window);
    CHECK(back.value().sub_account.number_restore_window
          != back.value().agency.number_restore_window);

    const auto refused = refusal_of_json(
        with_value(doc, {"\"cancellation\"", "\"agency\""}, "number_restore_window", "\"zero\""));
    CHECK(refused.code == errc::policy_invalid_value);
    CHECK(refused.diagnostic.field == "cancellation.agency.number_restore_window");
}

TEST_CASE("a document that is not JSON is refused as malformed", "[policy][json]") {
    const std::string good = policy_to_json(calltrack::policies::ctm());
    for (const std::string& bad :
         {std::string(), std::string("not json"), std::string("{"),
          std::string(R"({"name": "ctm",})"), good.substr(0, good.size() / 2), good + "trailing",
          std::string("{\"name\": \"\xff\"}")}) {
        INFO("document: " << bad.substr(0, 60));
        const auto refused = refusal_of_json(bad);
        CHECK(refused.code == errc::policy_malformed);
    }
    // A key given twice would otherwise silently lose one of its values.
    const auto twice =
        refusal_of_json(edit(good, {"\"cancel_account\"", "\"confirmation\""}, "\"click\": true,",
                             "\"click\": true, \"click\": false,"));
    CHECK(twice.code == errc::policy_malformed);
    CHECK(twice.diagnostic.field == "operations.cancel_account.confirmation.click");
    const auto top = refusal_of_json(R"({"name": "a", "name": "b"})");
    CHECK(top.code == errc::policy_malformed);
    CHECK(top.diagnostic.field == "name");
}

TEST_CASE("unknown keys are refused at the top level and nested, by path", "[policy][json]") {
    const std::string good = policy_to_json(calltrack::policies::ctm());

    const auto top = refusal_of_json(
        edit(good, {}, "\"name\": \"ctm\",", "\"name\": \"ctm\", \"colour\": \"blue\","));
    CHECK(top.code == errc::policy_unknown_key);
    CHECK(top.diagnostic.field == "colour");

    const auto nested =
        refusal_of_json(edit(good, {"\"cancel_account\""}, "\"confirmation\"", "\"confirmaton\""));
    CHECK(nested.code == errc::policy_unknown_key);
    CHECK(nested.diagnostic.field == "operations.cancel_account.confirmaton");
    CHECK(nested.diagnostic.problem.find("confirmaton") != std::string::npos);

    const auto deeper = refusal_of_json(
        edit(good, {"\"cancel_account\"", "\"confirmation\""}, "\"click\"", "\"clik\""));
    CHECK(deeper.code == errc::policy_unknown_key);
    CHECK(deeper.diagnostic.field == "operations.cancel_account.confirmation.clik");

    const auto operation =
        refusal_of_json(edit(good, {}, "\"request_transfer\": {", "\"request_transfers\": {"));
    CHECK(operation.code == errc::policy_unknown_key);
    CHECK(operation.diagnostic.field == "operations.request_transfers");

    const auto window = refusal_of_json(edit(good, {"\"cancellation\"", "\"agency\""},
                                             "\"days\": 90", "\"days\": 90, \"weeks\": 1"));
    CHECK(window.code == errc::policy_unknown_key);
    CHECK(window.diagnostic.field == "cancellation.agency.refund_window.weeks");
}

TEST_CASE("a missing key is refused, so nothing has a silent default", "[policy][json]") {
    const std::string good = policy_to_json(calltrack::policies::ctm());

    const auto terms = refusal_of_json(
        edit(good, {"\"cancel_account\"", "\"confirmation\""}, "\"terms\": false,", ""));
    CHECK(terms.code == errc::policy_invalid_value);
    CHECK(terms.diagnostic.field == "operations.cancel_account.confirmation.terms");
    CHECK(terms.diagnostic.problem.find("missing") != std::string::npos);

    const auto fee =
        refusal_of_json(edit(good, {"\"pause\": {"}, "\"monthly_hold_fee\": null,", ""));
    CHECK(fee.code == errc::policy_invalid_value);
    CHECK(fee.diagnostic.field == "pause.monthly_hold_fee");

    const auto empty = refusal_of_json("{}");
    CHECK(empty.code == errc::policy_invalid_value);
    CHECK(empty.diagnostic.field == "name");
}

TEST_CASE("a value of the wrong type or an unknown name is refused", "[policy][json]") {
    const std::string good = policy_to_json(calltrack::policies::ctm());
    struct Case {
        std::string doc;
        std::string field;
    };
    const Case cases[] = {
        {edit(good, {"\"cancel_account\""}, "\"offered\": true", "\"offered\": \"yes\""),
         "operations.cancel_account.offered"},
        {edit(good, {"\"cancellation\"", "\"standalone\""}, "\"days\": 60", "\"days\": \"60\""),
         "cancellation.standalone.data_retention.days"},
        {edit(good, {"\"cancellation\"", "\"standalone\""}, "\"days\": 60", "\"days\": 60.5"),
         "cancellation.standalone.data_retention.days"},
        {edit(good, {"\"cancellation\"", "\"standalone\""}, "\"days\": 60", "\"days\": 3000000000"),
         "cancellation.standalone.data_retention.days"},
        {with_value(good, {"\"cancellation\"", "\"standalone\""}, "data_retention", "60"),
         "cancellation.standalone.data_retention"},
        {with_value(good, {"\"cancellation\"", "\"standalone\""}, "data_retention", "null"),
         "cancellation.standalone.data_retention"},
        {edit(good, {"\"cancellation\"", "\"standalone\""}, "\"retain\"", "\"keep\""),
         "cancellation.standalone.data"},
        {edit(good, {"\"cancel_account\""}, "\"administrator\"", "\"admin\""),
         "operations.cancel_account.roles.account[0]"},
        {edit(good, {"\"cancel_account\""}, "\"administrator\"",
              "\"administrator\", \"administrator\""),
         "operations.cancel_account.roles.account[1]"},
        {edit(good, {"\"charges\""}, "\"usage\"", "\"minutes\""), "charges.active[2]"},
        {edit(good, {"\"pause\": {"}, "\"number_limit\": 0", "\"number_limit\": -1"),
         "pause.number_limit"},
        {edit(good, {"\"pause\": {"}, "\"monthly_hold_fee\": null",
              R"("monthly_hold_fee": {"minor_units": 500, "currency": "usd"})"),
         "pause.monthly_hold_fee.currency"},
        {edit(good, {"\"pause\": {"}, "\"suspends_report_access\": false",
              "\"suspends_report_access\": 0"),
         "pause.suspends_report_access"},
        {edit(good, {"\"pause_tracking\""}, "\"offered_from\": null",
              "\"offered_from\": \"2020-10-01\""),
         "operations.pause_tracking.offered_from"},
        {edit(good, {"\"cancel_account\""}, "\"typed_phrase\": null", "\"typed_phrase\": false"),
         "operations.cancel_account.confirmation.typed_phrase"},
        {edit(good, {}, "\"name\": \"ctm\"", "\"name\": [\"ctm\"]"), "name"},
        {"[]", ""},
    };
    for (const auto& c : cases) {
        INFO("expected field: " << c.field);
        const auto refused = refusal_of_json(c.doc);
        CHECK(refused.code == errc::policy_invalid_value);
        CHECK(refused.diagnostic.field == c.field);
    }
}

TEST_CASE("negative window days are refused, naming the field", "[policy][validate]") {
    Policy p = calltrack::policies::ctm();
    p.sub_account.refund_window = Window::days(-3);
    const auto refused = refusal_of(p);
    CHECK(refused.code == errc::policy_invalid_value);
    CHECK(refused.diagnostic.field == "cancellation.sub_account.refund_window.days");
    CHECK(refused.diagnostic.problem == "window days must be 0 or more, got -3");

    Policy pause = calltrack::policies::callrail();
    pause.pause.maximum = Window::days(-1);
    CHECK(refusal_of(pause).diagnostic.field == "pause.maximum.days");

    const auto from_json = refusal_of_json(
        edit(policy_to_json(calltrack::policies::ctm()),
             {"\"cancellation\"", "\"sub_account\"", "\"refund_window\""}, "90", "-3"));
    CHECK(from_json.code == errc::policy_invalid_value);
    CHECK(from_json.diagnostic.field == "cancellation.sub_account.refund_window.days");
}

TEST_CASE("empty names, phrases and acknowledgement keys are refused", "[policy][validate]") {
    Policy unnamed = calltrack::policies::ctm();
    unnamed.name.clear();
    const auto name = refusal_of(unnamed);
    CHECK(name.code == errc::policy_invalid_value);
    CHECK(name.diagnostic.field == "name");

    Policy typed = calltrack::policies::smrtphone();
    typed.rule(Operation::cancel_account).confirmation.typed_phrase = "";
    const auto phrase = refusal_of(typed);
    CHECK(phrase.code == errc::policy_invalid_value);
    CHECK(phrase.diagnostic.field == "operations.cancel_account.confirmation.typed_phrase");

    Policy other = calltrack::policies::ctm();
    other.rule(Operation::stop_calls).confirmation.typed_phrase = "";
    CHECK(refusal_of(other).diagnostic.field == "operations.stop_calls.confirmation.typed_phrase");

    Policy acknowledged = calltrack::policies::smrtphone();
    acknowledged.rule(Operation::cancel_account).confirmation.acknowledgements.push_back("");
    const auto key = refusal_of(acknowledged);
    CHECK(key.code == errc::policy_invalid_value);
    CHECK(key.diagnostic.field == "operations.cancel_account.confirmation.acknowledgements[1]");

    Policy twice = calltrack::policies::smrtphone();
    twice.rule(Operation::cancel_account)
        .confirmation.acknowledgements.push_back("unported_numbers_lost");
    CHECK(refusal_of(twice).code == errc::policy_invalid_value);

    Policy not_text = calltrack::policies::ctm();
    not_text.name = "ctm\xff";
    CHECK(validate(not_text).error() == errc::policy_invalid_value);
}

TEST_CASE("an offered operation allowed to no role is contradictory", "[policy][validate]") {
    Policy p = calltrack::policies::ctm();
    auto& rule = p.rule(Operation::close_sub_account);
    rule.account_roles = {};
    rule.sub_account_roles = {};
    rule.agency_roles = {};
    const auto refused = refusal_of(p);
    CHECK(refused.code == errc::policy_contradictory);
    CHECK(refused.diagnostic.field == "operations.close_sub_account.roles");

    // The same empty role sets on an operation that is not offered are fine.
    rule.offered = false;
    CHECK(validate(p));
}

TEST_CASE("offered_from must come before offered_until", "[policy][validate]") {
    Policy p = calltrack::policies::callrail();
    auto& pause = p.rule(Operation::pause_account);
    pause.offered_from = parse_time("2020-10-01T00:00:00Z").value();
    const auto equal = refusal_of(p);
    CHECK(equal.code == errc::policy_contradictory);
    CHECK(equal.diagnostic.field == "operations.pause_account.offered_until");

    pause.offered_from = parse_time("2021-01-01T00:00:00Z").value();
    CHECK(refusal_of(p).code == errc::policy_contradictory);

    pause.offered_from = parse_time("2019-01-01T00:00:00Z").value();
    CHECK(validate(p));
    const auto back = policy_from_json(policy_to_json(p));
    REQUIRE(back);
    CHECK(back.value() == p);
}

TEST_CASE("what happens to data must agree with data retention", "[policy][validate]") {
    Policy purge = calltrack::policies::smrtphone();
    purge.standalone.data_retention = Window::days(30);
    const auto kept = refusal_of(purge);
    CHECK(kept.code == errc::policy_contradictory);
    CHECK(kept.diagnostic.field == "cancellation.standalone.data_retention");

    Policy retain = calltrack::policies::ctm();
    retain.agency.data_retention = Window::not_offered();
    const auto lost = refusal_of(retain);
    CHECK(lost.code == errc::policy_contradictory);
    CHECK(lost.diagnostic.field == "cancellation.agency.data_retention");
}

TEST_CASE("what happens to the balance must agree with the refund window", "[policy][validate]") {
    Policy forfeit = calltrack::policies::smrtphone();
    forfeit.sub_account.refund_window = Window::unlimited();
    const auto refunded = refusal_of(forfeit);
    CHECK(refunded.code == errc::policy_contradictory);
    CHECK(refunded.diagnostic.field == "cancellation.sub_account.refund_window");

    Policy refundable = calltrack::policies::ctm();
    refundable.standalone.refund_window = Window::not_offered();
    const auto never = refusal_of(refundable);
    CHECK(never.code == errc::policy_contradictory);
    CHECK(never.diagnostic.field == "cancellation.standalone.refund_window");
}

TEST_CASE("reactivation must agree with its window", "[policy][validate]") {
    Policy impossible = calltrack::policies::smrtphone();
    impossible.agency.reactivation_window = Window::days(0);
    const auto windowed = refusal_of(impossible);
    CHECK(windowed.code == errc::policy_contradictory);
    CHECK(windowed.diagnostic.field == "cancellation.agency.reactivation_window");

    for (const auto kind : {Reactivation::self_service, Reactivation::support_only}) {
        Policy possible = calltrack::policies::ctm();
        possible.sub_account.reactivation = kind;
        possible.sub_account.reactivation_window = Window::not_offered();
        possible.sub_account.number_restore_window = Window::not_offered();
        possible.sub_account.support_restores_after_window = false;
        const auto no_window = refusal_of(possible);
        CHECK(no_window.code == errc::policy_contradictory);
        CHECK(no_window.diagnostic.field == "cancellation.sub_account.reactivation_window");
    }
}

TEST_CASE("reactivation cannot outlast the data it would bring back", "[policy][validate]") {
    Policy longer = calltrack::policies::ctm();
    longer.standalone.reactivation_window = Window::days(61);
    const auto days = refusal_of(longer);
    CHECK(days.code == errc::policy_contradictory);
    CHECK(days.diagnostic.field == "cancellation.standalone.reactivation_window");

    Policy unlimited = calltrack::policies::ctm();
    unlimited.agency.reactivation_window = Window::unlimited();
    CHECK(refusal_of(unlimited).code == errc::policy_contradictory);

    Policy purged = calltrack::policies::smrtphone();
    purged.standalone.reactivation = Reactivation::self_service;
    purged.standalone.reactivation_window = Window::days(0);
    const auto gone = refusal_of(purged);
    CHECK(gone.code == errc::policy_contradictory);
    CHECK(gone.diagnostic.field == "cancellation.standalone.reactivation_window");

    // Equal windows, and unlimited retention with any reactivation window, hold together.
    Policy equal = calltrack::policies::ctm();
    equal.standalone.reactivation_window = Window::days(60);
    CHECK(validate(equal));
    Policy forever = calltrack::policies::callrail();
    forever.standalone.reactivation_window = Window::days(10'000);
    CHECK(validate(forever));
}

TEST_CASE("numbers cannot be restored where nothing can be reactivated", "[policy][validate]") {
    Policy restore = calltrack::policies::smrtphone();
    restore.standalone.number_restore_window = Window::days(14);
    const auto refused = refusal_of(restore);
    CHECK(refused.code == errc::policy_contradictory);
    CHECK(refused.diagnostic.field == "cancellation.standalone.number_restore_window");

    Policy support = calltrack::policies::callrail();
    support.sub_account.support_restores_after_window = true;
    const auto after = refusal_of(support);
    CHECK(after.code == errc::policy_contradictory);
    CHECK(after.diagnostic.field == "cancellation.sub_account.support_restores_after_window");
}

TEST_CASE("an offered account pause needs a maximum, a number limit and a sane fee",
          "[policy][validate]") {
    Policy no_maximum = calltrack::policies::callrail();
    no_maximum.pause.maximum = Window::not_offered();
    const auto maximum = refusal_of(no_maximum);
    CHECK(maximum.code == errc::policy_contradictory);
    CHECK(maximum.diagnostic.field == "pause.maximum");

    Policy no_numbers = calltrack::policies::callrail();
    no_numbers.pause.number_limit = 0;
    const auto limit = refusal_of(no_numbers);
    CHECK(limit.code == errc::policy_contradictory);
    CHECK(limit.diagnostic.field == "pause.number_limit");

    Policy negative = calltrack::policies::callrail();
    negative.pause.monthly_hold_fee = Money(-500, Currency::parse("USD").value());
    const auto fee = refusal_of(negative);
    CHECK(fee.code == errc::policy_invalid_value);
    CHECK(fee.diagnostic.field == "pause.monthly_hold_fee.minor_units");

    Policy unlimited = calltrack::policies::callrail();
    unlimited.pause.maximum = Window::unlimited();
    CHECK(validate(unlimited));

    // Where pause_account is not offered, the pause rule may stay empty.
    CHECK(calltrack::policies::ctm().pause.maximum == Window::not_offered());
    CHECK(validate(calltrack::policies::ctm()));
}

TEST_CASE("a contradictory document is refused by policy_from_json too", "[policy][json]") {
    const std::string good = policy_to_json(calltrack::policies::ctm());
    const auto refused = refusal_of_json(
        edit(good, {"\"cancellation\"", "\"standalone\""}, "\"retain\"", "\"purge_now\""));
    CHECK(refused.code == errc::policy_contradictory);
    CHECK(refused.diagnostic.field == "cancellation.standalone.data_retention");

    // Without a diagnostic the refusal is the same.
    const auto bare = policy_from_json(
        edit(good, {"\"cancellation\"", "\"standalone\""}, "\"retain\"", "\"purge_now\""));
    REQUIRE_FALSE(bare);
    CHECK(bare.error() == errc::policy_contradictory);
}

TEST_CASE("a number beyond a double is refused as an invalid value, naming the field",
          "[policy][json]") {
    const auto refused = refusal_of_json(
        edit(policy_to_json(calltrack::policies::ctm()),
             {"\"cancellation\"", "\"sub_account\"", "\"refund_window\""}, "90", "1e400"));
    CHECK(refused.code == errc::policy_invalid_value);
    CHECK(refused.diagnostic.field == "cancellation.sub_account.refund_window.days");
    CHECK(refused.diagnostic.problem.rfind("1e400 is beyond the range", 0) == 0);

    const auto big =
        refusal_of_json(edit(policy_to_json(calltrack::policies::ctm()),
                             {"\"cancellation\"", "\"sub_account\"", "\"refund_window\""}, "90",
                             "12345678901234567890123"));
    CHECK(big.code == errc::policy_invalid_value);
    CHECK(big.diagnostic.field == "cancellation.sub_account.refund_window.days");
    CHECK(big.diagnostic.problem.find("fractional") == std::string::npos);
    CHECK(big.diagnostic.problem.find("a whole number beyond 64 bits") != std::string::npos);
}

TEST_CASE("window days beyond 100 years are refused, so no deadline leaves the calendar",
          "[policy][validate]") {
    constexpr std::int32_t hundred_years = 36'525;
    // 3,000,000 days of data retention validated, and the first cancel then threw formatting a
    // purge date after the year 9999; INT32_MAX days overflowed 64-bit microseconds.
    for (const std::int32_t too_many :
         {hundred_years + 1, 3'000'000, std::numeric_limits<std::int32_t>::max()}) {
        INFO(too_many);
        Policy p = calltrack::policies::ctm();
        p.standalone.data_retention = Window::days(too_many);
        const auto refused = refusal_of(p);
        CHECK(refused.code == errc::policy_invalid_value);
        CHECK(refused.diagnostic.field == "cancellation.standalone.data_retention.days");
        CHECK(refused.diagnostic.problem
              == "window days must be at most 36525 (100 years; use \"unlimited\" for no end), "
                 "got "
                     + std::to_string(too_many));

        Policy pause = calltrack::policies::callrail();
        pause.pause.maximum = Window::days(too_many);
        CHECK(refusal_of(pause).diagnostic.field == "pause.maximum.days");
    }
    Policy most = calltrack::policies::ctm();
    most.standalone.data_retention = Window::days(hundred_years);
    most.standalone.refund_window = Window::days(hundred_years);
    most.standalone.reactivation_window = Window::days(hundred_years);
    most.standalone.number_restore_window = Window::days(hundred_years);
    CHECK(validate(most));
}
