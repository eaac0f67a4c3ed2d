#pragma once

// The name of every policy enum (and of ScopeKind and TargetKind, which its roles and rules use),
// in one table each (enum_names.hpp): the spelling a policy document and every diagnostic use. A
// header, listed as INTERNAL of the policy layer, because to_string (names.cpp) and the policy
// reader both read these tables, as the layers above may, and a name belongs to the enum rather
// than to either of them.

#include <calltrack/policy.hpp>

#include <calltrack/detail/enum_names.hpp>

#include <array>

namespace calltrack::detail {

inline constexpr std::array<Named<DataOnCancel>, count_through(DataOnCancel::purge_now)>
    data_on_cancel_names{{
        {DataOnCancel::retain, "retain"},
        {DataOnCancel::purge_now, "purge_now"},
    }};
static_assert(names_every_value(data_on_cancel_names),
              "data_on_cancel_names lists every DataOnCancel once, in declaration order");

inline constexpr std::array<Named<BalanceOnCancel>, count_through(BalanceOnCancel::forfeit)>
    balance_on_cancel_names{{
        {BalanceOnCancel::refundable, "refundable"},
        {BalanceOnCancel::forfeit, "forfeit"},
    }};
static_assert(names_every_value(balance_on_cancel_names),
              "balance_on_cancel_names lists every BalanceOnCancel once, in declaration order");

inline constexpr std::array<Named<Reactivation>, count_through(Reactivation::impossible)>
    reactivation_names{{
        {Reactivation::self_service, "self_service"},
        {Reactivation::support_only, "support_only"},
        {Reactivation::impossible, "impossible"},
    }};
static_assert(names_every_value(reactivation_names),
              "reactivation_names lists every Reactivation once, in declaration order");

inline constexpr std::array<Named<OnPauseMaximum>, count_through(OnPauseMaximum::close_account)>
    on_pause_maximum_names{{
        {OnPauseMaximum::release_numbers, "release_numbers"},
        {OnPauseMaximum::close_account, "close_account"},
    }};
static_assert(names_every_value(on_pause_maximum_names),
              "on_pause_maximum_names lists every OnPauseMaximum once, in declaration order");

inline constexpr std::array<Named<BalanceSuspension>, count_through(BalanceSuspension::at_or_below)>
    balance_suspension_names{{
        {BalanceSuspension::never, "never"},
        {BalanceSuspension::below, "below"},
        {BalanceSuspension::at_or_below, "at_or_below"},
    }};
static_assert(names_every_value(balance_suspension_names),
              "balance_suspension_names lists every BalanceSuspension once, in declaration order");

inline constexpr std::array<Named<ScopeKind>, count_through(ScopeKind::account)> scope_kind_names{{
    {ScopeKind::platform, "platform"},
    {ScopeKind::agency, "agency"},
    {ScopeKind::account, "account"},
}};
static_assert(names_every_value(scope_kind_names),
              "scope_kind_names lists every ScopeKind once, in declaration order");

inline constexpr std::array<Named<TargetKind>, count_through(TargetKind::agency)> target_kind_names{
    {
        {TargetKind::account, "account"},
        {TargetKind::sub_account, "sub_account"},
        {TargetKind::agency, "agency"},
    }};
static_assert(names_every_value(target_kind_names),
              "target_kind_names lists every TargetKind once, in declaration order");

}  // namespace calltrack::detail
