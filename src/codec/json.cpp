#include <calltrack/json.hpp>

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack {

std::string_view command_name(const Command& command) noexcept {
    return to_string(operation_of(command));
}

namespace {

using Json = nlohmann::ordered_json;
using detail::describe_type;
using detail::in_quotes;
using detail::indexed;
using detail::join;

// --- enumerations read by name ---------------------------------------------------------------
// Role, NumberSource, SurveyOutcome and Charge have public parsers or value lists; these do not.

constexpr AccountStatus all_account_statuses[] = {AccountStatus::active, AccountStatus::paused,
                                                  AccountStatus::canceled, AccountStatus::closed};
constexpr DataStatus all_data_statuses[] = {DataStatus::retained, DataStatus::purge_scheduled,
                                            DataStatus::purged};
constexpr BalanceStatus all_balance_statuses[] = {BalanceStatus::in_use, BalanceStatus::refundable,
                                                  BalanceStatus::refund_requested,
                                                  BalanceStatus::forfeited};
constexpr AgencyStatus all_agency_statuses[] = {AgencyStatus::active, AgencyStatus::canceled,
                                                AgencyStatus::closed};
constexpr NumberStatus all_number_statuses[] = {
    NumberStatus::active, NumberStatus::held, NumberStatus::released,
    NumberStatus::port_out_pending, NumberStatus::ported_out};
constexpr CancelKind all_cancel_kinds[] = {CancelKind::cancel, CancelKind::sub_account_close,
                                           CancelKind::agency_cascade, CancelKind::close};
constexpr EffectKind all_effect_kinds[] = {
    EffectKind::release_number,       EffectKind::hold_number,
    EffectKind::reactivate_number,    EffectKind::restore_number,
    EffectKind::update_forwarding,    EffectKind::stop_swapping,
    EffectKind::resume_swapping,      EffectKind::stop_routing_calls,
    EffectKind::resume_routing_calls, EffectKind::suspend_reports,
    EffectKind::restore_reports,      EffectKind::change_billing,
    EffectKind::final_usage_invoice,  EffectKind::purge_call_data,
    EffectKind::refund_balance,       EffectKind::forfeit_balance,
    EffectKind::port_out_number,
};

// A value added at the end of an enumeration must be added to its list too.
static_assert(std::size(all_account_statuses)
              == static_cast<std::size_t>(AccountStatus::closed) + 1);
static_assert(std::size(all_data_statuses) == static_cast<std::size_t>(DataStatus::purged) + 1);
static_assert(std::size(all_balance_statuses)
              == static_cast<std::size_t>(BalanceStatus::forfeited) + 1);
static_assert(std::size(all_agency_statuses) == static_cast<std::size_t>(AgencyStatus::closed) + 1);
static_assert(std::size(all_number_statuses)
              == static_cast<std::size_t>(NumberStatus::ported_out) + 1);
static_assert(std::size(all_cancel_kinds) == static_cast<std::size_t>(CancelKind::close) + 1);
static_assert(std::size(all_effect_kinds)
              == static_cast<std::size_t>(EffectKind::port_out_number) + 1);

template <class T>
struct Tag {};

constexpr const auto& values_of(Tag<AccountStatus>) {
    return all_account_statuses;
}
constexpr const auto& values_of(Tag<DataStatus>) {
    return all_data_statuses;
}
constexpr const auto& values_of(Tag<BalanceStatus>) {
    return all_balance_statuses;
}
constexpr const auto& values_of(Tag<AgencyStatus>) {
    return all_agency_statuses;
}
constexpr const auto& values_of(Tag<NumberStatus>) {
    return all_number_statuses;
}
constexpr const auto& values_of(Tag<CancelKind>) {
    return all_cancel_kinds;
}
constexpr const auto& values_of(Tag<EffectKind>) {
    return all_effect_kinds;
}
constexpr const auto& values_of(Tag<Charge>) {
    return all_charges;
}

template <class E, class = void>
struct has_values : std::false_type {};
template <class E>
struct has_values<E, std::void_t<decltype(values_of(Tag<E>{}))>> : std::true_type {};

// --- field lists -------------------------------------------------------------------------------
// One list per struct: its members in declaration order, each under its own name. Writing, reading
// and the unknown-key check all follow the list. blank() below builds each struct by aggregate
// initialisation from its list, so a list that misses a member is a -Wmissing-field-initializers
// warning (an error in the dev and CI builds), and one out of order fails on the member types.

template <class T, class M>
struct Field {
    using member_type = M;
    std::string_view key;
    M T::*member;
};

template <class T, class M>
constexpr Field<T, M> field(std::string_view key, M T::*member) {
    return {key, member};
}

#define CALLTRACK_FIELDS(T, ...)             \
    constexpr auto fields_of(Tag<T>) {       \
        using S = T;                         \
        return std::make_tuple(__VA_ARGS__); \
    }
#define F(member) field(#member, &S::member)

CALLTRACK_FIELDS(Confirmation, F(clicked), F(typed), F(acknowledged), F(terms_accepted), F(reasons),
                 F(billing_details_entered))
CALLTRACK_FIELDS(Plan, F(name), F(add_ons))
CALLTRACK_FIELDS(RoleGrant, F(role), F(scope))
CALLTRACK_FIELDS(Balance, F(available), F(status), F(refundable_until))
CALLTRACK_FIELDS(AccountTimeline, F(opened_at), F(paused_at), F(resumed_at), F(canceled_at),
                 F(reactivated_at), F(closed_at), F(data_purged_at))
CALLTRACK_FIELDS(Account, F(id), F(agency), F(status), F(plan), F(plan_before_pause),
                 F(is_tracking_paused), F(are_calls_stopped), F(has_report_access), F(charges),
                 F(balance), F(survey), F(was_canceled_with_agency), F(data), F(data_purge_at),
                 F(reactivation_until), F(restore_until), F(pause_until), F(timeline))
CALLTRACK_FIELDS(Agency, F(id), F(status), F(charges), F(balance), F(cancel_reasons),
                 F(reactivation_until), F(created_at), F(canceled_at), F(reactivated_at),
                 F(closed_at))
CALLTRACK_FIELDS(TrackingNumber, F(id), F(account), F(number), F(forwarding_destination), F(source),
                 F(status), F(is_swap_paused), F(are_calls_stopped), F(released_at))
// The kind is the discriminator, written first under "effect" like "command" and "event".
CALLTRACK_FIELDS(HostEffect, field("effect", &S::kind), F(account), F(agency), F(number),
                 F(phone_number), F(forwarding_destination), F(charges), F(amount),
                 F(carrier_level), F(at))

// Commands.
CALLTRACK_FIELDS(commands::CreateAgency, F(agency), F(currency))
CALLTRACK_FIELDS(commands::OpenAccount, F(account), F(agency), F(plan), F(currency))
CALLTRACK_FIELDS(commands::AddTrackingNumber, F(number), F(account), F(phone_number),
                 F(forwarding_destination), F(source))
CALLTRACK_FIELDS(commands::ChangeForwarding, F(number), F(forwarding_destination))
CALLTRACK_FIELDS(commands::SetPlan, F(account), F(plan))
CALLTRACK_FIELDS(commands::AdjustBalance, F(owner), F(amount))
CALLTRACK_FIELDS(commands::GrantRole, F(user), F(grant))
CALLTRACK_FIELDS(commands::RevokeRole, F(user), F(grant))
CALLTRACK_FIELDS(commands::PauseTracking, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeTracking, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::StopCalls, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeCalls, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::PauseAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CancelAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CloseSubAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CancelAgency, F(agency), F(confirmation))
CALLTRACK_FIELDS(commands::CloseAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReopenAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReactivateAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReactivateAgency, F(agency), F(confirmation))
CALLTRACK_FIELDS(commands::RestoreNumber, F(number))
CALLTRACK_FIELDS(commands::RequestRefund, F(owner))
CALLTRACK_FIELDS(commands::StartPortOut, F(number))
CALLTRACK_FIELDS(commands::CompletePortOut, F(number))
CALLTRACK_FIELDS(commands::AbandonPortOut, F(number))
CALLTRACK_FIELDS(commands::TransferSubAccount, F(account), F(to), F(source_approver),
                 F(target_approver))
CALLTRACK_FIELDS(commands::RecordSurvey, F(account), F(outcome))

// Events.
CALLTRACK_FIELDS(events::AgencyCreated, F(agency), F(balance), F(charges), F(at))
CALLTRACK_FIELDS(events::AccountOpened, F(account), F(agency), F(plan), F(balance), F(charges),
                 F(at))
CALLTRACK_FIELDS(events::TrackingNumberAdded, F(number), F(account), F(phone_number),
                 F(forwarding_destination), F(source), F(at))
CALLTRACK_FIELDS(events::ForwardingChanged, F(number), F(forwarding_destination), F(at))
CALLTRACK_FIELDS(events::PlanChanged, F(account), F(plan), F(at))
CALLTRACK_FIELDS(events::BalanceAdjusted, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::RoleGranted, F(user), F(grant), F(at))
CALLTRACK_FIELDS(events::RoleRevoked, F(user), F(grant), F(at))
CALLTRACK_FIELDS(events::TrackingPaused, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::TrackingResumed, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::CallsStopped, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::CallsResumed, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::AccountPaused, F(account), F(plan_before_pause), F(reports_suspended),
                 F(pause_until), F(at))
CALLTRACK_FIELDS(events::NumbersHeld, F(account), F(numbers), F(at))
CALLTRACK_FIELDS(events::AccountResumed, F(account), F(at))
CALLTRACK_FIELDS(events::NumbersReactivated, F(account), F(numbers), F(at))
CALLTRACK_FIELDS(events::PlanRestored, F(account), F(plan), F(at))
CALLTRACK_FIELDS(events::NumberReleased, F(number), F(account), F(at))
CALLTRACK_FIELDS(events::NumberRestored, F(number), F(account), F(carrier_level), F(at))
CALLTRACK_FIELDS(events::AccountCanceled, F(account), F(kind), F(reasons), F(reactivation_until),
                 F(restore_until), F(at))
CALLTRACK_FIELDS(events::AgencyCanceled, F(agency), F(reasons), F(sub_accounts),
                 F(reactivation_until), F(at))
CALLTRACK_FIELDS(events::AccountReactivated, F(account), F(at))
CALLTRACK_FIELDS(events::AgencyReactivated, F(agency), F(at))
CALLTRACK_FIELDS(events::BillingChanged, F(owner), F(charges), F(final_usage_invoice), F(at))
CALLTRACK_FIELDS(events::DataPurgeScheduled, F(account), F(purge_at), F(at))
CALLTRACK_FIELDS(events::DataPurgeCanceled, F(account), F(at))
CALLTRACK_FIELDS(events::DataPurged, F(account), F(at))
CALLTRACK_FIELDS(events::BalanceRefundable, F(owner), F(amount), F(until), F(at))
CALLTRACK_FIELDS(events::BalanceReinstated, F(owner), F(at))
CALLTRACK_FIELDS(events::RefundRequested, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::BalanceForfeited, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::PortOutStarted, F(number), F(at))
CALLTRACK_FIELDS(events::PortOutCompleted, F(number), F(at))
CALLTRACK_FIELDS(events::PortOutAbandoned, F(number), F(at))
CALLTRACK_FIELDS(events::SubAccountTransferred, F(account), F(from), F(to), F(at))
CALLTRACK_FIELDS(events::SurveyRecorded, F(account), F(outcome), F(at))
CALLTRACK_FIELDS(events::AccountClosed, F(account), F(at))
CALLTRACK_FIELDS(events::AgencyClosed, F(agency), F(at))
CALLTRACK_FIELDS(events::RestoreWindowClosed, F(account), F(at))
CALLTRACK_FIELDS(events::PauseMaximumReached, F(account), F(at))

#undef F
#undef CALLTRACK_FIELDS

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(fields_of(Tag<T>{}))>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// People write commands, so inside a command's confirmation every key may be left out, and so
/// may the confirmation itself: what is not given was not confirmed.
template <class T>
constexpr bool may_be_left_out = is_optional<T>::value || std::is_same_v<T, Confirmation>;
template <class T>
constexpr bool every_key_may_be_left_out = std::is_same_v<T, Confirmation>;

/// A value to read into. Reading sets every member, from its key or (where the key may be left
/// out) to its empty value, so nothing of a blank survives; in particular not the placeholder
/// phone number, which stands in only because PhoneNumber has no default.
PhoneNumber blank(Tag<PhoneNumber>) {
    static const PhoneNumber placeholder = PhoneNumber::parse("+10000000000").value();
    return placeholder;
}
template <class T>
T blank(Tag<T>) {
    if constexpr (has_fields<T>::value) {
        return std::apply(
            [](const auto&... f) {
                return T{blank(Tag<typename std::decay_t<decltype(f)>::member_type>{})...};
            },
            fields_of(Tag<T>{}));
    } else {
        return T{};
    }
}

// --- writing -----------------------------------------------------------------------------------

/// Compact and in insertion order: the canonical text. Text that is not UTF-8 cannot be written
/// as JSON; it is replaced rather than thrown on.
std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Writes the canonical text straight into a string, without building an nlohmann document
/// first: the bytes are exactly what dump() gives for the document with the same members
/// (compact, keys in the field lists' order, empty optionals left out), which is how the text
/// was made before, at a fraction of the allocations. A string
/// that needs escaping, or holds anything but printable ASCII, goes through nlohmann's own
/// serialiser, so escaping and the replacement of invalid UTF-8 stay nlohmann's to the byte.
/// The tests check the text against nlohmann's dump of it.
class TextWriter {
  public:
    explicit TextWriter(std::string& out) : out_(out) {}

    void string(std::string_view s) {
        const bool is_plain = std::all_of(s.begin(), s.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\';
        });
        if (is_plain) {
            out_ += '"';
            out_ += s;
            out_ += '"';
        } else {
            out_ += dump(Json(std::string(s)));
        }
    }
    void integer(std::int64_t v) {
        char digits[24];
        const auto end = std::to_chars(std::begin(digits), std::end(digits), v).ptr;
        out_.append(digits, end);
    }

    void value(bool b) { out_ += b ? "true" : "false"; }
    void value(const std::string& s) { string(s); }
    template <class IdTag>
    void value(const StrongId<IdTag>& id) {
        string(id.str());
    }
    void value(const PhoneNumber& n) { string(n.e164()); }
    void value(Time t) { string(format_time(t)); }
    void value(Currency c) { string(c.code()); }
    void value(const Money& m) {
        out_ += "{\"minor_units\":";
        integer(m.minor_units());
        out_ += ",\"currency\":";
        value(m.currency());
        out_ += '}';
    }
    void value(Charges charges) {
        out_ += '[';
        bool first = true;
        for (const Charge c : all_charges) {
            if (!charges.contains(c)) continue;
            if (!first) out_ += ',';
            first = false;
            value(c);
        }
        out_ += ']';
    }
    void value(const Scope& scope) {
        if (const auto* account = std::get_if<AccountId>(&scope)) {
            subject("account", *account);
        } else if (const auto* agency = std::get_if<AgencyId>(&scope)) {
            subject("agency", *agency);
        } else {
            string("platform");
        }
    }
    void value(const BalanceOwner& owner) {
        if (const auto* account = std::get_if<AccountId>(&owner)) {
            subject("account", *account);
        } else {
            subject("agency", std::get<AgencyId>(owner));
        }
    }
    template <class IdTag>
    void subject(std::string_view key, const StrongId<IdTag>& id) {
        out_ += '{';
        string(key);
        out_ += ':';
        string(id.str());
        out_ += '}';
    }
    template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
    void value(E e) {
        string(to_string(e));
    }
    template <class T>
    void value(const std::vector<T>& items) {
        out_ += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i != 0) out_ += ',';
            value(items[i]);
        }
        out_ += ']';
    }
    template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
    void value(const T& record) {
        out_ += '{';
        bool first = true;
        members(record, first);
        out_ += '}';
    }

    /// The record's members as `"key":value` pairs, leaving out empty optionals; `first` says
    /// whether the object has no member yet.
    template <class T>
    void members(const T& record, bool& first) {
        std::apply([&](const auto&... f) { (member(record, f, first), ...); }, fields_of(Tag<T>{}));
    }
    template <class T, class M>
    void member(const T& record, const Field<T, M>& f, bool& first) {
        const M& m = record.*(f.member);
        if constexpr (is_optional<M>::value) {
            if (!m) return;
            key(f.key, first);
            value(*m);
        } else {
            key(f.key, first);
            value(m);
        }
    }
    void key(std::string_view k, bool& first) {
        if (!first) out_ += ',';
        first = false;
        string(k);
        out_ += ':';
    }

  private:
    std::string& out_;
};

template <class T>
std::string write_text(const T& value) {
    std::string out;
    out.reserve(256);
    TextWriter(out).value(value);
    return out;
}

template <class Variant>
std::string write_alternative(std::string_view discriminator, std::string_view name,
                              const Variant& v) {
    std::string out;
    out.reserve(256);
    TextWriter writer(out);
    out += '{';
    bool first = true;
    writer.key(discriminator, first);
    writer.string(name);
    std::visit([&](const auto& alternative) { writer.members(alternative, first); }, v);
    out += '}';
    return out;
}

// --- reading -----------------------------------------------------------------------------------

/// Edits (insertions, deletions, substitutions) between two short names.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t k = 0; k <= b.size(); ++k) row[k] = k;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t k = 1; k <= b.size(); ++k) {
            const std::size_t above = row[k];
            const std::size_t substitution =
                diagonal + (a[i - 1] == b[k - 1] ? std::size_t{0} : std::size_t{1});
            row[k] = std::min({above + 1, row[k - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// "did you mean "cancel_account"?" for a near miss, otherwise the whole list. A near miss is one
/// or two edits away, and only one for names of up to five letters, where two edits turn "id"
/// into "to".
template <class Names>
std::string suggest(std::string_view got, const Names& names) {
    const std::size_t near = got.size() <= 5 ? 1 : 2;
    std::string_view best;
    std::size_t best_distance = near + 1;
    for (const auto& candidate : names) {
        const std::size_t d = edit_distance(got, candidate);
        if (d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    if (best_distance <= near) return "did you mean " + in_quotes(best) + "?";
    std::string expected = "expected one of ";
    bool first = true;
    for (const auto& candidate : names) {
        if (!first) expected += ", ";
        expected += in_quotes(candidate);
        first = false;
    }
    return expected;
}

/// Every reader returns false after recording what is wrong and where; the first refusal is the
/// one reported.
class Reader {
  public:
    explicit Reader(JsonDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    bool refuse(errc code, const std::string& field, std::string problem) {
        if (error_ == errc{}) {
            error_ = code;
            if (diagnostic_ != nullptr) {
                diagnostic_->field = field;
                diagnostic_->problem = std::move(problem);
            }
        }
        return false;
    }

    bool wrong_type(const Json& j, const std::string& path, std::string_view expected) {
        return refuse(errc::json_invalid_field, path,
                      "expected " + std::string(expected) + ", got " + describe_type(j));
    }

    // Leaves.

    bool value(const Json& j, const std::string& path, bool& out) {
        if (!j.is_boolean()) return wrong_type(j, path, "true or false");
        out = j.get<bool>();
        return true;
    }

    bool value(const Json& j, const std::string& path, std::string& out) {
        if (!j.is_string()) return wrong_type(j, path, "a string");
        out = j.get<std::string>();
        return true;
    }

    /// Text read by one of calltrack's own parsers, whose errc message becomes the problem.
    template <class T, class Parse>
    bool parsed(const Json& j, const std::string& path, std::string_view expected, Parse parse,
                T& out) {
        if (!j.is_string()) return wrong_type(j, path, expected);
        const auto& text = j.get_ref<const std::string&>();
        auto parsed_value = parse(text);
        if (!parsed_value) {
            // The parser's own message says what is wrong: "the phone number must start with
            // '+' ...".
            return refuse(errc::json_invalid_field, path,
                          parsed_value.error().message() + "; got " + in_quotes(text));
        }
        out = std::move(parsed_value).value();
        return true;
    }

    template <class IdTag>
    bool value(const Json& j, const std::string& path, StrongId<IdTag>& out) {
        return parsed(j, path, "an id string", &StrongId<IdTag>::parse, out);
    }
    bool value(const Json& j, const std::string& path, PhoneNumber& out) {
        return parsed(j, path, "a phone number string such as \"+14045550123\"",
                      &PhoneNumber::parse, out);
    }
    bool value(const Json& j, const std::string& path, Time& out) {
        return parsed(j, path, "a UTC time string such as \"2020-09-15T10:00:00Z\"", &parse_time,
                      out);
    }
    bool value(const Json& j, const std::string& path, Currency& out) {
        return parsed(j, path, "a currency code string such as \"USD\"", &Currency::parse, out);
    }
    bool value(const Json& j, const std::string& path, Role& out) {
        return parsed(j, path, "a role name string", &parse_role, out);
    }
    bool value(const Json& j, const std::string& path, NumberSource& out) {
        return parsed(j, path, "\"onsite_dynamic\" or \"offsite\"", &parse_number_source, out);
    }
    bool value(const Json& j, const std::string& path, SurveyOutcome& out) {
        return parsed(j, path, "\"keep_account\", \"book_meeting\" or \"confirm\"",
                      &parse_survey_outcome, out);
    }

    /// One of the enumeration's values, by its to_string name.
    template <class E, std::enable_if_t<has_values<E>::value, int> = 0>
    bool value(const Json& j, const std::string& path, E& out) {
        const auto& values = values_of(Tag<E>{});
        std::vector<std::string_view> names;
        for (const E v : values) names.push_back(to_string(v));
        if (!j.is_string()) return wrong_type(j, path, "a name string");
        const auto& text = j.get_ref<const std::string&>();
        for (const E v : values) {
            if (to_string(v) == text) {
                out = v;
                return true;
            }
        }
        return refuse(errc::json_invalid_field, path,
                      "unknown value " + in_quotes(text) + "; " + suggest(text, names));
    }

    bool value(const Json& j, const std::string& path, Money& out) {
        if (!j.is_object()) {
            return wrong_type(j, path, "{\"minor_units\": N, \"currency\": \"USD\"}");
        }
        if (!object(j, path, {"minor_units", "currency"})) return false;
        std::int64_t minor = 0;
        Currency currency;
        if (!integer(j["minor_units"], join(path, "minor_units"), minor)
            || !value(j["currency"], join(path, "currency"), currency)) {
            return false;
        }
        out = Money(minor, currency);
        return true;
    }

    /// An array of charge names, each at most once.
    bool value(const Json& j, const std::string& path, Charges& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of charge names");
        out = Charges{};
        for (std::size_t i = 0; i < j.size(); ++i) {
            Charge c{};
            if (!value(j[i], indexed(path, i), c)) return false;
            if (out.contains(c)) {
                return refuse(errc::json_invalid_field, indexed(path, i),
                              in_quotes(to_string(c)) + " is listed twice");
            }
            out.insert(c);
        }
        return true;
    }

    bool value(const Json& j, const std::string& path, Scope& out) {
        constexpr std::string_view expected = "{\"account\": id}, {\"agency\": id} or \"platform\"";
        if (j.is_string()) {
            if (j.get_ref<const std::string&>() == "platform") {
                out = Platform{};
                return true;
            }
            return refuse(errc::json_invalid_field, path,
                          "expected " + std::string(expected) + ", got "
                              + in_quotes(j.get_ref<const std::string&>()));
        }
        if (!j.is_object()) return wrong_type(j, path, expected);
        return subject(j, path, out);
    }

    bool value(const Json& j, const std::string& path, BalanceOwner& out) {
        if (!j.is_object()) return wrong_type(j, path, "{\"account\": id} or {\"agency\": id}");
        return subject(j, path, out);
    }

    template <class T>
    bool value(const Json& j, const std::string& path, std::vector<T>& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            T item = blank(Tag<T>{});
            if (!value(j[i], indexed(path, i), item)) return false;
            out.push_back(std::move(item));
        }
        return true;
    }

    // Records.

    template <class T, std::enable_if_t<has_fields<T>::value, int> = 0>
    bool value(const Json& j, const std::string& path, T& out) {
        return members(j, path, {}, out);
    }

    /// The members of `out`, from an object that may also hold the key `discriminator`.
    template <class T>
    bool members(const Json& j, const std::string& path, std::string_view discriminator, T& out) {
        if (!j.is_object()) return wrong_type(j, path, "an object");
        const auto fields = fields_of(Tag<T>{});
        std::vector<std::string_view> keys;
        std::apply([&](const auto&... f) { (keys.push_back(f.key), ...); }, fields);
        for (const auto& item : j.items()) {
            if (!discriminator.empty() && item.key() == discriminator) continue;
            if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
                return refuse(
                    errc::json_unknown_field, join(path, item.key()),
                    "unknown key " + in_quotes(item.key()) + "; " + suggest(item.key(), keys));
            }
        }
        return std::apply([&](const auto&... f) { return (member(j, path, f, out) && ...); },
                          fields);
    }

    template <class T, class M>
    bool member(const Json& j, const std::string& path, const Field<T, M>& f, T& out) {
        M& m = out.*(f.member);
        const std::string key(f.key);
        const std::string where = join(path, key);
        const auto found = j.find(key);
        if (found == j.end() || (is_optional<M>::value && found->is_null())) {
            if constexpr (may_be_left_out<M> || every_key_may_be_left_out<T>) {
                m = M{};
                return true;
            } else {
                return refuse(errc::json_invalid_field, where,
                              "missing key " + in_quotes(key) + "; it is required");
            }
        }
        if constexpr (is_optional<M>::value) {
            auto v = blank(Tag<typename M::value_type>{});
            if (!value(*found, where, v)) return false;
            m = std::move(v);
            return true;
        } else {
            return value(*found, where, m);
        }
    }

    /// An object with exactly one of the listed keys. Defaults stay on failure: callers return.
    bool object(const Json& j, const std::string& path, std::initializer_list<std::string> keys) {
        if (!j.is_object()) return wrong_type(j, path, "an object");
        for (const auto& item : j.items()) {
            if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
                return refuse(
                    errc::json_unknown_field, join(path, item.key()),
                    "unknown key " + in_quotes(item.key()) + "; " + suggest(item.key(), keys));
            }
        }
        for (const auto& k : keys) {
            if (!j.contains(k)) {
                return refuse(errc::json_invalid_field, join(path, k),
                              "missing key " + in_quotes(k) + "; it is required");
            }
        }
        return true;
    }

    bool integer(const Json& j, const std::string& path, std::int64_t& out) {
        if (!j.is_number_integer()) {
            if (j.is_number_float() && std::trunc(j.get<double>()) == j.get<double>()) {
                // 1e3, 1.0 or a whole number beyond 64 bits: say which, and the range.
                return refuse(errc::json_invalid_field, path,
                              "expected a whole number that fits in 64 bits, got " + j.dump() + ", "
                                  + describe_type(j));
            }
            return wrong_type(j, path, "a whole number");
        }
        if (j.is_number_unsigned()) {
            const auto u = j.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return refuse(errc::json_invalid_field, path,
                              "expected a whole number that fits in 64 bits, got " + j.dump());
            }
            out = static_cast<std::int64_t>(u);
        } else {
            out = j.get<std::int64_t>();
        }
        return true;
    }

    /// {"account": id} or {"agency": id}: whose balance, or where a grant applies.
    template <class Subject>
    bool subject(const Json& j, const std::string& path, Subject& out) {
        const std::initializer_list<std::string> keys = {"account", "agency"};
        for (const auto& item : j.items()) {
            if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
                return refuse(
                    errc::json_unknown_field, join(path, item.key()),
                    "unknown key " + in_quotes(item.key()) + "; " + suggest(item.key(), keys));
            }
        }
        if (j.size() != 1) {
            return refuse(errc::json_invalid_field, path,
                          "expected exactly one of \"account\" or \"agency\", got "
                              + std::to_string(j.size()) + " keys");
        }
        if (j.contains("account")) {
            AccountId id;
            if (!value(j["account"], join(path, "account"), id)) return false;
            out = std::move(id);
        } else {
            AgencyId id;
            if (!value(j["agency"], join(path, "agency"), id)) return false;
            out = std::move(id);
        }
        return true;
    }

    /// The alternative of `Variant` that the discriminator names (`names` in variant order).
    template <class Variant, std::size_t N>
    bool alternative(const Json& j, std::string_view discriminator, std::string_view what,
                     const std::array<std::string_view, N>& names, Variant& out) {
        static_assert(N == std::variant_size_v<Variant>);
        if (!j.is_object()) return wrong_type(j, "", "an object");
        const std::string key(discriminator);
        const auto found = j.find(key);
        if (found == j.end()) {
            return refuse(errc::json_invalid_field, key,
                          "missing key " + in_quotes(key) + " naming the " + std::string(what));
        }
        if (!found->is_string()) {
            return wrong_type(*found, key, "the " + std::string(what) + " name as a string");
        }
        const auto& name = found->get_ref<const std::string&>();
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) {
            return refuse(errc::json_invalid_field, key,
                          "unknown " + std::string(what) + " " + in_quotes(name) + "; "
                              + suggest(name, names));
        }
        const auto index = static_cast<std::size_t>(at - names.begin());
        return alternative_at(j, discriminator, index, out,
                              std::make_index_sequence<std::variant_size_v<Variant>>{});
    }

  private:
    template <class Variant, std::size_t... I>
    bool alternative_at(const Json& j, std::string_view discriminator, std::size_t index,
                        Variant& out, std::index_sequence<I...>) {
        bool ok = false;
        (void)((index == I ? (ok = read_alternative<I>(j, discriminator, out), true) : false)
               || ...);
        return ok;
    }
    template <std::size_t I, class Variant>
    bool read_alternative(const Json& j, std::string_view discriminator, Variant& out) {
        using T = std::variant_alternative_t<I, Variant>;
        T alternative_value = blank(Tag<T>{});
        if (!members(j, "", discriminator, alternative_value)) return false;
        out.template emplace<I>(std::move(alternative_value));
        return true;
    }

    JsonDiagnostic* diagnostic_;
    errc error_{};
};

/// The names of a variant's alternatives in order, as `name_of` gives them for a blank of each.
template <class Variant, class NameOf, std::size_t... I>
std::array<std::string_view, sizeof...(I)> names_of(NameOf name_of, std::index_sequence<I...>) {
    return {name_of(
        Variant(std::in_place_index<I>, blank(Tag<std::variant_alternative_t<I, Variant>>{})))...};
}

const std::array<std::string_view, std::variant_size_v<Command>>& command_names() {
    static const auto names =
        names_of<Command>([](const Command& c) { return command_name(c); },
                          std::make_index_sequence<std::variant_size_v<Command>>{});
    return names;
}

const std::array<std::string_view, std::variant_size_v<Event>>& event_names() {
    static const auto names =
        names_of<Event>([](const Event& e) { return event_name(e); },
                        std::make_index_sequence<std::variant_size_v<Event>>{});
    return names;
}

/// The document; nullopt after the reader refused it, naming where it breaks: json_malformed for
/// text that is not JSON or repeats a key, json_invalid_field for a number beyond a double.
std::optional<Json> parse_document(std::string_view text, Reader& reader) {
    Json document;
    if (const auto failure = detail::parse_document(text, document)) {
        using Kind = detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                reader.refuse(errc::json_malformed, "", "not valid JSON: " + failure->problem);
                break;
            case Kind::number_out_of_range:
                reader.refuse(errc::json_invalid_field, failure->field, failure->problem);
                break;
            case Kind::duplicate_key:
                reader.refuse(errc::json_malformed, failure->field, failure->problem);
                break;
        }
        return std::nullopt;
    }
    return document;
}

/// Parses `text` and reads a T from it with `read`.
template <class T, class Read>
result<T> read_document(std::string_view text, JsonDiagnostic* diagnostic, T initial, Read read) {
    Reader reader(diagnostic);
    const auto document = parse_document(text, reader);
    if (!document) return reader.error();
    T out = std::move(initial);
    if (!read(reader, *document, out)) return reader.error();
    return out;
}

template <class T>
result<T> read_record(std::string_view text, JsonDiagnostic* diagnostic) {
    return read_document(
        text, diagnostic, blank(Tag<T>{}),
        [](Reader& reader, const Json& j, T& out) { return reader.value(j, "", out); });
}

}  // namespace

// --- public entry points -----------------------------------------------------------------------

std::string to_json(const Command& command) {
    return write_alternative("command", command_name(command), command);
}

result<Command> command_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_document(json, diagnostic, Command{}, [](Reader& r, const Json& j, Command& out) {
        return r.alternative(j, "command", "command", command_names(), out);
    });
}

std::string to_json(const Event& event) {
    return write_alternative("event", event_name(event), event);
}

result<Event> event_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_document(json, diagnostic, Event{}, [](Reader& r, const Json& j, Event& out) {
        return r.alternative(j, "event", "event", event_names(), out);
    });
}

std::string to_json(const HostEffect& effect) {
    return write_text(effect);
}

result<HostEffect> effect_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<HostEffect>(json, diagnostic);
}

std::string to_json(const Account& account) {
    return write_text(account);
}

result<Account> account_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<Account>(json, diagnostic);
}

std::string to_json(const Agency& agency) {
    return write_text(agency);
}

result<Agency> agency_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<Agency>(json, diagnostic);
}

std::string to_json(const TrackingNumber& number) {
    return write_text(number);
}

result<TrackingNumber> number_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<TrackingNumber>(json, diagnostic);
}

std::string to_json(const std::vector<RoleGrant>& grants) {
    return write_text(grants);
}

result<std::vector<RoleGrant>> grants_from_json(std::string_view json, JsonDiagnostic* diagnostic) {
    return read_record<std::vector<RoleGrant>>(json, diagnostic);
}

}  // namespace calltrack
