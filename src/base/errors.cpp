#include <calltrack/errors.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace calltrack {
namespace {

// One row per errc, in declaration order: its name, its family and a message a person can act
// on. The names, the parsing of names, the messages and the conditions all read this one table.
struct ErrcRow {
    errc value;
    std::string_view name;
    condition family;
    std::string_view message;
};

constexpr std::array errc_table{
    ErrcRow{errc::phone_number_empty, "phone_number_empty", condition::invalid_input,
            "the phone number is empty; give it in E.164 form, for example +14045550123"},
    ErrcRow{errc::phone_number_missing_plus, "phone_number_missing_plus", condition::invalid_input,
            "the phone number must start with '+' and the country code (E.164), for example "
            "+14045550123"},
    ErrcRow{
        errc::phone_number_invalid_character, "phone_number_invalid_character",
        condition::invalid_input,
        "the phone number has a character other than digits, spaces, dashes, dots or parentheses"},
    ErrcRow{errc::phone_number_too_short, "phone_number_too_short", condition::invalid_input,
            "the phone number has fewer than 8 digits after '+'; include the country code and the "
            "full subscriber number"},
    ErrcRow{errc::phone_number_too_long, "phone_number_too_long", condition::invalid_input,
            "the phone number has more than 15 digits after '+', the E.164 maximum"},
    ErrcRow{errc::phone_number_leading_zero, "phone_number_leading_zero", condition::invalid_input,
            "the digit after '+' is 0, but no country code starts with 0; drop the trunk prefix"},
    ErrcRow{
        errc::invalid_currency_code, "invalid_currency_code", condition::invalid_input,
        "the currency must be an ISO 4217 code of three upper-case letters, such as USD or EUR"},
    ErrcRow{
        errc::currency_mismatch, "currency_mismatch", condition::invalid_input,
        "the two amounts are in different currencies; convert one before adding or comparing them"},
    ErrcRow{errc::amount_overflow, "amount_overflow", condition::invalid_input,
            "the amount does not fit in 64-bit minor units; split the operation"},
    ErrcRow{errc::invalid_amount, "invalid_amount", condition::invalid_input,
            "the amount is not a decimal number such as 12.50 USD, with at most as many digits "
            "after the point as the currency has; amounts are never rounded"},
    ErrcRow{errc::invalid_id, "invalid_id", condition::invalid_input,
            "the id is empty or malformed; ids are non-empty text"},
    ErrcRow{errc::invalid_time, "invalid_time", condition::invalid_input,
            "the time is not an ISO 8601 UTC time; write it like 2020-09-15T10:00:00Z"},
    ErrcRow{
        errc::invalid_role, "invalid_role", condition::invalid_input,
        "not a role the policy declares, or not granted on that scope; a role name is 1 to 31 of "
        "a-z, 0-9 and _, a letter first, and the policy's roles are listed in its \"roles\""},
    ErrcRow{errc::invalid_number_source, "invalid_number_source", condition::invalid_input,
            "not a number source calltrack knows; use onsite_dynamic or offsite"},
    ErrcRow{errc::invalid_survey_outcome, "invalid_survey_outcome", condition::invalid_input,
            "not a survey outcome calltrack knows; use keep_account, book_meeting or confirm"},
    ErrcRow{errc::invalid_operation, "invalid_operation", condition::invalid_input,
            "not an operation calltrack knows; see docs/policies.md for the list"},
    ErrcRow{errc::unknown_time_zone, "unknown_time_zone", condition::invalid_input,
            "not a time zone of the tz database: give an IANA name such as America/New_York "
            "(case matters), and have the system's tzdata installed"},
    ErrcRow{errc::clock_went_backwards, "clock_went_backwards", condition::invalid_input,
            "the clock reads earlier than a time already used; fix the host clock (calltrack never "
            "moves time backwards)"},
    ErrcRow{errc::permission_denied, "permission_denied", condition::refused,
            "the actor does not hold a role this operation requires; ask a user who holds it"},
    ErrcRow{errc::actor_out_of_scope, "actor_out_of_scope", condition::refused,
            "the actor's roles are granted on another account or agency, not this one"},
    ErrcRow{errc::support_only, "support_only", condition::refused,
            "only the vendor's support staff can do this now; contact support"},
    ErrcRow{errc::operation_not_offered, "operation_not_offered", condition::refused,
            "this vendor's policy does not offer the operation"},
    ErrcRow{errc::operation_not_yet_offered, "operation_not_yet_offered", condition::refused,
            "the operation is offered only from a later date; try again then"},
    ErrcRow{errc::operation_withdrawn, "operation_withdrawn", condition::refused,
            "the vendor withdrew this operation; it can no longer be started"},
    ErrcRow{errc::confirmation_required, "confirmation_required", condition::refused,
            "the operation must be confirmed; ask the person to confirm and send it again"},
    ErrcRow{errc::confirmation_mismatch, "confirmation_mismatch", condition::refused,
            "the typed confirmation does not match the required phrase exactly (spelling, case and "
            "spaces all count)"},
    ErrcRow{errc::acknowledgement_missing, "acknowledgement_missing", condition::refused,
            "a required acknowledgement was not given; the person must acknowledge it first"},
    ErrcRow{errc::terms_not_accepted, "terms_not_accepted", condition::refused,
            "the terms and conditions must be accepted before the account can resume"},
    ErrcRow{errc::survey_required, "survey_required", condition::refused,
            "the cancellation survey must be answered first"},
    ErrcRow{errc::survey_not_confirmed, "survey_not_confirmed", condition::refused,
            "the cancellation survey ended in keeping the account or booking a meeting, so nothing "
            "is canceled"},
    ErrcRow{errc::billing_details_required, "billing_details_required", condition::refused,
            "billing details must be entered before the account can reopen"},
    ErrcRow{errc::reason_required, "reason_required", condition::refused,
            "a reason for leaving is required for this operation"},
    ErrcRow{errc::impact_required, "impact_required", condition::refused,
            "this operation must carry the digest of the impact a person was shown (preview "
            "gives it), so that what happens is what they confirmed"},
    ErrcRow{errc::impact_changed, "impact_changed", condition::refused,
            "the command would now do other than the impact shown; preview it again and confirm "
            "what it would do now"},
    ErrcRow{errc::invalid_state, "invalid_state", condition::refused,
            "the operation is not possible in the current status of the account, agency or number"},
    ErrcRow{errc::account_closed, "account_closed", condition::refused,
            "the account is closed for good; a returning customer opens a new account"},
    ErrcRow{errc::agency_canceled, "agency_canceled", condition::refused,
            "the agency is canceled; only support can reactivate it"},
    ErrcRow{
        errc::agency_closed, "agency_closed", condition::refused,
        "the agency is closed for good; nothing can bring it or its sub-accounts back through it"},
    ErrcRow{errc::window_closed, "window_closed", condition::refused,
            "the time window for this operation has ended"},
    ErrcRow{errc::window_not_offered, "window_not_offered", condition::refused,
            "this vendor offers no window for this operation at all"},
    ErrcRow{errc::number_limit_exceeded, "number_limit_exceeded", condition::refused,
            "the account has more tracking numbers than the policy keeps; disable some first"},
    ErrcRow{errc::number_not_swappable, "number_not_swappable", condition::refused,
            "only onsite dynamic numbers are swapped by the tracking code, so only they can be "
            "paused one by one"},
    ErrcRow{errc::port_out_pending, "port_out_pending", condition::refused,
            "a number port-out is still in progress; wait for it to complete or abandon it first"},
    ErrcRow{errc::number_not_released, "number_not_released", condition::refused,
            "the tracking number is not released"},
    ErrcRow{errc::nothing_to_refund, "nothing_to_refund", condition::refused,
            "there is no available balance to refund, or it was refunded already"},
    ErrcRow{errc::not_a_sub_account, "not_a_sub_account", condition::refused,
            "the account does not belong to an agency"},
    ErrcRow{errc::not_standalone, "not_standalone", condition::refused,
            "the account is a sub-account of an agency; use the sub-account operation"},
    ErrcRow{errc::transfer_not_approved, "transfer_not_approved", condition::refused,
            "a transfer is asked by an administrator of one agency and answered by one of the "
            "other"},
    ErrcRow{errc::no_pending_transfer, "no_pending_transfer", condition::refused,
            "the sub-account has no transfer waiting for an answer"},
    ErrcRow{errc::already_in_state, "already_in_state", condition::refused,
            "nothing to do: the change has already been made"},
    ErrcRow{errc::role_already_held, "role_already_held", condition::refused,
            "the policy lets one user hold this role on a scope and another holds it; revoke "
            "theirs first"},
    ErrcRow{errc::unknown_agency, "unknown_agency", condition::invalid_input,
            "no agency has that id"},
    ErrcRow{errc::unknown_account, "unknown_account", condition::invalid_input,
            "no account has that id"},
    ErrcRow{errc::unknown_number, "unknown_number", condition::invalid_input,
            "no tracking number has that id"},
    ErrcRow{errc::unknown_user, "unknown_user", condition::invalid_input, "no user has that id"},
    ErrcRow{errc::already_exists, "already_exists", condition::invalid_input,
            "an entity with that id exists already; choose another id"},
    ErrcRow{errc::policy_malformed, "policy_malformed", condition::invalid_input,
            "the policy document is not valid JSON"},
    ErrcRow{errc::policy_unknown_key, "policy_unknown_key", condition::invalid_input,
            "the policy document has a key that Policy does not define; check its spelling"},
    ErrcRow{errc::policy_invalid_value, "policy_invalid_value", condition::invalid_input,
            "a policy field has a value of the wrong type or out of range"},
    ErrcRow{errc::policy_contradictory, "policy_contradictory", condition::invalid_input,
            "two or more policy fields contradict each other"},
    ErrcRow{errc::json_malformed, "json_malformed", condition::invalid_input,
            "the text is not valid JSON; check its brackets, quotes and commas"},
    ErrcRow{errc::json_unknown_field, "json_unknown_field", condition::invalid_input,
            "the JSON object has a key that the type does not define; check its spelling"},
    ErrcRow{errc::json_invalid_field, "json_invalid_field", condition::invalid_input,
            "a JSON field is missing, has a value of the wrong type, or holds a value that is not "
            "valid; the diagnostic names the field"},
    ErrcRow{errc::concurrency_conflict, "concurrency_conflict", condition::retryable,
            "another writer changed the same records first; nothing was written, and the command "
            "can be retried"},
    ErrcRow{errc::idempotency_key_reused, "idempotency_key_reused", condition::invalid_input,
            "the idempotency key was already used for a different command; use a new key"},
    ErrcRow{errc::store_unavailable, "store_unavailable", condition::retryable,
            "the store could not be read or written; nothing was changed, and the command can be "
            "retried"},
    ErrcRow{errc::store_corrupt, "store_corrupt", condition::storage,
            "the store holds data that breaks calltrack's invariants; restore it from a backup"},
    ErrcRow{errc::schema_too_new, "schema_too_new", condition::storage,
            "the database was written by a newer calltrack; upgrade the library to open it"},
    ErrcRow{errc::store_not_found, "store_not_found", condition::storage,
            "there is no calltrack database there, and none was created; create one first"},
    ErrcRow{
        errc::store_access_denied, "store_access_denied", condition::storage,
        "the database refused this user a login or a privilege the store needs (to connect, "
        "to create its schema, to read or write its tables); grant it and open the store again"},
};

constexpr bool rows_follow_the_enum() {
    for (std::size_t i = 0; i < errc_table.size(); ++i) {
        if (static_cast<int>(errc_table[i].value) != errc_first + static_cast<int>(i)) return false;
    }
    return errc_table.size() == static_cast<std::size_t>(errc_last - errc_first + 1);
}
static_assert(rows_follow_the_enum(), "errc_table must list every errc once, in declaration order");

const ErrcRow* row_of(int ev) noexcept {
    if (ev < errc_first || ev > errc_last) return nullptr;
    return &errc_table[static_cast<std::size_t>(ev - errc_first)];
}

class Category final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "calltrack"; }
    std::string message(int ev) const override {
        const auto* row = row_of(ev);
        return std::string(row ? row->message : "unknown calltrack error");
    }
    boost::system::error_condition default_error_condition(int ev) const noexcept override;
};

boost::system::error_condition Category::default_error_condition(int ev) const noexcept {
    const auto* row = row_of(ev);
    if (!row) return {ev, *this};
    return make_error_condition(row->family);
}

class ConditionCategory final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "calltrack.condition"; }
    std::string message(int ev) const override {
        switch (static_cast<condition>(ev)) {
            case condition::invalid_input:
                return "a value supplied by the caller is malformed or unknown";
            case condition::refused:
                return "the lifecycle rules refuse the operation as asked";
            case condition::retryable:
                return "a transient failure; the same call may succeed if retried";
            case condition::storage:
                return "persistence failed or found data it cannot trust";
        }
        return "unknown calltrack condition";
    }
};

}  // namespace

const boost::system::error_category& calltrack_category() noexcept {
    static const Category instance;
    return instance;
}

const boost::system::error_category& calltrack_condition_category() noexcept {
    static const ConditionCategory instance;
    return instance;
}

bool is_retryable(const boost::system::error_code& ec) noexcept {
    return ec == condition::retryable;
}

std::string_view to_string(errc e) noexcept {
    const auto* row = row_of(static_cast<int>(e));
    return row ? row->name : std::string_view("unknown");
}

std::optional<errc> errc_named(std::string_view name) noexcept {
    for (const auto& row : errc_table) {
        if (row.name == name) return row.value;
    }
    return std::nullopt;
}

}  // namespace calltrack
