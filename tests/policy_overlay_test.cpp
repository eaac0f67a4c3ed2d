// Policy overlays ("extends") and policy_diff: a document that gives only what it changes, the
// chain of documents it extends, every way that chain can be wrong, and the fields two policies
// differ in. Apart from policy_test.cpp, which is about one whole document.

#include <calltrack/policy.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using calltrack::errc;
using calltrack::Policy;
using calltrack::policy_diff;
using calltrack::policy_from_json;
using calltrack::policy_to_json;
using calltrack::PolicyDiagnostic;
using calltrack::PolicyDifference;
using calltrack::PolicyDocument;
using calltrack::PolicyResolver;
using calltrack::Window;
namespace policies = calltrack::policies;

namespace {

Policy read(std::string_view json) {
    PolicyDiagnostic diagnostic;
    auto parsed = policy_from_json(json, &diagnostic);
    INFO("field: " << diagnostic.field << "; problem: " << diagnostic.problem);
    REQUIRE(parsed);
    return parsed.value();
}

struct OverlayRefusal {
    errc code;
    PolicyDiagnostic diagnostic;
};

OverlayRefusal refusal(const PolicyDocument& document, const PolicyResolver& resolve) {
    PolicyDiagnostic diagnostic;
    const auto parsed = policy_from_json(document, resolve, &diagnostic);
    REQUIRE_FALSE(parsed);
    REQUIRE(parsed.error().category() == calltrack::calltrack_category());
    INFO("field: " << diagnostic.field << "; problem: " << diagnostic.problem);
    CHECK_FALSE(diagnostic.problem.empty());
    return {static_cast<errc>(parsed.error().value()), diagnostic};
}

OverlayRefusal refusal(std::string_view json) {
    return refusal(PolicyDocument{{}, std::string(json)}, PolicyResolver{});
}

/// Files held in memory, found by name as given; every request is noted as "from -> extends".
struct Files {
    std::map<std::string, std::string> texts;
    std::vector<std::string> asked;

    PolicyResolver resolver() {
        return [this](std::string_view extends,
                      std::string_view from) -> calltrack::result<PolicyDocument> {
            asked.push_back(std::string(from) + " -> " + std::string(extends));
            const auto found = texts.find(std::string(extends));
            if (found == texts.end()) {
                return make_error_code(boost::system::errc::no_such_file_or_directory);
            }
            return PolicyDocument{found->first, found->second};
        };
    }
};

bool has(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

}  // namespace

TEST_CASE("an overlay of one window is the preset with that one field changed",
          "[policy][overlay]") {
    const Policy read_back = read(R"({"extends": "ctm", "name": "ctm-7-day-restore",
        "cancellation": {"standalone": {"number_restore_window": {"days": 7}}}})");
    Policy expected = policies::ctm();
    expected.name = "ctm-7-day-restore";
    expected.standalone.number_restore_window = Window::days(7);
    CHECK(read_back == expected);
}

TEST_CASE("an overlay merges objects key by key and replaces arrays, scalars and null whole",
          "[policy][overlay]") {
    const Policy p = read(R"({"extends": "smrtphone", "name": "smrtphone-quiet",
        "operations": {"cancel_account": {
            "roles": {"account": ["user", "account_owner"]},
            "confirmation": {"typed_phrase": null, "acknowledgements": ["no_refund"]}}}})");
    const Policy base = policies::smrtphone();
    const auto& changed = p.rule(calltrack::Operation::cancel_account);
    const auto& original = base.rule(calltrack::Operation::cancel_account);

    // Replaced whole: the array is the overlay's, not appended to; null is a value, not a deletion.
    CHECK(changed.account_roles
          == calltrack::RoleSet{calltrack::Role("user"), calltrack::Role::account_owner});
    CHECK(changed.confirmation.acknowledgements == std::vector<std::string>{"no_refund"});
    CHECK_FALSE(changed.confirmation.typed_phrase);
    // Siblings kept, at every depth.
    CHECK(changed.confirmation.survey_confirmed == original.confirmation.survey_confirmed);
    CHECK(changed.sub_account_roles == original.sub_account_roles);
    CHECK(changed.offered == original.offered);
    CHECK(p.rule(calltrack::Operation::start_port_out)
          == base.rule(calltrack::Operation::start_port_out));
    CHECK(p.standalone == base.standalone);
    CHECK(p.charges == base.charges);
}

TEST_CASE("an overlay's result is written whole and reads back without its base",
          "[policy][overlay]") {
    const Policy p = read(R"({"extends": "callrail", "name": "callrail-long-pause",
        "pause": {"maximum": "unlimited"}})");
    const std::string whole = policy_to_json(p);
    CHECK_FALSE(has(whole, "extends"));
    CHECK(read(whole) == p);
}

TEST_CASE("an unknown key in an overlay is refused by its path, with the suggestion",
          "[policy][overlay]") {
    const auto r = refusal(R"({"extends": "ctm", "name": "x",
        "operations": {"cancel_account": {"confirmaton": {"click": false}}}})");
    CHECK(r.code == errc::policy_unknown_key);
    CHECK(r.diagnostic.field == "operations.cancel_account.confirmaton");
    CHECK(has(r.diagnostic.problem, "did you mean \"confirmation\"?"));
    CHECK(r.diagnostic.document.empty());

    const auto top = refusal(R"({"extends": "ctm", "name": "x", "colour": "blue"})");
    CHECK(top.code == errc::policy_unknown_key);
    CHECK(top.diagnostic.field == "colour");
}

TEST_CASE("the merged policy is validated whole, naming the field and the document that gave it",
          "[policy][overlay]") {
    SECTION("the overlay's own value is wrong") {
        const auto r = refusal(R"({"extends": "ctm", "name": "x",
            "cancellation": {"standalone": {"reactivation_window": {"days": 90}}}})");
        CHECK(r.code == errc::policy_contradictory);
        CHECK(r.diagnostic.field == "cancellation.standalone.reactivation_window");
        CHECK(r.diagnostic.document.empty());
    }
    SECTION("the overlay's value contradicts one it kept from the base") {
        const auto r = refusal(R"({"extends": "ctm", "name": "x",
            "cancellation": {"standalone": {"data_retention": {"days": 30}}}})");
        CHECK(r.code == errc::policy_contradictory);
        CHECK(r.diagnostic.field == "cancellation.standalone.reactivation_window");
        CHECK(r.diagnostic.document == "ctm");
    }
    SECTION("a value of the wrong type") {
        const auto r =
            refusal(R"({"extends": "ctm", "name": "x", "pause": {"number_limit": "5"}})");
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "pause.number_limit");
    }
    SECTION("an object given where the base has a name lacks its keys") {
        const auto r = refusal(R"({"extends": "ctm", "name": "x",
            "pause": {"monthly_hold_fee": {"minor_units": 100}}})");
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "pause.monthly_hold_fee.currency");
        CHECK(r.diagnostic.document.empty());
    }
}

TEST_CASE("what an overlay's extends and name must be", "[policy][overlay]") {
    SECTION("a misspelt preset, without a resolver") {
        const auto r = refusal(R"({"extends": "cmt", "name": "x"})");
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "extends");
        CHECK(has(r.diagnostic.problem, "unknown preset \"cmt\"; did you mean \"ctm\"?"));
    }
    SECTION("a file, without a resolver") {
        const auto r = refusal(R"({"extends": "base.json", "name": "x"})");
        CHECK(r.diagnostic.field == "extends");
        CHECK(has(r.diagnostic.problem, "names a preset, not a file"));
    }
    SECTION("not a string") {
        const auto r = refusal(R"({"extends": ["ctm"], "name": "x"})");
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "extends");
        CHECK(has(r.diagnostic.problem, "got an array"));
    }
    SECTION("an empty string") {
        const auto r = refusal(R"({"extends": "", "name": "x"})");
        CHECK(r.diagnostic.field == "extends");
        CHECK(has(r.diagnostic.problem, "got an empty string"));
    }
    SECTION("no name: an overlay does not inherit its base's") {
        const auto r = refusal(R"({"extends": "ctm"})");
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "name");
    }
}

TEST_CASE("a file extending a file extending a preset is resolved, each relative to its extender",
          "[policy][overlay]") {
    Files files;
    files.texts["team.json"] = R"({"extends": "ctm", "name": "team",
        "cancellation": {"agency": {"refund_window": {"days": 30}}}})";
    files.texts["client.json"] = R"({"extends": "team.json", "name": "client",
        "pause": {"number_limit": 3}})";
    PolicyDiagnostic diagnostic;
    const auto p = policy_from_json(PolicyDocument{"top.json", R"({"extends": "client.json",
        "name": "top", "charges": {"canceled": ["usage"]}})"},
                                    files.resolver(), &diagnostic);
    INFO(diagnostic.field << ": " << diagnostic.problem);
    REQUIRE(p);
    Policy expected = policies::ctm();
    expected.name = "top";
    expected.agency.refund_window = Window::days(30);
    expected.pause.number_limit = 3;
    expected.charges.canceled = calltrack::Charges{calltrack::Charge::usage};
    CHECK(p.value() == expected);
    // Presets are never asked of the resolver.
    CHECK(files.asked
          == std::vector<std::string>{"top.json -> client.json", "client.json -> team.json"});
}

TEST_CASE("a document the chain cannot use is refused at the extends that names it",
          "[policy][overlay]") {
    Files files;
    SECTION("a file that is not there") {
        const auto r =
            refusal({"top.json", R"({"extends": "gone.json", "name": "x"})"}, files.resolver());
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "extends");
        CHECK(r.diagnostic.document == "top.json");
        CHECK(has(r.diagnostic.problem, "cannot read \"gone.json\""));
        CHECK(has(r.diagnostic.problem, "No such file"));
    }
    SECTION("a misspelt preset that is no file either") {
        const auto r =
            refusal({"top.json", R"({"extends": "calrail", "name": "x"})"}, files.resolver());
        CHECK(has(r.diagnostic.problem, "did you mean \"callrail\"?"));
    }
    SECTION("a base that is not JSON is named as the document at fault") {
        files.texts["base.json"] = R"({"extends": "ctm",)";
        const auto r =
            refusal({"top.json", R"({"extends": "base.json", "name": "x"})"}, files.resolver());
        CHECK(r.code == errc::policy_malformed);
        CHECK(r.diagnostic.document == "base.json");
    }
    SECTION("a base that is not an object") {
        files.texts["base.json"] = "[]";
        const auto r =
            refusal({"top.json", R"({"extends": "base.json", "name": "x"})"}, files.resolver());
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.document == "base.json");
        CHECK(r.diagnostic.field.empty());
    }
    SECTION("an unknown key in a base is named in that base") {
        files.texts["base.json"] = R"({"extends": "ctm", "name": "b", "paws": {}})";
        const auto r =
            refusal({"top.json", R"({"extends": "base.json", "name": "x"})"}, files.resolver());
        CHECK(r.code == errc::policy_unknown_key);
        CHECK(r.diagnostic.field == "paws");
        CHECK(r.diagnostic.document == "base.json");
    }
}

TEST_CASE("a cycle of extends is refused, naming the chain", "[policy][overlay]") {
    Files files;
    SECTION("two files") {
        files.texts["a.json"] = R"({"extends": "b.json", "name": "a"})";
        files.texts["b.json"] = R"({"extends": "a.json", "name": "b"})";
        const auto r = refusal({"a.json", files.texts["a.json"]}, files.resolver());
        CHECK(r.code == errc::policy_invalid_value);
        CHECK(r.diagnostic.field == "extends");
        CHECK(r.diagnostic.document == "b.json");
        CHECK(has(r.diagnostic.problem, "cycle: a.json -> b.json -> a.json"));
    }
    SECTION("a file extending itself") {
        files.texts["a.json"] = R"({"extends": "a.json", "name": "a"})";
        const auto r = refusal({"a.json", files.texts["a.json"]}, files.resolver());
        CHECK(has(r.diagnostic.problem, "cycle: a.json -> a.json"));
    }
    SECTION("a resolver that names one file anew each time") {
        std::size_t calls = 0;
        const PolicyResolver endless =
            [&calls](std::string_view, std::string_view) -> calltrack::result<PolicyDocument> {
            ++calls;
            return PolicyDocument{"x" + std::to_string(calls) + ".json",
                                  R"({"extends": "again.json", "name": "x"})"};
        };
        const auto r = refusal({"top.json", R"({"extends": "again.json", "name": "x"})"}, endless);
        CHECK(r.diagnostic.field == "extends");
        CHECK(has(r.diagnostic.problem,
                  "more than 16 documents extend one another: top.json -> "
                  "x1.json -> x2.json"));
        CHECK(r.diagnostic.document == "x15.json");
        CHECK(calls == 15);
        // A text given without a name is still named in the chain.
        const auto nameless = refusal({"", R"({"extends": "again.json", "name": "x"})"}, endless);
        CHECK(has(nameless.diagnostic.problem, ": (the document given) -> x16.json"));
    }
}

TEST_CASE("policy_diff lists every differing field with both values, in document order",
          "[policy][diff]") {
    const auto differences = policy_diff(policies::ctm(), policies::callrail());
    REQUIRE_FALSE(differences.empty());
    CHECK(differences.front() == PolicyDifference{"name", "\"ctm\"", "\"callrail\""});
    const auto find = [&](std::string_view field) -> const PolicyDifference* {
        for (const auto& d : differences) {
            if (d.field == field) return &d;
        }
        return nullptr;
    };
    const auto* reactivation = find("cancellation.standalone.reactivation_window");
    REQUIRE(reactivation != nullptr);
    CHECK(reactivation->a == R"({"days":60})");
    CHECK(reactivation->b == R"("unlimited")");
    const auto* limit = find("pause.number_limit");
    REQUIRE(limit != nullptr);
    CHECK(limit->a == "0");
    CHECK(limit->b == "50");
    const auto* roles = find("operations.cancel_account.roles.account");
    REQUIRE(roles != nullptr);
    CHECK(roles->a == R"(["administrator"])");
    CHECK(roles->b == "[]");
    // Fields equal in both are not listed, and the order is the document's.
    CHECK(find("charges.active") == nullptr);
    CHECK(find("operations.open_account.offered") == nullptr);
    const std::string document = policy_to_json(policies::ctm());
    std::size_t previous = 0;
    for (const auto& d : differences) {
        const auto last_key = d.field.substr(d.field.rfind('.') + 1);
        INFO(d.field);
        const auto at = document.find('"' + last_key + '"', previous);
        CHECK(at != std::string::npos);
        if (at != std::string::npos) previous = at;
    }
}

TEST_CASE(
    "policy_diff of a policy with itself is empty, and of an overlay with its base is "
    "what the overlay changed",
    "[policy][diff]") {
    for (const auto* name : {"callrail", "ctm", "smrtphone"}) {
        const Policy p = policies::by_name(name).value();
        CHECK(policy_diff(p, p).empty());
    }
    const Policy changed = read(R"({"extends": "ctm", "name": "ctm-7",
        "cancellation": {"sub_account": {"number_restore_window": {"days": 7}}}})");
    CHECK(policy_diff(policies::ctm(), changed)
          == std::vector<PolicyDifference>{
              {"name", "\"ctm\"", "\"ctm-7\""},
              {"cancellation.sub_account.number_restore_window.days", "14", "7"}});
}
