// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the incoming tree (kho_restore.c): kho_restore_pages(),
 * kho_restore_folio() and kho_mem_range_revived(), on blocks that the tests
 * make look as if the previous kernel preserved them (kho_test_revive()), so
 * they run whether KHO is on or not. These blocks are counted in KHO's
 * figures of incoming memory, both as revived and as restored.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "../kho_restore.h"
#include "kho_kunit.h"

static struct folio *kho_test_restore_folio(struct kho_test_revived *r)
{
	struct folio *folio = kho_restore_folio(page_to_phys(r->page));

	if (folio) {
		r->revived = false;
		r->folio = folio;
	}
	return folio;
}

/* What kho_restore_pages() returns: every page with one reference. */
static void kho_test_expect_own_refs(struct kunit *test, struct page *page,
				     unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		KUNIT_EXPECT_EQ_MSG(test, page_ref_count(page + i), 1,
				    "page %lu of an order-%u block", i, order);
}

static void kho_restore_not_revived_null(struct kunit *test)
{
	struct kho_test_revived *r;
	struct page *page;
	phys_addr_t pa;

	/* Never marked. */
	page = kho_test_alloc_block(test, 2, false)->page;
	pa = page_to_phys(page);
	KUNIT_EXPECT_NULL(test, kho_restore_pages(pa, 1));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(pa, 4));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(pa));
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	KUNIT_EXPECT_FALSE(test, PageReserved(page));

	/* Inside a revived block, but not its head. */
	r = kho_test_revive(test, 2);
	pa = page_to_phys(r->page) + PAGE_SIZE;
	KUNIT_EXPECT_NULL(test, kho_restore_pages(pa, 1));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(pa));
	KUNIT_EXPECT_TRUE(test, PageReserved(r->page + 1));
}

static void kho_restore_twice_null(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 2 };
	struct kho_test_revived *r;
	phys_addr_t pa;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		r = kho_test_revive(test, orders[i]);
		pa = page_to_phys(r->page);
		KUNIT_ASSERT_PTR_EQ(test, kho_test_restore_pages(r, 1UL << orders[i]),
				    r->page);
		KUNIT_EXPECT_NULL(test, kho_restore_pages(pa, 1UL << orders[i]));
		KUNIT_EXPECT_NULL(test, kho_restore_folio(pa));
		KUNIT_EXPECT_EQ(test, page_ref_count(r->page), 1);

		r = kho_test_revive(test, orders[i]);
		pa = page_to_phys(r->page);
		KUNIT_ASSERT_NOT_NULL(test, kho_test_restore_folio(r));
		KUNIT_EXPECT_NULL(test, kho_restore_folio(pa));
		KUNIT_EXPECT_NULL(test, kho_restore_pages(pa, 1UL << orders[i]));
		KUNIT_EXPECT_EQ(test, folio_ref_count(r->folio), 1);
	}
}

static void kho_restore_pages_wrong_nr_null(struct kunit *test)
{
	static const unsigned long wrong[] = { 0, 1, 2, 3, 5, 8 };
	struct kho_test_revived *r = kho_test_revive(test, 2);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wrong); i++)
		KUNIT_EXPECT_NULL_MSG(test, kho_test_restore_pages(r, wrong[i]),
				      "%lu pages of an order-2 block", wrong[i]);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, PageReserved(r->page + i));

	/* Still there for the right size. */
	KUNIT_ASSERT_PTR_EQ(test, kho_test_restore_pages(r, 4), r->page);
	kho_test_expect_own_refs(test, r->page, 2);
	kho_test_expect_handed_back(test, r->page, 2);
}

static void kho_restore_pages_intact(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 2 };
	struct kho_test_revived *r;
	unsigned long before, i;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(orders); k++) {
		before = totalram_pages();
		r = kho_test_revive(test, orders[k]);
		KUNIT_EXPECT_EQ(test, totalram_pages(), before - (1UL << orders[k]));
		for (i = 0; i < (1UL << orders[k]); i++)
			KUNIT_EXPECT_TRUE(test, PageReserved(r->page + i));

		KUNIT_ASSERT_PTR_EQ(test, kho_test_restore_pages(r, 1UL << orders[k]),
				    r->page);
		KUNIT_EXPECT_EQ(test, totalram_pages(), before);
		kho_test_expect_own_refs(test, r->page, orders[k]);
		kho_test_expect_handed_back(test, r->page, orders[k]);
	}
}

static void kho_restore_folio_intact(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 3 };
	struct kho_test_revived *r;
	struct folio *folio;
	unsigned long before;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(orders); k++) {
		before = totalram_pages();
		r = kho_test_revive(test, orders[k]);
		KUNIT_EXPECT_EQ(test, totalram_pages(), before - (1UL << orders[k]));

		folio = kho_test_restore_folio(r);
		KUNIT_ASSERT_NOT_NULL(test, folio);
		KUNIT_EXPECT_PTR_EQ(test, &folio->page, r->page);
		KUNIT_EXPECT_EQ(test, folio_order(folio), orders[k]);
		KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
		KUNIT_EXPECT_EQ(test, totalram_pages(), before);
		kho_test_expect_handed_back(test, r->page, orders[k]);
	}
}

/* A blob may lie anywhere inside preserved memory, but wholly inside. */
static void kho_range_revived_inside_blocks(struct kunit *test)
{
	struct kho_test_revived *r = kho_test_revive(test, 2);
	phys_addr_t pa = page_to_phys(r->page);

	KUNIT_EXPECT_TRUE(test, kho_mem_range_revived(pa, 4 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, kho_mem_range_revived(pa + 100, 3 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, kho_mem_range_revived(pa + PAGE_SIZE, 16));
	KUNIT_EXPECT_TRUE(test, kho_mem_range_revived(pa + 4 * PAGE_SIZE - 1, 1));
	/* Running past the block, or empty, or wrapping around. */
	KUNIT_EXPECT_FALSE(test, kho_mem_range_revived(pa + PAGE_SIZE,
						       3 * PAGE_SIZE + 1));
	KUNIT_EXPECT_FALSE(test, kho_mem_range_revived(pa, 0));
	KUNIT_EXPECT_FALSE(test, kho_mem_range_revived(pa, U64_MAX));
	/* Restored: not the previous kernel's any more. */
	KUNIT_ASSERT_NOT_NULL(test, kho_test_restore_pages(r, 4));
	KUNIT_EXPECT_FALSE(test, kho_mem_range_revived(pa + 100, 16));
}

static struct kunit_case kho_restore_cases[] = {
	KUNIT_CASE(kho_restore_not_revived_null),
	KUNIT_CASE(kho_restore_twice_null),
	KUNIT_CASE(kho_restore_pages_wrong_nr_null),
	KUNIT_CASE(kho_restore_pages_intact),
	KUNIT_CASE(kho_restore_folio_intact),
	KUNIT_CASE(kho_range_revived_inside_blocks),
	{}
};

static struct kunit_suite kho_restore_suite = {
	.name = "kho_restore",
	.test_cases = kho_restore_cases,
};

kunit_test_suite(kho_restore_suite);

MODULE_DESCRIPTION("KUnit tests of KHO's restore of preserved memory");
MODULE_LICENSE("GPL");
