#pragma once

// What went wrong, as codes: errc, and the broad families of them. Light on purpose (no Boost):
// the headers of the light path (ids, money, phone numbers, clock) name these codes without
// pulling in Boost.System or Outcome. The category that makes them error_codes, their messages
// and is_retryable() are in errors.hpp.

namespace calltrack {

/// What went wrong. 0 stays "success". Each enumerator notes whether retrying the same call can
/// help; `is_retryable()` answers the same question in code.
enum class errc {
    // --- input values ----------------------------------------------------------------------
    phone_number_empty = 1,          ///< no digits were given. Retry: no; supply a number.
    phone_number_missing_plus,       ///< E.164 needs a leading '+'. Retry: no; fix the input.
    phone_number_invalid_character,  ///< a character that is not a digit or separator. Retry: no.
    phone_number_too_short,          ///< fewer than 8 digits after '+'. Retry: no.
    phone_number_too_long,           ///< more than 15 digits after '+'. Retry: no.
    phone_number_leading_zero,       ///< a country code never starts with 0. Retry: no.
    invalid_currency_code,           ///< not three upper-case ASCII letters. Retry: no.
    currency_mismatch,               ///< arithmetic across two currencies. Retry: no.
    amount_overflow,                 ///< the sum does not fit in 64-bit minor units. Retry: no.
    invalid_amount,                  ///< not a decimal amount such as 12.50 in the currency's
                                     ///< minor digits. Retry: no.
    invalid_id,                      ///< an empty or malformed id. Retry: no.
    invalid_time,                    ///< not an ISO 8601 UTC time such as 2020-09-15T10:00:00Z.
                                     ///< Retry: no.
    invalid_role,                    ///< not a role name, or not one the policy declares for
                                     ///< that scope. Retry: no.
    invalid_number_source,           ///< not "onsite_dynamic" or "offsite". Retry: no.
    invalid_survey_outcome,          ///< not keep_account, book_meeting or confirm. Retry: no.
    invalid_operation,               ///< not an operation name calltrack knows. Retry: no.
    unknown_time_zone,               ///< not a zone of the system's tz database. Retry: no;
                                     ///< fix the name, or install the tzdata package.

    // --- time --------------------------------------------------------------------------------
    clock_went_backwards,  ///< a reading earlier than one already used. Retry: only after the
                           ///< clock is fixed.

    // --- who may do it ----------------------------------------------------------------------
    permission_denied,   ///< the actor lacks a role the policy requires. Retry: no.
    actor_out_of_scope,  ///< the actor's grants are for another account or agency. Retry: no.
    support_only,        ///< only the vendor's support staff may do this now. Retry: as support.

    // --- whether it is offered ----------------------------------------------------------------
    operation_not_offered,      ///< this vendor's policy does not offer the operation. Retry: no.
    operation_not_yet_offered,  ///< the operation starts at a later date. Retry: after that date.
    operation_withdrawn,        ///< the operation was withdrawn at a date now past. Retry: no.

    // --- what the operation needs from the person -----------------------------------------
    confirmation_required,     ///< a click-through confirmation was not given. Retry: confirm.
    confirmation_mismatch,     ///< the typed phrase differs from the one required. Retry: retype.
    acknowledgement_missing,   ///< a required acknowledgement was not given. Retry: acknowledge.
    terms_not_accepted,        ///< the terms and conditions were not accepted. Retry: accept.
    survey_required,           ///< the cancellation survey has no outcome yet. Retry: answer it.
    survey_not_confirmed,      ///< the survey outcome was not "confirm". Retry: no, by design.
    billing_details_required,  ///< billing details must be entered to reopen. Retry: enter them.
    reason_required,           ///< a reason for leaving is required. Retry: give one.
    impact_required,  ///< the policy binds this operation's confirmation to the impact shown, and
                      ///< none was given. Retry: preview, and pass the impact's digest.
    impact_changed,   ///< the command would now do other than the impact shown. Retry: preview
                      ///< again and confirm what it would do now.

    // --- state of the thing -------------------------------------------------------------------
    invalid_state,          ///< the operation is not defined for the current status. Retry: no.
    account_closed,         ///< the account is closed for good. Retry: no; open a new one.
    agency_canceled,        ///< the agency is canceled. Retry: no, unless support reactivates it.
    agency_closed,          ///< the agency's reactivation window has ended: final. Retry: no.
    window_closed,          ///< the time window for this has ended. Retry: no.
    window_not_offered,     ///< this vendor offers no window for it at all. Retry: no.
    number_limit_exceeded,  ///< more tracking numbers than the policy keeps. Retry: after
                            ///< disabling some.
    number_not_swappable,   ///< only onsite dynamic numbers can be paused one by one. Retry: no.
    port_out_pending,       ///< a number port-out is not complete. Retry: after it completes.
    number_not_released,    ///< the number is not in the released state. Retry: no.
    nothing_to_refund,      ///< the balance is zero or already refunded. Retry: no.
    not_a_sub_account,      ///< the account does not belong to an agency. Retry: no.
    not_standalone,         ///< the account belongs to an agency. Retry: no.
    transfer_not_approved,  ///< only an administrator of the other agency answers a transfer,
                            ///< and only the asking agency withdraws it. Retry: as that side.
    no_pending_transfer,    ///< the sub-account has no transfer waiting. Retry: no.
    already_in_state,       ///< the change has already been made. Retry: no; nothing to do.
    role_already_held,      ///< the policy lets one user hold the role on a scope, and another
                            ///< does. Retry: after revoking theirs.

    // --- references ---------------------------------------------------------------------------
    unknown_agency,   ///< no agency has that id. Retry: no.
    unknown_account,  ///< no account has that id. Retry: no.
    unknown_number,   ///< no tracking number has that id. Retry: no.
    unknown_user,     ///< no user has that id. Retry: no.
    already_exists,   ///< an entity with that id exists already. Retry: no; pick another id.

    // --- policy documents ---------------------------------------------------------------------
    policy_malformed,      ///< the document is not valid JSON. Retry: no; fix the document.
    policy_unknown_key,    ///< a key the policy does not have. Retry: no; fix the document.
    policy_invalid_value,  ///< a value of the wrong type or range. Retry: no; fix the document.
    policy_contradictory,  ///< values that cannot hold together. Retry: no; fix the document.

    // --- JSON records, events, effects and commands -------------------------------------------
    json_malformed,      ///< the text is not valid JSON. Retry: no; fix the text.
    json_unknown_field,  ///< a key the type does not have. Retry: no; fix its spelling.
    json_invalid_field,  ///< a missing key, a value of the wrong type, or a bad value. Retry: no.

    // --- engine and storage -------------------------------------------------------------------
    concurrency_conflict,    ///< another writer changed a record first. Retry: yes.
    idempotency_key_reused,  ///< the key was used for a different command. Retry: no; new key.
    store_unavailable,       ///< the store could not be reached or written. Retry: yes.
    store_corrupt,           ///< the stored data breaks an invariant. Retry: no; restore it.
    schema_too_new,          ///< the database was written by a newer calltrack. Retry: no.
    store_not_found,         ///< no calltrack database there, and none may be created. Retry:
                             ///< after creating one.
    store_access_denied,     ///< the database refused this user a login or a privilege the store
                             ///< needs. Retry: after granting it.
};

/// Broad families of errc, for callers that branch on kind rather than exact code.
enum class condition {
    invalid_input = 1,  ///< a value the caller supplied is malformed
    refused,            ///< the lifecycle rules refuse the operation as asked
    retryable,          ///< the same call may succeed if tried again
    storage,            ///< persistence failed or found bad data
};

/// Every enumerator, in declaration order (for tests and documentation).
inline constexpr int errc_first = static_cast<int>(errc::phone_number_empty);
inline constexpr int errc_last = static_cast<int>(errc::store_access_denied);

}  // namespace calltrack
