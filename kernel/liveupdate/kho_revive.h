/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Revival: reserve at boot what the previous kernel preserved. Above
 * restore and scratch.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_REVIVE_H
#define _KERNEL_LIVEUPDATE_KHO_REVIVE_H

#include <linux/init.h>
#include <linux/types.h>

struct memblock_region;

int __init kho_mem_revive(phys_addr_t root, const char **why);

/* Sort @n ranges and merge touching ones; the new count, 0 on overlap. */
unsigned long kho_sort_ranges(struct memblock_region *rg, unsigned long n);

#endif /* _KERNEL_LIVEUPDATE_KHO_REVIVE_H */
