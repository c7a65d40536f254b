// SPDX-License-Identifier: GPL-2.0-only
/*
 * Revival, in the next kernel: before memblock hands memory to the buddy
 * allocator, validate the incoming radix tree and reserve every block it
 * lists, so that nothing else can take preserved memory. Then restoring
 * (kho_restore.c) can start.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sched/clock.h>
#include <linux/sort.h>

#include "kho_restore.h"
#include "kho_revive.h"
#include "kho_scratch.h"

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

	kho_in_adopt(map, r.blocks, r.bytes);
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
