#include <calltrack/errors.hpp>  // parse() returns result<T>, complete only here
#include <calltrack/ids.hpp>

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_set>

using namespace calltrack;

// The whole point of strong ids: these mix-ups do not compile.
static_assert(!std::is_convertible_v<AccountId, AgencyId>);
static_assert(!std::is_constructible_v<AgencyId, AccountId>);
static_assert(!std::is_convertible_v<std::string, AccountId>);
static_assert(!std::is_convertible_v<NumberId, UserId>);

TEST_CASE("ids compare, order and hash by their text", "[ids]") {
    const AccountId a("acct-1");
    const AccountId b("acct-2");
    CHECK(a == AccountId("acct-1"));
    CHECK(a != b);
    CHECK(a < b);
    std::unordered_set<AccountId> set{a, b, AccountId("acct-1")};
    CHECK(set.size() == 2);
    std::map<AccountId, int> ordered{{b, 2}, {a, 1}};
    CHECK(ordered.begin()->first == a);
}

TEST_CASE("ids format as their text", "[ids]") {
    const AgencyId id("agency-42");
    std::ostringstream out;
    out << id;
    CHECK(out.str() == "agency-42");
    CHECK(to_string(id) == "agency-42");
}

TEST_CASE("ids from outside are validated, and bad literal ids are programming errors", "[ids]") {
    CHECK(UserId::parse("user@example.com"));
    for (const char* bad : {"", "has space", "tab\tid", "new\nline"}) {
        INFO("input: '" << bad << "'");
        const auto parsed = UserId::parse(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == errc::invalid_id);
    }
    CHECK_FALSE(NumberId::parse(std::string(129, 'x')));
    CHECK(NumberId::parse(std::string(128, 'x')));
    CHECK_THROWS_AS(AccountId(""), std::invalid_argument);
    CHECK(AccountId().empty());
}

TEST_CASE("a bad id the program spells throws with the text and the rule in the message", "[ids]") {
    CHECK_THROWS_MATCHES(AccountId("x y"), std::invalid_argument,
                         Catch::Message("calltrack: invalid id 'x y': ids are 1 to 128 printable "
                                        "ASCII characters without spaces"));
    CHECK(AccountId::parse("x y").error() == errc::invalid_id);
    CHECK(AccountId("acme") == AccountId::parse("acme").value());
}

TEST_CASE("property: parsing an id never throws, and accepts what the constructor accepts",
          "[ids][property]") {
    // An exception escaping parse() fails the property.
    const bool ok = rc::check("parse(text) is a value or invalid_id", [](const std::string& text) {
        const auto parsed = UserId::parse(text);
        if (parsed) {
            RC_ASSERT(UserId(text) == parsed.value());
        } else {
            RC_ASSERT(parsed.error() == errc::invalid_id);
            RC_ASSERT_THROWS_AS(static_cast<void>(UserId(text)), std::invalid_argument);
        }
    });
    CHECK(ok);
}

// AccountId(0) picks the deleted nullptr_t constructor and does not compile; before, 0 became a
// null const char* and a std::string built from it failed at run time.
static_assert(!std::is_constructible_v<calltrack::AccountId, std::nullptr_t>);
static_assert(!std::is_constructible_v<calltrack::NumberId, std::nullptr_t>);
static_assert(std::is_constructible_v<calltrack::AccountId, const char*>);
