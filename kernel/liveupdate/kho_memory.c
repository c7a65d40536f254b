// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preserved memory: the outgoing radix tree that kho_preserve_*() fill, its
 * revival in the next kernel before memblock hands memory to the buddy
 * allocator, and kho_restore_*() that hand revived memory back to its owner.
 *
 * A revived block stays reserved until its owner restores it. Its head page
 * carries the block's order and a magic in page->private, written once
 * struct pages are initialised for good (deferred init included), so that
 * restore can tell a preserved block from anything else.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "../../mm/internal.h"
#include "kexec_handover_internal.h"

/* page->private of the head of a revived block: magic | order */
#define KHO_PAGE_MAGIC		0x4b484f50UL	/* "KHOP" */
#define KHO_PAGE_MAGIC_SHIFT	8
#define KHO_PAGE_ORDER_MASK	0xffUL

static DEFINE_MUTEX(kho_mem_lock);	/* the outgoing tree */
static struct kho_radix_tree kho_mem;

static DEFINE_SPINLOCK(kho_restore_lock);	/* stamps and restore counts */
static struct kho_mem_stats kho_in_stats;
static phys_addr_t kho_in_root;		/* incoming tree, reserved until stamped */
static bool kho_in_stamped;		/* revived blocks carry their stamps */

/* Physical address of the root of the outgoing tree, 0 before init. */
phys_addr_t kho_mem_map_phys(void)
{
	return kho_mem.root ? virt_to_phys(kho_mem.root) : 0;
}

int __init kho_mem_init(void)
{
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

static int kho_check_range(unsigned long pfn, unsigned long nr_pages)
{
	if (!kho_mem.root)
		return -EOPNOTSUPP;
	if (!nr_pages || pfn + nr_pages < pfn)
		return -EINVAL;
	/* Scratch is overwritten by the next kernel: never preserve it. */
	if (kho_scratch_overlap(PFN_PHYS(pfn), PFN_PHYS(nr_pages)))
		return -EINVAL;
	if (region_intersects(PFN_PHYS(pfn), PFN_PHYS(nr_pages),
			      IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_INTERSECTS)
		return -EINVAL;
	return 0;
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
 * in scratch or one that is not System RAM; -EEXIST when part of it is
 * preserved already; -ENOMEM.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), end = start + nr_pages;
	unsigned long pfn, undo;
	unsigned int order;
	int err;

	err = kho_check_range(start, nr_pages);
	if (err)
		return err;

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
	}
	mutex_unlock(&kho_mem_lock);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

/**
 * kho_unpreserve_pages - stop preserving a range of pages
 * @page: first page
 * @nr_pages: number of pages
 *
 * Must mirror a kho_preserve_pages() call exactly; nothing changes unless
 * every block of the range is preserved as that call split it.
 *
 * Return: 0; -EOPNOTSUPP when KHO is off; -EINVAL for a bad range; -ENOENT
 * when the range was not preserved like this.
 */
int kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
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
out:
	mutex_unlock(&kho_mem_lock);
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
 * left alone, with a warning.
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = virt_to_folio(mem);
	if (kho_unpreserve_folio(folio)) {
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
	kho_unpreserve_pages(virt_to_page(chunk), 1);
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
			err = kho_unpreserve_pages(pfn_to_page(PHYS_PFN(chunk->phys[i])), 1);
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
 * kho_preserve_pages(). On failure nothing stays preserved.
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

	BUILD_BUG_ON(sizeof(*chunk) > PAGE_SIZE);
	for (i = 0; i < vm->nr_pages; i++) {
		cond_resched();
		if (!chunk || chunk->nr == KHO_VMALLOC_CHUNK_ENTRIES) {
			new = (void *)get_zeroed_page(GFP_KERNEL);
			if (!new) {
				err = -ENOMEM;
				goto undo;
			}
			err = kho_preserve_pages(virt_to_page(new), 1);
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
		err = kho_preserve_pages(vm->pages[i], 1);
		if (err)
			goto undo;
		chunk->phys[chunk->nr++] = page_to_phys(vm->pages[i]);
	}
	preservation->total_pages = vm->nr_pages;
	return 0;

undo:
	kho_vmalloc_undo(preservation, i);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - stop preserving a vmalloc() area
 * @preservation: what kho_preserve_vmalloc() filled in; cleared
 *
 * Return: 0, or -ENOENT when @preservation does not describe a preserved
 * area of this kernel.
 */
int kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	if (!preservation->first || !preservation->total_pages ||
	    !kho_mem_is_preserved(preservation->first, 0))
		return -ENOENT;
	return kho_vmalloc_undo(preservation, preservation->total_pages) ?
	       -ENOENT : 0;
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/**
 * kho_restore_vmalloc - map a vmalloc() area of the previous kernel again
 * @preservation: the descriptor kho_preserve_vmalloc() filled in there
 *
 * Restores every page of the area and maps them, in order, at a new
 * address. The chain of list pages is freed.
 *
 * Return: the new mapping (free it with vfree()), or NULL when the
 * descriptor or a page it lists was not preserved (the pages restored so
 * far are freed).
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, n = 0, i;
	struct kho_vmalloc_chunk *chunk;
	struct page **pages, *page;
	u64 phys = preservation->first;
	void *ptr;

	if (!total || total > totalram_pages() || preservation->order ||
	    preservation->flags)
		return NULL;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	while (phys) {
		page = kho_restore_pages(phys, 1);
		if (!page)
			goto fail;
		chunk = page_address(page);
		if (chunk->nr > KHO_VMALLOC_CHUNK_ENTRIES ||
		    chunk->nr > total - n) {
			__free_page(page);
			goto fail;
		}
		for (i = 0; i < chunk->nr; i++) {
			pages[n] = kho_restore_pages(chunk->phys[i], 1);
			if (!pages[n]) {
				__free_page(page);
				goto fail;
			}
			n++;
		}
		phys = chunk->next;
		__free_page(page);
	}
	if (n != total)
		goto fail;

	ptr = vmap(pages, total, VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (ptr)
		return ptr;
fail:
	while (n--)
		__free_page(pages[n]);
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);

/* Restore */

static unsigned long kho_stamp(unsigned int order)
{
	return (KHO_PAGE_MAGIC << KHO_PAGE_MAGIC_SHIFT) | order;
}

/* Order of the revived block whose head is @page, or -1. Lock held. */
static int kho_stamped_order(struct page *page)
{
	unsigned long info = page_private(page);

	if (!PageReserved(page) ||
	    (info & ~KHO_PAGE_ORDER_MASK) != (KHO_PAGE_MAGIC << KHO_PAGE_MAGIC_SHIFT))
		return -1;
	return info & KHO_PAGE_ORDER_MASK;
}

void kho_mem_mark_revived(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	/*
	 * Revival hands over reserved pages, counted by kho_mem_revive(); a
	 * test gives allocated ones, counted here so the figures add up.
	 */
	spin_lock(&kho_restore_lock);
	if (!PageReserved(page)) {
		for (i = 0; i < nr; i++)
			SetPageReserved(page + i);
		adjust_managed_page_count(page, -(long)nr);
		kho_in_stats.blocks++;
		kho_in_stats.bytes += PAGE_SIZE << order;
	}
	set_page_private(page, kho_stamp(order));
	spin_unlock(&kho_restore_lock);
}

/*
 * Turn a stamped block back into ordinary pages: each with one reference,
 * or, for a folio, the head with one and the tails with none. Lock held.
 */
static void kho_unreserve_block(struct page *page, unsigned int order,
				bool folio)
{
	unsigned long i, nr = 1UL << order;

	set_page_private(page, 0);
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
	spin_lock(&kho_restore_lock);
	order = kho_stamped_order(page);
	if (order >= 0)
		kho_unreserve_block(page, order, true);
	spin_unlock(&kho_restore_lock);
	if (order < 0)
		return NULL;

	if (order)
		prep_compound_page(page, order);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/*
 * Does [@start, @end) consist of revived blocks exactly, as the previous
 * kernel split it? Follows the stamps, so the split of this kernel (its
 * MAX_PAGE_ORDER, its nodes) does not matter. Lock held.
 */
static bool kho_range_revived(unsigned long start, unsigned long end)
{
	unsigned long pfn;
	int order;

	for (pfn = start; pfn < end; pfn += 1UL << order) {
		if (!pfn_to_online_page(pfn))
			return false;
		order = kho_stamped_order(pfn_to_page(pfn));
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

	spin_lock(&kho_restore_lock);
	if (!kho_range_revived(start, end)) {
		spin_unlock(&kho_restore_lock);
		return NULL;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_stamped_order(pfn_to_page(pfn));
		kho_unreserve_block(pfn_to_page(pfn), order, false);
	}
	spin_unlock(&kho_restore_lock);
	return page;
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

void __init kho_mem_claim(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end = start + nr_pages, pfn;
	struct page *page;
	int order;

	spin_lock(&kho_restore_lock);
	if (!kho_range_revived(start, end)) {
		spin_unlock(&kho_restore_lock);
		pr_warn("range at %pa was not preserved as a whole: not claimed\n",
			&phys);
		return;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		page = pfn_to_page(pfn);
		order = kho_stamped_order(page);
		set_page_private(page, 0);
		kho_in_stats.restored_blocks++;
		kho_in_stats.restored_bytes += PAGE_SIZE << order;
	}
	spin_unlock(&kho_restore_lock);
}

/* Is @phys the head of a revived block nobody restored yet? */
bool kho_mem_is_revived(phys_addr_t phys)
{
	struct page *page = kho_phys_page(phys);
	bool ret;

	/* Until kho_mem_revive_late(), everything revived is unclaimed. */
	if (!kho_in_stamped)
		return true;
	if (!page)
		return false;
	spin_lock(&kho_restore_lock);
	ret = kho_stamped_order(page) >= 0;
	spin_unlock(&kho_restore_lock);
	return ret;
}

void kho_mem_get_stats(struct kho_mem_stats *stats)
{
	spin_lock(&kho_restore_lock);
	*stats = kho_in_stats;
	spin_unlock(&kho_restore_lock);
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

struct kho_revive {
	const char *why;
	enum {
		KHO_REVIVE_CHECK,	/* validate, reserve tree pages */
		KHO_REVIVE_CROSS,	/* no tree page inside a preserved block */
		KHO_REVIVE_UNDO,	/* free the tree pages reserved so far */
		KHO_REVIVE_RESERVE,	/* reserve the preserved blocks */
	} pass;
	struct kho_radix_tree tree;	/* the tree, for lookups (cross) */
	unsigned long tables;		/* tree pages reserved (check, undo) */
	phys_addr_t start, end;		/* run of adjacent blocks (reserve) */
	unsigned long blocks, regions;
	u64 bytes;
};

static bool __init kho_revive_range_ok(phys_addr_t pa, phys_addr_t size)
{
	return pa + size > pa && memblock_is_region_memory(pa, size) &&
	       !kho_scratch_overlap(pa, size);
}

/*
 * Tree pages are reserved as the first pass reaches them: one that is
 * reserved already was reached before, or lies in memory in use.
 */
static int __init kho_revive_table(phys_addr_t pa, unsigned int level, void *arg)
{
	struct kho_revive *r = arg;

	switch (r->pass) {
	case KHO_REVIVE_CHECK:
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
	case KHO_REVIVE_CROSS: {
		unsigned int o;

		for (o = 0; o <= MAX_PAGE_ORDER; o++) {
			if (kho_radix_test(&r->tree,
					   kho_radix_key(ALIGN_DOWN(pa, PAGE_SIZE << o), o))) {
				r->why = "radix tree page inside a preserved block";
				return -EINVAL;
			}
		}
		return 0;
	}
	case KHO_REVIVE_UNDO:
		if (!r->tables)
			return 1;
		memblock_phys_free(pa, PAGE_SIZE);
		r->tables--;
		return 0;
	default:
		return 0;
	}
}

static void __init kho_revive_flush(struct kho_revive *r)
{
	if (r->end > r->start) {
		if (memblock_reserve(r->start, r->end - r->start))
			r->why = "cannot reserve preserved memory";
		r->regions++;
	}
	r->start = 0;
	r->end = 0;
}

static int __init kho_revive_block(u64 key, void *arg)
{
	unsigned int order = kho_radix_key_order(key);
	struct kho_revive *r = arg;
	phys_addr_t pa, size;

	if (r->pass == KHO_REVIVE_UNDO)
		return 0;
	if (r->pass == KHO_REVIVE_CROSS) {
		unsigned int o;

		/* Two blocks overlap only if the bigger contains the smaller. */
		pa = kho_radix_key_pa(key);
		for (o = order + 1; o <= MAX_PAGE_ORDER; o++) {
			if (kho_radix_test(&r->tree,
					   kho_radix_key(ALIGN_DOWN(pa, PAGE_SIZE << o), o))) {
				r->why = "preserved blocks overlap";
				return -EINVAL;
			}
		}
		return 0;
	}
	if (order > MAX_PAGE_ORDER) {
		r->why = "preserved block of impossible order";
		return -EINVAL;
	}
	pa = kho_radix_key_pa(key);
	size = (phys_addr_t)PAGE_SIZE << order;
	if (r->pass == KHO_REVIVE_CHECK) {
		if (!kho_revive_range_ok(pa, size)) {
			r->why = "preserved block outside RAM or in scratch";
			return -EINVAL;
		}
		r->blocks++;
		r->bytes += size;
		return 0;
	}

	/* Keys of one order come by address: coalesce adjacent blocks. */
	if (pa == r->end) {
		r->end += size;
		return 0;
	}
	kho_revive_flush(r);
	r->start = pa;
	r->end = pa + size;
	return 0;
}

static const struct kho_radix_walk_ops kho_revive_ops __initconst = {
	.table = kho_revive_table,
	.block = kho_revive_block,
};

/**
 * kho_mem_revive - reserve the memory the previous kernel preserved
 * @root: physical address of the root of its radix tree
 * @why: set to the reason when it fails
 *
 * The whole tree is validated first (tree pages in RAM, outside scratch,
 * reached once and not inside a preserved block; blocks in RAM, outside
 * scratch, of a possible order); only then is preserved memory reserved,
 * so a bad tree leaves nothing reserved. The tree pages stay
 * reserved until kho_mem_revive_late() has read the tree once more.
 *
 * Return: 0, or -EINVAL with *@why set.
 */
int __init kho_mem_revive(phys_addr_t root, const char **why)
{
	struct kho_revive r = { .pass = KHO_REVIVE_CHECK };
	u64 t0 = local_clock();
	unsigned long tables;
	int err;

	if (!root || !PAGE_ALIGNED(root) || !kho_revive_range_ok(root, PAGE_SIZE) ||
	    memblock_is_region_reserved(root, PAGE_SIZE)) {
		*why = "bad preserved-memory-map";
		return -EINVAL;
	}
	memblock_reserve(root, PAGE_SIZE);

	err = kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
	if (!err) {
		/* Every table is valid now, so lookups are safe. */
		r.pass = KHO_REVIVE_CROSS;
		r.tree.root = phys_to_virt(root);
		err = kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
		if (!err)
			err = kho_revive_table(root, KHO_RADIX_LEVELS - 1, &r);
	}
	if (err) {
		*why = r.why;
		r.pass = KHO_REVIVE_UNDO;
		kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
		memblock_phys_free(root, PAGE_SIZE);
		return err;
	}

	tables = r.tables + 1;
	kho_in_stats.blocks = r.blocks;
	kho_in_stats.bytes = r.bytes;
	r = (struct kho_revive){ .pass = KHO_REVIVE_RESERVE };
	kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
	kho_revive_flush(&r);
	kho_in_root = root;
	/* Out of memblock regions in scratch: what was not reserved is lost. */
	if (r.why)
		pr_err("%s: some preserved memory is lost\n", r.why);

	pr_info("revived %lu preserved blocks (%llu KiB) from %lu radix pages into %lu memblock regions in %llu us\n",
		kho_in_stats.blocks, kho_in_stats.bytes >> 10, tables, r.regions,
		div_u64(local_clock() - t0, NSEC_PER_USEC));
	return 0;
}

static int __init kho_stamp_block(u64 key, void *arg)
{
	struct page *page = pfn_to_page(PHYS_PFN(kho_radix_key_pa(key)));

	/* Only what revival managed to reserve can be handed back. */
	if (!PageReserved(page)) {
		pr_err("preserved block at %#llx is not reserved: not restorable\n",
		       (u64)kho_radix_key_pa(key));
		return 0;
	}
	kho_mem_mark_revived(page, kho_radix_key_order(key));
	return 0;
}

static const struct kho_radix_walk_ops kho_stamp_ops __initconst = {
	.block = kho_stamp_block,
};

/* Give the (reserved) pages of the incoming tree to the buddy allocator. */
static void __init kho_free_tree(u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level && i < KHO_RADIX_ENTRIES; i++) {
		if (table[i])
			kho_free_tree(phys_to_virt(table[i]), level - 1);
	}
	free_reserved_page(virt_to_page(table));
}

/**
 * kho_mem_revive_late - mark revived blocks for restore, free the tree
 *
 * Runs once struct pages are initialised for good, deferred init included,
 * so that what it writes into them stays.
 */
void __init kho_mem_revive_late(void)
{
	if (!kho_in_root) {
		kho_in_stamped = true;
		return;
	}
	kho_radix_walk(phys_to_virt(kho_in_root), &kho_stamp_ops, NULL);
	kho_free_tree(phys_to_virt(kho_in_root), KHO_RADIX_LEVELS - 1);
	kho_in_root = 0;
	kho_in_stamped = true;
}

/*
 * Memory nobody restores stays reserved: KHO cannot know that its owner
 * will not come (a module loaded later, say), and freeing it would lose
 * the data. It is reported here and in debugfs (in/preserved).
 */
static int __init kho_mem_report(void)
{
	struct kho_mem_stats s;

	if (!is_kho_boot())
		return 0;
	kho_mem_get_stats(&s);
	pr_info("preserved memory from the previous kernel: %lu blocks (%llu KiB), %lu restored (%llu KiB), %lu unclaimed (%llu KiB)\n",
		s.blocks, s.bytes >> 10, s.restored_blocks, s.restored_bytes >> 10,
		s.blocks - s.restored_blocks, (s.bytes - s.restored_bytes) >> 10);
	return 0;
}
late_initcall_sync(kho_mem_report);
