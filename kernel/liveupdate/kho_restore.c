// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restore: kho_restore_*() hand the blocks of the incoming tree, once
 * revival (kho_revive.c) has reserved them, back to their owners.
 *
 * A revived block stays reserved until its owner restores it. The incoming
 * tree is kept, reserved, as the record of what is left to restore: revival
 * writes nothing per block, so it costs what the tree holds in runs of
 * adjacent blocks, not in blocks.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "../../mm/internal.h"
#include "kho_restore.h"

/*
 * The incoming tree stays where the previous kernel left it, reserved: it
 * is the record of what was preserved and is not restored yet. Restoring
 * a block takes its key out; nothing is written into struct pages before
 * that, so revival costs nothing per block.
 */
static DEFINE_MUTEX(kho_in_lock);	/* the incoming tree, its counts */
static struct kho_radix_tree kho_in_tree;
static struct kho_mem_stats kho_in_stats;

/*
 * Revival hands the incoming tree over, once it has reserved every block
 * of it; restoring can start.
 */
void __init kho_in_adopt(u64 *root, unsigned long blocks, u64 bytes)
{
	mutex_lock(&kho_in_lock);
	kho_in_tree.root = root;
	kho_in_stats.blocks = blocks;
	kho_in_stats.bytes = bytes;
	mutex_unlock(&kho_in_lock);
}

/* Order of the preserved block that starts at @pfn, or -1. Lock held. */
static int kho_in_order(unsigned long pfn)
{
	unsigned int order;

	if (!kho_in_tree.root)
		return -1;
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		if (pfn & ((1UL << order) - 1))
			break;
		if (kho_radix_test(&kho_in_tree, kho_pfn_key(pfn, order)))
			return order;
	}
	return -1;
}

/*
 * Hand a preserved block to its owner: each page with one reference, or,
 * for a folio, the head with one and the tails with none. The struct pages
 * are initialised already (by memmap_init(), or as reserved memory with
 * deferred struct page init), they are just not in use. Lock held.
 */
static void kho_unreserve_block(struct page *page, unsigned int order,
				bool folio)
{
	unsigned long i, nr = 1UL << order;

	kho_radix_take(&kho_in_tree, kho_pfn_key(page_to_pfn(page), order));
	for (i = 0; i < nr; i++) {
		ClearPageReserved(page + i);
		if (folio && i)
			set_page_count(page + i, 0);
		else
			init_page_count(page + i);
	}
	adjust_managed_page_count(page, nr);
	kho_in_stats.restored_blocks++;
	kho_in_stats.restored_bytes += PAGE_SIZE * nr;
}

/*
 * Undo kho_restore_block() of a block its caller could not use: it is
 * preserved and not restored again, as before, for a retry. Its pages must
 * be as the restore left them (one reference each, nothing else changed).
 */
void kho_unrestore_block(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	mutex_lock(&kho_in_lock);
	if (WARN_ON(!kho_radix_put(&kho_in_tree,
				   kho_pfn_key(page_to_pfn(page), order)))) {
		mutex_unlock(&kho_in_lock);
		return;
	}
	for (i = 0; i < nr; i++)
		SetPageReserved(page + i);
	adjust_managed_page_count(page, -(long)nr);
	kho_in_stats.restored_blocks--;
	kho_in_stats.restored_bytes -= PAGE_SIZE << order;
	mutex_unlock(&kho_in_lock);
}

static struct page *kho_phys_page(phys_addr_t phys)
{
	if (!PAGE_ALIGNED(phys))
		return NULL;
	return pfn_to_online_page(PHYS_PFN(phys));
}

/*
 * One block of the exact order, not a run of smaller ones: a caller that
 * knows the order can undo it with kho_unrestore_block().
 */
struct page *kho_restore_block(phys_addr_t phys, unsigned int order)
{
	struct page *page = kho_phys_page(phys);
	bool found;

	if (!page || order > MAX_PAGE_ORDER ||
	    !IS_ALIGNED(page_to_pfn(page), 1UL << order))
		return NULL;
	mutex_lock(&kho_in_lock);
	found = kho_in_tree.root &&
		kho_radix_test(&kho_in_tree, kho_pfn_key(page_to_pfn(page), order));
	if (found)
		kho_unreserve_block(page, order, false);
	mutex_unlock(&kho_in_lock);
	return found ? page : NULL;
}

/**
 * kho_restore_folio - take back a folio the previous kernel preserved
 * @phys: its physical address
 *
 * Return: the folio, of the order it was preserved with and with one
 * reference, or NULL when @phys is not the start of a preserved block, or
 * it was restored already.
 */
struct folio *kho_restore_folio(phys_addr_t phys)
{
	struct page *page = kho_phys_page(phys);
	int order;

	if (!page)
		return NULL;
	mutex_lock(&kho_in_lock);
	order = kho_in_order(page_to_pfn(page));
	if (order >= 0)
		kho_unreserve_block(page, order, true);
	mutex_unlock(&kho_in_lock);
	if (order < 0)
		return NULL;

	if (order)
		prep_compound_page(page, order);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/*
 * Does [@start, @end) consist of preserved blocks exactly, as the previous
 * kernel split it? Follows the incoming tree, so the split of this kernel
 * (its MAX_PAGE_ORDER, its nodes) does not matter. Lock held.
 */
static bool kho_range_revived(unsigned long start, unsigned long end)
{
	unsigned long pfn;
	int order;

	for (pfn = start; pfn < end; pfn += 1UL << order) {
		if (!pfn_to_online_page(pfn))
			return false;
		order = kho_in_order(pfn);
		if (order < 0 || end - pfn < (1UL << order))
			return false;
	}
	return true;
}

/**
 * kho_restore_pages - take back a range the previous kernel preserved
 * @phys: physical address of the first page
 * @nr_pages: number of pages, as given to kho_preserve_pages()
 *
 * Return: the first page; every page of the range has one reference and
 * can be freed on its own. NULL, with nothing restored, when the range is
 * not exactly a run of preserved blocks, or was restored already.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	struct page *page = kho_phys_page(phys);
	unsigned long start, end, pfn;
	unsigned int order;

	if (!page || !nr_pages)
		return NULL;
	start = PHYS_PFN(phys);
	end = start + nr_pages;
	if (end < start)
		return NULL;

	mutex_lock(&kho_in_lock);
	if (!kho_range_revived(start, end)) {
		mutex_unlock(&kho_in_lock);
		return NULL;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_in_order(pfn);
		kho_unreserve_block(pfn_to_page(pfn), order, false);
	}
	mutex_unlock(&kho_in_lock);
	return page;
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

void __init kho_mem_claim(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end = start + nr_pages, pfn, i;
	unsigned int order;

	mutex_lock(&kho_in_lock);
	if (!kho_range_revived(start, end)) {
		mutex_unlock(&kho_in_lock);
		pr_warn("range at %pa was not preserved as a whole: not claimed\n",
			&phys);
		return;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_in_order(pfn);
		kho_radix_take(&kho_in_tree, kho_pfn_key(pfn, order));
		kho_in_stats.restored_blocks++;
		kho_in_stats.restored_bytes += PAGE_SIZE << order;
	}
	/* Kept reserved for good, like any reserve_mem= region. */
	for (i = start; i < end; i++)
		SetPageReserved(pfn_to_page(i));
	mutex_unlock(&kho_in_lock);
}

/*
 * Before revival, only memblock knows what is RAM; reserve_mem= parsing is
 * the only caller then, during early boot.
 */
static bool __ref kho_range_ram_early(phys_addr_t phys, u64 size)
{
	return memblock_is_region_memory(phys, size);
}

/*
 * Is every page of [@pfn, @end) inside a preserved block nobody restored
 * yet? Walks block by block, whatever their orders. Lock held.
 */
static bool kho_in_covers(unsigned long pfn, unsigned long end)
{
	unsigned long head = pfn;
	unsigned int order;

	while (pfn < end) {
		for (order = 0; order <= MAX_PAGE_ORDER; order++) {
			head = ALIGN_DOWN(pfn, 1UL << order);
			if (kho_radix_test(&kho_in_tree, kho_pfn_key(head, order)))
				break;
		}
		if (order > MAX_PAGE_ORDER)
			return false;
		pfn = head + (1UL << order);
	}
	return true;
}

/* Has revival happened (and succeeded)? */
bool kho_mem_revived(void)
{
	return READ_ONCE(kho_in_tree.root);
}

/**
 * kho_mem_range_revived - is a range preserved memory of the previous kernel
 * @phys: physical start, any alignment
 * @size: size in bytes
 *
 * For blobs: a blob may start anywhere inside preserved memory, and must
 * lie wholly inside it before anything reads it. Before revival, when
 * nothing can have been restored yet, the range must be RAM of memblock.
 *
 * Return: true when every byte of [@phys, @phys + @size) lies in preserved
 * blocks that nobody restored yet.
 */
bool kho_mem_range_revived(phys_addr_t phys, u64 size)
{
	bool ret;

	if (!size || phys + size < phys)
		return false;
	if (!READ_ONCE(kho_in_tree.root))
		return system_state == SYSTEM_BOOTING &&
		       kho_range_ram_early(phys, size);
	mutex_lock(&kho_in_lock);
	ret = kho_in_covers(PHYS_PFN(phys), PFN_UP(phys + size));
	mutex_unlock(&kho_in_lock);
	return ret;
}

void kho_mem_get_stats(struct kho_mem_stats *stats)
{
	mutex_lock(&kho_in_lock);
	*stats = kho_in_stats;
	mutex_unlock(&kho_in_lock);
}

/**
 * kho_restore_free - free memory the previous kernel got from kho_alloc_preserve()
 * @mem: the memory, in this kernel's linear map (phys_to_virt() of the
 *       physical address the previous kernel handed over)
 */
void kho_restore_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = kho_restore_folio(virt_to_phys(mem));
	if (folio)
		folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_restore_free);

/*
 * Memory nobody restores stays reserved: KHO cannot know that its owner
 * will not come (a module loaded later, say), and freeing it would lose
 * the data. It is reported here and in debugfs (in/preserved).
 */
static int __init kho_mem_report(void)
{
	struct kho_mem_stats s;

	if (!kho_mem_revived())
		return 0;
	kho_mem_get_stats(&s);
	pr_info("preserved memory from the previous kernel: %lu blocks (%llu KiB), %lu restored (%llu KiB), %lu unclaimed (%llu KiB)\n",
		s.blocks, s.bytes >> 10, s.restored_blocks, s.restored_bytes >> 10,
		s.blocks - s.restored_blocks, (s.bytes - s.restored_bytes) >> 10);
	return 0;
}
late_initcall_sync(kho_mem_report);

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_KUNIT_TEST)
/*
 * For the KUnit tests only, which run on any boot: allocated pages made to
 * look revived, so that kho_restore_*() can be exercised.
 */
void kho_mem_mark_revived(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	/* Counted, so that the figures add up. */
	mutex_lock(&kho_in_lock);
	if ((kho_in_tree.root || !kho_radix_init(&kho_in_tree)) &&
	    !kho_radix_set(&kho_in_tree, kho_pfn_key(page_to_pfn(page), order))) {
		for (i = 0; i < nr; i++)
			SetPageReserved(page + i);
		adjust_managed_page_count(page, -(long)nr);
		kho_in_stats.blocks++;
		kho_in_stats.bytes += PAGE_SIZE << order;
	}
	mutex_unlock(&kho_in_lock);
}

/* Is @phys the head of a preserved block nobody restored yet? */
bool kho_mem_is_revived(phys_addr_t phys)
{
	bool ret;

	if (!PAGE_ALIGNED(phys))
		return false;
	/* Before revival (reserve_mem= parsing), nothing is restored yet. */
	if (!READ_ONCE(kho_in_tree.root))
		return true;
	mutex_lock(&kho_in_lock);
	ret = kho_in_order(PHYS_PFN(phys)) >= 0;
	mutex_unlock(&kho_in_lock);
	return ret;
}
#endif
