// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the KUnit tests of kernel/liveupdate/tests/ (see
 * kho_kunit.h): memory a test preserves, and blocks made to look as if the
 * previous kernel preserved them, each undone when the test ends.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/printk.h>

#include "../kho_preserve.h"
#include "../kho_restore.h"
#include "kho_kunit.h"

/* Take back every preserved block of order <= @max_order in a range. */
void kho_test_unpreserve_range(unsigned long start, unsigned long nr,
			       unsigned int max_order)
{
	unsigned long pfn;
	unsigned int order;

	if (!kho_test_ready())
		return;
	for (order = 0; order <= max_order; order++) {
		for (pfn = ALIGN_DOWN(start, 1UL << order); pfn < start + nr;
		     pfn += 1UL << order) {
			if (kho_mem_is_preserved(PFN_PHYS(pfn), order))
				kho_unpreserve_pages(pfn_to_page(pfn), 1UL << order);
		}
	}
}

static void kho_test_block_release(void *arg)
{
	struct kho_test_block *b = arg;

	kho_test_unpreserve_range(page_to_pfn(b->page), 1UL << b->order,
				  b->order);
	if (b->folio)
		folio_put(b->folio);
	else
		__free_pages(b->page, b->order);
}

struct kho_test_block *kho_test_alloc_block(struct kunit *test,
					    unsigned int order, bool folio)
{
	struct kho_test_block *b;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->order = order;
	if (folio) {
		b->folio = folio_alloc(GFP_KERNEL, order);
		b->page = b->folio ? &b->folio->page : NULL;
	} else {
		b->page = alloc_pages(GFP_KERNEL, order);
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, b->page, "no order-%u block", order);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_test_block_release,
							b), 0);
	return b;
}

/* "kho-test", mixed with the address of every word. */
#define KHO_TEST_POISON		0x6b686f2d74657374ULL

static void kho_test_fill(struct page *page, unsigned int order)
{
	unsigned long i, j;

	for (i = 0; i < (1UL << order); i++) {
		u64 *p = page_address(page + i);
		u64 pa = page_to_phys(page + i);

		for (j = 0; j < PAGE_SIZE / sizeof(u64); j++)
			p[j] = KHO_TEST_POISON ^ (pa + j * sizeof(u64));
	}
}

unsigned long kho_test_nr_changed(struct page *page, unsigned int order)
{
	unsigned long i, j, changed = 0;

	for (i = 0; i < (1UL << order); i++) {
		const u64 *p = page_address(page + i);
		u64 pa = page_to_phys(page + i);

		for (j = 0; j < PAGE_SIZE / sizeof(u64); j++)
			changed += p[j] != (KHO_TEST_POISON ^ (pa + j * sizeof(u64)));
	}
	return changed;
}

struct page *kho_test_restore_pages(struct kho_test_revived *r,
				    unsigned long nr)
{
	struct page *page = kho_restore_pages(page_to_phys(r->page), nr);

	if (page)
		r->revived = false;
	return page;
}

static void kho_test_revived_release(void *arg)
{
	struct kho_test_revived *r = arg;
	unsigned long i;

	if (r->taken)
		return;
	/* Reserved pages must not go back to the buddy allocator as such. */
	if (r->revived && !kho_test_restore_pages(r, 1UL << r->order)) {
		pr_warn("leaking the revived order-%u block at %#llx\n",
			r->order, (u64)page_to_phys(r->page));
		return;
	}
	if (r->folio) {
		folio_put(r->folio);
		return;
	}
	/* kho_restore_pages() gives every page a reference of its own. */
	for (i = 0; i < (1UL << r->order); i++)
		__free_page(r->page + i);
}

/*
 * A block of 2^@order pages filled with a pattern that looks like one the
 * previous kernel preserved.
 */
struct kho_test_revived *kho_test_revive(struct kunit *test,
					 unsigned int order)
{
	struct kho_test_revived *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->order = order;
	r->page = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL_MSG(test, r->page, "no order-%u block", order);
	kho_test_fill(r->page, order);
	kho_mem_mark_revived(r->page, order);
	r->revived = true;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_test_revived_release,
							r), 0);
	return r;
}

/* Back in ordinary use, contents as they were. */
void kho_test_expect_handed_back(struct kunit *test, struct page *page,
				 unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		KUNIT_EXPECT_FALSE_MSG(test, PageReserved(page + i),
				       "page %lu of an order-%u block", i, order);
	KUNIT_EXPECT_EQ(test, kho_test_nr_changed(page, order), 0);
}
