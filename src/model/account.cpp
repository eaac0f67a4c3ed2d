#include <calltrack/account.hpp>
#include <calltrack/agency.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(AccountStatus s) noexcept {
    return detail::name_of(detail::account_status_names, s);
}

std::string_view to_string(SurveyOutcome s) noexcept {
    return detail::name_of(detail::survey_outcome_names, s);
}

result<SurveyOutcome> parse_survey_outcome(std::string_view text) {
    if (const auto s = detail::value_named(detail::survey_outcome_names, text)) return *s;
    return errc::invalid_survey_outcome;
}

std::string_view to_string(DataStatus s) noexcept {
    return detail::name_of(detail::data_status_names, s);
}

std::string_view to_string(BalanceStatus s) noexcept {
    return detail::name_of(detail::balance_status_names, s);
}

std::string_view to_string(AgencyStatus s) noexcept {
    return detail::name_of(detail::agency_status_names, s);
}

}  // namespace calltrack
