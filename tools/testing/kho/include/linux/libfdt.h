/* SPDX-License-Identifier: GPL-2.0-only */
/* <linux/libfdt.h>: the kernel's own libfdt (scripts/dtc/libfdt), built for user space. */
#include <kho_sim.h>
#include <libfdt.h>
