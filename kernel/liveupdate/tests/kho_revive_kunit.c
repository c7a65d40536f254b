// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the revival of the incoming tree (kho_revive.c):
 * kho_sort_ranges(), which sorts the ranges of preserved blocks, merges
 * those that touch and refuses overlaps.
 */

#include <kunit/test.h>
#include <linux/memblock.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "../kho_revive.h"

#define KHO_TEST_RG(b, s)	{ .base = (b), .size = (s) }

/* Revival's ranges come one order after another: sorted, merged, checked. */
static void kho_sort_ranges_merges_touching(struct kunit *test)
{
	struct memblock_region rg[] = {
		KHO_TEST_RG(SZ_16M, SZ_2M),		/* order 9 */
		KHO_TEST_RG(SZ_1G, SZ_4M),
		KHO_TEST_RG(SZ_16M + SZ_2M, SZ_4K),	/* order 0 */
		KHO_TEST_RG(SZ_64M, SZ_8K),
		KHO_TEST_RG(SZ_1G + SZ_4M, SZ_4K),
	};

	KUNIT_ASSERT_EQ(test, kho_sort_ranges(rg, ARRAY_SIZE(rg)), 3);
	KUNIT_EXPECT_EQ(test, rg[0].base, SZ_16M);
	KUNIT_EXPECT_EQ(test, rg[0].size, SZ_2M + SZ_4K);
	KUNIT_EXPECT_EQ(test, rg[1].base, SZ_64M);
	KUNIT_EXPECT_EQ(test, rg[1].size, SZ_8K);
	KUNIT_EXPECT_EQ(test, rg[2].base, SZ_1G);
	KUNIT_EXPECT_EQ(test, rg[2].size, SZ_4M + SZ_4K);
}

/* Sorted ranges apart from one another stay as they are. */
static void kho_sort_ranges_sorted_apart(struct kunit *test)
{
	struct memblock_region rg[16], want[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rg); i++)
		rg[i] = (struct memblock_region)KHO_TEST_RG(SZ_1G + i * SZ_8K, SZ_4K);
	memcpy(want, rg, sizeof(rg));
	KUNIT_ASSERT_EQ(test, kho_sort_ranges(rg, ARRAY_SIZE(rg)), ARRAY_SIZE(rg));
	KUNIT_EXPECT_MEMEQ(test, rg, want, sizeof(rg));
}

/* A block inside a bigger one, from two orders: the tree is refused. */
static void kho_sort_ranges_overlap_refused(struct kunit *test)
{
	struct memblock_region inside[] = {
		KHO_TEST_RG(SZ_4M, SZ_4M),		/* order 10 */
		KHO_TEST_RG(SZ_4M + SZ_1M, SZ_4K),	/* order 0 */
	};
	struct memblock_region across[] = {
		KHO_TEST_RG(SZ_8M, SZ_2M),
		KHO_TEST_RG(SZ_8M - SZ_4K, SZ_8K),
	};
	struct memblock_region one[] = { KHO_TEST_RG(SZ_8M, SZ_4K) };

	KUNIT_EXPECT_EQ(test, kho_sort_ranges(inside, ARRAY_SIZE(inside)), 0);
	KUNIT_EXPECT_EQ(test, kho_sort_ranges(across, ARRAY_SIZE(across)), 0);
	KUNIT_EXPECT_EQ(test, kho_sort_ranges(one, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_sort_ranges(one, 1), 1);
}

static struct kunit_case kho_revive_cases[] = {
	KUNIT_CASE(kho_sort_ranges_merges_touching),
	KUNIT_CASE(kho_sort_ranges_sorted_apart),
	KUNIT_CASE(kho_sort_ranges_overlap_refused),
	{}
};

static struct kunit_suite kho_revive_suite = {
	.name = "kho_revive",
	.test_cases = kho_revive_cases,
};

kunit_test_suite(kho_revive_suite);

MODULE_DESCRIPTION("KUnit tests of KHO's revival of preserved memory");
MODULE_LICENSE("GPL");
