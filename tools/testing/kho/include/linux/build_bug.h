/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/build_bug.h>: see kho_sim.h. The kernel's
 * static_assert() takes the message as optional, C11's does not.
 */
#include <kho_sim.h>
#undef static_assert
#define static_assert(expr, ...) sim_static_assert(expr, ##__VA_ARGS__, #expr)
#define sim_static_assert(expr, msg, ...) _Static_assert(expr, msg)
