/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/mm.h>: see kho_sim.h. */
#include <kho_sim.h>
