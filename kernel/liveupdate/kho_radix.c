// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bitmap radix tree of preserved memory blocks, in the format of
 * include/linux/kho/abi/kexec_handover.h: every node is one page from the
 * buddy allocator, tables hold physical addresses so that the next kernel
 * can walk the tree before it has any allocator of its own.
 *
 * The functions here do no locking: the caller serializes updates.
 */

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "kho_radix.h"

static unsigned int kho_radix_index(u64 key, unsigned int level)
{
	if (!level)
		return key & (KHO_RADIX_LEAF_SIZE - 1);
	return (key >> (KHO_RADIX_LEAF_BITS +
			KHO_RADIX_TABLE_BITS * (level - 1))) &
	       (KHO_RADIX_ENTRIES - 1);
}

/*
 * Never slab: the next kernel sees these pages by physical address. Not in
 * scratch either, which is MIGRATE_CMA and so never serves GFP_KERNEL; the
 * next kernel refuses a tree with a page there.
 */
VISIBLE_IF_KUNIT void *kho_radix_alloc_node(void)
{
	KUNIT_STATIC_STUB_REDIRECT(kho_radix_alloc_node);
	return (void *)get_zeroed_page(GFP_KERNEL);
}

/**
 * kho_radix_init - set up an empty tree
 * @tree: the tree
 *
 * Return: 0, or -ENOMEM.
 */
int kho_radix_init(struct kho_radix_tree *tree)
{
	tree->root = kho_radix_alloc_node();
	return tree->root ? 0 : -ENOMEM;
}

static void kho_radix_free_table(u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < KHO_RADIX_ENTRIES; i++) {
		if (!table[i])
			continue;
		if (level > 1)
			kho_radix_free_table(phys_to_virt(table[i]), level - 1);
		else
			free_page((unsigned long)phys_to_virt(table[i]));
	}
	free_page((unsigned long)table);
}

/**
 * kho_radix_destroy - free every page of a tree
 * @tree: the tree
 */
void kho_radix_destroy(struct kho_radix_tree *tree)
{
	if (tree->root)
		kho_radix_free_table(tree->root, KHO_RADIX_LEVELS - 1);
	tree->root = NULL;
}

/**
 * kho_radix_set - add a key
 * @tree: the tree
 * @key: the key (see kho_radix_key())
 *
 * Allocates the missing nodes on the way down. On failure, nodes allocated
 * by this call are freed again, so the tree is as it was.
 *
 * Return: 0, -EEXIST when the key is already set, -ENOMEM.
 */
int kho_radix_set(struct kho_radix_tree *tree, u64 key)
{
	u64 *slots[KHO_RADIX_LEVELS];
	unsigned int level, n = 0;
	u64 *table = tree->root;
	unsigned long *leaf;

	for (level = KHO_RADIX_LEVELS - 1; level > 0; level--) {
		u64 *slot = &table[kho_radix_index(key, level)];

		if (!*slot) {
			void *node = kho_radix_alloc_node();

			if (!node)
				goto rollback;
			*slot = virt_to_phys(node);
			slots[n++] = slot;
		}
		table = phys_to_virt(*slot);
	}

	leaf = (unsigned long *)table;
	if (__test_and_set_bit(kho_radix_index(key, 0), leaf))
		return -EEXIST;
	return 0;

rollback:
	while (n--) {
		free_page((unsigned long)phys_to_virt(*slots[n]));
		*slots[n] = 0;
	}
	return -ENOMEM;
}

static bool kho_radix_node_empty(const void *node)
{
	return !memchr_inv(node, 0, PAGE_SIZE);
}

/**
 * kho_radix_clear - remove a key
 * @tree: the tree
 * @key: the key
 *
 * Nodes left empty are freed, so that a tree to which keys were added and
 * from which the same keys were removed is empty again.
 *
 * Return: 0, or -ENOENT when the key is not set.
 */
int kho_radix_clear(struct kho_radix_tree *tree, u64 key)
{
	u64 *slots[KHO_RADIX_LEVELS];
	u64 *table = tree->root;
	unsigned int level, n = 0;
	void *node;

	for (level = KHO_RADIX_LEVELS - 1; level > 0; level--) {
		u64 *slot = &table[kho_radix_index(key, level)];

		if (!*slot)
			return -ENOENT;
		slots[n++] = slot;
		table = phys_to_virt(*slot);
	}

	if (!__test_and_clear_bit(kho_radix_index(key, 0),
				  (unsigned long *)table))
		return -ENOENT;

	/* Prune from the leaf up; the root stays. */
	while (n--) {
		node = phys_to_virt(*slots[n]);
		if (!kho_radix_node_empty(node))
			break;
		free_page((unsigned long)node);
		*slots[n] = 0;
	}
	return 0;
}

/* The leaf that holds @key, or NULL when there is none. */
static unsigned long *kho_radix_leaf(struct kho_radix_tree *tree, u64 key)
{
	u64 *table = tree->root;
	unsigned int level;

	for (level = KHO_RADIX_LEVELS - 1; level > 0; level--) {
		u64 next = table[kho_radix_index(key, level)];

		if (!next)
			return NULL;
		table = phys_to_virt(next);
	}
	return (unsigned long *)table;
}

/**
 * kho_radix_take - remove a key, keeping every node
 * @tree: the tree
 * @key: the key
 *
 * For the incoming tree, whose nodes the previous kernel allocated: they
 * are reserved memory here, not pages of the buddy allocator, so nothing
 * is pruned.
 *
 * Return: true when @key was set.
 */
bool kho_radix_take(struct kho_radix_tree *tree, u64 key)
{
	unsigned long *leaf = kho_radix_leaf(tree, key);

	return leaf && __test_and_clear_bit(kho_radix_index(key, 0), leaf);
}

/**
 * kho_radix_put - put back a key taken with kho_radix_take()
 * @tree: the tree
 * @key: the key
 *
 * Never allocates: the key's leaf is still there, since kho_radix_take()
 * keeps every node.
 *
 * Return: true when the leaf was there and @key was not set.
 */
bool kho_radix_put(struct kho_radix_tree *tree, u64 key)
{
	unsigned long *leaf = kho_radix_leaf(tree, key);

	return leaf && !__test_and_set_bit(kho_radix_index(key, 0), leaf);
}

/**
 * kho_radix_test - is a key set
 * @tree: the tree
 * @key: the key
 *
 * Return: true when @key is in @tree.
 */
bool kho_radix_test(struct kho_radix_tree *tree, u64 key)
{
	unsigned long *leaf = kho_radix_leaf(tree, key);

	return leaf && test_bit(kho_radix_index(key, 0), leaf);
}

/**
 * kho_radix_any - is any key of a range set
 * @tree: the tree
 * @first: first key of the range
 * @last: last key of the range, inclusive
 *
 * Return: true when a key in [@first, @last] is in @tree.
 */
bool kho_radix_any(struct kho_radix_tree *tree, u64 first, u64 last)
{
	u64 key = first;

	while (key <= last) {
		u64 leaf_last = key | (KHO_RADIX_LEAF_SIZE - 1);
		unsigned long *leaf = kho_radix_leaf(tree, key);
		unsigned long from = key & (KHO_RADIX_LEAF_SIZE - 1);
		unsigned long to = (min(last, leaf_last) & (KHO_RADIX_LEAF_SIZE - 1)) + 1;

		if (leaf && find_next_bit(leaf, to, from) < to)
			return true;
		if (leaf_last >= last)
			break;
		key = leaf_last + 1;
	}
	return false;
}

static int kho_radix_walk_level(const u64 *table, unsigned int level, u64 prefix,
				const struct kho_radix_walk_ops *ops, void *arg)
{
	unsigned int shift = KHO_RADIX_LEAF_BITS + KHO_RADIX_TABLE_BITS * (level - 1);
	unsigned long bit, end;
	unsigned int i;
	int err;

	for (i = 0; i < KHO_RADIX_ENTRIES; i++) {
		u64 key = prefix | ((u64)i << shift);
		const void *child;

		if (!table[i])
			continue;
		if (ops->table) {
			err = ops->table(table[i], level - 1, arg);
			if (err)
				return err;
		}
		child = phys_to_virt(table[i]);

		if (level > 1) {
			err = kho_radix_walk_level(child, level - 1, key, ops, arg);
			if (err)
				return err;
			continue;
		}
		if (ops->run) {
			/* A word at a time: the cost is in runs, not in keys. */
			for_each_set_bitrange(bit, end, child, KHO_RADIX_LEAF_SIZE) {
				err = ops->run(key | bit, end - bit, arg);
				if (err)
					return err;
			}
		} else if (ops->block) {
			for_each_set_bit(bit, child, KHO_RADIX_LEAF_SIZE) {
				err = ops->block(key | bit, arg);
				if (err)
					return err;
			}
		}
	}
	return 0;
}

/**
 * kho_radix_walk - visit every node and key of a tree
 * @root: the root table (mapped)
 * @ops: what to call for tables and keys
 * @arg: passed to the callbacks
 *
 * Keys come in increasing order, so blocks of one order come by increasing
 * address. A table callback can refuse a node before it is read. Leaves
 * are read only when @ops has a @run or a @block callback.
 *
 * Return: 0, or the first non-zero value a callback returned.
 */
int kho_radix_walk(const u64 *root, const struct kho_radix_walk_ops *ops,
		   void *arg)
{
	return kho_radix_walk_level(root, KHO_RADIX_LEVELS - 1, 0, ops, arg);
}
