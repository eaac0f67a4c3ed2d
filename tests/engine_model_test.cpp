// The engine against the pure core, as a stateful property: rapidcheck generates sequences of
// steps (every command kind, and advance), under every preset, by actors with and without the
// right roles, at advancing times; the engine over InMemoryStore and over SqliteStore must
// produce, at every step, exactly what decide/evolve/due produce on a State: the same events,
// the same refusals (check's every reason and detail, preview's events and effects, execute's
// refusal), the same host effects, and afterwards the same records, deadlines, event log and
// outbox (engine_mirror.hpp).
//
// CI runs a bounded number of sequences (CALLTRACK_MODEL_SEQUENCES, default 40). A long run:
//     CALLTRACK_MODEL_SEQUENCES=10000 ./build/dev/tests/calltrack_tests "[engine-model]"
// The seed comes from RC_PARAMS (CTest sets it; main.cpp prints it); a failure prints the seed,
// the shrunk sequence of steps in words, and the first difference.
#include "engine_mirror.hpp"
#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/sqlite_store.hpp>

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;
namespace mw = calltrack::testing::mirror_world;

namespace {

/// One generated step, as small integers so that rapidcheck shrinks them: what to do (0: advance,
/// 1..28: the command of that operation), who does it, on what, with what confirmation, after
/// how long a wait, and one more choice some commands need.
using StepSpec = std::tuple<int, int, int, int, int, int, int>;

constexpr int step_kinds = 1 + static_cast<int>(operation_count);

/// Waits that straddle the presets' windows (14, 60, 90 and 182 days), most of them short.
Duration wait_of(int w) {
    switch (w) {
        case 0:
        case 1:
        case 2:
        case 3:
            return boost::posix_time::seconds(0);
        case 4:
            return boost::posix_time::seconds(1);
        case 5:
            return boost::posix_time::hours(1);
        case 6:
            return mw::days(1);
        case 7:
            return mw::days(15);
        case 8:
            return mw::days(61);
        default:
            return mw::days(183);
    }
}

struct Tenant {
    const char* account;
    const char* agency;
    std::vector<const char*> numbers;
    std::vector<const char*> users;  ///< who holds a role there
};

/// Mostly inside one tenant, so that commands get past lookups and role checks; sometimes
/// anything, unknown ids and strangers included.
const Tenant tenants[] = {
    {"a1", "g1", {"n1", "n2", "n5"}, {"admin_a1", "owner_a1", "support"}},
    {"s1", "g1", {"n3", "n5"}, {"agadmin_g1", "admin_s1", "support"}},
    {"s2", "g2", {"n4", "n5"}, {"agadmin_g2", "owner_s2", "support"}},
};

template <class T>
const T& at_index(const std::vector<T>& items, int i) {
    return items[static_cast<std::size_t>(i) % items.size()];
}

struct Decoded {
    Duration wait;
    std::string user;
    std::optional<Command> command;  ///< none: advance
};

Confirmation confirmation_of(int c) {
    if (c <= 5) return mw::everything();
    Confirmation partial;
    if (c == 7) partial.clicked = true;
    return partial;
}

Decoded decode(const StepSpec& spec, const Policy& policy) {
    auto [kind, who, target, detail, confirm, wait, extra] = spec;
    // Mostly an operation the preset offers (the others are refused at once), sometimes any.
    if (kind != 0 && !policy.rule(static_cast<Operation>(kind - 1)).offered && confirm != 6) {
        std::vector<int> offered;
        for (int k = 1; k < step_kinds; ++k) {
            if (policy.rule(static_cast<Operation>(k - 1)).offered) offered.push_back(k);
        }
        kind = at_index(offered, kind);
    }
    Decoded d{wait_of(wait), "", std::nullopt};
    const Tenant& t = tenants[target % 3];
    const bool stray = target == 9;  // any ids at all
    const AccountId a(stray ? at_index(mw::account_ids(), detail) : t.account);
    const AgencyId g(stray ? at_index(mw::agency_ids(), detail) : t.agency);
    const NumberId n(stray ? at_index(mw::number_ids(), detail)
                           : at_index(std::vector<const char*>(t.numbers), detail));
    const AgencyId other(at_index(mw::agency_ids(), extra));
    const char* const opposite = std::string_view(t.agency) == "g1" ? "g2" : "g1";
    d.user = who <= 5 ? std::string(at_index(t.users, who)) : at_index(mw::users(), who);
    const auto c = confirmation_of(confirm);
    const std::optional<NumberId> maybe_number =
        extra % 2 == 0 ? std::nullopt : std::optional<NumberId>(n);
    const std::vector<std::string> phones{"+14045550101", "+14045550105", "+14045550106"};
    using namespace commands;
    if (kind == 0) return d;
    switch (static_cast<Operation>(kind - 1)) {
        case Operation::create_agency:
            d.command = CreateAgency{other, mw::usd()};
            break;
        case Operation::open_account:
            d.command = OpenAccount{AccountId(at_index(mw::account_ids(), extra)),
                                    detail % 2 == 0 ? std::optional<AgencyId>(g) : std::nullopt,
                                    Plan{"Pro", {}}, mw::usd()};
            break;
        case Operation::add_tracking_number:
            d.command = AddTrackingNumber{
                n, a, mw::phone(at_index(phones, extra).c_str()), mw::phone("+14045550100"),
                confirm % 2 == 0 ? NumberSource::onsite_dynamic : NumberSource::offsite};
            break;
        case Operation::change_forwarding:
            d.command =
                ChangeForwarding{n, mw::phone(extra % 2 == 0 ? "+14045550100" : "+14045550199")};
            break;
        case Operation::set_plan:
            d.command =
                SetPlan{a, extra % 2 == 0 ? Plan{"Pro", {"form-tracking"}} : Plan{"Lite", {}}};
            break;
        case Operation::adjust_balance: {
            const BalanceOwner owner = extra % 3 == 0 ? BalanceOwner(g) : BalanceOwner(a);
            d.command = AdjustBalance{owner, mw::cents(extra % 2 == 0 ? 500 : -200)};
            break;
        }
        case Operation::grant_role:
        case Operation::revoke_role: {
            // The roles every preset shares, and one vendor's own, which the others refuse.
            static const Role roles[] = {Role::agency_administrator, Role::administrator,
                                         Role::account_owner, Role::support,
                                         Role("billing_manager")};
            const Role role = roles[static_cast<std::size_t>(extra) % 5];
            const Scope scope = confirm % 3 == 0   ? Scope(a)
                                : confirm % 3 == 1 ? Scope(g)
                                                   : Scope(Platform{});
            const UserId u(at_index(mw::users(), detail));
            if (kind - 1 == static_cast<int>(Operation::grant_role)) {
                d.command = GrantRole{u, RoleGrant{role, scope}};
            } else {
                d.command = RevokeRole{u, RoleGrant{role, scope}};
            }
            break;
        }
        case Operation::pause_tracking:
            d.command = PauseTracking{a, maybe_number, c};
            break;
        case Operation::resume_tracking:
            d.command = ResumeTracking{a, maybe_number, c};
            break;
        case Operation::stop_calls:
            d.command = StopCalls{a, maybe_number, c};
            break;
        case Operation::resume_calls:
            d.command = ResumeCalls{a, maybe_number, c};
            break;
        case Operation::pause_account:
            d.command = PauseAccount{a, c};
            break;
        case Operation::resume_account:
            d.command = ResumeAccount{a, c};
            break;
        case Operation::cancel_account:
            d.command = CancelAccount{a, c};
            break;
        case Operation::close_sub_account:
            d.command = CloseSubAccount{a, c};
            break;
        case Operation::cancel_agency:
            d.command = CancelAgency{g, c};
            break;
        case Operation::close_account:
            d.command = CloseAccount{a, c};
            break;
        case Operation::reopen_account:
            d.command = ReopenAccount{a, c};
            break;
        case Operation::reactivate_account:
            d.command = ReactivateAccount{a, c};
            break;
        case Operation::reactivate_agency:
            d.command = ReactivateAgency{g, c};
            break;
        case Operation::restore_number:
            d.command = RestoreNumber{n};
            break;
        case Operation::request_refund:
            d.command = RequestRefund{extra % 3 == 0 ? BalanceOwner(g) : BalanceOwner(a)};
            break;
        case Operation::start_port_out:
            d.command = StartPortOut{n};
            break;
        case Operation::complete_port_out:
            d.command = CompletePortOut{n};
            break;
        case Operation::abandon_port_out:
            d.command = AbandonPortOut{n};
            break;
        // A transfer is answered by the other agency, whose administrator is no user of the
        // tenant: mostly ask for the tenant's other agency, as the tenant agency's administrator
        // (few of the tenant's users may ask), and answer as the other's.
        case Operation::request_transfer:
            if (who % 2 == 0) d.user = std::string("agadmin_") + t.agency;
            d.command = RequestTransfer{a, extra % 3 == 0 ? other : AgencyId(opposite)};
            break;
        case Operation::approve_transfer:
            if (who % 2 == 0) d.user = std::string("agadmin_") + opposite;
            d.command = ApproveTransfer{a};
            break;
        case Operation::refuse_transfer:
            if (who % 2 == 0) d.user = std::string("agadmin_") + opposite;
            d.command = RefuseTransfer{a};
            break;
        case Operation::withdraw_transfer:
            if (who % 2 == 0) d.user = std::string("agadmin_") + t.agency;
            d.command = WithdrawTransfer{a};
            break;
        case Operation::record_survey:
            d.command = RecordSurvey{a, extra % 3 == 0   ? SurveyOutcome::keep_account
                                        : extra % 3 == 1 ? SurveyOutcome::book_meeting
                                                         : SurveyOutcome::confirm};
            break;
        case Operation::charge_usage:
            // Large enough to take a balance below zero, and so to suspend it, within a few.
            d.command = ChargeUsage{a, mw::cents(extra % 2 == 0 ? 300 : 50)};
            break;
        case Operation::charge_renewal:
            d.command = ChargeRenewal{a, {n}, mw::cents(extra % 2 == 0 ? 700 : 100)};
            break;
    }
    return d;
}

std::string describe_step(const Decoded& d) {
    std::string out = "+" + boost::posix_time::to_simple_string(d.wait) + " ";
    if (!d.command) return out + "advance";
    return out + d.user + " " + to_json(*d.command);
}

Policy preset(int which) {
    static const char* const names[] = {"callrail", "ctm", "smrtphone"};
    return policies::by_name(names[which % 3]).value();
}

/// What the generated sequences reached, to show they go past refusals into the lifecycle.
struct Reach {
    std::map<std::string, std::size_t> events;
    std::map<std::string, std::size_t> refusals;
    std::size_t steps = 0;
    std::size_t sequences = 0;
};
Reach& reach() {
    static Reach r;
    return r;
}

std::vector<UserId> all_users() {
    std::vector<UserId> out;
    for (const auto& u : mw::users()) out.emplace_back(u);
    return out;
}

/// The extra ids compare_store looks up even when the core has none of them.
std::vector<AccountId> all_accounts() {
    std::vector<AccountId> out;
    for (const auto& id : mw::account_ids()) out.emplace_back(id);
    return out;
}
std::vector<AgencyId> all_agencies() {
    std::vector<AgencyId> out;
    for (const auto& id : mw::agency_ids()) out.emplace_back(id);
    return out;
}
std::vector<NumberId> all_numbers() {
    std::vector<NumberId> out;
    for (const auto& id : mw::number_ids()) out.emplace_back(id);
    return out;
}

/// Runs one sequence through a mirror per store, asserting agreement at every step.
void run_sequence(int which_preset, const std::vector<StepSpec>& steps) {
    const Policy policy = preset(which_preset);
    RC_TAG(policy.name);
    InMemoryStore memory;
    auto sqlite = SqliteStore::open(":memory:");
    RC_ASSERT(static_cast<bool>(sqlite));
    std::vector<std::unique_ptr<Mirror>> mirrors;
    mirrors.push_back(std::make_unique<Mirror>(policy, mw::start_time(), memory));
    mirrors.push_back(std::make_unique<Mirror>(policy, mw::start_time(), *sqlite.value()));
    const char* const store_names[] = {"InMemoryStore", "SqliteStore"};

    for (const auto& c : mw::setup()) {
        for (std::size_t i = 0; i < mirrors.size(); ++i) {
            const auto diff = mirrors[i]->execute(mw::support(), c);
            if (!diff.empty()) RC_FAIL(std::string(store_names[i]) + " setup: " + diff);
        }
    }
    RC_LOG() << policy.name << ", " << steps.size() << " steps after the setup:\n";
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const Decoded d = decode(steps[k], policy);
        RC_LOG() << "  step " << k + 1 << ": " << describe_step(d) << '\n';
        for (std::size_t i = 0; i < mirrors.size(); ++i) {
            Mirror& m = *mirrors[i];
            m.set_time(m.now() + d.wait);
            std::string diff;
            if (d.command) {
                const Actor actor = mw::actor(m, d.user);
                diff += m.judge(actor, *d.command);
                diff += m.execute(actor, *d.command);
            } else {
                diff += m.advance();
            }
            diff += m.compare_store(all_accounts(), all_agencies(), all_numbers(), all_users());
            if (!diff.empty()) {
                RC_FAIL(std::string(store_names[i]) + " differs from the core at step "
                        + std::to_string(k + 1) + " (" + describe_step(d) + "):\n" + diff);
            }
        }
        ++reach().steps;
        const auto& decided = mirrors[0]->last_decision();
        if (d.command && !decided) {
            ++reach().refusals[decided.error().message()];
        } else if (d.command) {
            for (const auto& e : decided.value()) ++reach().events[std::string(event_name(e))];
        }
    }
    ++reach().sequences;
}

int sequences_to_run() {
    if (const char* text = std::getenv("CALLTRACK_MODEL_SEQUENCES")) {
        const int n = std::atoi(text);
        if (n > 0) return n;
    }
    return 40;
}

/// rc::check with this test's own number of sequences; the seed and everything else come from
/// RC_PARAMS as for every property test.
bool check_sequences(const std::string& description, int count) {
    using namespace rc::detail;
    TestParams params = configuration().testParams;
    params.maxSuccess = count;
    params.maxSize = 60;  // steps in the longest sequence
    std::cerr << "\n- " << description << " (" << count << " sequences, seed " << params.seed
              << ")\n";
    TestMetadata metadata;
    metadata.id = description;
    metadata.description = description;
    const auto result = checkTestable(
        [] {
            const int which = *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, 3));
            // Each choice uniform whatever the size (inRange alone favours low values while the
            // size is small); the size sets only how many steps.
            const auto choice = [](int n) {
                return rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, n));
            };
            const auto steps = *rc::gen::container<std::vector<StepSpec>>(
                rc::gen::tuple(choice(step_kinds), choice(10), choice(10), choice(8), choice(8),
                               choice(10), choice(6)));
            run_sequence(which, steps);
        },
        metadata, params);
    printResultMessage(result, std::cerr);
    std::cerr << '\n';
    return result.template is<SuccessResult>();
}

}  // namespace

TEST_CASE(
    "engine model: over InMemoryStore and SqliteStore the engine does at every step exactly "
    "what decide, evolve and due do on a State",
    "[engine-model][property]") {
    reach() = Reach{};
    const int count = sequences_to_run();
    CHECK(check_sequences("engine == pure core, step by step", count));
    std::string events;
    for (const auto& [name, n] : reach().events) events += name + "=" + std::to_string(n) + " ";
    std::string refusals;
    for (const auto& [name, n] : reach().refusals)
        refusals += name + "=" + std::to_string(n) + "; ";
    WARN("engine model: " << reach().sequences << " sequences passed, " << reach().steps
                          << " steps; events applied: " << events << "\nrefusals: " << refusals);
    // The generator reaches the lifecycle, not only refusals.
    std::size_t lifecycle = 0;
    for (const char* name :
         {"account_paused", "account_resumed", "account_canceled", "account_reactivated",
          "agency_canceled", "tracking_paused", "calls_stopped", "number_restored",
          "refund_requested", "port_out_completed", "role_granted", "sub_account_transferred"}) {
        lifecycle += reach().events[name];
    }
    CHECK(lifecycle >= static_cast<std::size_t>(count) / 4);
}
