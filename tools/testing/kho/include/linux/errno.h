/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/errno.h>: the C library reaches it too, for the numbers. */
#include <asm/errno.h>
#include <kho_sim.h>
