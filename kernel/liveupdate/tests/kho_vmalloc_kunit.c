// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of vmalloc() areas across kexec (kho_vmalloc.c):
 * kho_preserve_vmalloc(), its chain of chunk pages and its flags, the
 * refusal of memory that is not a vmalloc() area, and kho_restore_vmalloc()
 * of descriptors made to look as if the previous kernel handed them over:
 * the 0 that ends a chunk's list, full chunks, flags, orders, and every
 * malformed chain it must refuse with nothing lost.
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

/* Preserve */

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

/*
 * Check the chain of @desc, which this kernel made for the @nr pages at
 * @ptr: it lists every page, in order, each preserved; every chunk but the
 * last is full, the last one's list ends with a 0 unless it is full, and
 * every chunk page is preserved. Their addresses go to @chunk_pa.
 */
static unsigned long kho_test_check_chain(struct kunit *test,
					  const struct kho_vmalloc *desc,
					  void *ptr, unsigned long nr,
					  u64 *chunk_pa, unsigned long max_chunks)
{
	struct kho_vmalloc_chunk *chunk;
	unsigned long i = 0, n = 0, j;
	u64 next = desc->first, pa;

	while (next) {
		KUNIT_ASSERT_LT_MSG(test, n, max_chunks, "chain too long");
		KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(next, 0));
		chunk_pa[n++] = next;
		chunk = phys_to_virt(next);
		for (j = 0; j < KHO_VMALLOC_CHUNK_ENTRIES && i < nr; j++, i++) {
			pa = page_to_phys(vmalloc_to_page(ptr + i * PAGE_SIZE));
			KUNIT_EXPECT_EQ_MSG(test, chunk->phys[j], pa, "page %lu", i);
			KUNIT_EXPECT_TRUE_MSG(test, kho_mem_is_preserved(pa, 0),
					      "page %lu", i);
		}
		if (chunk->next)
			KUNIT_EXPECT_EQ_MSG(test, j, KHO_VMALLOC_CHUNK_ENTRIES,
					    "chunk %lu is not full", n - 1);
		for (; j < KHO_VMALLOC_CHUNK_ENTRIES; j++)
			KUNIT_EXPECT_EQ_MSG(test, chunk->phys[j], 0,
					    "entry %lu of the last chunk", j);
		next = chunk->next;
	}
	KUNIT_EXPECT_EQ(test, i, nr);
	return n;
}

/*
 * Areas of 1 page, exactly one full chunk (no 0 at its end), one full chunk
 * and a second of one page, and three chunks. 1027 pages, about 4 MiB, are
 * nothing for the 1 GiB that kunit.py gives its guest.
 */
static void kho_vmalloc_round_trip(struct kunit *test)
{
	static const unsigned long sizes[] = {
		1, KHO_VMALLOC_CHUNK_ENTRIES, KHO_VMALLOC_CHUNK_ENTRIES + 1,
		2 * KHO_VMALLOC_CHUNK_ENTRIES + 5,
	};
	unsigned long i, j, nr, nr_chunks, n, left;
	struct kho_test_vmalloc *v;
	u64 *chunk_pa, pa;

	kho_test_need_kho(test);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		nr = sizes[i];
		nr_chunks = DIV_ROUND_UP(nr, KHO_VMALLOC_CHUNK_ENTRIES);
		v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
		chunk_pa = kunit_kcalloc(test, nr_chunks, sizeof(*chunk_pa),
					 GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v);
		KUNIT_ASSERT_NOT_NULL(test, chunk_pa);

		v->ptr = vmalloc(nr * PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, v->ptr);
		v->nr_pages = nr;
		KUNIT_ASSERT_EQ(test,
				kunit_add_action_or_reset(test,
							  kho_test_vmalloc_release,
							  v), 0);

		KUNIT_ASSERT_EQ(test, kho_preserve_vmalloc(v->ptr, &v->desc), 0);
		v->preserved = true;
		KUNIT_EXPECT_EQ(test, v->desc.total_pages, nr);
		KUNIT_EXPECT_EQ(test, v->desc.order, 0);
		KUNIT_EXPECT_EQ(test, v->desc.flags, KHO_VMALLOC_ALLOC);
		KUNIT_ASSERT_NE(test, v->desc.first, 0);

		n = kho_test_check_chain(test, &v->desc, v->ptr, nr, chunk_pa,
					 nr_chunks);
		KUNIT_EXPECT_EQ_MSG(test, n, nr_chunks, "chunks for %lu pages", nr);

		KUNIT_EXPECT_EQ(test, kho_unpreserve_vmalloc(&v->desc), 0);
		v->preserved = false;
		for (j = 0, left = 0; j < nr; j++) {
			pa = page_to_phys(vmalloc_to_page(v->ptr + j * PAGE_SIZE));
			left += kho_mem_is_preserved(pa, 0);
		}
		KUNIT_EXPECT_EQ_MSG(test, left, 0, "pages of %lu still preserved", nr);
		for (j = 0; j < n; j++)
			KUNIT_EXPECT_FALSE_MSG(test, kho_mem_is_preserved(chunk_pa[j], 0),
					       "chunk page %lu of %lu pages still preserved",
					       j, nr);
	}
}

/* The flags say where the area came from; order 0 either way. */
static void kho_vmalloc_flags_preserved(struct kunit *test)
{
	struct kho_test_vmalloc *v[2];
	unsigned int i;

	kho_test_need_kho(test);

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		v[i] = kunit_kzalloc(test, sizeof(*v[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v[i]);
		/* One page: mapped with small pages even when huge ones may be. */
		v[i]->ptr = i ? vmalloc_huge(PAGE_SIZE, GFP_KERNEL) :
				vmalloc(PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, v[i]->ptr);
		v[i]->nr_pages = 1;
		KUNIT_ASSERT_EQ(test,
				kunit_add_action_or_reset(test,
							  kho_test_vmalloc_release,
							  v[i]), 0);
		KUNIT_ASSERT_EQ(test, kho_preserve_vmalloc(v[i]->ptr, &v[i]->desc), 0);
		v[i]->preserved = true;
		KUNIT_EXPECT_EQ(test, v[i]->desc.order, 0);
		KUNIT_EXPECT_EQ(test, v[i]->desc.total_pages, 1);
	}
	KUNIT_EXPECT_EQ(test, v[0]->desc.flags, KHO_VMALLOC_ALLOC);
	KUNIT_EXPECT_EQ(test, v[1]->desc.flags,
			KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP);
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

/* Restore, of chains built by hand over blocks made to look revived */

struct kho_test_chain {
	struct kho_vmalloc desc;
	struct kho_test_revived **chunks;
	unsigned int nr_chunks;
	struct kho_test_revived **blocks;
	unsigned int nr_blocks;
	unsigned int order;
};

static struct kho_vmalloc_chunk *kho_test_chunk(struct kho_test_chain *c,
						unsigned int i)
{
	return page_address(c->chunks[i]->page);
}

static u64 kho_test_pa(struct kho_test_revived *r)
{
	return page_to_phys(r->page);
}

/*
 * A descriptor as the previous kernel would have handed it over: @nr_blocks
 * blocks of 2^@order pages, listed @per to a chunk, in a chain of
 * @nr_chunks chunk pages (any beyond those the blocks need list nothing).
 * Flags %KHO_VMALLOC_ALLOC, as for a vmalloc() area.
 */
static struct kho_test_chain *kho_test_chain(struct kunit *test,
					     unsigned int nr_blocks,
					     unsigned int order,
					     unsigned int per,
					     unsigned int nr_chunks)
{
	struct kho_vmalloc_chunk *chunk;
	struct kho_test_chain *c;
	unsigned int i;

	KUNIT_ASSERT_LE(test, per, KHO_VMALLOC_CHUNK_ENTRIES);
	KUNIT_ASSERT_LE(test, DIV_ROUND_UP(nr_blocks, per), nr_chunks);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->chunks = kunit_kcalloc(test, nr_chunks, sizeof(*c->chunks),
				  GFP_KERNEL);
	c->blocks = kunit_kcalloc(test, nr_blocks, sizeof(*c->blocks),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->chunks);
	KUNIT_ASSERT_NOT_NULL(test, c->blocks);
	c->nr_chunks = nr_chunks;
	c->nr_blocks = nr_blocks;
	c->order = order;

	for (i = 0; i < nr_chunks; i++) {
		c->chunks[i] = kho_test_revive(test, 0);
		chunk = kho_test_chunk(c, i);
		memset(chunk, 0, PAGE_SIZE);
		if (i)
			kho_test_chunk(c, i - 1)->next = kho_test_pa(c->chunks[i]);
	}
	for (i = 0; i < nr_blocks; i++) {
		c->blocks[i] = kho_test_revive(test, order);
		kho_test_chunk(c, i / per)->phys[i % per] = kho_test_pa(c->blocks[i]);
	}
	c->desc.first = kho_test_pa(c->chunks[0]);
	c->desc.total_pages = nr_blocks << order;
	c->desc.flags = KHO_VMALLOC_ALLOC;
	c->desc.order = order;
	return c;
}

/* The restore of @c mapped its blocks, in order, page by page, at @ptr. */
static void kho_test_chain_mapped(struct kunit *test, struct kho_test_chain *c,
				  void *ptr)
{
	unsigned long n = 0, i, j;
	struct kho_test_revived *r;

	for (i = 0; i < c->nr_chunks; i++) {
		c->chunks[i]->revived = false;
		c->chunks[i]->taken = true;	/* freed by the restore */
	}
	for (i = 0; i < c->nr_blocks; i++) {
		r = c->blocks[i];
		r->revived = false;
		r->taken = true;		/* freed by vfree() */
		for (j = 0; j < (1UL << c->order); j++, n++) {
			KUNIT_EXPECT_PTR_EQ_MSG(test,
						vmalloc_to_page(ptr + n * PAGE_SIZE),
						r->page + j, "page %lu", n);
			KUNIT_EXPECT_EQ_MSG(test, page_ref_count(r->page + j), 1,
					    "page %lu", n);
		}
		kho_test_expect_handed_back(test, r->page, c->order);
	}
	KUNIT_EXPECT_FALSE(test, kho_mem_is_revived(c->desc.first));
	vfree(ptr);
}

/* The restore of @c works: its blocks are mapped, then freed. */
static void kho_test_chain_restores(struct kunit *test, struct kho_test_chain *c)
{
	void *ptr = kho_restore_vmalloc(&c->desc);

	KUNIT_ASSERT_NOT_NULL(test, ptr);
	kho_test_chain_mapped(test, c, ptr);
}

/*
 * The restore of @c is refused, and leaves every chunk page and block as it
 * was: preserved, not restored, reserved, contents untouched.
 */
static void kho_test_chain_refused(struct kunit *test, struct kho_test_chain *c,
				   const char *why)
{
	struct kho_mem_stats before, after;
	struct kho_test_revived *r;
	unsigned long i, j;
	void *ptr;

	kho_mem_get_stats(&before);
	ptr = kho_restore_vmalloc(&c->desc);
	kho_mem_get_stats(&after);
	/* Leaked if not: its pages may be listed twice. */
	KUNIT_ASSERT_NULL_MSG(test, ptr, "%s: restored", why);
	KUNIT_EXPECT_EQ_MSG(test, after.restored_blocks, before.restored_blocks,
			    "%s", why);
	KUNIT_EXPECT_EQ_MSG(test, after.restored_bytes, before.restored_bytes,
			    "%s", why);
	for (i = 0; i < c->nr_chunks; i++) {
		r = c->chunks[i];
		KUNIT_EXPECT_TRUE_MSG(test, kho_mem_is_revived(kho_test_pa(r)),
				      "%s: chunk %lu", why, i);
		KUNIT_EXPECT_TRUE_MSG(test, PageReserved(r->page),
				      "%s: chunk %lu", why, i);
	}
	for (i = 0; i < c->nr_blocks; i++) {
		r = c->blocks[i];
		if (!r->revived)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, kho_mem_is_revived(kho_test_pa(r)),
				      "%s: block %lu", why, i);
		for (j = 0; j < (1UL << r->order); j++)
			KUNIT_EXPECT_TRUE_MSG(test, PageReserved(r->page + j),
					      "%s: block %lu page %lu", why, i, j);
		KUNIT_EXPECT_EQ_MSG(test, kho_test_nr_changed(r->page, r->order), 0,
				    "%s: block %lu", why, i);
	}
}

/*
 * One chunk listing three pages, of which the last one is not preserved:
 * restoring fails and leaves everything preserved, and once the page is
 * there, a second try maps the area. Flags 0, as an area that
 * kho_restore_vmalloc() mapped has when it is preserved again.
 */
static void kho_restore_vmalloc_failure_keeps_pages(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 3, 0, 3, 1);

	c->desc.flags = 0;
	/* The last page was not preserved. */
	KUNIT_ASSERT_NOT_NULL(test, kho_test_restore_pages(c->blocks[2], 1));
	kho_test_chain_refused(test, c, "a page not preserved");
	KUNIT_EXPECT_EQ(test, kho_test_chunk(c, 0)->phys[2],
			kho_test_pa(c->blocks[2]));

	/* Preserved after all: the retry maps the three pages, in order. */
	kho_mem_mark_revived(c->blocks[2]->page, 0);
	c->blocks[2]->revived = true;
	kho_test_chain_restores(test, c);
}

/*
 * A 0 entry ends a chunk's list; a non-zero entry after it is refused,
 * wherever it is, even one that would complete the area.
 */
static void kho_restore_vmalloc_terminator(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 3, 0, 3, 1);
	struct kho_vmalloc_chunk *chunk = kho_test_chunk(c, 0);
	struct kho_test_revived *stray = kho_test_revive(test, 0);

	chunk->phys[4] = kho_test_pa(stray);
	kho_test_chain_refused(test, c, "an entry after the 0");
	c->desc.total_pages = 4;
	kho_test_chain_refused(test, c, "an entry after the 0, counted");
	c->desc.total_pages = 3;
	chunk->phys[4] = 0;
	chunk->phys[KHO_VMALLOC_CHUNK_ENTRIES - 1] = kho_test_pa(stray);
	kho_test_chain_refused(test, c, "an entry at the end, after the 0");
	KUNIT_EXPECT_TRUE(test, kho_mem_is_revived(kho_test_pa(stray)));

	chunk->phys[KHO_VMALLOC_CHUNK_ENTRIES - 1] = 0;
	kho_test_chain_restores(test, c);
}

/*
 * A full chunk has no 0 at its end and is followed by the next chunk,
 * which may list the rest, or nothing (as written by a kernel that adds a
 * chunk page as soon as one is full).
 */
static void kho_restore_vmalloc_full_chunk(struct kunit *test)
{
	const unsigned int full = KHO_VMALLOC_CHUNK_ENTRIES;
	struct kho_test_chain *c;

	c = kho_test_chain(test, full + 1, 0, full, 2);
	KUNIT_EXPECT_NE(test, kho_test_chunk(c, 0)->phys[full - 1], 0);
	KUNIT_EXPECT_NE(test, kho_test_chunk(c, 0)->next, 0);
	kho_test_chain_restores(test, c);

	c = kho_test_chain(test, full, 0, full, 2);
	KUNIT_EXPECT_EQ(test, kho_test_chunk(c, 1)->phys[0], 0);
	kho_test_chain_restores(test, c);
}

/* Known flags are accepted, any other bit refused. */
static void kho_restore_vmalloc_flags(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 2, 0, 2, 1);
	unsigned int bit;

	for (bit = 0; bit < 16; bit++) {
		if (BIT(bit) & KHO_VMALLOC_FLAGS_MASK)
			continue;
		c->desc.flags = KHO_VMALLOC_ALLOC | BIT(bit);
		kho_test_chain_refused(test, c, "an unknown flag");
	}
	c->desc.flags = KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP;
	kho_test_chain_restores(test, c);
}

/* The chain lists exactly the pages total_pages says, no more, no fewer. */
static void kho_restore_vmalloc_count(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 3, 0, 2, 2);

	c->desc.total_pages = 0;
	kho_test_chain_refused(test, c, "no pages");
	c->desc.total_pages = 2;
	kho_test_chain_refused(test, c, "more pages than total_pages");
	c->desc.total_pages = 4;
	kho_test_chain_refused(test, c, "fewer pages than total_pages");
	c->desc.total_pages = 3;
	c->desc.first = 0;
	kho_test_chain_refused(test, c, "no chain");
	c->desc.first = kho_test_pa(c->chunks[0]);
	kho_test_chain_restores(test, c);
}

/* A chain that loops, or lists a page twice, is refused. */
static void kho_restore_vmalloc_loop(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 2, 0, 1, 2);
	struct kho_vmalloc_chunk *first = kho_test_chunk(c, 0);
	struct kho_vmalloc_chunk *last = kho_test_chunk(c, 1);

	c->desc.total_pages = 4;	/* a loop never ends for want of pages */
	last->next = c->desc.first;
	kho_test_chain_refused(test, c, "a loop to the first chunk");
	last->next = kho_test_pa(c->chunks[1]);
	kho_test_chain_refused(test, c, "a chunk pointing at itself");
	last->next = 0;
	c->desc.total_pages = 2;

	last->phys[0] = first->phys[0];
	kho_test_chain_refused(test, c, "a page listed twice");
	last->phys[0] = c->desc.first;
	kho_test_chain_refused(test, c, "a chunk page listed as a page");
	first->next = first->phys[0];
	last->phys[0] = kho_test_pa(c->blocks[1]);
	kho_test_chain_refused(test, c, "a page listed as a chunk");

	first->next = kho_test_pa(c->chunks[1]);
	kho_test_chain_restores(test, c);
}

/*
 * Order 1: each entry a preserved block of two pages, restored whole and
 * mapped page by page. The order must match the blocks, divide the pages
 * and be one this kernel has.
 */
static void kho_restore_vmalloc_order(struct kunit *test)
{
	struct kho_test_chain *c = kho_test_chain(test, 3, 1, 2, 2);
	struct kho_test_chain *small = kho_test_chain(test, 4, 0, 4, 1);

	c->desc.total_pages = 5;
	kho_test_chain_refused(test, c, "pages not a multiple of the order");
	c->desc.total_pages = 3;
	c->desc.order = 0;
	kho_test_chain_refused(test, c, "order-1 blocks as order 0");
	c->desc.total_pages = 6;
	c->desc.order = MAX_PAGE_ORDER + 1;
	kho_test_chain_refused(test, c, "an order above MAX_PAGE_ORDER");
	c->desc.order = 1;

	small->desc.order = 1;
	small->desc.total_pages = 8;
	kho_test_chain_refused(test, small, "order-0 blocks as order 1");
	small->desc.total_pages = 4;
	kho_test_chain_refused(test, small, "order-0 blocks as order 1, counted");
	small->desc.order = 0;
	kho_test_chain_restores(test, small);

	/* The last block is not preserved: the first two are put back whole. */
	KUNIT_ASSERT_NOT_NULL(test, kho_test_restore_pages(c->blocks[2], 2));
	kho_test_chain_refused(test, c, "an order-1 block not preserved");
	kho_mem_mark_revived(c->blocks[2]->page, 1);
	c->blocks[2]->revived = true;
	kho_test_chain_restores(test, c);
}

/*
 * An area kho_restore_vmalloc() mapped can be preserved again, for the
 * kexec after: page by page (order 0), flags 0 since it did not come from
 * vmalloc() in this kernel.
 */
static void kho_vmalloc_restored_preservable(struct kunit *test)
{
	struct kho_test_chain *c;
	struct kho_vmalloc desc;
	u64 chunk_pa[1];
	unsigned long n;
	void *ptr;

	kho_test_need_kho(test);
	c = kho_test_chain(test, 3, 1, 3, 1);
	ptr = kho_restore_vmalloc(&c->desc);
	KUNIT_ASSERT_NOT_NULL(test, ptr);

	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(ptr, &desc), 0);
	if (desc.first) {
		KUNIT_EXPECT_EQ(test, desc.total_pages, 6);
		KUNIT_EXPECT_EQ(test, desc.order, 0);
		KUNIT_EXPECT_EQ(test, desc.flags, 0);
		n = kho_test_check_chain(test, &desc, ptr, 6, chunk_pa,
					 ARRAY_SIZE(chunk_pa));
		KUNIT_EXPECT_EQ(test, n, 1);
		KUNIT_EXPECT_EQ(test, kho_unpreserve_vmalloc(&desc), 0);
		KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(chunk_pa[0], 0));
	}
	kho_test_chain_mapped(test, c, ptr);
}

static struct kunit_case kho_vmalloc_cases[] = {
	KUNIT_CASE(kho_vmalloc_round_trip),
	KUNIT_CASE(kho_vmalloc_flags_preserved),
	KUNIT_CASE(kho_vmalloc_not_vmalloc_einval),
	KUNIT_CASE(kho_restore_vmalloc_failure_keeps_pages),
	KUNIT_CASE(kho_restore_vmalloc_terminator),
	KUNIT_CASE(kho_restore_vmalloc_full_chunk),
	KUNIT_CASE(kho_restore_vmalloc_flags),
	KUNIT_CASE(kho_restore_vmalloc_count),
	KUNIT_CASE(kho_restore_vmalloc_loop),
	KUNIT_CASE(kho_restore_vmalloc_order),
	KUNIT_CASE(kho_vmalloc_restored_preservable),
	{}
};

static struct kunit_suite kho_vmalloc_suite = {
	.name = "kho_vmalloc",
	.test_cases = kho_vmalloc_cases,
};

kunit_test_suite(kho_vmalloc_suite);

MODULE_DESCRIPTION("KUnit tests of KHO's preservation of vmalloc() areas");
MODULE_LICENSE("GPL");
