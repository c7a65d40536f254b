/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Preservation and restore: the outgoing tree of preserved blocks, its
 * freeze at kexec, and the revival of the incoming one, whose blocks the
 * owners restore. Above radix tracking and scratch.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_MEMORY_H
#define _KERNEL_LIVEUPDATE_KHO_MEMORY_H

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/types.h>

#include "kho_radix.h"

struct memblock_region;
struct page;

phys_addr_t kho_mem_map_phys(void);
int __init kho_mem_init(void);
void __init kho_mem_exit(void);
int __init kho_mem_revive(phys_addr_t root, const char **why);

/*
 * Order of the largest naturally aligned block at @pfn that ends at or
 * before @end and stays on one NUMA node: how ranges are split.
 */
unsigned int kho_block_order(unsigned long pfn, unsigned long end);
unsigned long kho_sort_ranges(struct memblock_region *rg, unsigned long n);

/* Is exactly this block in the outgoing tree? */
bool kho_mem_is_preserved(phys_addr_t pa, unsigned int order);
int kho_out_begin(void);
void kho_out_end(void);

/* What the previous kernel preserved and what was restored of it. */
struct kho_mem_stats {
	unsigned long blocks;
	u64 bytes;
	unsigned long restored_blocks;
	u64 restored_bytes;
};

void kho_mem_get_stats(struct kho_mem_stats *stats);
bool kho_mem_range_revived(phys_addr_t phys, u64 size);
bool kho_mem_revived(void);

/* Count revived blocks as restored but keep them reserved (reserve_mem). */
void __init kho_mem_claim(phys_addr_t phys, unsigned long nr_pages);

/* Fault injection (kho_corrupt.c) and its checks (CONFIG_KEXEC_HANDOVER_DEBUG) */
int kho_mem_corrupt(void);
int kho_mem_corrupt_tree(int (*fn)(struct kho_radix_tree *tree, void *arg),
			 void *arg);
long kho_debug_nr_freed(void);

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_KUNIT_TEST)
/*
 * For the KUnit tests only: make 2^@order allocated pages at @page look
 * like a block revived from the previous kernel (reserved, out of the
 * managed page count, marked for restore), to exercise kho_restore_*().
 */
void kho_mem_mark_revived(struct page *page, unsigned int order);
/* Is @phys the head of a preserved block nobody restored yet? */
bool kho_mem_is_revived(phys_addr_t phys);
#endif

#endif /* _KERNEL_LIVEUPDATE_KHO_MEMORY_H */
