// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preservation: the outgoing radix tree of preserved blocks that
 * kho_preserve_*() fill and kho_unpreserve_*() empty, and its freeze at
 * kexec, from which on it does not change any more.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>

#include "kho_preserve.h"
#include "kho_scratch.h"

static DEFINE_MUTEX(kho_mem_lock);	/* the outgoing tree */
static struct kho_radix_tree kho_mem;

/*
 * The point of no return of a kexec: from kho_freeze() on, the outgoing
 * handover (tree and FDT) does not change any more. Every call that changes
 * it holds kho_freeze_sem for reading for all it does, so a freeze waits
 * for calls in progress and a compound change (a vmalloc() area, a range
 * of blocks, a subtree) is in the handover whole or not at all.
 */
static DECLARE_RWSEM(kho_freeze_sem);
static bool kho_frozen;

/**
 * kho_out_begin - start changing the outgoing handover
 *
 * Pair with kho_out_end(); do not nest.
 *
 * Return: 0, or -EBUSY once the handover is frozen for a kexec.
 */
int kho_out_begin(void)
{
	down_read(&kho_freeze_sem);
	if (kho_frozen) {
		up_read(&kho_freeze_sem);
		return -EBUSY;
	}
	return 0;
}

/**
 * kho_out_end - done changing the outgoing handover
 */
void kho_out_end(void)
{
	up_read(&kho_freeze_sem);
}

/**
 * kho_freeze - freeze the outgoing handover for a kexec
 *
 * Called by kernel_kexec() before anything of the old kernel is shut down.
 * Waits for changes in progress; afterwards, preserving, unpreserving and
 * adding or removing a subtree fail with -EBUSY. kho_thaw() undoes it when
 * the kexec does not happen.
 */
void kho_freeze(void)
{
	down_write(&kho_freeze_sem);
	kho_frozen = true;
	up_write(&kho_freeze_sem);
	if (kho_mem.root)
		pr_info("handover frozen for kexec\n");
}

/**
 * kho_thaw - the kexec did not happen: the handover can change again
 */
void kho_thaw(void)
{
	down_write(&kho_freeze_sem);
	if (kho_frozen && kho_mem.root)
		pr_info("no kexec after all: handover thawed\n");
	kho_frozen = false;
	up_write(&kho_freeze_sem);
}

/* Physical address of the root of the outgoing tree, 0 before init. */
phys_addr_t kho_mem_map_phys(void)
{
	return kho_mem.root ? virt_to_phys(kho_mem.root) : 0;
}

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/*
 * A page freed while it is preserved would reach the next kernel with
 * whatever its next user wrote. Debug builds keep one bit per page of
 * boot memory, set while preserved, so that the page allocator can tell
 * (kho_debug_page_freed()). Written under kho_mem_lock, read locklessly.
 */
static unsigned long *kho_debug_map;
static unsigned long kho_debug_pfns;
static atomic_long_t kho_debug_freed = ATOMIC_LONG_INIT(0);

static void __init kho_debug_init(void)
{
	kho_debug_map = vzalloc(BITS_TO_LONGS(max_pfn) * sizeof(long));
	if (kho_debug_map)
		kho_debug_pfns = max_pfn;
	else
		pr_warn("debug: no memory to catch preserved pages being freed\n");
}

static void kho_debug_mark(unsigned long pfn, unsigned long nr, bool set)
{
	if (!kho_debug_map || pfn >= kho_debug_pfns)
		return;
	nr = min(nr, kho_debug_pfns - pfn);
	if (set)
		bitmap_set(kho_debug_map, pfn, nr);
	else
		bitmap_clear(kho_debug_map, pfn, nr);
}

/**
 * kho_debug_page_freed - the page allocator frees a block
 * @page: its first page
 * @order: its order
 *
 * Warns, naming the page, when any of it is still preserved.
 */
void kho_debug_page_freed(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), end = pfn + (1UL << order);
	unsigned long bad;

	if (!kho_debug_map || pfn >= kho_debug_pfns)
		return;
	bad = find_next_bit(kho_debug_map, min(end, kho_debug_pfns), pfn);
	if (bad >= min(end, kho_debug_pfns))
		return;
	atomic_long_inc(&kho_debug_freed);
	pr_warn("page %#lx (pfn) of an order-%u block freed while preserved for the next kernel, by %pS\n",
		bad, order, __builtin_return_address(0));
}

/* For KUnit: how many frees of preserved pages were caught. */
long kho_debug_nr_freed(void)
{
	return atomic_long_read(&kho_debug_freed);
}
#else
static inline void kho_debug_init(void) { }
static inline void kho_debug_mark(unsigned long pfn, unsigned long nr,
				  bool set) { }
#endif

int __init kho_mem_init(void)
{
	kho_debug_init();
	return kho_radix_init(&kho_mem);
}

/* KHO could not start: nothing can be preserved any more. */
void __init kho_mem_exit(void)
{
	mutex_lock(&kho_mem_lock);
	kho_radix_destroy(&kho_mem);
	mutex_unlock(&kho_mem_lock);
}

unsigned int kho_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = pfn ? min_t(unsigned int, __ffs(pfn), MAX_PAGE_ORDER) :
				   MAX_PAGE_ORDER;

	while (order && (end - pfn < (1UL << order) ||
			 pfn_to_nid(pfn) != pfn_to_nid(pfn + (1UL << order) - 1)))
		order--;
	return order;
}

/*
 * Is any part of the block at @pfn of @order preserved already, as a block
 * of any order: one that contains it, or one inside it?
 */
static bool kho_mem_overlaps(unsigned long pfn, unsigned int order)
{
	unsigned long last = pfn + (1UL << order) - 1;
	unsigned int o;

	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long first = ALIGN_DOWN(pfn, 1UL << o);

		if (o >= order) {
			if (kho_radix_test(&kho_mem, kho_pfn_key(first, o)))
				return true;
		} else if (kho_radix_any(&kho_mem, kho_pfn_key(first, o),
					 kho_pfn_key(ALIGN_DOWN(last, 1UL << o), o))) {
			return true;
		}
	}
	return false;
}

bool kho_mem_is_preserved(phys_addr_t pa, unsigned int order)
{
	bool ret;

	mutex_lock(&kho_mem_lock);
	ret = kho_mem.root && kho_radix_test(&kho_mem, kho_radix_key(pa, order));
	mutex_unlock(&kho_mem_lock);
	return ret;
}

/*
 * Memory onlined after boot (a DIMM, virtio-mem, dax/kmem) is not in the
 * memory map that kexec_file hands to the next kernel, which would refuse
 * the whole tree for it. It is not preserved, up front.
 */
static bool kho_range_hotplugged(unsigned long pfn, unsigned long nr_pages)
{
#ifdef CONFIG_MEMORY_HOTPLUG
	unsigned long end = pfn + nr_pages;

	for (pfn = SECTION_ALIGN_DOWN(pfn); pfn < end; pfn += PAGES_PER_SECTION)
		if (!early_section(__pfn_to_section(pfn)))
			return true;
#endif
	return false;
}

static int kho_check_range(unsigned long pfn, unsigned long nr_pages)
{
	if (!kho_mem.root)
		return -EOPNOTSUPP;
	/* The range must end inside the physical address space. */
	if (!nr_pages || nr_pages > PHYS_PFN(PHYS_ADDR_MAX) - pfn)
		return -EINVAL;
	/* Scratch is overwritten by the next kernel: never preserve it. */
	if (kho_scratch_overlap(PFN_PHYS(pfn), PFN_PHYS(nr_pages)))
		return -EINVAL;
	if (region_intersects(PFN_PHYS(pfn), PFN_PHYS(nr_pages),
			      IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_INTERSECTS)
		return -EINVAL;
	if (kho_range_hotplugged(pfn, nr_pages))
		return -EINVAL;
	return 0;
}

/*
 * Compaction and reclaim may move a folio on the LRU, or a non-LRU movable
 * one, to another place at any time: the next kernel would find stale
 * contents at the preserved address. Only a long-term pinned folio stays.
 */
static bool kho_range_movable(unsigned long pfn, unsigned long end)
{
	struct folio *folio;

	for (; pfn < end; pfn = folio_pfn(folio) + folio_nr_pages(folio)) {
		folio = pfn_folio(pfn);
		if ((folio_test_lru(folio) || __folio_test_movable(folio)) &&
		    !folio_maybe_dma_pinned(folio))
			return true;
	}
	return false;
}

int __kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), end = start + nr_pages;
	unsigned long pfn, undo;
	unsigned int order;
	int err;

	err = kho_check_range(start, nr_pages);
	if (err)
		return err;
	if (kho_range_movable(start, end))
		return -EINVAL;

	mutex_lock(&kho_mem_lock);
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		cond_resched();
		order = kho_block_order(pfn, end);
		if (kho_mem_overlaps(pfn, order)) {
			err = -EEXIST;
			break;
		}
		err = kho_radix_set(&kho_mem, kho_pfn_key(pfn, order));
		if (err)
			break;
	}
	if (err) {
		/* Take back exactly the blocks this call added. */
		undo = pfn;
		for (pfn = start; pfn < undo; pfn += 1UL << order) {
			order = kho_block_order(pfn, end);
			kho_radix_clear(&kho_mem, kho_pfn_key(pfn, order));
		}
	} else {
		kho_debug_mark(start, nr_pages, true);
	}
	mutex_unlock(&kho_mem_lock);
	return err;
}

/**
 * kho_preserve_pages - preserve a range of pages across kexec
 * @page: first page
 * @nr_pages: number of pages
 *
 * The range is tracked as naturally aligned power-of-two blocks that never
 * cross a NUMA node; the next kernel reserves them before it allocates
 * anything outside scratch, and kho_restore_pages() with the same range
 * hands them back. Either the whole range is preserved or, on failure,
 * nothing of it.
 *
 * Return: 0; -EOPNOTSUPP when KHO is off; -EINVAL for an empty range, one
 * in scratch, one that is not System RAM or memory hot-added after boot,
 * and for movable memory (a folio on the LRU, or non-LRU movable) that is
 * not long-term pinned; -EEXIST when part of it is preserved already;
 * -ENOMEM; -EBUSY once a kexec has frozen the handover.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	int err = kho_out_begin();

	if (err)
		return err;
	err = __kho_preserve_pages(page, nr_pages);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

int __kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), end = start + nr_pages;
	unsigned long pfn;
	unsigned int order;
	int err;

	err = kho_check_range(start, nr_pages);
	if (err)
		return err;

	mutex_lock(&kho_mem_lock);
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		if (!kho_radix_test(&kho_mem, kho_pfn_key(pfn, order))) {
			err = -ENOENT;
			goto out;
		}
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		kho_radix_clear(&kho_mem, kho_pfn_key(pfn, order));
	}
	kho_debug_mark(start, nr_pages, false);
out:
	mutex_unlock(&kho_mem_lock);
	return err;
}

/**
 * kho_unpreserve_pages - stop preserving a range of pages
 * @page: first page
 * @nr_pages: number of pages
 *
 * Must mirror a kho_preserve_pages() call exactly; nothing changes unless
 * every block of the range is preserved as that call split it.
 *
 * Return: 0; -EOPNOTSUPP when KHO is off; -EINVAL for a bad range; -ENOENT
 * when the range was not preserved like this; -EBUSY once a kexec has
 * frozen the handover: the range stays preserved, do not free it.
 */
int kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	int err = kho_out_begin();

	if (err)
		return err;
	err = __kho_unpreserve_pages(page, nr_pages);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_unpreserve_pages);

/**
 * kho_preserve_folio - preserve a folio across kexec
 * @folio: the folio
 *
 * The next kernel gets it back with kho_restore_folio().
 *
 * Return: as kho_preserve_pages().
 */
int kho_preserve_folio(struct folio *folio)
{
	return kho_preserve_pages(&folio->page, folio_nr_pages(folio));
}
EXPORT_SYMBOL_GPL(kho_preserve_folio);

/**
 * kho_unpreserve_folio - stop preserving a folio
 * @folio: the folio
 *
 * Return: as kho_unpreserve_pages().
 */
int kho_unpreserve_folio(struct folio *folio)
{
	return kho_unpreserve_pages(&folio->page, folio_nr_pages(folio));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_folio);

/**
 * kho_alloc_preserve - allocate zeroed memory that is preserved across kexec
 * @size: bytes, at most the largest buddy allocation
 *
 * The memory is physically contiguous. Give it back with
 * kho_unpreserve_free(), or in the next kernel with kho_restore_free().
 *
 * Return: the memory, or an ERR_PTR() (-EINVAL, -ENOMEM, or as
 * kho_preserve_pages()).
 */
void *kho_alloc_preserve(size_t size)
{
	struct folio *folio;
	int err;

	if (!size || size > (PAGE_SIZE << MAX_PAGE_ORDER))
		return ERR_PTR(-EINVAL);
	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, get_order(size));
	if (!folio)
		return ERR_PTR(-ENOMEM);
	err = kho_preserve_folio(folio);
	if (err) {
		folio_put(folio);
		return ERR_PTR(err);
	}
	return folio_address(folio);
}
EXPORT_SYMBOL_GPL(kho_alloc_preserve);

/**
 * kho_unpreserve_free - undo kho_alloc_preserve()
 * @mem: what kho_alloc_preserve() returned; NULL does nothing
 *
 * Memory that cannot be unpreserved (not from kho_alloc_preserve()) is
 * left alone, with a warning; so is memory a kexec in progress has frozen
 * in the handover, silently.
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;
	int err;

	if (!mem)
		return;
	folio = virt_to_folio(mem);
	err = kho_unpreserve_folio(folio);
	if (err == -EBUSY) {
		/* Frozen for a kexec: it is handed over, it must stay. */
		return;
	}
	if (err) {
		pr_warn("%s: %p was not preserved by kho_alloc_preserve()\n",
			__func__, mem);
		return;
	}
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_free);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/*
 * Fault injection (debugfs out/corrupt): point the last entry of the root,
 * which no valid key reaches (keys have at most 53 bits), outside RAM.
 */
int kho_mem_corrupt(void)
{
	mutex_lock(&kho_mem_lock);
	if (kho_mem.root)
		kho_mem.root[KHO_RADIX_ENTRIES - 1] = BIT_ULL(50);
	mutex_unlock(&kho_mem_lock);
	return kho_mem.root ? 0 : -ENODEV;
}
#endif

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/*
 * Fault injection (kho_corrupt.c): run @fn on the outgoing tree under its
 * lock, past every check of kho_preserve_pages().
 */
int kho_mem_corrupt_tree(int (*fn)(struct kho_radix_tree *tree, void *arg),
			 void *arg)
{
	int err = -ENODEV;

	mutex_lock(&kho_mem_lock);
	if (kho_mem.root)
		err = fn(&kho_mem, arg);
	mutex_unlock(&kho_mem_lock);
	return err;
}
#endif
