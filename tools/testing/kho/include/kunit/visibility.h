/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <kunit/visibility.h>: no KUnit here. */
#include <kho_sim.h>
#define VISIBLE_IF_KUNIT static
