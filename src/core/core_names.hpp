#pragma once

// The name of every core enum, in one table each (enum_names.hpp): effect.cpp's to_string reads
// it, and the layers above read it to list and parse the enum's values, so an effect's spelling
// is written once. A header of its own because the codec and the tools see the core's tables and
// not its sources.

#include <calltrack/effect.hpp>

#include <calltrack/detail/enum_names.hpp>

#include <array>

namespace calltrack::detail {

inline constexpr std::array<Named<EffectKind>,
                            count_through(EffectKind::cancel_linked_subscription)>
    effect_kind_names{{
        {EffectKind::release_number, "release_number"},
        {EffectKind::hold_number, "hold_number"},
        {EffectKind::reactivate_number, "reactivate_number"},
        {EffectKind::restore_number, "restore_number"},
        {EffectKind::update_forwarding, "update_forwarding"},
        {EffectKind::stop_swapping, "stop_swapping"},
        {EffectKind::resume_swapping, "resume_swapping"},
        {EffectKind::stop_routing_calls, "stop_routing_calls"},
        {EffectKind::resume_routing_calls, "resume_routing_calls"},
        {EffectKind::suspend_reports, "suspend_reports"},
        {EffectKind::restore_reports, "restore_reports"},
        {EffectKind::change_billing, "change_billing"},
        {EffectKind::final_usage_invoice, "final_usage_invoice"},
        {EffectKind::purge_call_data, "purge_call_data"},
        {EffectKind::refund_balance, "refund_balance"},
        {EffectKind::forfeit_balance, "forfeit_balance"},
        {EffectKind::port_out_number, "port_out_number"},
        {EffectKind::cancel_linked_subscription, "cancel_linked_subscription"},
    }};
static_assert(names_every_value(effect_kind_names),
              "effect_kind_names lists every EffectKind once, in declaration order");

}  // namespace calltrack::detail
