// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the memfd file handler (luo_memfd.c), through LUO's file
 * calls (luo_file.c) as sessions make them:
 *
 *  - preserving a memfd with holes fills them, pins and preserves every
 *    folio and seals its size; freezing writes struct memfd_luo_ser and
 *    the folio list in the format of the ABI header, with writes made
 *    after the preserve in the very folios listed; unpreserving takes all
 *    of it back;
 *  - memfd_luo_check() and memfd_luo_check_folios() refuse every bad
 *    struct memfd_luo_ser and folio list;
 *  - a memfd handed over in blocks made to look as if the previous kernel
 *    preserved them comes back with its size, position and contents,
 *    holes as zeros; finishing one that was not retrieved gives its
 *    memory back.
 *
 * They need LUO on (liveupdate=on kho=on) and skip otherwise.
 */

#include <kunit/test.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../kho_preserve.h"
#include "../kho_restore.h"
#include "../luo_internal.h"
#include "kho_kunit.h"

#define LUO_MEMFD_TEST_TOKEN	42
#define LUO_MEMFD_TEST_SIZE	(5 * PAGE_SIZE + 100)
#define LUO_MEMFD_TEST_POS	1234

static void luo_memfd_need_luo(struct kunit *test)
{
	kho_test_need_kho(test);
	if (!liveupdate_enabled())
		kunit_skip(test, "LUO is off (boot with liveupdate=on kho=on)");
}

/* The byte at @off of page @index of the tests' files. */
static u8 luo_memfd_byte(pgoff_t index, size_t off)
{
	return (u8)(index * 31 + off * 7 + 1);
}

static void luo_memfd_fill_page(void *p, pgoff_t index, size_t len)
{
	u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = luo_memfd_byte(index, i);
}

static void luo_memfd_fput(void *file)
{
	fput(file);
}

/* Write page @index of @file with its pattern, @len bytes of it. */
static void luo_memfd_write(struct kunit *test, struct file *file,
			    pgoff_t index, size_t len)
{
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	loff_t pos = (loff_t)index << PAGE_SHIFT;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	luo_memfd_fill_page(buf, index, len);
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, len, &pos), len);
}

/*
 * A memfd (an unlinked shmem file) of LUO_MEMFD_TEST_SIZE bytes: pages
 * 0 and 3 and the start of the last page written, pages 1, 2 and 4 holes.
 */
static struct file *luo_memfd_file(struct kunit *test)
{
	struct file *file = shmem_file_setup("luo_kunit", 0, VM_NORESERVE);

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_memfd_fput,
							file), 0);
	luo_memfd_write(test, file, 0, PAGE_SIZE);
	luo_memfd_write(test, file, 3, PAGE_SIZE);
	luo_memfd_write(test, file, 5, 100);
	KUNIT_ASSERT_EQ(test, i_size_read(file_inode(file)), LUO_MEMFD_TEST_SIZE);
	file->f_pos = LUO_MEMFD_TEST_POS;
	return file;
}

struct luo_memfd_out {
	struct luo_file *lf;
	bool frozen;
};

static void luo_memfd_unpreserve(void *arg)
{
	struct luo_memfd_out *out = arg;

	guard(mutex)(&luo_lock);
	if (out->frozen)
		luo_file_unfreeze(out->lf);
	luo_file_unpreserve(out->lf);
}

/* The entries of the folio list of @ser, copied into @test's memory. */
static struct memfd_luo_folio_ser *luo_memfd_list(struct kunit *test,
						  const struct memfd_luo_ser *ser)
{
	const struct kho_vmalloc_chunk *chunk;
	struct memfd_luo_folio_ser *list;
	unsigned long i, j, pages = ser->folios.total_pages;

	KUNIT_ASSERT_EQ(test, ser->folios.order, 0);
	KUNIT_ASSERT_GE(test, pages * PAGE_SIZE, ser->nr_folios * sizeof(*list));
	list = kunit_kzalloc(test, pages * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	chunk = phys_to_virt(ser->folios.first);
	for (i = 0, j = 0; i < pages; i++, j++) {
		if (j == KHO_VMALLOC_CHUNK_ENTRIES) {
			KUNIT_ASSERT_NE(test, chunk->next, 0);
			chunk = phys_to_virt(chunk->next);
			j = 0;
		}
		KUNIT_ASSERT_TRUE(test, kho_mem_is_preserved(chunk->phys[j], 0));
		memcpy((void *)list + i * PAGE_SIZE, phys_to_virt(chunk->phys[j]),
		       PAGE_SIZE);
	}
	return list;
}

/*
 * Preserve and freeze a memfd with holes: the handover lists every page
 * of the file, each folio the one in the page cache, preserved, holding
 * what was written (after the preserve too) and zeros in the holes; the
 * size is sealed while preserved; unpreserve gives all of it back.
 */
static void luo_memfd_preserve_freeze(struct kunit *test)
{
	struct memfd_luo_folio_ser *list;
	struct luo_memfd_out *out;
	struct memfd_luo_ser *ser;
	struct file *file;
	struct folio *folio;
	pgoff_t next = 0;
	u64 i, ser_phys;
	long seals;
	int err;

	luo_memfd_need_luo(test);
	file = luo_memfd_file(test);
	seals = memfd_fcntl(file, F_GET_SEALS, 0);
	KUNIT_ASSERT_GE(test, seals, 0);
	out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);

	scoped_guard(mutex, &luo_lock)
		err = luo_file_preserve(file, LUO_MEMFD_TEST_TOKEN, &out->lf);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_memfd_unpreserve,
							out), 0);
	KUNIT_EXPECT_STREQ(test, out->lf->fh->compatible, MEMFD_LUO_FH_COMPATIBLE);
	KUNIT_EXPECT_EQ(test, memfd_fcntl(file, F_GET_SEALS, 0),
			seals | F_SEAL_SHRINK | F_SEAL_GROW);
	KUNIT_EXPECT_EQ(test, vfs_truncate(&file->f_path, PAGE_SIZE), -EPERM);

	/* Written after the preserve: lands in the preserved folio. */
	luo_memfd_write(test, file, 4, PAGE_SIZE);
	file->f_pos = LUO_MEMFD_TEST_POS + 1;

	scoped_guard(mutex, &luo_lock)
		err = luo_file_freeze(out->lf);
	KUNIT_ASSERT_EQ(test, err, 0);
	out->frozen = true;

	ser_phys = out->lf->serialized_data;
	KUNIT_ASSERT_TRUE(test, kho_mem_is_preserved(ser_phys, 0));
	ser = phys_to_virt(ser_phys);
	KUNIT_EXPECT_EQ(test, ser->size, LUO_MEMFD_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, ser->pos, LUO_MEMFD_TEST_POS + 1);
	KUNIT_ASSERT_GT(test, ser->nr_folios, 0);
	KUNIT_EXPECT_EQ(test, ser->folios.flags & KHO_VMALLOC_ALLOC,
			KHO_VMALLOC_ALLOC);
	list = luo_memfd_list(test, ser);
	KUNIT_EXPECT_EQ(test, memfd_luo_check(ser_phys, ser), 0);
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folios(ser_phys, ser, list), 0);

	for (i = 0; i < ser->nr_folios; i++) {
		const u8 *data;
		size_t off, len;
		pgoff_t index = list[i].index, p;

		/* Every page, in order: the holes were filled. */
		KUNIT_EXPECT_EQ_MSG(test, index, next, "folio %llu", i);
		KUNIT_EXPECT_EQ_MSG(test, list[i].flags & MEMFD_LUO_FOLIO_UPTODATE,
				    MEMFD_LUO_FOLIO_UPTODATE, "folio %llu", i);
		folio = filemap_get_folio(file->f_mapping, index);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(folio), "page %lu", index);
		KUNIT_EXPECT_EQ_MSG(test, (u64)list[i].pfn, folio_pfn(folio),
				    "page %lu", index);
		KUNIT_EXPECT_TRUE_MSG(test,
				      kho_mem_is_preserved(PFN_PHYS(folio_pfn(folio)),
							   folio_order(folio)),
				      "page %lu", index);
		next = index + folio_nr_pages(folio);
		folio_put(folio);

		/* The preserved pages themselves: the pattern, or zeros. */
		for (p = 0; p < next - index; p++) {
			data = phys_to_virt(PFN_PHYS((u64)list[i].pfn + p));
			len = index + p == 5 ? 100 : PAGE_SIZE;
			for (off = 0; off < PAGE_SIZE; off++) {
				u8 want = index + p == 1 || index + p == 2 ||
					  off >= len ? 0 :
					  luo_memfd_byte(index + p, off);

				if (data[off] != want) {
					KUNIT_FAIL(test, "page %lu byte %zu: %#x, not %#x",
						   index + p, off, data[off], want);
					break;
				}
			}
		}
	}
	KUNIT_EXPECT_EQ(test, next, DIV_ROUND_UP(LUO_MEMFD_TEST_SIZE, PAGE_SIZE));

	/* Unpreserved: nothing of it preserved, the seals as they were. */
	luo_memfd_unpreserve(out);
	kunit_remove_action(test, luo_memfd_unpreserve, out);
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(ser_phys, 0));
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(PFN_PHYS((u64)list[0].pfn), 0));
	KUNIT_EXPECT_EQ(test, memfd_fcntl(file, F_GET_SEALS, 0), seals);
}

/* memfd_luo_check() */

struct luo_memfd_ser_case {
	const char *what;
	u64 size, pos, nr_folios;
	int err;
};

static const struct luo_memfd_ser_case luo_memfd_ser_cases[] = {
	{ "empty", 0, 0, 0, 0 },
	{ "one byte, one folio", 1, 1, 1, 0 },
	{ "position past the size", PAGE_SIZE, 5 * PAGE_SIZE, 1, 0 },
	{ "every page a folio", 3 * PAGE_SIZE + 1, 0, 4, 0 },
	{ "largest size", MAX_LFS_FILESIZE, MAX_LFS_FILESIZE, 0, 0 },
	{ "folios in an empty file", 0, 0, 1, -EINVAL },
	{ "more folios than pages", 3 * PAGE_SIZE, 0, 4, -EINVAL },
	{ "size too large", (u64)MAX_LFS_FILESIZE + 1, 0, 0, -EINVAL },
	{ "size of U64_MAX", U64_MAX, 0, 1, -EINVAL },
	{ "position too large", PAGE_SIZE, (u64)MAX_LFS_FILESIZE + 1, 0, -EINVAL },
	{ "folios of U64_MAX", PAGE_SIZE, 0, U64_MAX, -EINVAL },
};

static void luo_memfd_ser_case_desc(const struct luo_memfd_ser_case *c,
				    char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(luo_memfd_ser_case, luo_memfd_ser_cases,
		  luo_memfd_ser_case_desc);

static void luo_memfd_check_ser(struct kunit *test)
{
	const struct luo_memfd_ser_case *c = test->param_value;
	struct memfd_luo_ser ser = {
		.size = c->size, .pos = c->pos, .nr_folios = c->nr_folios,
	};

	KUNIT_EXPECT_EQ(test, memfd_luo_check(0x1000, &ser), c->err);
}

/* memfd_luo_check_folios(), on a file of 8 pages */

#define LUO_MEMFD_TEST_LIST	4

struct luo_memfd_list_case {
	const char *what;
	struct memfd_luo_folio_ser f[LUO_MEMFD_TEST_LIST];
	unsigned int nr;
	int err;
};

#define U	MEMFD_LUO_FOLIO_UPTODATE
#define D	MEMFD_LUO_FOLIO_DIRTY
static const struct luo_memfd_list_case luo_memfd_list_cases[] = {
	{ "in order, with a hole",
	  { { 1, U | D, 0 }, { 2, U, 1 }, { 9, 0, 7 } }, 3, 0 },
	{ "the last page only", { { 5, U, 7 } }, 1, 0 },
	{ "unknown flag", { { 1, U, 0 }, { 2, 0x4, 1 } }, 2, -EINVAL },
	{ "every flag bit", { { 1, 0xfff, 0 } }, 1, -EINVAL },
	{ "page past the file", { { 1, U, 8 } }, 1, -EINVAL },
	{ "page of U64_MAX", { { 1, U, 0 }, { 2, U, U64_MAX } }, 2, -EINVAL },
	{ "same page twice", { { 1, U, 2 }, { 2, U, 2 } }, 2, -EINVAL },
	{ "pages going back", { { 1, U, 3 }, { 2, U, 5 }, { 3, U, 4 } }, 3, -EINVAL },
};

#undef U
#undef D

static void luo_memfd_list_case_desc(const struct luo_memfd_list_case *c,
				     char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(luo_memfd_list_case, luo_memfd_list_cases,
		  luo_memfd_list_case_desc);

static void luo_memfd_check_list(struct kunit *test)
{
	const struct luo_memfd_list_case *c = test->param_value;
	struct memfd_luo_ser ser = {
		.size = 8 * PAGE_SIZE, .nr_folios = c->nr,
	};

	KUNIT_EXPECT_EQ(test, memfd_luo_check_folios(0x1000, &ser, c->f),
			c->err);
}

/* Retrieve and finish, from revived blocks */

/* Pages of the revived memfd: 0 and 2 hold data, 1 is a hole. */
#define LUO_MEMFD_IN_SIZE	(3 * PAGE_SIZE - 10)
#define LUO_MEMFD_IN_POS	77

struct luo_memfd_in {
	struct kho_test_revived *ser, *chunk, *list, *data[2];
	struct luo_file *lf;
};

static void luo_memfd_settle(struct kho_test_revived *r)
{
	if (r->revived && !kho_mem_range_revived(page_to_phys(r->page), PAGE_SIZE)) {
		r->revived = false;
		r->taken = true;
	}
}

static void luo_memfd_in_settle(struct luo_memfd_in *in)
{
	luo_memfd_settle(in->ser);
	luo_memfd_settle(in->chunk);
	luo_memfd_settle(in->list);
	luo_memfd_settle(in->data[0]);
	luo_memfd_settle(in->data[1]);
}

static void luo_memfd_in_release(void *arg)
{
	struct luo_memfd_in *in = arg;

	guard(mutex)(&luo_lock);
	if (in->lf)
		luo_file_finish(in->lf);
}

/* A memfd as the previous kernel would have handed it over. */
static struct luo_memfd_in *luo_memfd_in(struct kunit *test)
{
	struct luo_memfd_in *in = kunit_kzalloc(test, sizeof(*in), GFP_KERNEL);
	struct luo_file_ser fser = {
		.compatible = MEMFD_LUO_FH_COMPATIBLE,
		.token = LUO_MEMFD_TEST_TOKEN,
	};
	struct memfd_luo_folio_ser *list;
	struct kho_vmalloc_chunk *chunk;
	struct memfd_luo_ser *ser;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, in);
	in->ser = kho_test_revive(test, 0);
	in->chunk = kho_test_revive(test, 0);
	in->list = kho_test_revive(test, 0);
	for (i = 0; i < 2; i++) {
		in->data[i] = kho_test_revive(test, 0);
		luo_memfd_fill_page(page_address(in->data[i]->page), 2 * i,
				    PAGE_SIZE);
	}
	list = page_address(in->list->page);
	memset(list, 0, PAGE_SIZE);
	for (i = 0; i < 2; i++) {
		list[i].pfn = page_to_pfn(in->data[i]->page);
		list[i].flags = MEMFD_LUO_FOLIO_UPTODATE | MEMFD_LUO_FOLIO_DIRTY;
		list[i].index = 2 * i;
	}
	chunk = page_address(in->chunk->page);
	memset(chunk, 0, PAGE_SIZE);
	chunk->phys[0] = page_to_phys(in->list->page);
	ser = page_address(in->ser->page);
	memset(ser, 0, PAGE_SIZE);
	ser->size = LUO_MEMFD_IN_SIZE;
	ser->pos = LUO_MEMFD_IN_POS;
	ser->nr_folios = 2;
	ser->folios.first = page_to_phys(in->chunk->page);
	ser->folios.total_pages = 1;
	ser->folios.flags = KHO_VMALLOC_ALLOC;

	fser.data = page_to_phys(in->ser->page);
	scoped_guard(mutex, &luo_lock)
		in->lf = luo_file_incoming(&fser);
	KUNIT_ASSERT_NOT_NULL(test, in->lf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_memfd_in_release,
							in), 0);
	return in;
}

/* The handover's memfd comes back whole, in the very pages handed over. */
static void luo_memfd_retrieve_revived(struct kunit *test)
{
	struct luo_memfd_in *in;
	struct folio *folio;
	struct file *file;
	u8 *buf, want;
	loff_t pos = 0;
	size_t off;
	int err;

	luo_memfd_need_luo(test);
	in = luo_memfd_in(test);
	scoped_guard(mutex, &luo_lock)
		err = luo_file_retrieve(in->lf, &file);
	luo_memfd_in_settle(in);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_memfd_fput,
							file), 0);
	/* Once only. */
	scoped_guard(mutex, &luo_lock)
		KUNIT_EXPECT_EQ(test, luo_file_retrieve(in->lf, &file), -ENOENT);

	KUNIT_EXPECT_EQ(test, i_size_read(file_inode(file)), LUO_MEMFD_IN_SIZE);
	KUNIT_EXPECT_EQ(test, file->f_pos, LUO_MEMFD_IN_POS);
	folio = filemap_get_folio(file->f_mapping, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	KUNIT_EXPECT_PTR_EQ(test, folio, page_folio(in->data[1]->page));
	folio_put(folio);
	/* Everything was taken: the blocks now belong to the file. */
	KUNIT_EXPECT_TRUE(test, in->ser->taken && in->chunk->taken &&
			  in->list->taken && in->data[0]->taken &&
			  in->data[1]->taken);

	buf = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kernel_read(file, buf, 3 * PAGE_SIZE, &pos),
			LUO_MEMFD_IN_SIZE);
	for (off = 0; off < LUO_MEMFD_IN_SIZE; off++) {
		want = off / PAGE_SIZE == 1 ? 0 :
		       luo_memfd_byte(off / PAGE_SIZE, off % PAGE_SIZE);
		if (buf[off] != want) {
			KUNIT_FAIL(test, "byte %zu: %#x, not %#x", off, buf[off], want);
			break;
		}
	}
}

/* Finished without a retrieve: every block given back to the system. */
static void luo_memfd_finish_unretrieved(struct kunit *test)
{
	struct luo_memfd_in *in;

	luo_memfd_need_luo(test);
	in = luo_memfd_in(test);
	scoped_guard(mutex, &luo_lock)
		luo_file_finish(in->lf);
	in->lf = NULL;
	luo_memfd_in_settle(in);
	KUNIT_EXPECT_TRUE(test, in->ser->taken && in->chunk->taken &&
			  in->list->taken && in->data[0]->taken &&
			  in->data[1]->taken);
}

/*
 * A folio list that names a folio which is not preserved memory: the
 * retrieve fails with -EINVAL, and so does a second try; finish gives back
 * what is left.
 */
static void luo_memfd_retrieve_bad_folio(struct kunit *test)
{
	struct memfd_luo_folio_ser *list;
	struct luo_memfd_in *in;
	struct file *file;
	int err;

	luo_memfd_need_luo(test);
	in = luo_memfd_in(test);
	list = page_address(in->list->page);
	list[1].pfn = page_to_pfn(in->ser->page);
	scoped_guard(mutex, &luo_lock) {
		err = luo_file_retrieve(in->lf, &file);
		KUNIT_EXPECT_EQ(test, err, -EINVAL);
		KUNIT_EXPECT_EQ(test, luo_file_retrieve(in->lf, &file), -EINVAL);
		luo_file_finish(in->lf);
	}
	in->lf = NULL;
	luo_memfd_in_settle(in);
	/* data[1] was never named: it stays the previous kernel's. */
	KUNIT_EXPECT_TRUE(test, in->ser->taken && in->chunk->taken &&
			  in->list->taken && in->data[0]->taken);
	KUNIT_EXPECT_FALSE(test, in->data[1]->taken);
}

static struct kunit_case luo_memfd_cases[] = {
	KUNIT_CASE(luo_memfd_preserve_freeze),
	KUNIT_CASE_PARAM(luo_memfd_check_ser, luo_memfd_ser_case_gen_params),
	KUNIT_CASE_PARAM(luo_memfd_check_list, luo_memfd_list_case_gen_params),
	KUNIT_CASE(luo_memfd_retrieve_revived),
	KUNIT_CASE(luo_memfd_finish_unretrieved),
	KUNIT_CASE(luo_memfd_retrieve_bad_folio),
	{}
};

static struct kunit_suite luo_memfd_suite = {
	.name = "luo_memfd",
	.test_cases = luo_memfd_cases,
};

kunit_test_suite(luo_memfd_suite);

MODULE_DESCRIPTION("KUnit tests of the LUO memfd file handler");
MODULE_LICENSE("GPL");
