// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the outgoing tree (kho_preserve.c): how ranges are split
 * into blocks, kho_preserve_*() and kho_unpreserve_*() with every misuse
 * they refuse, the freeze at kexec, the debug check of preserved pages that
 * are freed, and kho_alloc_preserve(). The tests that preserve memory need
 * KHO on and skip otherwise; the test of the refusal with KHO off skips
 * when it is on.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

#include "../kho_preserve.h"
#include "../kho_scratch.h"
#include "kho_kunit.h"

/* Number of preserved blocks of order <= @max_order that meet a range. */
static unsigned int kho_test_nr_preserved(unsigned long start,
					  unsigned long nr,
					  unsigned int max_order)
{
	unsigned int order, count = 0;
	unsigned long pfn;

	for (order = 0; order <= max_order; order++) {
		for (pfn = ALIGN_DOWN(start, 1UL << order); pfn < start + nr;
		     pfn += 1UL << order)
			count += kho_mem_is_preserved(PFN_PHYS(pfn), order);
	}
	return count;
}

/* First pfn of a fresh block of 2^@order pages. */
static unsigned long kho_test_pfns(struct kunit *test, unsigned int order)
{
	return page_to_pfn(kho_test_alloc_block(test, order, false)->page);
}

/* Preserve, and undo it at once should it unexpectedly succeed. */
static int kho_test_try_preserve(unsigned long pfn, unsigned long nr)
{
	int err = kho_preserve_pages(pfn_to_page(pfn), nr);

	if (!err)
		kho_unpreserve_pages(pfn_to_page(pfn), nr);
	return err;
}

/*
 * Walk [@start, @end) block by block as kho_preserve_pages() does and
 * check that every block is naturally aligned, as large as alignment,
 * the end, MAX_PAGE_ORDER and NUMA nodes allow, and inside the range, so
 * that the blocks tile it exactly. Reports the first problem only.
 */
static bool kho_test_check_split(struct kunit *test, unsigned long start,
				 unsigned long end)
{
	unsigned long pfn = start, size;
	unsigned int order;

	while (pfn < end) {
		order = kho_block_order(pfn, end);
		if (order > MAX_PAGE_ORDER) {
			KUNIT_FAIL(test, "[%#lx, %#lx): order %u at %#lx", start,
				   end, order, pfn);
			return false;
		}
		size = 1UL << order;
		if (!IS_ALIGNED(pfn, size) || size > end - pfn ||
		    pfn_to_nid(pfn) != pfn_to_nid(pfn + size - 1)) {
			KUNIT_FAIL(test, "[%#lx, %#lx): bad order-%u block at %#lx",
				   start, end, order, pfn);
			return false;
		}
		if (order < MAX_PAGE_ORDER && IS_ALIGNED(pfn, 2 * size) &&
		    2 * size <= end - pfn &&
		    pfn_to_nid(pfn) == pfn_to_nid(pfn + 2 * size - 1)) {
			KUNIT_FAIL(test, "[%#lx, %#lx): order %u at %#lx could be %u",
				   start, end, order, pfn, order + 1);
			return false;
		}
		pfn += size;
	}
	return true;
}

/*
 * The kho_block_order() cases look only at pfns of a MAX_PAGE_ORDER block
 * they own: all have a struct page and sit on one node.
 */
static void kho_block_order_aligned_start(struct kunit *test)
{
	unsigned long p = kho_test_pfns(test, MAX_PAGE_ORDER);
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		/* Exactly one block fits. */
		KUNIT_EXPECT_EQ_MSG(test, kho_block_order(p, p + (1UL << order)),
				    order, "order %u", order);
		/* One page short of the next order. */
		if (order < MAX_PAGE_ORDER)
			KUNIT_EXPECT_EQ_MSG(test,
					    kho_block_order(p, p + (2UL << order) - 1),
					    order, "order %u", order);
	}
	KUNIT_EXPECT_EQ(test, kho_block_order(p, p + 3), 1);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 8, p + 16), 3);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 512, p + MAX_ORDER_NR_PAGES),
			min(9, MAX_PAGE_ORDER));
}

static void kho_block_order_unaligned_start(struct kunit *test)
{
	unsigned long p = kho_test_pfns(test, MAX_PAGE_ORDER);
	unsigned long end = p + MAX_ORDER_NR_PAGES;
	unsigned int order;

	/* Room for far more: alignment alone limits the block. */
	for (order = 0; order < MAX_PAGE_ORDER; order++) {
		KUNIT_EXPECT_EQ_MSG(test, kho_block_order(p + (1UL << order), end),
				    order, "start p + 2^%u", order);
		KUNIT_EXPECT_EQ_MSG(test, kho_block_order(end - (1UL << order), end),
				    order, "start end - 2^%u", order);
	}
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 1, end), 0);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 3, end), 0);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 6, end), 1);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 12, end), 2);
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 0x2a0, end), 5);
	/* Aligned to 4 pages, room for 2. */
	KUNIT_EXPECT_EQ(test, kho_block_order(p + 4, p + 6), 1);
}

static void kho_block_order_odd_lengths(struct kunit *test)
{
	static const struct {
		unsigned int off, nr;
		unsigned int nr_blocks;
		unsigned int orders[12];
	} splits[] = {
		{ 0, 13, 3, { 3, 2, 0 } },
		{ 1, 7, 3, { 0, 1, 2 } },
		{ 3, 10, 4, { 0, 2, 2, 0 } },
		{ 5, 27, 4, { 0, 1, 3, 4 } },
		{ 7, 1, 1, { 0 } },
		{ 0, 1023, 10, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 } },
		{ 1, 1023, 10, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 } },
		{ 513, 255, 8, { 0, 1, 2, 3, 4, 5, 6, 7 } },
	};
	unsigned long p = kho_test_pfns(test, MAX_PAGE_ORDER);
	unsigned int i, n;

	/* The cases need blocks of up to 2^9 pages. */
	if (MAX_PAGE_ORDER < 9)
		kunit_skip(test, "MAX_PAGE_ORDER %d < 9", MAX_PAGE_ORDER);

	for (i = 0; i < ARRAY_SIZE(splits); i++) {
		unsigned long pfn = p + splits[i].off, end = pfn + splits[i].nr;
		unsigned int order;

		for (n = 0; pfn < end && n < ARRAY_SIZE(splits[i].orders); n++) {
			order = kho_block_order(pfn, end);
			KUNIT_EXPECT_EQ_MSG(test, order, splits[i].orders[n],
					    "[%u, +%u) block %u", splits[i].off,
					    splits[i].nr, n);
			if (order > MAX_PAGE_ORDER)
				break;
			pfn += 1UL << order;
		}
		KUNIT_EXPECT_EQ_MSG(test, n, splits[i].nr_blocks, "[%u, +%u)",
				    splits[i].off, splits[i].nr);
		KUNIT_EXPECT_EQ_MSG(test, pfn, end, "[%u, +%u)", splits[i].off,
				    splits[i].nr);
	}
}

static void kho_block_order_max_cap(struct kunit *test)
{
	unsigned long p = kho_test_pfns(test, MAX_PAGE_ORDER);

	KUNIT_EXPECT_EQ(test, kho_block_order(p, p + MAX_ORDER_NR_PAGES),
			MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, kho_block_order(p, p + 2 * MAX_ORDER_NR_PAGES),
			MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, kho_block_order(p, p + 64 * MAX_ORDER_NR_PAGES),
			MAX_PAGE_ORDER);
}

static void kho_block_order_split_exhaustive(struct kunit *test)
{
	unsigned long p = kho_test_pfns(test, MAX_PAGE_ORDER);
	unsigned long off, nr;

	/* Every range of the block that starts in its first 64 pages. */
	for (off = 0; off < 64; off++) {
		for (nr = 1; off + nr <= MAX_ORDER_NR_PAGES; nr++) {
			if (!kho_test_check_split(test, p + off, p + off + nr))
				return;
		}
	}
}

static void kho_block_order_numa_boundary(struct kunit *test)
{
	unsigned long start, pfn;
	bool tested = false;
	int nid;

	/*
	 * A node boundary can fall inside a naturally aligned block only
	 * when it is not MAX_PAGE_ORDER aligned. Split the block around each
	 * such boundary whose pfns all have a struct page.
	 */
	for_each_online_node(nid) {
		unsigned long b = node_start_pfn(nid);

		if (!b || IS_ALIGNED(b, MAX_ORDER_NR_PAGES))
			continue;
		start = ALIGN_DOWN(b, MAX_ORDER_NR_PAGES);
		for (pfn = start; pfn < start + MAX_ORDER_NR_PAGES; pfn++) {
			if (!pfn_valid(pfn))
				break;
		}
		if (pfn < start + MAX_ORDER_NR_PAGES ||
		    pfn_to_nid(start) == pfn_to_nid(pfn - 1))
			continue;
		tested = true;
		kho_test_check_split(test, start, pfn);
	}
	if (!tested)
		kunit_skip(test, "no NUMA node boundary inside a MAX_PAGE_ORDER block");
}

static void kho_preserve_off_eopnotsupp(struct kunit *test)
{
	struct page *page;
	void *mem;

	if (kho_test_ready())
		kunit_skip(test, "KHO is on (boot with kho=off)");

	page = kho_test_alloc_block(test, 0, false)->page;
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, 1), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(page_folio(page)), -EOPNOTSUPP);
	mem = kho_alloc_preserve(PAGE_SIZE);
	if (!IS_ERR(mem))
		kho_unpreserve_free(mem);
	KUNIT_EXPECT_TRUE(test, IS_ERR(mem));
}

static void kho_preserve_empty_einval(struct kunit *test)
{
	struct page *page;

	kho_test_need_kho(test);
	page = kho_test_alloc_block(test, 0, false)->page;
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(page_to_pfn(page), 1, 0), 0);
}

static void kho_preserve_huge_nr_einval(struct kunit *test)
{
	struct page *page;
	unsigned long pfn;

	kho_test_need_kho(test);
	page = kho_test_alloc_block(test, 0, false)->page;
	pfn = page_to_pfn(page);
	/* Ranges whose end, in pages or in bytes, wraps around. */
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, ULONG_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, ULONG_MAX - pfn + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, 1UL << 52), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(page, ULONG_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(pfn, 1, 0), 0);
}

/* On x86 the real mode trampoline is allocated in the first 1M in scratch. */
static void kho_preserve_low_1m_einval(struct kunit *test)
{
	const unsigned long pfn = 0x10;

	kho_test_need_kho(test);
	if (!IS_ENABLED(CONFIG_X86) || !pfn_valid(pfn) ||
	    region_intersects(PFN_PHYS(pfn), PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS)
		kunit_skip(test, "pfn %#lx is not System RAM of x86", pfn);

	KUNIT_EXPECT_TRUE(test, kho_scratch_overlap(PFN_PHYS(pfn), PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, kho_scratch_overlap(SZ_1M - 1, 1));
	KUNIT_EXPECT_FALSE(test, kho_scratch_overlap(SZ_1M, 0));
	KUNIT_EXPECT_EQ(test, kho_test_try_preserve(pfn, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_test_try_preserve(PHYS_PFN(SZ_1M) - 1, 2),
			-EINVAL);
}

KUNIT_DEFINE_ACTION_WRAPPER(kho_test_vfree, vfree, const void *);

static void kho_test_thaw(void *unused)
{
	kho_thaw();
}

/* Between kho_freeze() and kho_thaw() the handover does not change. */
static void kho_freeze_ebusy(struct kunit *test)
{
	struct kho_test_block *kept, *other;
	struct kho_vmalloc desc;
	unsigned long pfn;
	void *area;

	kho_test_need_kho(test);
	kept = kho_test_alloc_block(test, 0, false);
	other = kho_test_alloc_block(test, 0, false);
	pfn = page_to_pfn(other->page);
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(kept->page, 1), 0);
	area = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kho_test_vfree,
							area), 0);

	kho_freeze();
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kho_test_thaw,
							NULL), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(other->page, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(kept->page, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(area, &desc), -EBUSY);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kho-kunit-frozen",
					      page_address(kept->page), 16),
			-EBUSY);
	KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(page_to_phys(kept->page), 0));
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(pfn, 1, 0), 0);

	kunit_release_action(test, kho_test_thaw, NULL);
	KUNIT_EXPECT_EQ(test, kho_test_try_preserve(pfn, 1), 0);
}

KUNIT_DEFINE_ACTION_WRAPPER(kho_test_folio_put, folio_put, struct folio *);

/*
 * A folio on the LRU may be migrated at any time: refused, unless pinned.
 * The pin is simulated the way FOLL_PIN counts it on an order-0 folio.
 * Not __GFP_MOVABLE: that may take the folio from scratch (MIGRATE_CMA),
 * which is refused even when pinned.
 */
static void kho_preserve_lru_folio_einval(struct kunit *test)
{
	struct folio *folio;

	kho_test_need_kho(test);
	folio = folio_alloc(GFP_HIGHUSER, 0);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kho_test_folio_put,
							folio), 0);
	folio_add_lru(folio);
	lru_add_drain();
	if (!folio_test_lru(folio))
		kunit_skip(test, "the folio did not reach the LRU");

	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(PFN_PHYS(folio_pfn(folio)), 0));

	folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(folio));
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), 0);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_folio(folio), 0);
	folio_ref_sub(folio, GUP_PIN_COUNTING_BIAS);
}

/* Debug builds name a page freed while it is preserved. */
static void kho_debug_free_preserved_warns(struct kunit *test)
{
#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
	struct page *page;
	unsigned long pfn;
	long before;

	kho_test_need_kho(test);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);

	/* Unpreserved first: nothing to say. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page, 1), 0);
	KUNIT_ASSERT_EQ(test, kho_unpreserve_pages(page, 1), 0);
	before = kho_debug_nr_freed();
	get_page(page);
	put_page(page);
	KUNIT_EXPECT_EQ(test, kho_debug_nr_freed(), before);

	/* Freed while preserved: caught. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page, 1), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, kho_debug_nr_freed(), before + 1);
	/* The tree only: the page may belong to someone else by now. */
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(pfn), 1), 0);
#else
	kunit_skip(test, "no CONFIG_KEXEC_HANDOVER_DEBUG");
#endif
}

/* Memory onlined after boot is not in the next kernel's memory map. */
static void kho_preserve_hotplugged_einval(struct kunit *test)
{
#ifdef CONFIG_MEMORY_HOTPLUG
	unsigned long pfn, tried = 0;

	kho_test_need_kho(test);
	for (pfn = 0; pfn < max_pfn && tried < 4; pfn += PAGES_PER_SECTION) {
		if (!online_section_nr(pfn_to_section_nr(pfn)) ||
		    early_section(__pfn_to_section(pfn)) ||
		    !pfn_to_online_page(pfn))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, kho_test_try_preserve(pfn, 1), -EINVAL,
				    "hot-added pfn %#lx", pfn);
		tried++;
	}
	if (!tried)
		kunit_skip(test, "no memory was hot-added after boot");
#else
	kunit_skip(test, "no CONFIG_MEMORY_HOTPLUG");
#endif
}

static void kho_preserve_scratch_einval(struct kunit *test)
{
	unsigned int i;

	kho_test_need_kho(test);
	if (!kho_scratch_cnt)
		kunit_skip(test, "no scratch areas");

	/* Pages of scratch are only handed over, never written. */
	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long first = PHYS_PFN(kho_scratch[i].addr);
		unsigned long last = PHYS_PFN(kho_scratch[i].addr +
					      kho_scratch[i].size - 1);

		if (!kho_scratch[i].size)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, kho_test_try_preserve(first, 1), -EINVAL,
				    "first page of scratch %u", i);
		KUNIT_EXPECT_EQ_MSG(test, kho_test_try_preserve(last, 1), -EINVAL,
				    "last page of scratch %u", i);
		if (pfn_valid(last + 1))
			KUNIT_EXPECT_EQ_MSG(test, kho_test_try_preserve(last, 2),
					    -EINVAL, "range leaving scratch %u", i);
		if (first && pfn_valid(first - 1))
			KUNIT_EXPECT_EQ_MSG(test, kho_test_try_preserve(first - 1, 2),
					    -EINVAL, "range entering scratch %u", i);
	}
}

static void kho_preserve_not_ram_einval(struct kunit *test)
{
	/* The legacy VGA hole: a struct page, but not System RAM. */
	const unsigned long pfn = 0xa0;

	kho_test_need_kho(test);
	if (!IS_ENABLED(CONFIG_X86) || !pfn_valid(pfn) ||
	    region_intersects(PFN_PHYS(pfn), 16 * PAGE_SIZE,
			      IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		kunit_skip(test, "pfn %#lx is not a non-RAM page with a struct page",
			   pfn);

	KUNIT_EXPECT_EQ(test, kho_test_try_preserve(pfn, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_test_try_preserve(pfn, 16), -EINVAL);
}

static void kho_preserve_overlap_eexist(struct kunit *test)
{
	/* Each meets the preserved order-2 block at q + 4. */
	static const struct {
		unsigned int off, nr;
	} ranges[] = {
		{ 4, 4 },	/* the same block */
		{ 5, 1 },	/* smaller, inside */
		{ 6, 2 },
		{ 4, 2 },
		{ 7, 1 },
		{ 0, 8 },	/* bigger, around it */
		{ 2, 4 },	/* partial overlap */
		{ 3, 2 },
		{ 1, 7 },
	};
	unsigned long q;
	unsigned int i;

	kho_test_need_kho(test);
	q = kho_test_pfns(test, 3);
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(pfn_to_page(q + 4), 4), 0);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    kho_test_try_preserve(q + ranges[i].off,
							  ranges[i].nr),
				    -EEXIST, "[q + %u, +%u)", ranges[i].off,
				    ranges[i].nr);
		/* All or nothing: only the first block is preserved. */
		KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(PFN_PHYS(q + 4), 2));
		KUNIT_EXPECT_EQ_MSG(test, kho_test_nr_preserved(q, 8, 3), 1,
				    "[q + %u, +%u)", ranges[i].off, ranges[i].nr);
	}
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 4), 4), 0);
}

static void kho_preserve_round_trip(struct kunit *test)
{
	static const struct {
		unsigned int off, nr;
	} ranges[] = {
		{ 0, 1 }, { 31, 1 }, { 0, 32 }, { 16, 16 }, { 1, 13 },
		{ 3, 29 }, { 5, 7 },
	};
	unsigned long q, pfn, end;
	unsigned int i, order, blocks;

	kho_test_need_kho(test);
	q = kho_test_pfns(test, 5);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		pfn = q + ranges[i].off;
		end = pfn + ranges[i].nr;
		KUNIT_ASSERT_EQ_MSG(test, kho_preserve_pages(pfn_to_page(pfn),
							     ranges[i].nr), 0,
				    "[q + %u, +%u)", ranges[i].off, ranges[i].nr);
		for (blocks = 0; pfn < end; blocks++) {
			order = kho_block_order(pfn, end);
			KUNIT_EXPECT_TRUE_MSG(test,
					      kho_mem_is_preserved(PFN_PHYS(pfn), order),
					      "order-%u block at q + %lu", order,
					      pfn - q);
			pfn += 1UL << order;
		}
		/* Nothing but the blocks of the split. */
		KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 32, 5), blocks);

		pfn = q + ranges[i].off;
		KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(pfn),
							   ranges[i].nr), 0);
		KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 32, 5), 0);
		KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(pfn),
							   ranges[i].nr), -ENOENT);
	}

	/* Adjacent ranges do not overlap. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(pfn_to_page(q), 16), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(pfn_to_page(q + 16), 16), 0);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 16), 16), 0);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q), 16), 0);
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 32, 5), 0);
}

static void kho_preserve_folio_round_trip(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 3 };
	unsigned int i;

	kho_test_need_kho(test);

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		struct folio *folio = kho_test_alloc_block(test, orders[i], true)->folio;
		phys_addr_t pa = PFN_PHYS(folio_pfn(folio));

		KUNIT_ASSERT_EQ(test, kho_preserve_folio(folio), 0);
		KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(pa, orders[i]));
		KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), -EEXIST);
		KUNIT_EXPECT_EQ(test, kho_unpreserve_folio(folio), 0);
		KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(pa, orders[i]));
		KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(folio_pfn(folio),
							    folio_nr_pages(folio),
							    orders[i]), 0);
		KUNIT_EXPECT_EQ(test, kho_unpreserve_folio(folio), -ENOENT);
	}
}

static void kho_unpreserve_not_preserved_enoent(struct kunit *test)
{
	unsigned long q;

	kho_test_need_kho(test);
	q = kho_test_pfns(test, 3);

	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q), 8), -ENOENT);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 3), 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 8, 3), 0);
}

static void kho_unpreserve_other_split_enoent(struct kunit *test)
{
	/* Each is split differently from the order-2 block at q + 4. */
	static const struct {
		unsigned int off, nr;
	} ranges[] = {
		{ 4, 2 }, { 6, 2 }, { 5, 1 }, { 4, 1 }, { 4, 3 }, { 0, 8 },
		{ 2, 4 },
	};
	unsigned long q;
	unsigned int i;

	kho_test_need_kho(test);
	q = kho_test_pfns(test, 3);
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(pfn_to_page(q + 4), 4), 0);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    kho_unpreserve_pages(pfn_to_page(q + ranges[i].off),
							 ranges[i].nr),
				    -ENOENT, "[q + %u, +%u)", ranges[i].off,
				    ranges[i].nr);
		/* Nothing changed. */
		KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(PFN_PHYS(q + 4), 2));
		KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 8, 3), 1);
	}
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 4), 4), 0);

	/* Preserved as 1 + 2 pages, unpreserved as 1 + 1. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(pfn_to_page(q + 1), 3), 0);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 1), 2), -ENOENT);
	KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(PFN_PHYS(q + 1), 0));
	KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(PFN_PHYS(q + 2), 1));
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 8, 3), 2);
	KUNIT_EXPECT_EQ(test, kho_unpreserve_pages(pfn_to_page(q + 1), 3), 0);
	KUNIT_EXPECT_EQ(test, kho_test_nr_preserved(q, 8, 3), 0);
}

/* Allocations that come preserved */

KUNIT_DEFINE_ACTION_WRAPPER(kho_test_unpreserve_free, kho_unpreserve_free,
			    void *);

static void kho_alloc_preserve_round_trip(struct kunit *test)
{
	/* Sizes of one naturally aligned block each. */
	static const size_t sizes[] = { 1, PAGE_SIZE, 4 * PAGE_SIZE };
	unsigned int i, order;
	phys_addr_t pa;
	void *mem;

	kho_test_need_kho(test);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		mem = kho_alloc_preserve(sizes[i]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								kho_test_unpreserve_free,
								mem), 0);
		pa = virt_to_phys(mem);
		order = get_order(sizes[i]);

		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(mem, 0, sizes[i]),
				      "%zu bytes not zeroed", sizes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, kho_mem_is_preserved(pa, order),
				      "%zu bytes", sizes[i]);

		kunit_release_action(test, kho_test_unpreserve_free, mem);
		KUNIT_EXPECT_FALSE_MSG(test, kho_mem_is_preserved(pa, order),
				       "%zu bytes", sizes[i]);
	}
}

static struct kunit_case kho_preserve_cases[] = {
	KUNIT_CASE(kho_block_order_aligned_start),
	KUNIT_CASE(kho_block_order_unaligned_start),
	KUNIT_CASE(kho_block_order_odd_lengths),
	KUNIT_CASE(kho_block_order_max_cap),
	KUNIT_CASE(kho_block_order_split_exhaustive),
	KUNIT_CASE(kho_block_order_numa_boundary),
	KUNIT_CASE(kho_preserve_off_eopnotsupp),
	KUNIT_CASE(kho_preserve_empty_einval),
	KUNIT_CASE(kho_preserve_huge_nr_einval),
	KUNIT_CASE(kho_preserve_low_1m_einval),
	KUNIT_CASE(kho_preserve_scratch_einval),
	KUNIT_CASE(kho_preserve_lru_folio_einval),
	KUNIT_CASE(kho_debug_free_preserved_warns),
	KUNIT_CASE(kho_preserve_hotplugged_einval),
	KUNIT_CASE(kho_freeze_ebusy),
	KUNIT_CASE(kho_preserve_not_ram_einval),
	KUNIT_CASE(kho_preserve_overlap_eexist),
	KUNIT_CASE(kho_preserve_round_trip),
	KUNIT_CASE(kho_preserve_folio_round_trip),
	KUNIT_CASE(kho_unpreserve_not_preserved_enoent),
	KUNIT_CASE(kho_unpreserve_other_split_enoent),
	KUNIT_CASE(kho_alloc_preserve_round_trip),
	{}
};

static struct kunit_suite kho_preserve_suite = {
	.name = "kho_preserve",
	.test_cases = kho_preserve_cases,
};

kunit_test_suite(kho_preserve_suite);

MODULE_DESCRIPTION("KUnit tests of KHO's preservation of memory");
MODULE_LICENSE("GPL");
