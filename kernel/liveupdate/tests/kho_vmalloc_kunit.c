// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of vmalloc() areas across kexec (kho_vmalloc.c):
 * kho_preserve_vmalloc() and its chain of chunk pages, the refusal of memory
 * that is not a vmalloc() area, and kho_restore_vmalloc() of a descriptor
 * made to look as if the previous kernel handed it over.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../kho_preserve.h"
#include "../kho_restore.h"
#include "kho_kunit.h"

struct kho_test_vmalloc {
	void *ptr;
	unsigned long nr_pages;
	struct kho_vmalloc desc;
	bool preserved;
};

static void kho_test_vmalloc_release(void *arg)
{
	struct kho_test_vmalloc *v = arg;
	unsigned long i;

	if (v->preserved)
		kho_unpreserve_vmalloc(&v->desc);
	for (i = 0; i < v->nr_pages; i++)
		kho_test_unpreserve_range(vmalloc_to_pfn(v->ptr + i * PAGE_SIZE),
					  1, 0);
	vfree(v->ptr);
}

static void kho_vmalloc_round_trip(struct kunit *test)
{
	/*
	 * Three chunk pages: two full, one with 5 entries. 1025 pages, about
	 * 4 MiB, are nothing for the 1 GiB that kunit.py gives its guest.
	 */
	const unsigned long nr = 2 * KHO_VMALLOC_CHUNK_ENTRIES + 5;
	const unsigned long nr_chunks = DIV_ROUND_UP(nr, KHO_VMALLOC_CHUNK_ENTRIES);
	struct kho_vmalloc_chunk *chunk;
	unsigned long i = 0, n = 0, j, left;
	struct kho_test_vmalloc *v;
	u64 *page_pa, *chunk_pa;
	u64 next;

	kho_test_need_kho(test);

	v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	page_pa = kunit_kcalloc(test, nr, sizeof(*page_pa), GFP_KERNEL);
	chunk_pa = kunit_kcalloc(test, nr_chunks, sizeof(*chunk_pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, page_pa);
	KUNIT_ASSERT_NOT_NULL(test, chunk_pa);

	v->ptr = vmalloc(nr * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v->ptr);
	v->nr_pages = nr;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_test_vmalloc_release,
							v), 0);
	for (i = 0; i < nr; i++)
		page_pa[i] = page_to_phys(vmalloc_to_page(v->ptr + i * PAGE_SIZE));

	KUNIT_ASSERT_EQ(test, kho_preserve_vmalloc(v->ptr, &v->desc), 0);
	v->preserved = true;
	KUNIT_EXPECT_EQ(test, v->desc.total_pages, nr);
	KUNIT_EXPECT_EQ(test, v->desc.order, 0);
	KUNIT_EXPECT_EQ(test, v->desc.flags, 0);
	KUNIT_ASSERT_NE(test, v->desc.first, 0);

	/* The chain lists every page, in order, each preserved. */
	i = 0;
	next = v->desc.first;
	while (next) {
		KUNIT_ASSERT_LT_MSG(test, n, nr_chunks, "chain too long");
		KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(next, 0));
		chunk_pa[n++] = next;
		chunk = phys_to_virt(next);
		KUNIT_ASSERT_LE(test, chunk->nr, KHO_VMALLOC_CHUNK_ENTRIES);
		KUNIT_ASSERT_LE(test, chunk->nr, nr - i);
		for (j = 0; j < chunk->nr; j++, i++) {
			KUNIT_EXPECT_EQ_MSG(test, chunk->phys[j], page_pa[i],
					    "page %lu", i);
			KUNIT_EXPECT_TRUE_MSG(test,
					      kho_mem_is_preserved(chunk->phys[j], 0),
					      "page %lu", i);
		}
		next = chunk->next;
	}
	KUNIT_EXPECT_EQ(test, i, nr);
	KUNIT_EXPECT_EQ(test, n, nr_chunks);

	KUNIT_EXPECT_EQ(test, kho_unpreserve_vmalloc(&v->desc), 0);
	v->preserved = false;
	for (i = 0, left = 0; i < nr; i++)
		left += kho_mem_is_preserved(page_pa[i], 0);
	KUNIT_EXPECT_EQ_MSG(test, left, 0, "pages still preserved");
	for (j = 0; j < n; j++)
		KUNIT_EXPECT_FALSE_MSG(test, kho_mem_is_preserved(chunk_pa[j], 0),
				       "chunk page %lu still preserved", j);
}

static void kho_vmalloc_not_vmalloc_einval(struct kunit *test)
{
	struct kho_vmalloc desc = { };
	void *ptrs[2];
	unsigned int i;
	int err;

	kho_test_need_kho(test);
	ptrs[0] = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ptrs[0]);
	ptrs[1] = page_address(kho_test_alloc_block(test, 0, false)->page);

	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		err = kho_preserve_vmalloc(ptrs[i], &desc);
		if (!err)
			kho_unpreserve_vmalloc(&desc);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "pointer %u", i);
	}
}

/*
 * A vmalloc() descriptor as the previous kernel would have handed it over,
 * one chunk listing three pages, of which the last one is not preserved:
 * restoring fails and leaves everything preserved, and once the page is
 * there, a second try maps the area.
 */
static void kho_restore_vmalloc_failure_keeps_pages(struct kunit *test)
{
	struct kho_test_revived *chunk_r, *r[3];
	struct kho_mem_stats before, after;
	struct kho_vmalloc_chunk *chunk;
	struct kho_vmalloc desc = { };
	unsigned int i;
	void *ptr;

	chunk_r = kho_test_revive(test, 0);
	for (i = 0; i < ARRAY_SIZE(r); i++)
		r[i] = kho_test_revive(test, 0);
	chunk = page_address(chunk_r->page);
	memset(chunk, 0, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(r); i++)
		chunk->phys[chunk->nr++] = page_to_phys(r[i]->page);
	desc.first = page_to_phys(chunk_r->page);
	desc.total_pages = ARRAY_SIZE(r);

	/* The last page was not preserved. */
	KUNIT_ASSERT_NOT_NULL(test, kho_test_restore_pages(r[2], 1));
	kho_mem_get_stats(&before);
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&desc));
	kho_mem_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.restored_blocks, before.restored_blocks);
	KUNIT_EXPECT_EQ(test, after.restored_bytes, before.restored_bytes);
	KUNIT_EXPECT_TRUE(test, kho_mem_is_revived(desc.first));
	KUNIT_EXPECT_TRUE(test, PageReserved(chunk_r->page));
	KUNIT_EXPECT_EQ(test, chunk->nr, ARRAY_SIZE(r));
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, kho_mem_is_revived(chunk->phys[i]),
				      "page %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, PageReserved(r[i]->page),
				      "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, kho_test_nr_changed(r[i]->page, 0), 0,
				    "page %u", i);
	}

	/* Preserved after all: the retry maps the three pages, in order. */
	kho_mem_mark_revived(r[2]->page, 0);
	r[2]->revived = true;
	ptr = kho_restore_vmalloc(&desc);
	KUNIT_ASSERT_NOT_NULL(test, ptr);
	chunk_r->revived = false;
	chunk_r->taken = true;		/* freed by the restore */
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i]->revived = false;
		r[i]->taken = true;	/* freed by vfree() */
		KUNIT_EXPECT_PTR_EQ_MSG(test, vmalloc_to_page(ptr + i * PAGE_SIZE),
					r[i]->page, "page %u", i);
		kho_test_expect_handed_back(test, r[i]->page, 0);
	}
	KUNIT_EXPECT_FALSE(test, kho_mem_is_revived(desc.first));
	vfree(ptr);
}

static struct kunit_case kho_vmalloc_cases[] = {
	KUNIT_CASE(kho_vmalloc_round_trip),
	KUNIT_CASE(kho_vmalloc_not_vmalloc_einval),
	KUNIT_CASE(kho_restore_vmalloc_failure_keeps_pages),
	{}
};

static struct kunit_suite kho_vmalloc_suite = {
	.name = "kho_vmalloc",
	.test_cases = kho_vmalloc_cases,
};

kunit_test_suite(kho_vmalloc_suite);

MODULE_DESCRIPTION("KUnit tests of KHO's preservation of vmalloc() areas");
MODULE_LICENSE("GPL");
