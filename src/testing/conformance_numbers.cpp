// The sub-accounts, numbers and phone index part of the store conformance suite: what the store's
// indexes answer (load_numbers_of, load_sub_accounts, load_incoming_transfers, load_grants_on,
// find_number_by_phone) as records are written, moved, released and renumbered. They are apart from
// the records because they test what a store derives from the records rather than the records
// themselves: an index left behind by a rewrite fails here while every record check passes.

#include "conformance.hpp"

#include <string>
#include <utility>

namespace calltrack::testing::conformance {

namespace {

void numbers_of_an_account_in_id_order(Check& c) {
    CommitBatch b;
    b.numbers.push_back(write(number("n3", "a1", "+14045550003"), 0));
    b.numbers.push_back(write(number("n1", "a1", "+14045550001", NumberStatus::released), 0));
    b.numbers.push_back(write(number("n4", "a2", "+14045550004"), 0));
    b.numbers.push_back(write(number("n2", "a1", "+14045550002", NumberStatus::held), 0));
    c.commit(b, "numbers n3, n1, n4, n2");
    c.expect_equal(c.numbers_of("a1"),
                   {*at_version(number("n1", "a1", "+14045550001", NumberStatus::released), 1),
                    *at_version(number("n2", "a1", "+14045550002", NumberStatus::held), 1),
                    *at_version(number("n3", "a1", "+14045550003"), 1)},
                   "load_numbers_of(a1)");
    c.expect_equal(c.numbers_of("a2"), {*at_version(number("n4", "a2", "+14045550004"), 1)},
                   "load_numbers_of(a2)");

    CommitBatch update;
    update.numbers.push_back(write(number("n2", "a1", "+14045550002"), 1));
    c.commit(update, "n2 reactivated");
    c.expect_equal(c.numbers_of("a1"),
                   {*at_version(number("n1", "a1", "+14045550001", NumberStatus::released), 1),
                    *at_version(number("n2", "a1", "+14045550002"), 2),
                    *at_version(number("n3", "a1", "+14045550003"), 1)},
                   "load_numbers_of(a1) after n2 was written again");
}

void sub_accounts_of_an_agency_in_id_order(Check& c) {
    CommitBatch b;
    b.agencies.push_back(write(agency("g1"), 0));
    b.agencies.push_back(write(agency("g2"), 0));
    b.accounts.push_back(write(account("x3", "g1"), 0));
    b.accounts.push_back(write(account("s1"), 0));
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.accounts.push_back(write(account("x2", "g2"), 0));
    c.commit(b, "agencies g1 and g2, sub-accounts x3, x1, x2, standalone s1");
    c.expect_equal(c.sub_accounts("g1"),
                   {*at_version(account("x1", "g1"), 1), *at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1)");
    c.expect_equal(c.sub_accounts("g2"), {*at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2)");
    c.expect_equal(c.sub_accounts("g3"), {}, "load_sub_accounts(g3)");
}

void moved_sub_account_appears_under_its_new_agency_only(Check& c) {
    CommitBatch b;
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.accounts.push_back(write(account("x2", "g2"), 0));
    b.accounts.push_back(write(account("x3", "g1"), 0));
    c.commit(b, "sub-accounts x1 and x3 of g1, x2 of g2");

    CommitBatch transfer;
    transfer.accounts.push_back(write(account("x1", "g2"), 1));
    c.commit(transfer, "x1 moved to g2");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1) after x1 moved to g2");
    c.expect_equal(c.sub_accounts("g2"),
                   {*at_version(account("x1", "g2"), 2), *at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2) after x1 moved to g2");

    CommitBatch standalone;
    standalone.accounts.push_back(write(account("x1"), 2));
    c.commit(standalone, "x1 made standalone");
    c.expect_equal(c.sub_accounts("g2"), {*at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2) after x1 became standalone");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1) after x1 became standalone");
}

Account asking_to_move(const char* id, const char* from, const char* to) {
    Account a = account(id, from);
    a.pending_transfer = PendingTransfer{AgencyId(to), AgencyId(from), UserId("u1"), at(5), at(50)};
    return a;
}

void incoming_transfers_follow_the_pending_transfer(Check& c) {
    CommitBatch b;
    b.accounts.push_back(write(asking_to_move("x3", "g1", "g2"), 0));
    b.accounts.push_back(write(account("x2", "g1"), 0));
    b.accounts.push_back(write(asking_to_move("x1", "g3", "g2"), 0));
    b.accounts.push_back(write(asking_to_move("x4", "g2", "g1"), 0));
    c.commit(b, "x3 (g1) and x1 (g3) asking to move to g2, x4 (g2) to g1, x2 staying");
    c.expect_equal(c.incoming_transfers("g2"),
                   {*at_version(asking_to_move("x1", "g3", "g2"), 1),
                    *at_version(asking_to_move("x3", "g1", "g2"), 1)},
                   "load_incoming_transfers(g2)");
    c.expect_equal(c.incoming_transfers("g1"), {*at_version(asking_to_move("x4", "g2", "g1"), 1)},
                   "load_incoming_transfers(g1)");
    c.expect_equal(c.incoming_transfers("g3"), {}, "load_incoming_transfers(g3)");

    // Approved: x3 belongs to g2 and asks nothing more. Withdrawn: x1 stays in g3. Redirected:
    // x4 asks for g3 instead.
    CommitBatch answered;
    answered.accounts.push_back(write(account("x3", "g2"), 1));
    answered.accounts.push_back(write(account("x1", "g3"), 1));
    answered.accounts.push_back(write(asking_to_move("x4", "g2", "g3"), 1));
    c.commit(answered, "x3 moved to g2, x1's request withdrawn, x4 asking for g3");
    c.expect_equal(c.incoming_transfers("g2"), {}, "load_incoming_transfers(g2) once answered");
    c.expect_equal(c.incoming_transfers("g1"), {},
                   "load_incoming_transfers(g1) once x4 asks for g3");
    c.expect_equal(c.incoming_transfers("g3"), {*at_version(asking_to_move("x4", "g2", "g3"), 2)},
                   "load_incoming_transfers(g3) once x4 asks for it");
    c.expect_equal(
        c.sub_accounts("g2"),
        {*at_version(account("x3", "g2"), 2), *at_version(asking_to_move("x4", "g2", "g3"), 2)},
        "load_sub_accounts(g2): a pending transfer leaves the sub-account where it is");
}

UserGrants holding(const char* user, std::vector<RoleGrant> grants) {
    return UserGrants{UserId(user), std::move(grants)};
}

void grants_on_a_scope_follow_each_users_grants(Check& c) {
    const RoleGrant owner_a1{Role::account_owner, AccountId("a1")};
    const RoleGrant admin_a1{Role::administrator, AccountId("a1")};
    const RoleGrant admin_g1{Role::agency_administrator, AgencyId("g1")};
    const RoleGrant support{Role::support, Platform{}};
    CommitBatch b;
    b.grants.push_back(write(holding("u3", {owner_a1, admin_g1}), 0));
    b.grants.push_back(write(holding("u1", {admin_a1}), 0));
    b.grants.push_back(write(holding("u2", {support}), 0));
    b.grants.push_back(write(holding("u4", {}), 0));
    c.commit(b,
             "u3 owner of a1 and agency administrator of g1, u1 administrator of a1, u2 support");
    c.expect_equal(c.grants_on(AccountId("a1")),
                   {*at_version(holding("u1", {admin_a1}), 1),
                    *at_version(holding("u3", {owner_a1, admin_g1}), 1)},
                   "load_grants_on(account a1)");
    c.expect_equal(c.grants_on(AgencyId("g1")),
                   {*at_version(holding("u3", {owner_a1, admin_g1}), 1)},
                   "load_grants_on(agency g1)");
    c.expect_equal(c.grants_on(Platform{}), {*at_version(holding("u2", {support}), 1)},
                   "load_grants_on(platform)");
    c.expect_equal(c.grants_on(AccountId("a2")), {}, "load_grants_on(account a2)");

    // u3 gives up a1 and keeps g1; u1 loses every grant; u4 takes a1.
    CommitBatch next;
    next.grants.push_back(write(holding("u3", {admin_g1}), 1));
    next.grants.push_back(write(holding("u1", {}), 1));
    next.grants.push_back(write(holding("u4", {owner_a1}), 1));
    c.commit(next, "u3 keeps g1 only, u1 holds nothing, u4 owner of a1");
    c.expect_equal(c.grants_on(AccountId("a1")), {*at_version(holding("u4", {owner_a1}), 2)},
                   "load_grants_on(account a1) after the grants changed");
    c.expect_equal(c.grants_on(AgencyId("g1")), {*at_version(holding("u3", {admin_g1}), 2)},
                   "load_grants_on(agency g1) after the grants changed");
}

void phone_finds_numbers_on_an_account(Check& c) {
    CommitBatch b;
    b.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    b.numbers.push_back(write(number("n2", "a1", "+14045550002", NumberStatus::held), 0));
    b.numbers.push_back(
        write(number("n3", "a2", "+14045550003", NumberStatus::port_out_pending), 0));
    c.commit(b, "an active, a held and a port-out-pending number");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(NumberId("n1")),
                   "find_number_by_phone(+14045550001), active");
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(NumberId("n2")),
                   "find_number_by_phone(+14045550002), held");
    c.expect_equal(c.by_phone("+14045550003"), std::optional<NumberId>(NumberId("n3")),
                   "find_number_by_phone(+14045550003), port-out pending");
    c.expect_equal(c.by_phone("+14045550009"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550009), never added");
}

void phone_lookup_follows_the_number_status(Check& c) {
    const char* p = "+14045550001";
    const std::pair<NumberStatus, bool> steps[] = {
        {NumberStatus::active, true},           {NumberStatus::released, false},
        {NumberStatus::active, true},           {NumberStatus::held, true},
        {NumberStatus::port_out_pending, true}, {NumberStatus::ported_out, false},
    };
    Version version = 0;
    for (const auto& [status, found] : steps) {
        CommitBatch b;
        b.numbers.push_back(write(number("n1", "a1", p, status), version++));
        c.commit(b, std::string("n1 ") + std::string(to_string(status)));
        c.expect_equal(c.by_phone(p),
                       found ? std::optional<NumberId>(NumberId("n1")) : std::nullopt,
                       std::string("find_number_by_phone(") + p + ") once n1 is "
                           + std::string(to_string(status)));
    }
}

void released_phone_is_found_under_its_new_number(Check& c) {
    const char* p = "+14045550001";
    CommitBatch add;
    add.numbers.push_back(write(number("n1", "a1", p), 0));
    c.commit(add, "n1");
    CommitBatch release;
    release.numbers.push_back(write(number("n1", "a1", p, NumberStatus::released), 1));
    c.commit(release, "n1 released");
    CommitBatch reuse;
    reuse.numbers.push_back(write(number("n2", "a2", p), 0));
    c.commit(reuse, "n2 with n1's phone number");
    c.expect_equal(c.by_phone(p), std::optional<NumberId>(NumberId("n2")),
                   std::string("find_number_by_phone(") + p + ")");
}

void rewritten_records_stay_indexed_once(Check& c) {
    const char* p = "+14045550001";
    CommitBatch b;
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.numbers.push_back(write(number("n1", "x1", p), 0));
    c.commit(b, "sub-account x1 of g1 with number n1");

    // Neither the agency nor the account and phone number change: the indexes answer as before,
    // with the new values.
    Account renamed = account("x1", "g1");
    renamed.plan.name = "renamed";
    TrackingNumber forwarded = number("n1", "x1", p);
    forwarded.forwarding_destination = phone("+14045550199");
    CommitBatch again;
    again.accounts.push_back(write(renamed, 1));
    again.numbers.push_back(write(forwarded, 1));
    c.commit(again, "x1 and n1 written again, indexed fields unchanged");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(renamed, 2)},
                   "load_sub_accounts(g1) after x1 was written again");
    c.expect_equal(c.numbers_of("x1"), {*at_version(forwarded, 2)},
                   "load_numbers_of(x1) after n1 was written again");
    c.expect_equal(c.by_phone(p), std::optional<NumberId>(NumberId("n1")),
                   std::string("find_number_by_phone(") + p + ") after n1 was written again");
}

void number_moved_or_renumbered_is_indexed_anew(Check& c) {
    const char* p1 = "+14045550001";
    const char* p2 = "+14045550002";
    CommitBatch b;
    b.numbers.push_back(write(number("n1", "a1", p1), 0));
    c.commit(b, "n1 on a1 as " + std::string(p1));

    CommitBatch moved;
    moved.numbers.push_back(write(number("n1", "a2", p2), 1));
    c.commit(moved, "n1 moved to a2 as " + std::string(p2));
    c.expect_equal(c.numbers_of("a1"), {}, "load_numbers_of(a1) after n1 moved to a2");
    c.expect_equal(c.numbers_of("a2"), {*at_version(number("n1", "a2", p2), 2)},
                   "load_numbers_of(a2) after n1 moved to a2");
    c.expect_equal(c.by_phone(p1), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p1 + ") after n1 moved to " + p2);
    c.expect_equal(c.by_phone(p2), std::optional<NumberId>(NumberId("n1")),
                   std::string("find_number_by_phone(") + p2 + ") after n1 moved to " + p2);

    // Released and renumbered in one write: off the phone index under either number.
    CommitBatch released;
    released.numbers.push_back(write(number("n1", "a2", p1, NumberStatus::released), 2));
    c.commit(released, "n1 released as " + std::string(p1));
    c.expect_equal(c.by_phone(p1), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p1 + ") after n1 was released");
    c.expect_equal(c.by_phone(p2), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p2 + ") after n1 was released");
}

}  // namespace

std::vector<CheckDefinition> number_checks() {
    return {
        {"numbers_of_an_account_in_id_order", numbers_of_an_account_in_id_order},
        {"sub_accounts_of_an_agency_in_id_order", sub_accounts_of_an_agency_in_id_order},
        {"moved_sub_account_appears_under_its_new_agency_only",
         moved_sub_account_appears_under_its_new_agency_only},
        {"incoming_transfers_follow_the_pending_transfer",
         incoming_transfers_follow_the_pending_transfer},
        {"grants_on_a_scope_follow_each_users_grants", grants_on_a_scope_follow_each_users_grants},
        {"phone_finds_numbers_on_an_account", phone_finds_numbers_on_an_account},
        {"phone_lookup_follows_the_number_status", phone_lookup_follows_the_number_status},
        {"released_phone_is_found_under_its_new_number",
         released_phone_is_found_under_its_new_number},
        {"rewritten_records_stay_indexed_once", rewritten_records_stay_indexed_once},
        {"number_moved_or_renumbered_is_indexed_anew", number_moved_or_renumbered_is_indexed_anew},
    };
}

}  // namespace calltrack::testing::conformance
