// A host-supplied store: calltrack persists through the one Store interface, so a host can put its
// own storage behind it. This one is a thin wrapper that counts and logs every call and forwards
// it to an InMemoryStore; a real host would talk to its database instead. main() proves the store
// keeps the contract by running calltrack's conformance suite over it, as a host's own test would.
#include <calltrack/in_memory_store.hpp>
#include <calltrack/testing/store_conformance.hpp>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ct = calltrack;

namespace {

/// How many calls of each kind every LoggingStore made, for the summary at the end.
std::map<std::string, std::uint64_t> calls_by_method;

class LoggingStore final : public ct::Store {
  public:
    explicit LoggingStore(int number) : name_("store " + std::to_string(number)) {}

    ct::result<std::optional<ct::Versioned<ct::Agency>>> load_agency(
        const ct::AgencyId& id) override {
        return logged("load_agency", id.str(), inner_.load_agency(id));
    }
    ct::result<std::optional<ct::Versioned<ct::Account>>> load_account(
        const ct::AccountId& id) override {
        return logged("load_account", id.str(), inner_.load_account(id));
    }
    ct::result<std::optional<ct::Versioned<ct::TrackingNumber>>> load_number(
        const ct::NumberId& id) override {
        return logged("load_number", id.str(), inner_.load_number(id));
    }
    ct::result<std::optional<ct::Versioned<ct::UserGrants>>> load_grants(
        const ct::UserId& user) override {
        return logged("load_grants", user.str(), inner_.load_grants(user));
    }
    ct::result<std::vector<ct::Versioned<ct::TrackingNumber>>> load_numbers_of(
        const ct::AccountId& account) override {
        return logged("load_numbers_of", account.str(), inner_.load_numbers_of(account));
    }
    ct::result<std::vector<ct::Versioned<ct::Account>>> load_sub_accounts(
        const ct::AgencyId& agency) override {
        return logged("load_sub_accounts", agency.str(), inner_.load_sub_accounts(agency));
    }
    ct::result<std::vector<ct::Versioned<ct::Account>>> load_incoming_transfers(
        const ct::AgencyId& agency) override {
        return logged("load_incoming_transfers", agency.str(),
                      inner_.load_incoming_transfers(agency));
    }
    ct::result<std::vector<ct::Versioned<ct::UserGrants>>> load_grants_on(
        const ct::Scope& scope) override {
        return logged("load_grants_on", ct::to_string(scope), inner_.load_grants_on(scope));
    }
    ct::result<std::optional<ct::NumberId>> find_number_by_phone(
        const ct::PhoneNumber& phone) override {
        return logged("find_number_by_phone", phone.e164(), inner_.find_number_by_phone(phone));
    }

    ct::result<void> commit(const ct::CommitBatch& batch) override {
        const auto records = batch.agencies.size() + batch.accounts.size() + batch.numbers.size()
                             + batch.grants.size();
        const std::string what =
            std::to_string(records) + " records, " + std::to_string(batch.events.size())
            + " events, " + std::to_string(batch.effects.size()) + " effects"
            + (batch.idempotency ? ", key " + batch.idempotency->key : std::string());
        return logged("commit", what, inner_.commit(batch));
    }

    ct::result<std::vector<ct::Deadline>> due_deadlines(ct::Time t, std::size_t limit) override {
        return logged("due_deadlines", ct::format_time(t) + ", " + std::to_string(limit),
                      inner_.due_deadlines(t, limit));
    }
    ct::result<std::vector<ct::Deadline>> deadlines_of(const std::string& subject) override {
        return logged("deadlines_of", subject, inner_.deadlines_of(subject));
    }

    ct::result<std::vector<ct::Deadline>> claim_due_deadlines(ct::Time t, std::size_t limit,
                                                              const std::string& worker,
                                                              ct::Time lease_until) override {
        return logged("claim_due_deadlines",
                      ct::format_time(t) + ", " + std::to_string(limit) + ", " + worker + ", "
                          + ct::format_time(lease_until),
                      inner_.claim_due_deadlines(t, limit, worker, lease_until));
    }

    ct::result<std::vector<ct::StoredEvent>> read_stream(const ct::StreamId& stream,
                                                         ct::Version after) override {
        return logged("read_stream", stream + ", " + std::to_string(after),
                      inner_.read_stream(stream, after));
    }
    ct::result<std::vector<ct::StoredEvent>> read_all(std::uint64_t after,
                                                      std::size_t limit) override {
        return logged("read_all", std::to_string(after) + ", " + std::to_string(limit),
                      inner_.read_all(after, limit));
    }
    ct::result<std::optional<ct::Time>> last_event_time() override {
        return logged("last_event_time", "", inner_.last_event_time());
    }

    ct::result<std::vector<ct::OutboxEntry>> pending_effects(std::size_t limit) override {
        return logged("pending_effects", std::to_string(limit), inner_.pending_effects(limit));
    }
    ct::result<void> acknowledge_effects(std::uint64_t up_to) override {
        return logged("acknowledge_effects", std::to_string(up_to),
                      inner_.acknowledge_effects(up_to));
    }

    ct::result<std::vector<ct::OutboxEntry>> claim_effects(std::size_t limit,
                                                           const std::string& consumer,
                                                           ct::Time now,
                                                           ct::Time lease_until) override {
        return logged("claim_effects",
                      std::to_string(limit) + ", " + consumer + ", " + ct::format_time(now) + ", "
                          + ct::format_time(lease_until),
                      inner_.claim_effects(limit, consumer, now, lease_until));
    }
    ct::result<void> acknowledge_claimed_effects(
        const std::vector<std::uint64_t>& sequences) override {
        return logged("acknowledge_claimed_effects", std::to_string(sequences.size()) + " entries",
                      inner_.acknowledge_claimed_effects(sequences));
    }

    ct::result<std::optional<ct::IdempotencyRecord>> find_idempotency(
        const std::string& key) override {
        return logged("find_idempotency", key, inner_.find_idempotency(key));
    }

  private:
    // One line per call: which store, which method, its arguments, and whether it succeeded.
    template <class T>
    ct::result<T> logged(const char* method, const std::string& arguments, ct::result<T> r) {
        ++calls_by_method[method];
        std::cout << "  [" << name_ << "] " << method << "(" << arguments << ") -> "
                  << (r ? std::string("ok") : r.error().message()) << '\n';
        return r;
    }

    std::string name_;
    ct::InMemoryStore inner_;
};

}  // namespace

int main() {
    // The suite makes one fresh store per check, in the order store_conformance_checks() lists.
    const auto checks = ct::testing::store_conformance_checks();
    int stores = 0;
    const auto failures = ct::testing::run_store_conformance([&] {
        ++stores;
        const auto index = static_cast<std::size_t>(stores - 1);
        std::cout << "store " << stores << ", for "
                  << (index < checks.size() ? checks[index] : std::string("?")) << '\n';
        return std::make_unique<LoggingStore>(stores);
    });

    std::cout << "\ncalls by method:\n";
    for (const auto& [method, count] : calls_by_method) {
        std::cout << "  " << method << ": " << count << '\n';
    }

    if (!failures.empty()) {
        std::cout << "\ncustom store does not conform: " << failures.size() << " failures\n";
        for (const auto& f : failures) std::cout << "  " << f.check << ": " << f.detail << '\n';
        return 1;
    }
    std::cout << "\ncustom store conforms: " << checks.size() << " checks\n";
    return 0;
}
