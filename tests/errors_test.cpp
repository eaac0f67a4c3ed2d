#include <calltrack/errors.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using calltrack::errc;

TEST_CASE("every errc has a distinct, non-empty message and name", "[errors]") {
    std::set<std::string> messages;
    std::set<std::string> names;
    for (int ev = calltrack::errc_first; ev <= calltrack::errc_last; ++ev) {
        const auto ec = make_error_code(static_cast<errc>(ev));
        INFO("errc value " << ev);
        CHECK_FALSE(ec.message().empty());
        CHECK(ec.message() != "unknown calltrack error");
        CHECK(messages.insert(ec.message()).second);
        const auto name = std::string(calltrack::to_string(static_cast<errc>(ev)));
        CHECK_FALSE(name.empty());
        CHECK(names.insert(name).second);
    }
    CHECK(messages.size() == static_cast<std::size_t>(calltrack::errc_last));
}

TEST_CASE("every errc is found again by its name, and only by it", "[errors]") {
    for (int ev = calltrack::errc_first; ev <= calltrack::errc_last; ++ev) {
        const auto e = static_cast<errc>(ev);
        INFO(calltrack::to_string(e));
        CHECK(calltrack::errc_named(calltrack::to_string(e)) == e);
    }
    CHECK_FALSE(calltrack::errc_named("window_close"));
    CHECK_FALSE(calltrack::errc_named("WINDOW_CLOSED"));
    CHECK_FALSE(calltrack::errc_named("unknown"));
    CHECK_FALSE(calltrack::errc_named(""));
}

TEST_CASE("errc converts to an error_code of the calltrack category", "[errors]") {
    const boost::system::error_code ec = errc::window_closed;
    CHECK(ec);
    CHECK(std::string(ec.category().name()) == "calltrack");
    CHECK(ec == errc::window_closed);
    CHECK(ec != errc::permission_denied);
    CHECK(calltrack::to_string(errc::window_closed) == "window_closed");
}

TEST_CASE("only transient failures are retryable", "[errors]") {
    CHECK(calltrack::is_retryable(errc::concurrency_conflict));
    CHECK(calltrack::is_retryable(errc::store_unavailable));
    CHECK_FALSE(calltrack::is_retryable(errc::window_closed));
    CHECK_FALSE(calltrack::is_retryable(errc::permission_denied));
    CHECK_FALSE(calltrack::is_retryable(errc::store_corrupt));
    CHECK_FALSE(calltrack::is_retryable(boost::system::error_code{}));
}

TEST_CASE("errors fall into conditions a caller can branch on", "[errors]") {
    using calltrack::condition;
    const boost::system::error_code bad_number = errc::phone_number_too_short;
    CHECK(bad_number == condition::invalid_input);
    CHECK(bad_number != condition::refused);
    const boost::system::error_code refused = errc::survey_not_confirmed;
    CHECK(refused == condition::refused);
    const boost::system::error_code corrupt = errc::schema_too_new;
    CHECK(corrupt == condition::storage);
}

TEST_CASE("result<T> carries either a value or a calltrack error", "[errors]") {
    const calltrack::result<int> good = 42;
    REQUIRE(good);
    CHECK(good.value() == 42);
    const calltrack::result<int> bad = errc::unknown_account;
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == errc::unknown_account);
    // Reading the value of a failed result is a programming error: it throws.
    CHECK_THROWS_AS(bad.value(), boost::system::system_error);
}
