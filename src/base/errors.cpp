#include <calltrack/errors.hpp>

#include <string>

namespace calltrack {
namespace {

// One entry per errc: its name and a message a person can act on. The switch has no default so
// that a new enumerator without a message is a compiler warning (an error in dev and CI).
struct Description {
    std::string_view name;
    std::string_view message;
};

Description describe(errc e) noexcept {
    switch (e) {
        case errc::phone_number_empty:
            return {"phone_number_empty",
                    "the phone number is empty; give it in E.164 form, "
                    "for example +14045550123"};
        case errc::phone_number_missing_plus:
            return {"phone_number_missing_plus",
                    "the phone number must start with '+' and the country code (E.164), "
                    "for example +14045550123"};
        case errc::phone_number_invalid_character:
            return {"phone_number_invalid_character",
                    "the phone number has a character other than digits, spaces, dashes, dots "
                    "or parentheses"};
        case errc::phone_number_too_short:
            return {"phone_number_too_short",
                    "the phone number has fewer than 8 digits after '+'; include the country "
                    "code and the full subscriber number"};
        case errc::phone_number_too_long:
            return {"phone_number_too_long",
                    "the phone number has more than 15 digits after '+', the E.164 maximum"};
        case errc::phone_number_leading_zero:
            return {"phone_number_leading_zero",
                    "the digit after '+' is 0, but no country code starts with 0; drop the "
                    "trunk prefix"};
        case errc::invalid_currency_code:
            return {"invalid_currency_code",
                    "the currency must be an ISO 4217 code of three upper-case letters, such "
                    "as USD or EUR"};
        case errc::currency_mismatch:
            return {"currency_mismatch",
                    "the two amounts are in different currencies; convert one before adding "
                    "or comparing them"};
        case errc::amount_overflow:
            return {"amount_overflow",
                    "the amount does not fit in 64-bit minor units; split the operation"};
        case errc::invalid_amount:
            return {"invalid_amount",
                    "the amount is not a decimal number such as 12.50 USD, with at most as many "
                    "digits after the point as the currency has; amounts are never rounded"};
        case errc::invalid_id:
            return {"invalid_id", "the id is empty or malformed; ids are non-empty text"};
        case errc::invalid_time:
            return {"invalid_time",
                    "the time is not an ISO 8601 UTC time; write it like 2020-09-15T10:00:00Z"};
        case errc::invalid_role:
            return {"invalid_role",
                    "not a role calltrack knows; use agency_administrator, administrator, "
                    "account_owner or support"};
        case errc::invalid_number_source:
            return {"invalid_number_source",
                    "not a number source calltrack knows; use onsite_dynamic or offsite"};
        case errc::invalid_survey_outcome:
            return {"invalid_survey_outcome",
                    "not a survey outcome calltrack knows; use keep_account, book_meeting or "
                    "confirm"};
        case errc::invalid_operation:
            return {"invalid_operation",
                    "not an operation calltrack knows; see docs/policies.md for the list"};
        case errc::clock_went_backwards:
            return {"clock_went_backwards",
                    "the clock reads earlier than a time already used; fix the host clock "
                    "(calltrack never moves time backwards)"};
        case errc::permission_denied:
            return {"permission_denied",
                    "the actor does not hold a role this operation requires; ask a user who "
                    "holds it"};
        case errc::actor_out_of_scope:
            return {"actor_out_of_scope",
                    "the actor's roles are granted on another account or agency, not this one"};
        case errc::support_only:
            return {"support_only",
                    "only the vendor's support staff can do this now; contact support"};
        case errc::operation_not_offered:
            return {"operation_not_offered", "this vendor's policy does not offer the operation"};
        case errc::operation_not_yet_offered:
            return {"operation_not_yet_offered",
                    "the operation is offered only from a later date; try again then"};
        case errc::operation_withdrawn:
            return {"operation_withdrawn",
                    "the vendor withdrew this operation; it can no longer be started"};
        case errc::confirmation_required:
            return {"confirmation_required",
                    "the operation must be confirmed; ask the person to confirm and send it "
                    "again"};
        case errc::confirmation_mismatch:
            return {"confirmation_mismatch",
                    "the typed confirmation does not match the required phrase exactly "
                    "(spelling, case and spaces all count)"};
        case errc::acknowledgement_missing:
            return {"acknowledgement_missing",
                    "a required acknowledgement was not given; the person must acknowledge it "
                    "first"};
        case errc::terms_not_accepted:
            return {"terms_not_accepted",
                    "the terms and conditions must be accepted before the account can resume"};
        case errc::survey_required:
            return {"survey_required", "the cancellation survey must be answered first"};
        case errc::survey_not_confirmed:
            return {"survey_not_confirmed",
                    "the cancellation survey ended in keeping the account or booking a "
                    "meeting, so nothing is canceled"};
        case errc::billing_details_required:
            return {"billing_details_required",
                    "billing details must be entered before the account can reopen"};
        case errc::reason_required:
            return {"reason_required", "a reason for leaving is required for this operation"};
        case errc::invalid_state:
            return {"invalid_state",
                    "the operation is not possible in the current status of the account, "
                    "agency or number"};
        case errc::account_closed:
            return {"account_closed",
                    "the account is closed for good; a returning customer opens a new account"};
        case errc::agency_closed:
            return {"agency_closed",
                    "the agency is closed for good; nothing can bring it or its sub-accounts back "
                    "through it"};
        case errc::agency_canceled:
            return {"agency_canceled", "the agency is canceled; only support can reactivate it"};
        case errc::window_closed:
            return {"window_closed", "the time window for this operation has ended"};
        case errc::window_not_offered:
            return {"window_not_offered", "this vendor offers no window for this operation at all"};
        case errc::number_limit_exceeded:
            return {"number_limit_exceeded",
                    "the account has more tracking numbers than the policy keeps; disable "
                    "some first"};
        case errc::number_not_swappable:
            return {"number_not_swappable",
                    "only onsite dynamic numbers are swapped by the tracking code, so only "
                    "they can be paused one by one"};
        case errc::port_out_pending:
            return {"port_out_pending",
                    "a number port-out is still in progress; wait for it to complete or "
                    "abandon it first"};
        case errc::number_not_released:
            return {"number_not_released", "the tracking number is not released"};
        case errc::nothing_to_refund:
            return {"nothing_to_refund",
                    "there is no available balance to refund, or it was refunded already"};
        case errc::not_a_sub_account:
            return {"not_a_sub_account", "the account does not belong to an agency"};
        case errc::not_standalone:
            return {"not_standalone",
                    "the account is a sub-account of an agency; use the sub-account operation"};
        case errc::transfer_not_approved:
            return {"transfer_not_approved",
                    "a transfer needs the approval of an administrator of both agencies"};
        case errc::already_in_state:
            return {"already_in_state", "nothing to do: the change has already been made"};
        case errc::unknown_agency:
            return {"unknown_agency", "no agency has that id"};
        case errc::unknown_account:
            return {"unknown_account", "no account has that id"};
        case errc::unknown_number:
            return {"unknown_number", "no tracking number has that id"};
        case errc::unknown_user:
            return {"unknown_user", "no user has that id"};
        case errc::already_exists:
            return {"already_exists", "an entity with that id exists already; choose another id"};
        case errc::policy_malformed:
            return {"policy_malformed", "the policy document is not valid JSON"};
        case errc::policy_unknown_key:
            return {"policy_unknown_key",
                    "the policy document has a key that Policy does not define; check its "
                    "spelling"};
        case errc::policy_invalid_value:
            return {"policy_invalid_value",
                    "a policy field has a value of the wrong type or out of range"};
        case errc::policy_contradictory:
            return {"policy_contradictory", "two or more policy fields contradict each other"};
        case errc::json_malformed:
            return {"json_malformed",
                    "the text is not valid JSON; check its brackets, quotes and commas"};
        case errc::json_unknown_field:
            return {"json_unknown_field",
                    "the JSON object has a key that the type does not define; check its spelling"};
        case errc::json_invalid_field:
            return {"json_invalid_field",
                    "a JSON field is missing, has a value of the wrong type, or holds a value "
                    "that is not valid; the diagnostic names the field"};
        case errc::concurrency_conflict:
            return {"concurrency_conflict",
                    "another writer changed the same records first; nothing was written, and "
                    "the command can be retried"};
        case errc::idempotency_key_reused:
            return {"idempotency_key_reused",
                    "the idempotency key was already used for a different command; use a new "
                    "key"};
        case errc::store_unavailable:
            return {"store_unavailable",
                    "the store could not be read or written; nothing was changed, and the "
                    "command can be retried"};
        case errc::store_corrupt:
            return {"store_corrupt",
                    "the store holds data that breaks calltrack's invariants; restore it from "
                    "a backup"};
        case errc::schema_too_new:
            return {"schema_too_new",
                    "the database was written by a newer calltrack; upgrade the library to "
                    "open it"};
        case errc::store_not_found:
            return {"store_not_found",
                    "there is no calltrack database there, and none was created; create one "
                    "first"};
    }
    return {"unknown", "unknown calltrack error"};
}

class Category final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "calltrack"; }
    std::string message(int ev) const override {
        return std::string(describe(static_cast<errc>(ev)).message);
    }
    boost::system::error_condition default_error_condition(int ev) const noexcept override;
};

condition condition_of(errc e) noexcept {
    switch (e) {
        case errc::phone_number_empty:
        case errc::phone_number_missing_plus:
        case errc::phone_number_invalid_character:
        case errc::phone_number_too_short:
        case errc::phone_number_too_long:
        case errc::phone_number_leading_zero:
        case errc::invalid_currency_code:
        case errc::currency_mismatch:
        case errc::amount_overflow:
        case errc::invalid_amount:
        case errc::invalid_id:
        case errc::invalid_time:
        case errc::invalid_role:
        case errc::invalid_number_source:
        case errc::invalid_survey_outcome:
        case errc::invalid_operation:
        case errc::clock_went_backwards:
        case errc::unknown_agency:
        case errc::unknown_account:
        case errc::unknown_number:
        case errc::unknown_user:
        case errc::already_exists:
        case errc::policy_malformed:
        case errc::policy_unknown_key:
        case errc::policy_invalid_value:
        case errc::policy_contradictory:
        case errc::json_malformed:
        case errc::json_unknown_field:
        case errc::json_invalid_field:
        case errc::idempotency_key_reused:
            return condition::invalid_input;
        case errc::concurrency_conflict:
        case errc::store_unavailable:
            return condition::retryable;
        case errc::store_corrupt:
        case errc::schema_too_new:
        case errc::store_not_found:
            return condition::storage;
        default:
            return condition::refused;
    }
}

boost::system::error_condition Category::default_error_condition(int ev) const noexcept {
    if (ev < errc_first || ev > errc_last) return {ev, *this};
    return make_error_condition(condition_of(static_cast<errc>(ev)));
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
    return describe(e).name;
}

}  // namespace calltrack
