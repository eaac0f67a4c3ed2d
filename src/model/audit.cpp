#include <calltrack/audit.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace calltrack {

namespace {

template <class T, class = void>
struct has_confirmation : std::false_type {};
template <class T>
struct has_confirmation<T, std::void_t<decltype(std::declval<T>().confirmation)>> : std::true_type {
};

}  // namespace

Audit audit_of(const Actor& actor, const Command& command, std::optional<SurveyOutcome> survey) {
    Audit audit;
    audit.actor = actor.user;
    audit.roles = actor.grants;
    audit.operation = operation_of(command);
    std::visit(
        [&](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            if constexpr (has_confirmation<T>::value) audit.confirmation = c.confirmation;
            if constexpr (std::is_same_v<T, commands::RecordSurvey>) survey = c.outcome;
        },
        command);
    audit.survey = survey;
    return audit;
}

}  // namespace calltrack
