// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of KHO's tracking of preserved memory: the radix tree of
 * include/linux/kho/abi/kexec_handover.h, how ranges are split into blocks,
 * and the preserve, unpreserve, restore, alloc and vmalloc API.
 *
 * The radix tests work on private trees. Tests of the outgoing tree need
 * KHO on (kho=on or KEXEC_HANDOVER_ENABLE_DEFAULT) and skip otherwise.
 * Every test undoes what it preserved, also when it fails, so that nothing
 * of it is handed over to the next kernel. Run them with
 *
 *   ./tools/testing/kunit/kunit.py run --arch=x86_64 \
 *	--kunitconfig=kernel/liveupdate
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

#include "kexec_handover_internal.h"
#include "kho_preserve.h"
#include "kho_radix.h"
#include "kho_restore.h"
#include "kho_revive.h"
#include "kho_scratch.h"

/* Keys lie below 2^52 pages' worth of physical address. */
#define KHO_TEST_PA_LIMIT	BIT_ULL(KHO_RADIX_ORDER_SHIFT)

static u64 kho_test_block_size(unsigned int order)
{
	return (u64)PAGE_SIZE << order;
}

static int kho_test_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Radix tree */

/*
 * Node allocator of the radix cases, a static stub of
 * kho_radix_alloc_node() for the test that activates it: fails once
 * @kho_test_alloc_budget allocations succeeded. KUnit runs the cases of a suite one at a time,
 * so plain globals do; the suite's init resets them.
 */
static int kho_test_alloc_budget;
static unsigned int kho_test_alloc_calls;

static void *kho_test_alloc(void)
{
	kho_test_alloc_calls++;
	if (kho_test_alloc_budget <= 0)
		return NULL;
	kho_test_alloc_budget--;
	/* The tree frees its nodes with free_page(). */
	return (void *)get_zeroed_page(GFP_KERNEL);
}

static int kho_radix_suite_init(struct kunit *test)
{
	kho_test_alloc_budget = INT_MAX;
	kho_test_alloc_calls = 0;
	return 0;
}

KUNIT_DEFINE_ACTION_WRAPPER(kho_test_radix_destroy, kho_radix_destroy,
			    struct kho_radix_tree *);

/* An empty private tree; this test's tree nodes come from kho_test_alloc(). */
static struct kho_radix_tree *kho_test_tree(struct kunit *test)
{
	struct kho_radix_tree *tree;

	tree = kunit_kzalloc(test, sizeof(*tree), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tree);
	kunit_activate_static_stub(test, kho_radix_alloc_node, kho_test_alloc);
	KUNIT_ASSERT_EQ(test, kho_radix_init(tree), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_test_radix_destroy,
							tree), 0);
	return tree;
}

#define KHO_TEST_RECORDS	64

/* What a walk saw: its tables (by level, below the root) and keys. */
struct kho_test_walk {
	unsigned long nr_tables;
	unsigned long tables_at[KHO_RADIX_LEVELS - 1];
	unsigned long nr_keys;
	u64 last_key;
	bool bad_table;
	bool out_of_order;
	u64 table_pa[KHO_TEST_RECORDS];
	u64 keys[KHO_TEST_RECORDS];
};

static int kho_test_walk_table(phys_addr_t pa, unsigned int level, void *arg)
{
	struct kho_test_walk *w = arg;

	if (level >= KHO_RADIX_LEVELS - 1 || !pa || !PAGE_ALIGNED(pa))
		w->bad_table = true;
	else
		w->tables_at[level]++;
	if (w->nr_tables < KHO_TEST_RECORDS)
		w->table_pa[w->nr_tables] = pa;
	w->nr_tables++;
	return 0;
}

static int kho_test_walk_block(u64 key, void *arg)
{
	struct kho_test_walk *w = arg;

	if (w->nr_keys && key <= w->last_key)
		w->out_of_order = true;
	w->last_key = key;
	if (w->nr_keys < KHO_TEST_RECORDS)
		w->keys[w->nr_keys] = key;
	w->nr_keys++;
	return 0;
}

static const struct kho_radix_walk_ops kho_test_walk_ops = {
	.table = kho_test_walk_table,
	.block = kho_test_walk_block,
};

static struct kho_test_walk *kho_test_walk_tree(struct kunit *test,
						struct kho_radix_tree *tree)
{
	struct kho_test_walk *w;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, kho_radix_walk(tree->root, &kho_test_walk_ops, w), 0);
	KUNIT_EXPECT_FALSE_MSG(test, w->bad_table,
			       "walk reported a table of a bad level or address");
	KUNIT_EXPECT_FALSE_MSG(test, w->out_of_order,
			       "walk visited keys out of increasing order");
	return w;
}

/* The same tree pages and the same keys. */
static void kho_test_expect_same_tree(struct kunit *test,
				      const struct kho_test_walk *a,
				      const struct kho_test_walk *b)
{
	KUNIT_EXPECT_EQ(test, a->nr_tables, b->nr_tables);
	KUNIT_EXPECT_EQ(test, a->nr_keys, b->nr_keys);
	KUNIT_EXPECT_MEMEQ(test, a->table_pa, b->table_pa, sizeof(a->table_pa));
	KUNIT_EXPECT_MEMEQ(test, a->keys, b->keys, sizeof(a->keys));
}

static void kho_radix_key_round_trip(struct kunit *test)
{
	unsigned int order, i;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		u64 bs = kho_test_block_size(order);
		const u64 pas[] = {
			0,
			bs,
			7 * bs,
			ALIGN_DOWN(0x123456789000ULL, bs),
			SZ_4G + bs,
			KHO_TEST_PA_LIMIT - 2 * bs,
			KHO_TEST_PA_LIMIT - bs,	/* highest block below 2^52 */
		};

		for (i = 0; i < ARRAY_SIZE(pas); i++) {
			u64 key = kho_radix_key(pas[i], order);

			KUNIT_EXPECT_EQ_MSG(test, kho_radix_key_order(key), order,
					    "pa %#llx order %u", pas[i], order);
			KUNIT_EXPECT_EQ_MSG(test, (u64)kho_radix_key_pa(key), pas[i],
					    "pa %#llx order %u", pas[i], order);
			/* The order bit is the highest bit set. */
			KUNIT_EXPECT_EQ_MSG(test, fls64(key),
					    KHO_RADIX_ORDER_SHIFT - order + 1,
					    "pa %#llx order %u", pas[i], order);
			/* Leaf and table indices cover every key bit. */
			KUNIT_EXPECT_LT_MSG(test, key,
					    BIT_ULL(KHO_RADIX_LEAF_BITS +
						    (KHO_RADIX_LEVELS - 1) *
						    KHO_RADIX_TABLE_BITS),
					    "pa %#llx order %u", pas[i], order);
		}
	}
}

/* Known answers: the encoding is ABI between two kernels. */
static void kho_radix_key_abi_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kho_radix_key(0, 0), BIT_ULL(52));
	KUNIT_EXPECT_EQ(test, kho_radix_key(0x1000, 0), BIT_ULL(52) | 1);
	KUNIT_EXPECT_EQ(test, kho_radix_key(0x200000, 9), BIT_ULL(43) | 1);
	KUNIT_EXPECT_EQ(test, kho_radix_key(0x40000000, 10),
			BIT_ULL(42) | 0x100);
	KUNIT_EXPECT_EQ(test, kho_radix_key(BIT_ULL(52) - 0x1000, 0),
			BIT_ULL(52) | (BIT_ULL(40) - 1));
	KUNIT_EXPECT_EQ(test, kho_radix_key_order(BIT_ULL(52)), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_key_order(BIT_ULL(42) | 0x100), 10);
	KUNIT_EXPECT_EQ(test, (u64)kho_radix_key_pa(BIT_ULL(42) | 0x100),
			0x40000000ULL);
	/* Keys that encode no order. */
	KUNIT_EXPECT_GT(test, kho_radix_key_order(0), KHO_RADIX_ORDER_SHIFT);
	KUNIT_EXPECT_GT(test, kho_radix_key_order(BIT_ULL(53)),
			KHO_RADIX_ORDER_SHIFT);
}

static void kho_radix_keys_distinct(struct kunit *test)
{
	/* Far enough apart that blocks of different bases never meet. */
	const u64 span = 4 * kho_test_block_size(MAX_PAGE_ORDER);
	const u64 bases[] = {
		0, SZ_1G, BIT_ULL(40), KHO_TEST_PA_LIMIT - span,
	};
	unsigned int order, i, k, n = 0, dups = 0;
	u64 *keys;

	keys = kunit_kcalloc(test, ARRAY_SIZE(bases) * 4 * (MAX_PAGE_ORDER + 1),
			     sizeof(*keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);

	/* Distinct (pa, order) pairs, same pa at many orders included. */
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		for (i = 0; i < ARRAY_SIZE(bases); i++) {
			for (k = 0; k < 4; k++)
				keys[n++] = kho_radix_key(bases[i] +
							  k * kho_test_block_size(order),
							  order);
		}
	}

	sort(keys, n, sizeof(*keys), kho_test_cmp_u64, NULL);
	for (i = 1; i < n; i++) {
		if (keys[i] == keys[i - 1])
			dups++;
	}
	KUNIT_EXPECT_EQ_MSG(test, dups, 0, "%u duplicate keys among %u", dups, n);
}

static void kho_radix_set_test_clear(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 key = kho_radix_key(SZ_1G, 3);

	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree, key));
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, key), 0);
	KUNIT_EXPECT_TRUE(test, kho_radix_test(tree, key));

	/* Same address at other orders, neighbours at the same order. */
	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree, kho_radix_key(SZ_1G, 0)));
	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree, kho_radix_key(SZ_1G, 4)));
	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree,
						kho_radix_key(SZ_1G - SZ_32K, 3)));
	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree,
						kho_radix_key(SZ_1G + SZ_32K, 3)));

	KUNIT_EXPECT_EQ(test, kho_radix_clear(tree, key), 0);
	KUNIT_EXPECT_FALSE(test, kho_radix_test(tree, key));
}

static void kho_radix_set_twice_eexist(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 key = kho_radix_key(SZ_2M, 0);
	struct kho_test_walk *before;

	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, key), 0);
	before = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, kho_radix_set(tree, key), -EEXIST);
	kho_test_expect_same_tree(test, before, kho_test_walk_tree(test, tree));
	KUNIT_EXPECT_TRUE(test, kho_radix_test(tree, key));
}

static void kho_radix_clear_unset_enoent(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 key = kho_radix_key(SZ_2M, 0);
	struct kho_test_walk *before;

	/* No path to the key at all. */
	KUNIT_EXPECT_EQ(test, kho_radix_clear(tree, key), -ENOENT);

	/* A neighbour in the same leaf: the path exists, the bit does not. */
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, key), 0);
	before = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, kho_radix_clear(tree, kho_radix_key(SZ_2M + SZ_4K, 0)),
			-ENOENT);
	kho_test_expect_same_tree(test, before, kho_test_walk_tree(test, tree));

	KUNIT_EXPECT_EQ(test, kho_radix_clear(tree, key), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_clear(tree, key), -ENOENT);
}

static void kho_radix_walk_in_key_order(struct kunit *test)
{
	static const struct {
		u64 pa;
		unsigned int order;
	} blocks[] = {
		{ KHO_TEST_PA_LIMIT - SZ_4K, 0 },
		{ 0, 10 },
		{ SZ_1G, 9 },
		{ 3 * SZ_4K, 0 },
		{ SZ_2M, 0 },
		{ 0, 0 },
		{ KHO_TEST_PA_LIMIT - SZ_4M, 10 },
		{ SZ_8K, 1 },
		{ SZ_1G, 0 },
		{ 0x123456000ULL, 0 },
		{ SZ_4G, 5 },
		{ BIT_ULL(45), 2 },
	};
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 keys[ARRAY_SIZE(blocks)];
	struct kho_test_walk *w;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		keys[i] = kho_radix_key(blocks[i].pa, blocks[i].order);
		KUNIT_ASSERT_EQ(test, kho_radix_set(tree, keys[i]), 0);
	}
	sort(keys, ARRAY_SIZE(keys), sizeof(keys[0]), kho_test_cmp_u64, NULL);

	w = kho_test_walk_tree(test, tree);
	KUNIT_ASSERT_EQ(test, w->nr_keys, ARRAY_SIZE(keys));
	KUNIT_EXPECT_MEMEQ(test, w->keys, keys, sizeof(keys));
}

static void kho_radix_walk_counts_tables(struct kunit *test)
{
	static const struct {
		u64 pa;
		unsigned int order;
		unsigned long tables_at[KHO_RADIX_LEVELS - 1];	/* leaf first */
		unsigned long nr_keys;
	} steps[] = {
		/* A full path below the root. */
		{ 0, 0, { 1, 1, 1, 1, 1 }, 1 },
		/* Same leaf. */
		{ SZ_4K, 0, { 1, 1, 1, 1, 1 }, 2 },
		/* Next leaf of the same level 1 table. */
		{ BIT_ULL(27), 0, { 2, 1, 1, 1, 1 }, 3 },
		/* Order 1 keys sit under another root slot. */
		{ 0, 1, { 3, 2, 2, 2, 2 }, 4 },
	};
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_walk *w;
	unsigned int i, level;

	w = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, w->nr_tables, 0);
	KUNIT_EXPECT_EQ(test, w->nr_keys, 0);

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		unsigned long total = 0;

		KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(steps[i].pa,
									steps[i].order)), 0);
		w = kho_test_walk_tree(test, tree);
		for (level = 0; level < KHO_RADIX_LEVELS - 1; level++) {
			KUNIT_EXPECT_EQ_MSG(test, w->tables_at[level],
					    steps[i].tables_at[level],
					    "step %u, level %u", i, level);
			total += steps[i].tables_at[level];
		}
		KUNIT_EXPECT_EQ_MSG(test, w->nr_tables, total, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w->nr_keys, steps[i].nr_keys, "step %u", i);
	}
}

struct kho_test_stop {
	unsigned int tables, keys;
	unsigned int stop_at_table, stop_at_key;
};

static int kho_test_stop_table(phys_addr_t pa, unsigned int level, void *arg)
{
	struct kho_test_stop *s = arg;

	return ++s->tables == s->stop_at_table ? -EBADMSG : 0;
}

static int kho_test_stop_block(u64 key, void *arg)
{
	struct kho_test_stop *s = arg;

	return ++s->keys == s->stop_at_key ? -ECANCELED : 0;
}

static const struct kho_radix_walk_ops kho_test_stop_ops = {
	.table = kho_test_stop_table,
	.block = kho_test_stop_block,
};

struct kho_test_runs {
	unsigned int nr;
	u64 key[8];
	unsigned long len[8];
};

static int kho_test_run(u64 key, unsigned long nr, void *arg)
{
	struct kho_test_runs *r = arg;

	if (r->nr < ARRAY_SIZE(r->key)) {
		r->key[r->nr] = key;
		r->len[r->nr] = nr;
	}
	r->nr++;
	return 0;
}

static const struct kho_radix_walk_ops kho_test_run_ops = {
	.run = kho_test_run,
};

/*
 * Runs are maximal sequences of set keys within one leaf: a gap ends one,
 * a leaf boundary too, and another order is another run.
 */
static void kho_radix_walk_reports_runs(struct kunit *test)
{
	/* The last order-0 page of the first leaf, then the next leaf. */
	const u64 edge = (u64)(KHO_RADIX_LEAF_SIZE - 2) << PAGE_SHIFT;
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_runs r = { };
	unsigned int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(edge + i * SZ_4K, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(edge + 6 * SZ_4K, 0)), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(i * SZ_8K, 1)), 0);

	KUNIT_ASSERT_EQ(test, kho_radix_walk(tree->root, &kho_test_run_ops, &r), 0);
	KUNIT_ASSERT_EQ(test, r.nr, 4);
	/* Order 1 keys are smaller: they come first. */
	KUNIT_EXPECT_EQ(test, r.key[0], kho_radix_key(0, 1));
	KUNIT_EXPECT_EQ(test, r.len[0], 3);
	KUNIT_EXPECT_EQ(test, r.key[1], kho_radix_key(edge, 0));
	KUNIT_EXPECT_EQ(test, r.len[1], 2);
	KUNIT_EXPECT_EQ(test, r.key[2], kho_radix_key(edge + 2 * SZ_4K, 0));
	KUNIT_EXPECT_EQ(test, r.len[2], 2);
	KUNIT_EXPECT_EQ(test, r.key[3], kho_radix_key(edge + 6 * SZ_4K, 0));
	KUNIT_EXPECT_EQ(test, r.len[3], 1);
}

/* A full leaf is one run, however many keys it holds. */
static void kho_radix_walk_full_leaf_is_one_run(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_runs r = { };
	unsigned long i;

	for (i = 0; i < KHO_RADIX_LEAF_SIZE; i++)
		KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(SZ_1G + i * SZ_4K, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_walk(tree->root, &kho_test_run_ops, &r), 0);
	KUNIT_ASSERT_EQ(test, r.nr, 1);
	KUNIT_EXPECT_EQ(test, r.key[0], kho_radix_key(SZ_1G, 0));
	KUNIT_EXPECT_EQ(test, r.len[0], KHO_RADIX_LEAF_SIZE);
}

static void kho_radix_walk_stops_on_callback_error(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_stop s;

	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(0, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(SZ_1G, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(SZ_4G, 0)), 0);

	s = (struct kho_test_stop){ .stop_at_key = 2 };
	KUNIT_EXPECT_EQ(test, kho_radix_walk(tree->root, &kho_test_stop_ops, &s),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, s.keys, 2);

	/* A table refused before it is entered. */
	s = (struct kho_test_stop){ .stop_at_table = 1 };
	KUNIT_EXPECT_EQ(test, kho_radix_walk(tree->root, &kho_test_stop_ops, &s),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, s.tables, 1);
	KUNIT_EXPECT_EQ(test, s.keys, 0);
}

static void kho_radix_init_nomem(struct kunit *test)
{
	struct kho_radix_tree tree = { };
	int err;

	kunit_activate_static_stub(test, kho_radix_alloc_node, kho_test_alloc);
	kho_test_alloc_budget = 0;
	err = kho_radix_init(&tree);
	if (!err)
		kho_radix_destroy(&tree);
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);
	KUNIT_EXPECT_NULL(test, tree.root);
}

static void kho_radix_set_nomem_rolls_back(struct kunit *test)
{
	static const struct {
		u64 pa;
		unsigned int order;
		unsigned int new_nodes;
	} cases[] = {
		/* Another root slot: every node below the root is new. */
		{ SZ_1G, 2, KHO_RADIX_LEVELS - 1 },
		/* Shares the tables down to level 2: level 1 table and leaf. */
		{ BIT_ULL(36), 0, 2 },
		/* Shares every table: a new leaf. */
		{ BIT_ULL(27), 0, 1 },
	};
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_walk *before, *w;
	unsigned int i, n;

	/* The tree is not empty: the rollback must leave this alone. */
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, kho_radix_key(0, 0)), 0);
	before = kho_test_walk_tree(test, tree);
	KUNIT_ASSERT_EQ(test, before->nr_tables, KHO_RADIX_LEVELS - 1);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 key = kho_radix_key(cases[i].pa, cases[i].order);

		for (n = 0; n < cases[i].new_nodes; n++) {
			kho_test_alloc_budget = n;
			kho_test_alloc_calls = 0;
			KUNIT_EXPECT_EQ_MSG(test, kho_radix_set(tree, key), -ENOMEM,
					    "case %u, fail after %u", i, n);
			KUNIT_EXPECT_EQ_MSG(test, kho_test_alloc_calls, n + 1,
					    "case %u, fail after %u", i, n);
			kho_test_expect_same_tree(test, before,
						  kho_test_walk_tree(test, tree));
			KUNIT_EXPECT_FALSE(test, kho_radix_test(tree, key));

			/* With a working allocator the same key goes in. */
			kho_test_alloc_budget = INT_MAX;
			KUNIT_ASSERT_EQ_MSG(test, kho_radix_set(tree, key), 0,
					    "case %u, after %u", i, n);
			w = kho_test_walk_tree(test, tree);
			KUNIT_EXPECT_EQ(test, w->nr_tables,
					before->nr_tables + cases[i].new_nodes);
			KUNIT_EXPECT_EQ(test, w->nr_keys, before->nr_keys + 1);
			KUNIT_ASSERT_EQ(test, kho_radix_clear(tree, key), 0);
			kho_test_expect_same_tree(test, before,
						  kho_test_walk_tree(test, tree));
		}
	}
}

static void kho_radix_clear_prunes(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 a = kho_radix_key(0, 0);
	u64 b = kho_radix_key(BIT_ULL(27), 0);	/* another leaf */
	u64 c = kho_radix_key(SZ_4K, 0);	/* the leaf of a */
	struct kho_test_walk *w;

	/* Set and clear one key: only the root is left. */
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, a), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_clear(tree, a), 0);
	w = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, w->nr_tables, 0);
	KUNIT_EXPECT_EQ(test, w->nr_keys, 0);

	/* An emptied leaf goes, the tables still in use stay. */
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, a), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, b), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_clear(tree, b), 0);
	w = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, w->nr_tables, KHO_RADIX_LEVELS - 1);
	KUNIT_EXPECT_EQ(test, w->tables_at[0], 1);

	/* A leaf with a key left stays. */
	KUNIT_ASSERT_EQ(test, kho_radix_set(tree, c), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_clear(tree, a), 0);
	w = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, w->nr_tables, KHO_RADIX_LEVELS - 1);
	KUNIT_EXPECT_EQ(test, w->nr_keys, 1);

	KUNIT_ASSERT_EQ(test, kho_radix_clear(tree, c), 0);
	w = kho_test_walk_tree(test, tree);
	KUNIT_EXPECT_EQ(test, w->nr_tables, 0);
	KUNIT_EXPECT_EQ(test, w->nr_keys, 0);
}

static struct kunit_case kho_radix_cases[] = {
	KUNIT_CASE(kho_radix_key_round_trip),
	KUNIT_CASE(kho_radix_key_abi_values),
	KUNIT_CASE(kho_radix_keys_distinct),
	KUNIT_CASE(kho_radix_set_test_clear),
	KUNIT_CASE(kho_radix_set_twice_eexist),
	KUNIT_CASE(kho_radix_clear_unset_enoent),
	KUNIT_CASE(kho_radix_walk_in_key_order),
	KUNIT_CASE(kho_radix_walk_counts_tables),
	KUNIT_CASE(kho_radix_walk_stops_on_callback_error),
	KUNIT_CASE(kho_radix_walk_reports_runs),
	KUNIT_CASE(kho_radix_walk_full_leaf_is_one_run),
	KUNIT_CASE(kho_radix_init_nomem),
	KUNIT_CASE(kho_radix_set_nomem_rolls_back),
	KUNIT_CASE(kho_radix_clear_prunes),
	{}
};

static struct kunit_suite kho_radix_suite = {
	.name = "kho_radix",
	.init = kho_radix_suite_init,
	.test_cases = kho_radix_cases,
};

/* Preserved memory */

/* KHO is on and its outgoing tree is ready. */
static bool kho_test_ready(void)
{
	return kho_is_enabled() && kho_mem_map_phys();
}

static void kho_test_need_kho(struct kunit *test)
{
	if (!kho_test_ready())
		kunit_skip(test, "KHO is off (boot with kho=on)");
}

/* Take back every preserved block of order <= @max_order in a range. */
static void kho_test_unpreserve_range(unsigned long start, unsigned long nr,
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

/* Memory a test preserves; freed only after anything of it is unpreserved. */
struct kho_test_block {
	struct page *page;
	struct folio *folio;
	unsigned int order;
};

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

static struct kho_test_block *kho_test_alloc_block(struct kunit *test,
						   unsigned int order,
						   bool folio)
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

/* Restore, on blocks made to look revived */

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

static unsigned long kho_test_nr_changed(struct page *page, unsigned int order)
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

struct kho_test_revived {
	struct page *page;
	unsigned int order;
	bool revived;		/* marked and not handed back yet */
	struct folio *folio;	/* handed back as a folio */
	bool taken;		/* handed back, and freed by its new owner */
};

static struct page *kho_test_restore_pages(struct kho_test_revived *r,
					   unsigned long nr)
{
	struct page *page = kho_restore_pages(page_to_phys(r->page), nr);

	if (page)
		r->revived = false;
	return page;
}

static struct folio *kho_test_restore_folio(struct kho_test_revived *r)
{
	struct folio *folio = kho_restore_folio(page_to_phys(r->page));

	if (folio) {
		r->revived = false;
		r->folio = folio;
	}
	return folio;
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
static struct kho_test_revived *kho_test_revive(struct kunit *test,
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
static void kho_test_expect_handed_back(struct kunit *test, struct page *page,
					unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		KUNIT_EXPECT_FALSE_MSG(test, PageReserved(page + i),
				       "page %lu of an order-%u block", i, order);
	KUNIT_EXPECT_EQ(test, kho_test_nr_changed(page, order), 0);
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
	KUNIT_CASE(kho_restore_not_revived_null),
	KUNIT_CASE(kho_restore_twice_null),
	KUNIT_CASE(kho_restore_pages_wrong_nr_null),
	KUNIT_CASE(kho_restore_pages_intact),
	KUNIT_CASE(kho_restore_folio_intact),
	KUNIT_CASE(kho_alloc_preserve_round_trip),
	KUNIT_CASE(kho_vmalloc_round_trip),
	KUNIT_CASE(kho_vmalloc_not_vmalloc_einval),
	KUNIT_CASE(kho_restore_vmalloc_failure_keeps_pages),
	KUNIT_CASE(kho_range_revived_inside_blocks),
	KUNIT_CASE(kho_sort_ranges_merges_touching),
	KUNIT_CASE(kho_sort_ranges_sorted_apart),
	KUNIT_CASE(kho_sort_ranges_overlap_refused),
	{}
};

static struct kunit_suite kho_preserve_suite = {
	.name = "kho_preserve",
	.test_cases = kho_preserve_cases,
};

kunit_test_suites(&kho_radix_suite, &kho_preserve_suite);

MODULE_DESCRIPTION("KUnit tests of kexec handover memory tracking");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
