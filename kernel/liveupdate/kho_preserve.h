/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Preservation: the outgoing tree of preserved blocks and its freeze at
 * kexec. Above radix tracking and scratch.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_PRESERVE_H
#define _KERNEL_LIVEUPDATE_KHO_PRESERVE_H

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/types.h>

#include "kho_radix.h"

struct page;

phys_addr_t kho_mem_map_phys(void);
int __init kho_mem_init(void);
void __init kho_mem_exit(void);

/*
 * Order of the largest naturally aligned block at @pfn that ends at or
 * before @end and stays on one NUMA node: how ranges are split.
 */
unsigned int kho_block_order(unsigned long pfn, unsigned long end);

/* Is exactly this block in the outgoing tree? */
bool kho_mem_is_preserved(phys_addr_t pa, unsigned int order);

/*
 * A change of the outgoing handover, whole or not at all: kho_out_begin()
 * fails with -EBUSY once a kexec froze it. Between the two, a compound
 * change (a vmalloc() area) preserves and unpreserves with the __ forms.
 */
int kho_out_begin(void);
void kho_out_end(void);
int __kho_preserve_pages(struct page *page, unsigned long nr_pages);
int __kho_unpreserve_pages(struct page *page, unsigned long nr_pages);

/* Fault injection (kho_corrupt.c) and its checks (CONFIG_KEXEC_HANDOVER_DEBUG) */
int kho_mem_corrupt(void);
int kho_mem_corrupt_tree(int (*fn)(struct kho_radix_tree *tree, void *arg),
			 void *arg);
long kho_debug_nr_freed(void);

#endif /* _KERNEL_LIVEUPDATE_KHO_PRESERVE_H */
