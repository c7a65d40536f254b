/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Restore: the incoming tree, once revived, and what was restored of it.
 * Above radix tracking.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_RESTORE_H
#define _KERNEL_LIVEUPDATE_KHO_RESTORE_H

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/types.h>

#include "kho_radix.h"

struct page;

/* Revival is done: restoring from the tree at @root can start. */
void __init kho_in_adopt(u64 *root, unsigned long blocks, u64 bytes);

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

/*
 * Restore exactly one preserved block of 2^@order pages at @phys, every page
 * with one reference, not a folio: NULL unless @phys is the head of a
 * preserved block of that order nobody restored yet.
 */
struct page *kho_restore_block(phys_addr_t phys, unsigned int order);
/*
 * Undo kho_restore_block() of a block its caller could not use; its pages
 * must be as the restore left them.
 */
void kho_unrestore_block(struct page *page, unsigned int order);

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

#endif /* _KERNEL_LIVEUPDATE_KHO_RESTORE_H */
