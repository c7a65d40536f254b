// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memblock_reserve_sorted(): a batch of sorted ranges gives the same
 * reserved array as memblock_reserve() of each range, growing the array
 * when needed, and nothing changes on bad input.
 */
#include "reserve_sorted_api.h"

#define FUNC_RESERVE_SORTED	"memblock_reserve_sorted"
#define MANY			300

static struct memblock_region batch[MANY];
static struct memblock_region want[INIT_MEMBLOCK_RESERVED_REGIONS];

/* Reserve @n ranges one by one and keep the result in want[]. */
static unsigned long reserve_one_by_one(const struct memblock_region *rg,
					unsigned long n)
{
	unsigned long i, cnt;

	for (i = 0; i < n; i++)
		memblock_reserve(rg[i].base, rg[i].size);
	cnt = memblock.reserved.cnt;
	memcpy(want, memblock.reserved.regions, cnt * sizeof(want[0]));
	return cnt;
}

/*
 * Ranges around, across and inside regions reserved already: the result
 * is what memblock_reserve() makes of them one by one.
 *
 *  |  +--+  +----+   +------+  +--+      |   reserved already
 *  |+-----+   +--------+ +--+ +------+ +--+|  the batch
 */
static int reserve_sorted_like_reserve_check(void)
{
	static const struct memblock_region old[] = {
		{ .base = SZ_64K, .size = SZ_16K },
		{ .base = SZ_128K, .size = SZ_64K },
		{ .base = SZ_512K, .size = SZ_128K },
		{ .base = SZ_1M, .size = SZ_16K },
	};
	static const struct memblock_region rg[] = {
		{ .base = SZ_32K, .size = SZ_64K },		/* over old[0] */
		{ .base = SZ_128K + SZ_32K, .size = SZ_128K },	/* from inside old[1] */
		{ .base = SZ_512K + SZ_16K, .size = SZ_16K },	/* inside old[2] */
		{ .base = SZ_1M - SZ_16K, .size = SZ_64K },	/* across old[3] */
		{ .base = SZ_2M, .size = SZ_4K },		/* above all */
	};
	unsigned long i, cnt;
	phys_addr_t total;

	PREFIX_PUSH();

	reset_memblock_regions();
	for (i = 0; i < ARRAY_SIZE(old); i++)
		memblock_reserve(old[i].base, old[i].size);
	cnt = reserve_one_by_one(rg, ARRAY_SIZE(rg));
	total = memblock.reserved.total_size;

	reset_memblock_regions();
	for (i = 0; i < ARRAY_SIZE(old); i++)
		memblock_reserve(old[i].base, old[i].size);
	ASSERT_EQ(0, memblock_reserve_sorted(rg, ARRAY_SIZE(rg), 0));
	ASSERT_EQ(cnt, memblock.reserved.cnt);
	ASSERT_EQ(total, memblock.reserved.total_size);
	for (i = 0; i < cnt; i++) {
		ASSERT_EQ(want[i].base, memblock.reserved.regions[i].base);
		ASSERT_EQ(want[i].size, memblock.reserved.regions[i].size);
		ASSERT_EQ(want[i].flags, memblock.reserved.regions[i].flags);
	}

	test_pass_pop();

	return 0;
}

/*
 * New regions get the flags asked for; where a range meets a region
 * reserved already, that part keeps its region and flags.
 */
static int reserve_sorted_flags_check(void)
{
	struct memblock_region *rgn = memblock.reserved.regions;
	static const struct memblock_region rg[] = {
		{ .base = SZ_1M, .size = SZ_64K },
	};

	PREFIX_PUSH();

	reset_memblock_regions();
	memblock_reserve(SZ_1M + SZ_16K, SZ_16K);
	ASSERT_EQ(0, memblock_reserve_sorted(rg, 1, MEMBLOCK_RSRV_NOINIT));
	ASSERT_EQ(3, memblock.reserved.cnt);
	ASSERT_EQ(SZ_64K, memblock.reserved.total_size);
	ASSERT_EQ(SZ_1M, rgn[0].base);
	ASSERT_EQ(SZ_16K, rgn[0].size);
	ASSERT_EQ(MEMBLOCK_RSRV_NOINIT, rgn[0].flags);
	ASSERT_EQ(0, rgn[1].flags);
	ASSERT_EQ(SZ_1M + SZ_32K, rgn[2].base);
	ASSERT_EQ(SZ_32K, rgn[2].size);
	ASSERT_EQ(MEMBLOCK_RSRV_NOINIT, rgn[2].flags);

	test_pass_pop();

	return 0;
}

/* Unsorted, touching or empty ranges: -EINVAL, nothing reserved. */
static int reserve_sorted_bad_input_check(void)
{
	static const struct memblock_region unsorted[] = {
		{ .base = SZ_2M, .size = SZ_4K },
		{ .base = SZ_1M, .size = SZ_4K },
	};
	static const struct memblock_region touching[] = {
		{ .base = SZ_1M, .size = SZ_4K },
		{ .base = SZ_1M + SZ_4K, .size = SZ_4K },
	};
	static const struct memblock_region empty[] = {
		{ .base = SZ_1M, .size = 0 },
	};

	PREFIX_PUSH();

	reset_memblock_regions();
	memblock_reserve(SZ_16K, SZ_16K);
	ASSERT_EQ(-EINVAL, memblock_reserve_sorted(unsorted, 2, 0));
	ASSERT_EQ(-EINVAL, memblock_reserve_sorted(touching, 2, 0));
	ASSERT_EQ(-EINVAL, memblock_reserve_sorted(empty, 1, 0));
	ASSERT_EQ(1, memblock.reserved.cnt);
	ASSERT_EQ(SZ_16K, memblock.reserved.total_size);
	ASSERT_EQ(0, memblock_reserve_sorted(unsorted, 0, 0));
	ASSERT_EQ(1, memblock.reserved.cnt);

	test_pass_pop();

	return 0;
}

/*
 * More ranges than the array holds: it grows (from memory, like
 * memblock_double_array() always does), and every range has its region.
 */
static int reserve_sorted_grows_check(void)
{
	void *orig = memblock.reserved.regions;
	phys_addr_t base = SZ_16M, total = 0;
	unsigned long i, j;

	PREFIX_PUSH();

	reset_memblock_regions();
	memblock_allow_resize();
	dummy_physical_memory_init();
	memblock_add(dummy_physical_memory_base(), SZ_1M);

	for (i = 0; i < MANY; i++) {
		batch[i].base = base + i * SZ_8K;
		batch[i].size = SZ_4K;
		total += SZ_4K;
	}
	ASSERT_EQ(0, memblock_reserve_sorted(batch, MANY, 0));
	ASSERT_LE(2 * MANY, memblock.reserved.max);
	/* The batch, and the grown array itself, in the memory added. */
	ASSERT_EQ(MANY + 1, memblock.reserved.cnt);
	for (i = 0, j = 0; i < memblock.reserved.cnt; i++) {
		if (memblock.reserved.regions[i].base < base ||
		    memblock.reserved.regions[i].base >= base + MANY * SZ_8K)
			continue;
		ASSERT_EQ(batch[j].base, memblock.reserved.regions[i].base);
		ASSERT_EQ(batch[j].size, memblock.reserved.regions[i].size);
		j++;
	}
	ASSERT_EQ(MANY, j);
	ASSERT_LT(total, memblock.reserved.total_size);

	dummy_physical_memory_cleanup();
	memblock.reserved.regions = orig;
	memblock.reserved.cnt = INIT_MEMBLOCK_RESERVED_REGIONS;

	test_pass_pop();

	return 0;
}

int memblock_reserve_sorted_checks(void)
{
	prefix_reset();
	prefix_push(FUNC_RESERVE_SORTED);
	test_print("Running %s tests...\n", FUNC_RESERVE_SORTED);

	reserve_sorted_like_reserve_check();
	reserve_sorted_flags_check();
	reserve_sorted_bad_input_check();
	reserve_sorted_grows_check();

	prefix_pop();

	return 0;
}
