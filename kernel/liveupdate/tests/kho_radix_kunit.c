// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the radix tree of preserved blocks (kho_radix.c), in the
 * format of include/linux/kho/abi/kexec_handover.h: the key encoding, set,
 * test and clear, walks, failing node allocations and pruning. They work on
 * private trees, so they run whether KHO is on or not.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/sort.h>

#include "../kho_radix.h"

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

kunit_test_suite(kho_radix_suite);

MODULE_DESCRIPTION("KUnit tests of the KHO radix tree");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
