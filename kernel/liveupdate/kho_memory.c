// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preserved memory: the outgoing radix tree that kho_preserve_*() fill, its
 * revival in the next kernel before memblock hands memory to the buddy
 * allocator, and kho_restore_*() that hand revived memory back to its owner.
 *
 * A revived block stays reserved until its owner restores it. The incoming
 * tree is kept, reserved, as the record of what is left to restore: revival
 * writes nothing per block, so it costs what the tree holds in runs of
 * adjacent blocks, not in blocks.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "../../mm/internal.h"
#include "kho_memory.h"
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

static u64 kho_pfn_key(unsigned long pfn, unsigned int order)
{
	return kho_radix_key(PFN_PHYS(pfn), order);
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

static int __kho_preserve_pages(struct page *page, unsigned long nr_pages)
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

static int __kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
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

static void kho_chunk_free(struct kho_vmalloc_chunk *chunk)
{
	__kho_unpreserve_pages(virt_to_page(chunk), 1);
	free_page((unsigned long)chunk);
}

/*
 * Undo a preservation: the first @done pages listed in the chain of @desc,
 * then the chain itself. Returns the first error of an unpreserve.
 */
static int kho_vmalloc_undo(struct kho_vmalloc *desc, unsigned long done)
{
	struct kho_vmalloc_chunk *chunk;
	u64 phys = desc->first;
	unsigned long i;
	int err, ret = 0;

	while (phys) {
		chunk = phys_to_virt(phys);
		for (i = 0; i < chunk->nr && done; i++, done--) {
			err = __kho_unpreserve_pages(pfn_to_page(PHYS_PFN(chunk->phys[i])), 1);
			if (err && !ret)
				ret = err;
		}
		phys = chunk->next;
		kho_chunk_free(chunk);
	}
	memset(desc, 0, sizeof(*desc));
	return ret;
}

/**
 * kho_preserve_vmalloc - preserve a vmalloc() area across kexec
 * @ptr: start of the area, as vmalloc() returned it
 * @preservation: filled in; store it in your own preserved data
 *
 * Every page of the area is preserved, plus a chain of pages listing them
 * (see &struct kho_vmalloc). The next kernel maps the same pages again with
 * kho_restore_vmalloc().
 *
 * Return: 0; -EINVAL when @ptr is not the start of a vmalloc() area;
 * -EOPNOTSUPP for huge-page mappings or when KHO is off; -ENOMEM; or as
 * kho_preserve_pages() (-EBUSY once a kexec has frozen the handover). On
 * failure nothing stays preserved.
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct kho_vmalloc_chunk *chunk = NULL, *new;
	struct vm_struct *vm = find_vm_area(ptr);
	unsigned int i;
	int err;

	memset(preservation, 0, sizeof(*preservation));
	/* vmalloc(), or an area kho_restore_vmalloc() mapped (kexec chains). */
	if (!vm || vm->addr != ptr || !vm->pages || !vm->nr_pages ||
	    !(vm->flags & (VM_ALLOC | VM_MAP_PUT_PAGES)))
		return -EINVAL;
	if (is_vm_area_hugepages(ptr))
		return -EOPNOTSUPP;
	err = kho_out_begin();
	if (err)
		return err;

	BUILD_BUG_ON(sizeof(*chunk) > PAGE_SIZE);
	for (i = 0; i < vm->nr_pages; i++) {
		cond_resched();
		if (!chunk || chunk->nr == KHO_VMALLOC_CHUNK_ENTRIES) {
			new = (void *)get_zeroed_page(GFP_KERNEL);
			if (!new) {
				err = -ENOMEM;
				goto undo;
			}
			err = __kho_preserve_pages(virt_to_page(new), 1);
			if (err) {
				free_page((unsigned long)new);
				goto undo;
			}
			if (chunk)
				chunk->next = virt_to_phys(new);
			else
				preservation->first = virt_to_phys(new);
			chunk = new;
		}
		err = __kho_preserve_pages(vm->pages[i], 1);
		if (err)
			goto undo;
		chunk->phys[chunk->nr++] = page_to_phys(vm->pages[i]);
	}
	preservation->total_pages = vm->nr_pages;
	kho_out_end();
	return 0;

undo:
	kho_vmalloc_undo(preservation, i);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - stop preserving a vmalloc() area
 * @preservation: what kho_preserve_vmalloc() filled in; cleared
 *
 * Return: 0; -ENOENT when @preservation does not describe a preserved
 * area of this kernel; -EBUSY once a kexec has frozen the handover (the
 * area stays preserved, and @preservation as it was).
 */
int kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	int err = kho_out_begin();

	if (err)
		return err;
	if (!preservation->first || !preservation->total_pages ||
	    !kho_mem_is_preserved(preservation->first, 0))
		err = -ENOENT;
	else if (kho_vmalloc_undo(preservation, preservation->total_pages))
		err = -ENOENT;
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/* Restore */

/*
 * The incoming tree stays where the previous kernel left it, reserved: it
 * is the record of what was preserved and is not restored yet. Restoring
 * a block takes its key out; nothing is written into struct pages before
 * that, so revival costs nothing per block.
 */
static DEFINE_MUTEX(kho_in_lock);	/* the incoming tree, its counts */
static struct kho_radix_tree kho_in_tree;
static struct kho_mem_stats kho_in_stats;

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
 * Undo kho_restore_pages(phys, 1) of a page its caller could not use: it is
 * preserved and not restored again, as before, for a retry. The page must
 * be as the restore left it (one reference, nothing else changed).
 */
static void kho_unrestore_page(struct page *page)
{
	mutex_lock(&kho_in_lock);
	if (WARN_ON(!kho_radix_put(&kho_in_tree,
				   kho_pfn_key(page_to_pfn(page), 0)))) {
		mutex_unlock(&kho_in_lock);
		return;
	}
	SetPageReserved(page);
	adjust_managed_page_count(page, -1);
	kho_in_stats.restored_blocks--;
	kho_in_stats.restored_bytes -= PAGE_SIZE;
	mutex_unlock(&kho_in_lock);
}

static struct page *kho_phys_page(phys_addr_t phys)
{
	if (!PAGE_ALIGNED(phys))
		return NULL;
	return pfn_to_online_page(PHYS_PFN(phys));
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

/**
 * kho_restore_vmalloc - map a vmalloc() area of the previous kernel again
 * @preservation: the descriptor kho_preserve_vmalloc() filled in there
 *
 * Restores every page of the area and maps them, in order, at a new
 * address. The chain of list pages is freed once the area is mapped.
 *
 * Return: the new mapping (free it with vfree()), or NULL when the
 * descriptor or a page it lists was not preserved, or when memory for
 * the mapping ran short. On failure, every page stays preserved as it
 * was, so the caller can try again; nothing is freed.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, n = 0, i;
	struct kho_vmalloc_chunk *chunk;
	struct page **pages, *page, *tmp;
	u64 phys = preservation->first;
	LIST_HEAD(chunks);
	void *ptr;

	if (!total || total > totalram_pages() || preservation->order ||
	    preservation->flags)
		return NULL;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	/*
	 * A chain that loops, or lists a page twice, fails on the second
	 * restore of the same page: a block is restored once.
	 */
	while (phys) {
		cond_resched();
		page = kho_restore_pages(phys, 1);
		if (!page)
			goto fail;
		list_add(&page->lru, &chunks);
		chunk = page_address(page);
		if (chunk->nr > KHO_VMALLOC_CHUNK_ENTRIES ||
		    chunk->nr > total - n)
			goto fail;
		for (i = 0; i < chunk->nr; i++) {
			pages[n] = kho_restore_pages(chunk->phys[i], 1);
			if (!pages[n])
				goto fail;
			n++;
		}
		phys = chunk->next;
	}
	if (n != total)
		goto fail;

	ptr = vmap(pages, total, VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (!ptr)
		goto fail;
	list_for_each_entry_safe(page, tmp, &chunks, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	return ptr;

fail:
	while (n--)
		kho_unrestore_page(pages[n]);
	list_for_each_entry_safe(page, tmp, &chunks, lru) {
		list_del(&page->lru);
		kho_unrestore_page(page);
	}
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);

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

/* Revival, in the next kernel */

/*
 * Revival validates the whole incoming tree before it reserves anything,
 * and costs what the tree holds in runs, not in blocks: leaves are read a
 * run of set bits at a time, adjacent blocks become one range, and the
 * ranges reach memblock in one sorted batch.
 */
struct kho_revive {
	const char *why;
	struct memblock_region *ranges;	/* NULL while counting */
	unsigned long nr_ranges, max_ranges;
	phys_addr_t start, end;		/* the range being built */
	unsigned long tables, blocks;
	u64 bytes;
};

/* Is [@base, @end) RAM of the memory map, mapped, and not scratch? */
static bool __init kho_revive_range_ok(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	struct memblock_region *rgn;

	if (end <= base || kho_scratch_overlap(base, size))
		return false;
	/* Adjacent regions (NUMA nodes, say) may cover it together. */
	for_each_mem_region(rgn) {
		if (rgn->base + rgn->size <= base)
			continue;
		if (rgn->base > base || memblock_is_nomap(rgn))
			return false;
		base = rgn->base + rgn->size;
		if (base >= end)
			return true;
	}
	return false;
}

/*
 * Tree pages are reserved as the first pass reaches them: one that is
 * reserved already was reached before, or lies in memory in use.
 */
static int __init kho_revive_table(phys_addr_t pa, unsigned int level, void *arg)
{
	struct kho_revive *r = arg;

	if (!PAGE_ALIGNED(pa) || !kho_revive_range_ok(pa, PAGE_SIZE)) {
		r->why = "radix tree page outside RAM or in scratch";
		return -EINVAL;
	}
	if (memblock_is_region_reserved(pa, PAGE_SIZE)) {
		r->why = "radix tree page reached twice or in use";
		return -EINVAL;
	}
	if (memblock_reserve(pa, PAGE_SIZE)) {
		r->why = "cannot reserve a radix tree page";
		return -ENOMEM;
	}
	r->tables++;
	return 0;
}

static int __init kho_revive_undo_table(phys_addr_t pa, unsigned int level,
					void *arg)
{
	struct kho_revive *r = arg;

	if (!r->tables)
		return 1;
	memblock_phys_free(pa, PAGE_SIZE);
	r->tables--;
	return 0;
}

/* The range being built is complete: count it, or store it. */
static void __init kho_revive_range_done(struct kho_revive *r)
{
	if (r->end <= r->start)
		return;
	if (r->ranges && r->nr_ranges < r->max_ranges) {
		r->ranges[r->nr_ranges].base = r->start;
		r->ranges[r->nr_ranges].size = r->end - r->start;
	}
	r->nr_ranges++;
}

/*
 * A run of @nr blocks of one order. Keys of one order come by address, so
 * a run that continues the range being built extends it.
 */
static int __init kho_revive_run(u64 key, unsigned long nr, void *arg)
{
	unsigned int order = kho_radix_key_order(key);
	struct kho_revive *r = arg;
	phys_addr_t pa, size;

	if (order > MAX_PAGE_ORDER) {
		r->why = "preserved block of impossible order";
		return -EINVAL;
	}
	pa = kho_radix_key_pa(key);
	size = (phys_addr_t)nr << (PAGE_SHIFT + order);
	if (!r->ranges) {
		if (!kho_revive_range_ok(pa, size)) {
			r->why = "preserved block outside RAM or in scratch";
			return -EINVAL;
		}
		r->blocks += nr;
		r->bytes += size;
	}
	if (pa == r->end) {
		r->end += size;
		return 0;
	}
	kho_revive_range_done(r);
	r->start = pa;
	r->end = pa + size;
	return 0;
}

static const struct kho_radix_walk_ops kho_revive_check_ops __initconst = {
	.table = kho_revive_table,
	.run = kho_revive_run,
};

static const struct kho_radix_walk_ops kho_revive_fill_ops __initconst = {
	.run = kho_revive_run,
};

static const struct kho_radix_walk_ops kho_revive_undo_ops __initconst = {
	.table = kho_revive_undo_table,
};

static int kho_range_cmp(const void *a, const void *b)
{
	const struct memblock_region *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/**
 * kho_sort_ranges - sort ranges, refuse overlaps, merge the ones that touch
 * @rg: the ranges (@base and @size); rewritten
 * @n: how many
 *
 * Revival gets its ranges one order after another, each order by address:
 * they are sorted only when they are not in order already.
 *
 * Return: how many ranges are left at the start of @rg, or 0 when two
 * overlap (or @n is 0).
 */
unsigned long kho_sort_ranges(struct memblock_region *rg, unsigned long n)
{
	unsigned long i, last = 0;

	for (i = 1; i < n; i++) {
		if (rg[i].base < rg[i - 1].base) {
			sort(rg, n, sizeof(*rg), kho_range_cmp, NULL);
			break;
		}
	}
	for (i = 1; i < n; i++) {
		if (rg[i].base < rg[last].base + rg[last].size)
			return 0;
		if (rg[i].base == rg[last].base + rg[last].size)
			rg[last].size += rg[i].size;
		else
			rg[++last] = rg[i];
	}
	return n ? last + 1 : 0;
}

/* Is @pa inside one of the @n sorted ranges? */
static bool __init kho_in_ranges(const struct memblock_region *rg,
				 unsigned long n, phys_addr_t pa)
{
	unsigned long lo = 0, hi = n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (pa < rg[mid].base)
			hi = mid;
		else if (pa >= rg[mid].base + rg[mid].size)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

struct kho_revive_cross {
	const struct memblock_region *ranges;
	unsigned long n;
};

static int __init kho_revive_cross_table(phys_addr_t pa, unsigned int level,
					 void *arg)
{
	struct kho_revive_cross *c = arg;

	return kho_in_ranges(c->ranges, c->n, pa) ? -EINVAL : 0;
}

static const struct kho_radix_walk_ops kho_revive_cross_ops __initconst = {
	.table = kho_revive_cross_table,
};

/*
 * Struct pages of preserved memory are initialised once. Without deferred
 * init, memmap_init() did that for all memory, and a plain reservation
 * would only do it again: reserve with MEMBLOCK_RSRV_NOINIT. With deferred
 * init, most of them were left for later, and only a plain reservation
 * initialises them (deferred init does just free memory).
 */
static enum memblock_flags __init kho_revive_flags(void)
{
	return IS_ENABLED(CONFIG_DEFERRED_STRUCT_PAGE_INIT) ? 0 : MEMBLOCK_RSRV_NOINIT;
}

static u64 __init kho_us(u64 from, u64 to)
{
	return div_u64(to - from, NSEC_PER_USEC);
}

/* Fill, sort and reserve the ranges of a valid tree; 0 or -errno. */
static int __init kho_revive_reserve(const u64 *root, struct kho_revive *r,
				     u64 *sorted)
{
	struct kho_revive_cross c = { };
	size_t size;
	int err;

	if (!r->nr_ranges)
		return 0;
	size = array_size(r->nr_ranges, sizeof(*r->ranges));
	r->ranges = memblock_alloc(size, SMP_CACHE_BYTES);
	if (!r->ranges) {
		r->why = "no scratch memory to sort the preserved ranges";
		return -ENOMEM;
	}
	r->max_ranges = r->nr_ranges;
	r->nr_ranges = 0;
	r->start = 0;
	r->end = 0;
	kho_radix_walk(root, &kho_revive_fill_ops, r);
	kho_revive_range_done(r);

	err = -EINVAL;
	if (r->nr_ranges != r->max_ranges) {
		r->why = "radix tree changed under revival";
		goto out;
	}
	c.ranges = r->ranges;
	c.n = kho_sort_ranges(r->ranges, r->nr_ranges);
	if (!c.n) {
		r->why = "preserved blocks overlap";
		goto out;
	}
	r->nr_ranges = c.n;
	if (kho_radix_walk(root, &kho_revive_cross_ops, &c) ||
	    kho_in_ranges(c.ranges, c.n, __pa(root))) {
		r->why = "radix tree page inside a preserved block";
		goto out;
	}
	*sorted = local_clock();

	err = memblock_reserve_sorted(r->ranges, r->nr_ranges, kho_revive_flags());
	if (err)
		r->why = "cannot reserve preserved memory";
out:
	memblock_free(r->ranges, size);
	r->ranges = NULL;
	return err;
}

/**
 * kho_mem_revive - reserve the memory the previous kernel preserved
 * @root: physical address of the root of its radix tree
 * @why: set to the reason when it fails
 *
 * The whole tree is validated first (tree pages in RAM, outside scratch,
 * reached once and not inside a preserved block; blocks in RAM, outside
 * scratch, of a possible order, not overlapping); only then is preserved
 * memory reserved, so a bad tree leaves nothing reserved. The tree stays
 * reserved: it records what is left to restore.
 *
 * Return: 0, or -errno with *@why set.
 */
int __init kho_mem_revive(phys_addr_t root, const char **why)
{
	unsigned long before = memblock.reserved.cnt;
	u64 t0 = local_clock(), t1, sorted, t2;
	struct kho_revive r = { };
	u64 *map;
	int err;

	if (!root || !PAGE_ALIGNED(root) || !kho_revive_range_ok(root, PAGE_SIZE) ||
	    memblock_is_region_reserved(root, PAGE_SIZE)) {
		*why = "bad preserved-memory-map";
		return -EINVAL;
	}
	memblock_reserve(root, PAGE_SIZE);
	map = phys_to_virt(root);

	err = kho_radix_walk(map, &kho_revive_check_ops, &r);
	kho_revive_range_done(&r);
	t1 = local_clock();
	sorted = t1;
	if (!err)
		err = kho_revive_reserve(map, &r, &sorted);
	t2 = local_clock();
	if (err) {
		*why = r.why;
		kho_radix_walk(map, &kho_revive_undo_ops, &r);
		memblock_phys_free(root, PAGE_SIZE);
		return err;
	}

	kho_in_tree.root = map;
	kho_in_stats.blocks = r.blocks;
	kho_in_stats.bytes = r.bytes;
	pr_info("revived %lu preserved blocks (%llu KiB) from %lu radix pages into %lu memblock regions in %llu us\n",
		r.blocks, r.bytes >> 10, r.tables + 1, r.nr_ranges,
		kho_us(t0, t2));
	if (t2 == t0)
		pr_info("revival: %lu blocks in %lu runs: times unknown (clock not running yet); memblock.reserved %lu -> %lu regions\n",
			r.blocks, r.nr_ranges, before, memblock.reserved.cnt);
	else
		pr_info("revival: %lu blocks in %lu runs: walk %llu us, sort %llu us, reserve %llu us; memblock.reserved %lu -> %lu regions\n",
			r.blocks, r.nr_ranges, kho_us(t0, t1), kho_us(t1, sorted),
			kho_us(sorted, t2), before, memblock.reserved.cnt);
	return 0;
}

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
