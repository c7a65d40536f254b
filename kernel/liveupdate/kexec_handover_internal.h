/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H
#define _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H

#include <linux/bitops.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/mutex.h>
#include <linux/types.h>

/* What the previous kernel handed over (KHO boot only). */
struct kho_in {
	phys_addr_t fdt_phys;		/* root FDT; 0 when there is none */
	phys_addr_t scratch_phys;	/* the scratch array segment */
	u64 scratch_size;
	const void *fdt;		/* mapped once memory is revived */
};

/* What this kernel hands over. */
struct kho_out {
	struct mutex lock;		/* the FDT and its debugfs mirror */
	void *fdt;			/* root FDT, one page; NULL until ready */
};

extern struct kho_in kho_in;
extern struct kho_out kho_out;

/* The incoming root FDT, once the linear map is up; NULL without one. */
static inline const void *kho_in_fdt(void)
{
	if (kho_in.fdt)
		return kho_in.fdt;
	return kho_in.fdt_phys ? phys_to_virt(kho_in.fdt_phys) : NULL;
}

bool kho_name_ok(const char *name);
u64 kho_fdt_u64(const void *fdt, int off, const char *name);

/* kho_scratch.c: scratch areas, made on a cold boot, inherited otherwise */
extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

bool kho_scratch_overlap(phys_addr_t start, phys_addr_t size);
struct kho_scratch *kho_scratch_out(void);
int __init kho_scratch_reserve(void);
int __init kho_scratch_inherit(phys_addr_t phys, u64 size, phys_addr_t fdt,
			       u64 fdt_size, const char **why);
void __init kho_scratch_adopt(phys_addr_t phys, u64 size);
void __init kho_scratch_use_inherited(phys_addr_t phys, u64 size);
void __init kho_scratch_activate(void);

/* kho_radix.c: the radix tree of preserved blocks */
#define KHO_RADIX_ENTRIES	BIT(KHO_RADIX_TABLE_BITS)
#define KHO_RADIX_LEAF_SIZE	BIT(KHO_RADIX_LEAF_BITS)

/* Key of a naturally aligned block of 2^@order pages at @pa. */
static inline u64 kho_radix_key(phys_addr_t pa, unsigned int order)
{
	return BIT_ULL(KHO_RADIX_ORDER_SHIFT - order) |
	       (pa >> (KHO_RADIX_PAGE_SHIFT + order));
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
 * @alloc: allocator of zeroed node pages; NULL for the page allocator
 *         (tests make it fail)
 */
struct kho_radix_tree {
	u64 *root;
	void *(*alloc)(void);
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

/* kho_memory.c: preserved memory */
phys_addr_t kho_mem_map_phys(void);
int __init kho_mem_init(void);
void __init kho_mem_exit(void);
int __init kho_mem_revive(phys_addr_t root, const char **why);

/*
 * Order of the largest naturally aligned block at @pfn that ends at or
 * before @end and stays on one NUMA node: how ranges are split.
 */
unsigned int kho_block_order(unsigned long pfn, unsigned long end);

struct memblock_region;
unsigned long kho_sort_ranges(struct memblock_region *rg, unsigned long n);

/* Is exactly this block in the outgoing tree? */
bool kho_mem_is_preserved(phys_addr_t pa, unsigned int order);
int kho_out_begin(void);
void kho_out_end(void);

/*
 * Make 2^@order pages at @page look like a block revived from the previous
 * kernel: reserved, out of the managed page count, marked for restore.
 * Revival uses it; so do the KUnit tests, to exercise kho_restore_*().
 */
void kho_mem_mark_revived(struct page *page, unsigned int order);

/* What the previous kernel preserved and what was restored of it. */
struct kho_mem_stats {
	unsigned long blocks;
	u64 bytes;
	unsigned long restored_blocks;
	u64 restored_bytes;
};

void kho_mem_get_stats(struct kho_mem_stats *stats);
bool kho_mem_is_revived(phys_addr_t phys);
bool kho_mem_range_revived(phys_addr_t phys, u64 size);
bool kho_mem_revived(void);
int kho_mem_corrupt(void);
/* Fault injection of kho_corrupt.c, and its helpers in the owners' files. */
int kho_mem_corrupt_tree(int (*fn)(struct kho_radix_tree *tree, void *arg),
			 void *arg);
int kho_scratch_corrupt_set(struct kho_scratch *bad);
int kho_corrupt(const char *name);
long kho_debug_nr_freed(void);

/* Count revived blocks as restored but keep them reserved (reserve_mem). */
void __init kho_mem_claim(phys_addr_t phys, unsigned long nr_pages);

/* kho_reserve_mem.c: reserve_mem= regions across kexec */
void __init kho_reserve_mem_init(void);

/* kho_metadata.c */
void __init kho_metadata_init(void);

/* kho_debugfs.c */
#ifdef CONFIG_KEXEC_HANDOVER_DEBUGFS
void kho_debugfs_blob_add(const char *name, void *blob, size_t size);
void kho_debugfs_blob_remove(void *blob);
void __init kho_debugfs_in_snapshot(void);
#else
static inline void kho_debugfs_in_snapshot(void) { }
static inline void kho_debugfs_blob_add(const char *name, void *blob,
					size_t size) { }
static inline void kho_debugfs_blob_remove(void *blob) { }
#endif

#endif /* _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H */
