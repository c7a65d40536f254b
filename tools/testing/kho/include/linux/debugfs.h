/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/debugfs.h>: see luo_sim.h. */
#include <luo_sim.h>
