/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Radix tracking: the bitmap radix tree of preserved blocks, in the format
 * of include/linux/kho/abi/kexec_handover.h. The lowest layer of KHO; it
 * uses nothing of the others.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_RADIX_H
#define _KERNEL_LIVEUPDATE_KHO_RADIX_H

#include <linux/bitops.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/pfn.h>
#include <linux/types.h>

#define KHO_RADIX_ENTRIES	BIT(KHO_RADIX_TABLE_BITS)
#define KHO_RADIX_LEAF_SIZE	BIT(KHO_RADIX_LEAF_BITS)

/* Key of a naturally aligned block of 2^@order pages at @pa. */
static inline u64 kho_radix_key(phys_addr_t pa, unsigned int order)
{
	return BIT_ULL(KHO_RADIX_ORDER_SHIFT - order) |
	       (pa >> (KHO_RADIX_PAGE_SHIFT + order));
}

/* Key of the block of 2^@order pages at page frame @pfn. */
static inline u64 kho_pfn_key(unsigned long pfn, unsigned int order)
{
	return kho_radix_key(PFN_PHYS(pfn), order);
}

/* Order of a key; > KHO_RADIX_ORDER_SHIFT for keys that encode none. */
static inline unsigned int kho_radix_key_order(u64 key)
{
	return KHO_RADIX_ORDER_SHIFT + 1 - fls64(key);
}

static inline phys_addr_t kho_radix_key_pa(u64 key)
{
	unsigned int order = kho_radix_key_order(key);

	return (key & ~BIT_ULL(KHO_RADIX_ORDER_SHIFT - order)) <<
	       (KHO_RADIX_PAGE_SHIFT + order);
}

/**
 * struct kho_radix_tree - a radix tree of preserved blocks
 * @root: the level %KHO_RADIX_LEVELS - 1 table
 */
struct kho_radix_tree {
	u64 *root;
};

/*
 * Callbacks of a walk: @table sees the physical address of every tree page
 * (of @level, 0 for leaves) before the walk enters it; @run sees every run
 * of @nr consecutive keys of one leaf (blocks of one order, adjacent in
 * memory) as its first key; without @run, @block sees every key. A
 * non-zero return stops the walk and is returned by it.
 */
struct kho_radix_walk_ops {
	int (*table)(phys_addr_t pa, unsigned int level, void *arg);
	int (*run)(u64 key, unsigned long nr, void *arg);
	int (*block)(u64 key, void *arg);
};

int kho_radix_init(struct kho_radix_tree *tree);
void kho_radix_destroy(struct kho_radix_tree *tree);
int kho_radix_set(struct kho_radix_tree *tree, u64 key);
int kho_radix_clear(struct kho_radix_tree *tree, u64 key);
bool kho_radix_take(struct kho_radix_tree *tree, u64 key);
bool kho_radix_put(struct kho_radix_tree *tree, u64 key);
bool kho_radix_test(struct kho_radix_tree *tree, u64 key);
bool kho_radix_any(struct kho_radix_tree *tree, u64 first, u64 last);
int kho_radix_walk(const u64 *root, const struct kho_radix_walk_ops *ops,
		   void *arg);

#if IS_ENABLED(CONFIG_KUNIT)
/* A zeroed page for a tree node; KUnit stubs it to make allocations fail. */
void *kho_radix_alloc_node(void);
#endif

#endif /* _KERNEL_LIVEUPDATE_KHO_RADIX_H */
