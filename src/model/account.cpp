#include <calltrack/account.hpp>
#include <calltrack/agency.hpp>

namespace calltrack {

std::string_view to_string(AccountStatus s) noexcept {
    switch (s) {
        case AccountStatus::active:
            return "active";
        case AccountStatus::paused:
            return "paused";
        case AccountStatus::canceled:
            return "canceled";
        case AccountStatus::closed:
            return "closed";
    }
    return "unknown";
}

std::string_view to_string(SurveyOutcome s) noexcept {
    switch (s) {
        case SurveyOutcome::keep_account:
            return "keep_account";
        case SurveyOutcome::book_meeting:
            return "book_meeting";
        case SurveyOutcome::confirm:
            return "confirm";
    }
    return "unknown";
}

result<SurveyOutcome> parse_survey_outcome(std::string_view text) {
    for (const auto s :
         {SurveyOutcome::keep_account, SurveyOutcome::book_meeting, SurveyOutcome::confirm}) {
        if (to_string(s) == text) return s;
    }
    return errc::invalid_survey_outcome;
}

std::string_view to_string(DataStatus s) noexcept {
    switch (s) {
        case DataStatus::retained:
            return "retained";
        case DataStatus::purge_scheduled:
            return "purge_scheduled";
        case DataStatus::purged:
            return "purged";
    }
    return "unknown";
}

std::string_view to_string(BalanceStatus s) noexcept {
    switch (s) {
        case BalanceStatus::in_use:
            return "in_use";
        case BalanceStatus::refundable:
            return "refundable";
        case BalanceStatus::refund_requested:
            return "refund_requested";
        case BalanceStatus::forfeited:
            return "forfeited";
    }
    return "unknown";
}

std::string_view to_string(AgencyStatus s) noexcept {
    switch (s) {
        case AgencyStatus::active:
            return "active";
        case AgencyStatus::canceled:
            return "canceled";
        case AgencyStatus::closed:
            return "closed";
    }
    return "unknown";
}

}  // namespace calltrack
