/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/list.h>: see kho_sim.h. */
#include <kho_sim.h>
