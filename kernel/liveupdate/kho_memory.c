// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preserved memory: the outgoing radix tree that kho_preserve_*() fill, and
 * its revival in the next kernel, before memblock hands memory to the buddy
 * allocator.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "kexec_handover_internal.h"

static DEFINE_MUTEX(kho_mem_lock);
static struct kho_radix_tree kho_mem;

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

/*
 * Order of the largest naturally aligned block at @pfn that ends at or
 * before @end and stays on one NUMA node.
 */
static unsigned int kho_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = pfn ? min_t(unsigned int, __ffs(pfn), MAX_PAGE_ORDER) :
				   MAX_PAGE_ORDER;

	while (order && (end - pfn < (1UL << order) ||
			 pfn_to_nid(pfn) != pfn_to_nid(pfn + (1UL << order) - 1)))
		order--;
	return order;
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
	return 0;
}

/**
 * kho_preserve_pages - preserve a range of pages across kexec
 * @page: first page
 * @nr_pages: number of pages
 *
 * The range is tracked as naturally aligned power-of-two blocks that never
 * cross a NUMA node; the next kernel reserves them before it allocates
 * anything outside scratch. Either the whole range is preserved or, on
 * failure, nothing of it.
 *
 * Return: 0; -EOPNOTSUPP when KHO is off; -EINVAL for an empty range or one
 * in scratch; -EEXIST when a block of it is already preserved; -ENOMEM.
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
		order = kho_block_order(pfn, end);
		err = kho_radix_set(&kho_mem, kho_radix_key(PFN_PHYS(pfn), order));
		if (err)
			break;
	}
	if (err) {
		/* Take back exactly the blocks this call added. */
		undo = pfn;
		for (pfn = start; pfn < undo; pfn += 1UL << order) {
			order = kho_block_order(pfn, end);
			kho_radix_clear(&kho_mem, kho_radix_key(PFN_PHYS(pfn), order));
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
 * every block of the range is preserved.
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
		if (!kho_radix_test(&kho_mem, kho_radix_key(PFN_PHYS(pfn), order))) {
			err = -ENOENT;
			goto out;
		}
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		kho_radix_clear(&kho_mem, kho_radix_key(PFN_PHYS(pfn), order));
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

/* Revival, in the next kernel */

struct kho_revive {
	const char *why;
	bool reserve;			/* second pass: reserve in memblock */
	phys_addr_t start, end;		/* run of adjacent blocks */
	unsigned long blocks;
	u64 bytes;
};

static bool __init kho_revive_range_ok(phys_addr_t pa, phys_addr_t size)
{
	return pa + size > pa && memblock_is_region_memory(pa, size) &&
	       !kho_scratch_overlap(pa, size);
}

static int __init kho_revive_table(phys_addr_t pa, unsigned int level, void *arg)
{
	struct kho_revive *r = arg;

	if (!PAGE_ALIGNED(pa) || !kho_revive_range_ok(pa, PAGE_SIZE)) {
		r->why = "radix tree page outside RAM or in scratch";
		return -EINVAL;
	}
	return 0;
}

static void __init kho_revive_flush(struct kho_revive *r)
{
	if (r->end > r->start)
		memblock_reserve(r->start, r->end - r->start);
	r->start = 0;
	r->end = 0;
}

static int __init kho_revive_block(u64 key, void *arg)
{
	unsigned int order = kho_radix_key_order(key);
	struct kho_revive *r = arg;
	phys_addr_t pa, size;

	if (order > MAX_PAGE_ORDER) {
		r->why = "preserved block of impossible order";
		return -EINVAL;
	}
	pa = kho_radix_key_pa(key);
	size = (phys_addr_t)PAGE_SIZE << order;
	if (!kho_revive_range_ok(pa, size)) {
		r->why = "preserved block outside RAM or in scratch";
		return -EINVAL;
	}

	r->blocks++;
	r->bytes += size;
	if (!r->reserve)
		return 0;
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
 * The whole tree is validated first; only then is anything reserved, so a
 * bad tree leaves nothing half-reserved.
 *
 * Return: 0, or -EINVAL with *@why set.
 */
int __init kho_mem_revive(phys_addr_t root, const char **why)
{
	struct kho_revive r = { };
	int err;

	if (!root || !PAGE_ALIGNED(root) || !kho_revive_range_ok(root, PAGE_SIZE)) {
		*why = "bad preserved-memory-map";
		return -EINVAL;
	}

	err = kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
	if (err) {
		*why = r.why;
		return err;
	}

	r = (struct kho_revive){ .reserve = true };
	kho_radix_walk(phys_to_virt(root), &kho_revive_ops, &r);
	kho_revive_flush(&r);
	pr_info("revived %lu preserved blocks, %llu KiB\n", r.blocks, r.bytes >> 10);
	return 0;
}
