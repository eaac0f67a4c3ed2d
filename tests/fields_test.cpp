// CALLTRACK_FIELDS lists a struct's members once, and equality and the JSON codec follow that
// list, so a member left out of it would be ignored by both, silently. These tests prove every
// list whole: in declaration order, and together covering the struct's bytes.

#include <calltrack/calltrack.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

using namespace calltrack;

namespace {

struct Placement {
    std::string name;
    std::size_t offset;
    std::size_t size;
    std::size_t alignment;
};

/// Where each listed member of T lies in a T. Read off storage no T lives in: only addresses are
/// taken, nothing is read, and T needs no default constructor (many hold a PhoneNumber).
template <class T>
std::vector<Placement> placements() {
    alignas(T) static unsigned char storage[sizeof(T)];
    const auto* base = reinterpret_cast<const unsigned char*>(storage);
    const T* object = reinterpret_cast<const T*>(storage);
    std::vector<Placement> out;
    std::apply(
        [&](const auto&... f) {
            (out.push_back(
                 {std::string(f.name),
                  static_cast<std::size_t>(
                      reinterpret_cast<const unsigned char*>(&(object->*(f.member))) - base),
                  sizeof(typename std::decay_t<decltype(f)>::member_type),
                  alignof(typename std::decay_t<decltype(f)>::member_type)}),
             ...);
        },
        T::fields());
    return out;
}

std::size_t align_up(std::size_t at, std::size_t alignment) {
    return (at + alignment - 1) / alignment * alignment;
}

/// What is wrong with T's list, or "" if nothing: the members must come in declaration order
/// (rising offsets) and follow one another with no more room between them than alignment
/// leaves, up to sizeof(T). A member missing from the list leaves a hole it would have filled.
/// (A member small enough to hide in padding could escape this; the codec's blank(), which builds
/// every struct it reads from its list, fails the build on most of those.)
template <class T>
std::string list_problem(const char* type) {
    const auto members = placements<T>();
    for (std::size_t i = 1; i < members.size(); ++i) {
        if (members[i].offset < members[i - 1].offset) {
            return std::string(type) + "::" + members[i].name
                   + " is listed out of declaration order";
        }
    }
    std::size_t end = 0;
    for (const auto& m : members) {
        if (m.offset != align_up(end, m.alignment)) {
            return std::string(type) + ": a member declared before " + m.name
                   + " is not in its CALLTRACK_FIELDS list";
        }
        end = m.offset + m.size;
    }
    if (align_up(end, alignof(T)) != sizeof(T)) {
        return std::string(type) + ": a member after " + members.back().name
               + " is not in its CALLTRACK_FIELDS list";
    }
    return {};
}

template <class Variant, std::size_t... I>
std::vector<std::string> alternatives_problems(const char* what, std::index_sequence<I...>) {
    std::vector<std::string> out;
    (out.push_back(list_problem<std::variant_alternative_t<I, Variant>>(what)), ...);
    return out;
}

template <class Variant>
std::vector<std::string> alternatives_problems(const char* what) {
    return alternatives_problems<Variant>(what,
                                          std::make_index_sequence<std::variant_size_v<Variant>>{});
}

}  // namespace

TEST_CASE("every CALLTRACK_FIELDS list names each member of its struct, in order", "[fields]") {
    CHECK(list_problem<Plan>("Plan").empty());
    CHECK(list_problem<Balance>("Balance").empty());
    CHECK(list_problem<AccountTimeline>("AccountTimeline").empty());
    CHECK(list_problem<Account>("Account").empty());
    CHECK(list_problem<Agency>("Agency").empty());
    CHECK(list_problem<TrackingNumber>("TrackingNumber").empty());
    CHECK(list_problem<RoleGrant>("RoleGrant").empty());
    CHECK(list_problem<Actor>("Actor").empty());
    CHECK(list_problem<Confirmation>("Confirmation").empty());
    CHECK(list_problem<Deadline>("Deadline").empty());
    CHECK(list_problem<State>("State").empty());
    CHECK(list_problem<Refusal>("Refusal").empty());
    CHECK(list_problem<HostEffect>("HostEffect").empty());
    CHECK(list_problem<ConfirmationRule>("ConfirmationRule").empty());
    CHECK(list_problem<OperationRule>("OperationRule").empty());
    CHECK(list_problem<CancellationRule>("CancellationRule").empty());
    CHECK(list_problem<PauseRule>("PauseRule").empty());
    CHECK(list_problem<ChargeRule>("ChargeRule").empty());
    CHECK(list_problem<Policy>("Policy").empty());
    CHECK(list_problem<PolicyDifference>("PolicyDifference").empty());
    CHECK(list_problem<Versioned<Account>>("Versioned").empty());
    CHECK(list_problem<UserGrants>("UserGrants").empty());
    CHECK(list_problem<StoredEvent>("StoredEvent").empty());
    CHECK(list_problem<OutboxEntry>("OutboxEntry").empty());
    CHECK(list_problem<IdempotencyRecord>("IdempotencyRecord").empty());
    for (const auto& problem : alternatives_problems<Command>("a command")) CHECK(problem.empty());
    for (const auto& problem : alternatives_problems<Event>("an event")) CHECK(problem.empty());
    for (const auto& problem : alternatives_problems<TypedEffect>("a typed effect")) {
        CHECK(problem.empty());
    }
}

// The check above must be able to fail: a struct whose list leaves out a member, at the start, in
// the middle, at the end, and one listed out of order.
namespace {
struct LeavesOutFirst {
    std::int64_t a;
    std::int64_t b;
    CALLTRACK_FIELDS(LeavesOutFirst, b)
};
struct LeavesOutMiddle {
    std::string a;
    bool b;
    std::string c;
    CALLTRACK_FIELDS(LeavesOutMiddle, a, c)
};
struct LeavesOutLast {
    std::int32_t a;
    std::int32_t b;
    CALLTRACK_FIELDS(LeavesOutLast, a)
};
struct OutOfOrder {
    std::int32_t a;
    std::int32_t b;
    CALLTRACK_FIELDS(OutOfOrder, b, a)
};
}  // namespace

TEST_CASE("a list that leaves out a member or changes the order is found", "[fields]") {
    CHECK(list_problem<LeavesOutFirst>("LeavesOutFirst")
          == "LeavesOutFirst: a member declared before b is not in its CALLTRACK_FIELDS list");
    CHECK(list_problem<LeavesOutMiddle>("LeavesOutMiddle")
          == "LeavesOutMiddle: a member declared before c is not in its CALLTRACK_FIELDS list");
    CHECK(list_problem<LeavesOutLast>("LeavesOutLast")
          == "LeavesOutLast: a member after a is not in its CALLTRACK_FIELDS list");
    CHECK(list_problem<OutOfOrder>("OutOfOrder")
          == "OutOfOrder::a is listed out of declaration order");
}

TEST_CASE("equality from the list compares every member", "[fields]") {
    const auto at = parse_time("2026-01-05T10:00:00Z").value();
    Account a;
    a.id = AccountId("acme");
    a.timeline.opened_at = at;
    Account b = a;
    CHECK(a == b);
    CHECK_FALSE(a != b);
    b.timeline.closed_at = at;  // the last member of the last member
    CHECK(a != b);
    b = a;
    b.id = AccountId("beta");  // the first
    CHECK(a != b);

    Confirmation c;
    Confirmation d;
    CHECK(c == d);
    d.billing_details_entered = true;
    CHECK(c != d);

    const commands::RequestTransfer t{AccountId("acme"), AgencyId("north")};
    auto u = t;
    CHECK(t == u);
    u.to = AgencyId("south");
    CHECK(t != u);

    const auto names = [](const auto& fields) {
        std::vector<std::string> out;
        std::apply([&](const auto&... f) { (out.emplace_back(f.name), ...); }, fields);
        return out;
    };
    CHECK(names(events::AccountCanceled::fields())
          == std::vector<std::string>{"account", "kind", "reasons", "reactivation_until",
                                      "restore_until", "at"});
}
