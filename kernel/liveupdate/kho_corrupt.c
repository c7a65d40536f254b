// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection for tests (CONFIG_KEXEC_HANDOVER_DEBUG): damage one field
 * of one structure of the outgoing handover, chosen by name through debugfs
 * out/corrupt, so that tests can check how the next kernel takes it. It
 * must reach user space, say why in one line and lose only what is
 * damaged: a bad root FDT, memory map, radix tree or scratch array costs the
 * whole handover ("KHO: disabling revival: <reason>"); a bad blob, or a bad
 * node of one blob in the root FDT, costs its owner only.
 *
 * Only the handover is changed, or memory this kernel does not read any
 * more, so that it runs on until kexec -e; nothing is undone. Inject once,
 * right before kexec -e: what changes the handover afterwards (adding a
 * subtree, say) may trip over the damage. The scratch array is copied when
 * the next kernel is loaded, and so is the x86 setup_data entry: their
 * cases ("scratch-*", "setup-data-*") come before kexec -s -l.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/array_size.h>
#include <linux/cma.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kexec_handover_internal.h"
#include "kho_preserve.h"
#include "kho_radix.h"
#include "kho_scratch.h"

/* An address far beyond the RAM of any test guest. */
#define KHO_BAD_NOWHERE		BIT_ULL(40)

/*
 * The blob of lib/test_kho.c. Not ABI: a test module's own state, which
 * ends with the &struct kho_vmalloc of its index (struct kho_test_state).
 * The vmalloc cases find it there and check it before they change it.
 */
#define KHO_BAD_TEST_BLOB	"kho-test"

/* Physical address of blob @name of the outgoing FDT, 0 when none; lock held. */
static phys_addr_t kho_bad_blob(const char *name, u64 *size, int *node)
{
	int off = fdt_subnode_offset(kho_out.fdt, 0, name);

	lockdep_assert_held(&kho_out.lock);
	if (off < 0)
		return 0;
	if (size)
		*size = kho_fdt_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP);
	if (node)
		*node = off;
	return kho_fdt_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_PROP);
}

/* Set a u64 property, native endian as KHO writes them (not fdt64). */
static int kho_bad_u64(void *fdt, int off, const char *prop, u64 val)
{
	return fdt_setprop(fdt, off, prop, &val, sizeof(val)) ? -EINVAL : 0;
}

/* Start of the last scratch area, where the next kernel keeps scratch too. */
static phys_addr_t kho_bad_scratch_addr(void)
{
	return kho_scratch_cnt ? kho_scratch[kho_scratch_cnt - 1].addr : 0;
}

/* The root FDT: its header, its compatible, its preserved-memory-map */

enum {
	KHO_BAD_MAGIC,
	KHO_BAD_SIZE_BIG,
	KHO_BAD_SIZE_SMALL,
	KHO_BAD_STRUCT_OFF,
	KHO_BAD_STRINGS_OFF,
};

/*
 * fdt_check_header() of the next kernel fails, or the FDT claims more than
 * the page it is handed over in. Nothing of this kernel reads the header
 * again before kexec (but debugfs out/fdt: do not read it afterwards).
 */
static int kho_bad_fdt_header(unsigned int how)
{
	void *fdt = kho_out.fdt;
	int err = 0;

	mutex_lock(&kho_out.lock);
	switch (how) {
	case KHO_BAD_MAGIC:
		fdt_set_magic(fdt, ~FDT_MAGIC);
		break;
	case KHO_BAD_SIZE_BIG:
		fdt_set_totalsize(fdt, 2 * KHO_FDT_MAX_SIZE);
		break;
	case KHO_BAD_SIZE_SMALL:
		/* Ends in the middle of the structure block. */
		fdt_set_totalsize(fdt, fdt_off_dt_struct(fdt) +
				  fdt_size_dt_struct(fdt) / 2);
		break;
	case KHO_BAD_STRUCT_OFF:
		fdt_set_off_dt_struct(fdt, fdt_totalsize(fdt));
		break;
	case KHO_BAD_STRINGS_OFF:
		fdt_set_off_dt_strings(fdt, fdt_totalsize(fdt));
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&kho_out.lock);
	return err;
}

static int kho_bad_compatible(unsigned int how)
{
	int err;

	mutex_lock(&kho_out.lock);
	err = fdt_setprop_string(kho_out.fdt, 0, "compatible", "kho-v0") ?
	      -EINVAL : 0;
	mutex_unlock(&kho_out.lock);
	return err;
}

enum {
	KHO_BAD_MAP_ZERO,
	KHO_BAD_MAP_UNALIGNED,
	KHO_BAD_MAP_OUTSIDE,
	KHO_BAD_MAP_SCRATCH,
	KHO_BAD_MAP_BLOB,
	KHO_BAD_MAP_PRESERVED,
};

static int kho_bad_copy_root(struct kho_radix_tree *tree, void *copy)
{
	memcpy(copy, tree->root, PAGE_SIZE);
	return 0;
}

/*
 * A copy of the radix root in a page that is itself preserved: the tree is
 * sound, but its root lies inside a preserved block.
 */
static phys_addr_t kho_bad_preserved_root(void)
{
	void *copy = kho_alloc_preserve(PAGE_SIZE);

	if (IS_ERR(copy))
		return 0;
	/* Copied after it is preserved, so that the copy has its key too. */
	if (kho_mem_corrupt_tree(kho_bad_copy_root, copy)) {
		kho_unpreserve_free(copy);
		return 0;
	}
	return virt_to_phys(copy);
}

static int kho_bad_map(unsigned int how)
{
	phys_addr_t map = 0;
	int err;

	switch (how) {
	case KHO_BAD_MAP_ZERO:
		break;
	case KHO_BAD_MAP_UNALIGNED:
		map = kho_mem_map_phys() + sizeof(u64);
		break;
	case KHO_BAD_MAP_OUTSIDE:
		map = KHO_BAD_NOWHERE;
		break;
	case KHO_BAD_MAP_SCRATCH:
		map = kho_scratch_cnt ? kho_scratch[0].addr : 0;
		break;
	case KHO_BAD_MAP_BLOB:
		break;
	case KHO_BAD_MAP_PRESERVED:
		map = kho_bad_preserved_root();
		if (!map)
			return -ENOMEM;
		break;
	default:
		return -EINVAL;
	}

	mutex_lock(&kho_out.lock);
	err = 0;
	if (how == KHO_BAD_MAP_BLOB) {
		/* A page of blob, not of tree: the kexec-metadata blob's. */
		map = kho_bad_blob(KHO_METADATA_NAME, NULL, NULL);
		if (!map)
			err = -ENODEV;
	}
	if (!err)
		err = kho_bad_u64(kho_out.fdt, 0, KHO_FDT_MEMORY_MAP_PROP, map);
	mutex_unlock(&kho_out.lock);
	return err;
}

/* The radix tree: tables and leaf bits */

enum {
	KHO_BAD_TABLE_OUTSIDE,
	KHO_BAD_TABLE_UNALIGNED,
	KHO_BAD_TABLE_CYCLE,
	KHO_BAD_TABLE_SHARED,
	KHO_BAD_TABLE_IN_BLOCK,
};

struct kho_bad_table {
	unsigned int how;
	phys_addr_t preserved;	/* a preserved page, for KHO_BAD_TABLE_IN_BLOCK */
};

/* The first table of @level down the first used entries from the root. */
static u64 *kho_bad_first_table(struct kho_radix_tree *tree, unsigned int level)
{
	unsigned int l, i;
	u64 *table = tree->root;

	for (l = KHO_RADIX_LEVELS - 1; l > level; l--) {
		for (i = 0; i < KHO_RADIX_ENTRIES && !table[i]; i++)
			;
		if (i == KHO_RADIX_ENTRIES)
			return NULL;
		table = phys_to_virt(table[i]);
	}
	return table;
}

/*
 * Point the last unused entry of a table of leaves somewhere. It stands for
 * memory far above the RAM of a test guest, so no key of this kernel leads
 * there, and nothing is preserved after the injection anyway.
 */
static int kho_bad_table_entry(struct kho_radix_tree *tree, void *arg)
{
	struct kho_bad_table *bad = arg;
	u64 *table = kho_bad_first_table(tree, 1);
	int used = -1, unused = -1;
	unsigned int i;

	if (!table)
		return -ENODEV;
	for (i = 0; i < KHO_RADIX_ENTRIES; i++) {
		if (!table[i])
			unused = i;
		else if (used < 0)
			used = i;
	}
	if (used < 0 || unused < 0)
		return -ENOSPC;

	switch (bad->how) {
	case KHO_BAD_TABLE_UNALIGNED:
		/* Inside a page of the tree, but not at its start. */
		table[unused] = table[used] + PAGE_SIZE / 2;
		break;
	case KHO_BAD_TABLE_CYCLE:
		table[unused] = virt_to_phys(tree->root);
		break;
	case KHO_BAD_TABLE_SHARED:
		table[unused] = table[used];
		break;
	case KHO_BAD_TABLE_IN_BLOCK:
		/* An empty leaf, in a preserved page. */
		table[unused] = bad->preserved;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int kho_bad_table(unsigned int how)
{
	struct kho_bad_table bad = { .how = how };
	void *page;
	int err;

	/* The last entry of the root, which no key reaches, outside RAM. */
	if (how == KHO_BAD_TABLE_OUTSIDE)
		return kho_mem_corrupt();
	if (how != KHO_BAD_TABLE_IN_BLOCK)
		return kho_mem_corrupt_tree(kho_bad_table_entry, &bad);

	/* Preserved first: that may change the tree. */
	page = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(page))
		return PTR_ERR(page);
	bad.preserved = virt_to_phys(page);
	err = kho_mem_corrupt_tree(kho_bad_table_entry, &bad);
	if (err)
		kho_unpreserve_free(page);
	return err;
}

enum {
	KHO_BAD_LEAF_OUTSIDE,
	KHO_BAD_LEAF_SCRATCH,
	KHO_BAD_LEAF_OVERLAP,
	KHO_BAD_LEAF_ORDER,
};

static int kho_bad_set_key(struct kho_radix_tree *tree, void *key)
{
	return kho_radix_set(tree, *(u64 *)key);
}

/* A key set straight in the tree, past the checks of kho_preserve_pages(). */
static int kho_bad_leaf(unsigned int how)
{
	phys_addr_t fdt = virt_to_phys(kho_out.fdt);
	unsigned int order = MAX_PAGE_ORDER + 1;
	u64 key;

	switch (how) {
	case KHO_BAD_LEAF_OUTSIDE:
		key = kho_radix_key(KHO_BAD_NOWHERE, 0);
		break;
	case KHO_BAD_LEAF_SCRATCH:
		if (!kho_scratch_cnt)
			return -ENODEV;
		key = kho_radix_key(kho_bad_scratch_addr(), 0);
		break;
	case KHO_BAD_LEAF_OVERLAP:
		/* The FDT page is preserved at order 0: its pair at order 1. */
		key = kho_radix_key(ALIGN_DOWN(fdt, PAGE_SIZE << 1), 1);
		break;
	case KHO_BAD_LEAF_ORDER:
		key = kho_radix_key(ALIGN_DOWN(fdt, PAGE_SIZE << order), order);
		break;
	default:
		return -EINVAL;
	}
	return kho_mem_corrupt_tree(kho_bad_set_key, &key);
}

/* The scratch array, handed over from the next kexec load on */

enum {
	KHO_BAD_SCRATCH_SMALL,
	KHO_BAD_SCRATCH_EMPTY,
	KHO_BAD_SCRATCH_OVERLAP,
	KHO_BAD_SCRATCH_OUTSIDE,
};

static int kho_bad_scratch(unsigned int how)
{
	unsigned int n = kho_scratch_cnt, i;
	struct kho_scratch *bad;
	int err;

	if (n < 2)
		return -ENODEV;
	bad = kmemdup(kho_scratch, n * sizeof(*bad), GFP_KERNEL);
	if (!bad)
		return -ENOMEM;

	/* Otherwise the last area, which KASLR and the next kernel can do without. */
	switch (how) {
	case KHO_BAD_SCRATCH_SMALL:
		/* Every area one pageblock: too small to boot from. */
		for (i = 0; i < n; i++)
			bad[i].size = min_t(u64, bad[i].size,
					    CMA_MIN_ALIGNMENT_BYTES);
		break;
	case KHO_BAD_SCRATCH_EMPTY:
		bad[n - 1].size = 0;
		break;
	case KHO_BAD_SCRATCH_OVERLAP:
		bad[n - 1] = bad[n - 2];
		break;
	case KHO_BAD_SCRATCH_OUTSIDE:
		bad[n - 1].addr = KHO_BAD_NOWHERE;
		break;
	default:
		kfree(bad);
		return -EINVAL;
	}
	err = kho_scratch_corrupt_set(bad);
	if (err)
		kfree(bad);
	return err;
}

/* The node of one blob in the root FDT: kexec-metadata's */

enum {
	KHO_BAD_NODE_NO_DATA,
	KHO_BAD_NODE_LENGTH,
	KHO_BAD_NODE_OUTSIDE,
	KHO_BAD_NODE_SCRATCH,
	KHO_BAD_NODE_HUGE,
	KHO_BAD_NODE_PAST,
	KHO_BAD_NODE_SIZE_ZERO,
};

/*
 * Two pages of which only the first is preserved: a blob that starts in
 * the first and goes on into the second runs past preserved memory.
 */
static struct page *kho_bad_half_preserved(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);

	if (page && kho_preserve_pages(page, 1)) {
		__free_pages(page, 1);
		page = NULL;
	}
	return page;
}

static int kho_bad_node(unsigned int how)
{
	void *fdt = kho_out.fdt;
	struct page *page = NULL;
	phys_addr_t data;
	int off = -1, err;
	u32 half;

	if (how == KHO_BAD_NODE_PAST) {
		page = kho_bad_half_preserved();
		if (!page)
			return -ENOMEM;
	}

	mutex_lock(&kho_out.lock);
	data = kho_bad_blob(KHO_METADATA_NAME, NULL, &off);
	if (!data) {
		err = -ENODEV;
		goto out;
	}
	switch (how) {
	case KHO_BAD_NODE_NO_DATA:
		err = fdt_delprop(fdt, off, KHO_FDT_SUB_TREE_PROP) ? -EINVAL : 0;
		break;
	case KHO_BAD_NODE_LENGTH:
		/* A u32 where a u64 belongs. */
		half = data;
		err = fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_PROP, &half,
				  sizeof(half)) ? -EINVAL : 0;
		break;
	case KHO_BAD_NODE_OUTSIDE:
		err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_PROP, KHO_BAD_NOWHERE);
		break;
	case KHO_BAD_NODE_SCRATCH:
		err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_PROP,
				  kho_bad_scratch_addr());
		break;
	case KHO_BAD_NODE_HUGE:
		/* From the blob on past the end of RAM, across its holes. */
		err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				  KHO_BAD_NOWHERE);
		break;
	case KHO_BAD_NODE_PAST:
		memcpy(page_address(page), phys_to_virt(data),
		       sizeof(struct kho_kexec_metadata));
		err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_PROP,
				  page_to_phys(page));
		if (!err)
			err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
					  PAGE_SIZE + sizeof(struct kho_kexec_metadata));
		break;
	case KHO_BAD_NODE_SIZE_ZERO:
		err = kho_bad_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP, 0);
		break;
	default:
		err = -EINVAL;
	}
out:
	mutex_unlock(&kho_out.lock);
	/* On success the pages stay, the first one preserved, for good. */
	if (err && page) {
		kho_unpreserve_pages(page, 1);
		__free_pages(page, 1);
	}
	return err;
}

/* Blob contents */

enum {
	KHO_BAD_META_SHORT,
	KHO_BAD_META_LONG,
	KHO_BAD_META_VERSION,
	KHO_BAD_META_RELEASE,
};

/* The kexec-metadata blob; this kernel wrote it at boot and never reads it. */
static int kho_bad_metadata(unsigned int how)
{
	struct kho_kexec_metadata *md;
	int off = -1, err = 0;
	phys_addr_t data;

	mutex_lock(&kho_out.lock);
	data = kho_bad_blob(KHO_METADATA_NAME, NULL, &off);
	if (!data) {
		err = -ENODEV;
		goto out;
	}
	md = phys_to_virt(data);
	switch (how) {
	case KHO_BAD_META_SHORT:
		err = kho_bad_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				  sizeof(*md) - 1);
		break;
	case KHO_BAD_META_LONG:
		err = kho_bad_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				  sizeof(*md) + 1);
		break;
	case KHO_BAD_META_VERSION:
		md->version = KHO_METADATA_VERSION + 1;
		break;
	case KHO_BAD_META_RELEASE:
		/* Printable, but without its NUL. */
		memset(md->previous_release, 'x', sizeof(md->previous_release));
		break;
	default:
		err = -EINVAL;
	}
out:
	mutex_unlock(&kho_out.lock);
	return err;
}

enum {
	KHO_BAD_RMEM_NOT_FDT,
	KHO_BAD_RMEM_OUTSIDE,
	KHO_BAD_RMEM_SCRATCH,
	KHO_BAD_RMEM_OVERLAP,
	KHO_BAD_RMEM_SIZE_ZERO,
};

/* A u64 property of a node of the memblock blob, in place. */
static int kho_bad_rmem_u64(void *blob, int off, const char *prop, u64 val)
{
	return fdt_setprop_inplace(blob, off, prop, &val, sizeof(val)) ?
	       -EINVAL : 0;
}

/*
 * The memblock blob (reserve_mem= regions): its first region, or, for an
 * overlap, its second one moved onto the first (the test gives both the
 * same size, so that only the overlap is wrong).
 */
static int kho_bad_rmem(unsigned int how)
{
	int first, second, err;
	phys_addr_t data;
	void *blob;
	u64 start;

	mutex_lock(&kho_out.lock);
	data = kho_bad_blob(KHO_MEMBLOCK_NAME, NULL, NULL);
	blob = data ? phys_to_virt(data) : NULL;
	first = blob && !fdt_check_header(blob) ? fdt_first_subnode(blob, 0) :
						  -FDT_ERR_NOTFOUND;
	if (first < 0) {
		err = -ENODEV;
		goto out;
	}
	switch (how) {
	case KHO_BAD_RMEM_NOT_FDT:
		memset(blob, 0, sizeof(struct fdt_header));
		err = 0;
		break;
	case KHO_BAD_RMEM_OUTSIDE:
		err = kho_bad_rmem_u64(blob, first, KHO_RESERVE_MEM_START_PROP,
				       KHO_BAD_NOWHERE);
		break;
	case KHO_BAD_RMEM_SCRATCH:
		err = kho_bad_rmem_u64(blob, first, KHO_RESERVE_MEM_START_PROP,
				       kho_bad_scratch_addr());
		break;
	case KHO_BAD_RMEM_OVERLAP:
		second = fdt_next_subnode(blob, first);
		start = kho_fdt_u64(blob, first, KHO_RESERVE_MEM_START_PROP);
		err = second < 0 || !start ? -ENODEV :
		      kho_bad_rmem_u64(blob, second, KHO_RESERVE_MEM_START_PROP,
				       start);
		break;
	case KHO_BAD_RMEM_SIZE_ZERO:
		err = kho_bad_rmem_u64(blob, first, KHO_RESERVE_MEM_SIZE_PROP, 0);
		break;
	default:
		err = -EINVAL;
	}
out:
	mutex_unlock(&kho_out.lock);
	return err;
}

enum {
	KHO_BAD_VMALLOC_LOOP,
	KHO_BAD_VMALLOC_COUNT,
	KHO_BAD_VMALLOC_UNPRESERVED,
	KHO_BAD_VMALLOC_TOTAL,
	KHO_BAD_VMALLOC_ORDER,
	KHO_BAD_VMALLOC_FLAGS,
};

/*
 * The descriptor of test_kho's index (see KHO_BAD_TEST_BLOB), when it is
 * one: order 0, known flags, its first chunk page preserved and listing at
 * least one page, ended by a 0 entry, and no more pages than the area has.
 * @nr is set to the number of pages the first chunk lists.
 */
static struct kho_vmalloc *kho_bad_test_index(unsigned int *nr)
{
	struct kho_vmalloc_chunk *chunk;
	struct kho_vmalloc *desc;
	phys_addr_t data;
	u64 size = 0;
	unsigned int n;

	mutex_lock(&kho_out.lock);
	data = kho_bad_blob(KHO_BAD_TEST_BLOB, &size, NULL);
	mutex_unlock(&kho_out.lock);
	if (!data || size < sizeof(*desc))
		return NULL;
	desc = phys_to_virt(data + size - sizeof(*desc));
	if (!desc->first || !PAGE_ALIGNED(desc->first) || !desc->total_pages ||
	    desc->flags & ~KHO_VMALLOC_FLAGS_MASK || desc->order ||
	    !kho_mem_is_preserved(desc->first, 0))
		return NULL;
	chunk = phys_to_virt(desc->first);
	for (n = 0; n < KHO_VMALLOC_CHUNK_ENTRIES && chunk->phys[n]; n++)
		;
	/* Room for an entry after the 0 that ends the list. */
	if (!n || n > desc->total_pages || n + 1 >= KHO_VMALLOC_CHUNK_ENTRIES)
		return NULL;
	*nr = n;
	return desc;
}

/* test_kho reads its index once, at boot: it is the next kernel's now. */
static int kho_bad_vmalloc(unsigned int how)
{
	struct kho_vmalloc_chunk *chunk;
	struct kho_vmalloc *desc;
	struct page *page;
	unsigned int nr;

	desc = kho_bad_test_index(&nr);
	if (!desc)
		return -ENODEV;
	chunk = phys_to_virt(desc->first);
	switch (how) {
	case KHO_BAD_VMALLOC_LOOP:
		chunk->next = desc->first;
		break;
	case KHO_BAD_VMALLOC_COUNT:
		/* The list ends at the 0, yet a preserved page follows it. */
		chunk->phys[nr + 1] = chunk->phys[0];
		break;
	case KHO_BAD_VMALLOC_UNPRESERVED:
		/* A page nobody preserved, left allocated for good. */
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		chunk->phys[0] = page_to_phys(page);
		break;
	case KHO_BAD_VMALLOC_TOTAL:
		desc->total_pages++;
		break;
	case KHO_BAD_VMALLOC_ORDER:
		/* Order-1 blocks: as many as the pages, of the wrong order. */
		desc->order = 1;
		break;
	case KHO_BAD_VMALLOC_FLAGS:
		desc->flags |= (u16)~KHO_VMALLOC_FLAGS_MASK;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/*
 * The setup_data entry is written by the x86 loader at kexec -s -l, from
 * what kho_debug_setup_data() says: inject before the load.
 */
static int kho_setup_data_bad;

/**
 * kho_debug_setup_data - how the kexec loader should damage the entry
 *
 * Return: 0, %KHO_SETUP_DATA_BAD_LEN or %KHO_SETUP_DATA_BAD_DUP.
 */
int kho_debug_setup_data(void)
{
	return READ_ONCE(kho_setup_data_bad);
}

static int kho_bad_setup_data(unsigned int how)
{
	if (!IS_ENABLED(CONFIG_X86))
		return -ENODEV;
	WRITE_ONCE(kho_setup_data_bad, how);
	return 0;
}

/**
 * struct kho_corrupt_case - one way to damage the outgoing handover
 * @name: what to write to debugfs out/corrupt
 * @where: what it damages: "fdt" (the root FDT: header, compatible,
 *         preserved-memory-map), "tree" (a radix table or leaf), "scratch"
 *         (the scratch array: inject before kexec -s -l), "setup_data"
 *         (the x86 boot parameters entry: before kexec -s -l too), "node" (the node
 *         of one blob in the root FDT) or "blob" (the contents of a blob)
 * @fn: does it
 * @how: passed to @fn
 * @expect: what the next kernel logs about it (after "KHO: " for KHO's own
 *          lines); a "<...>" stands for a value only that kernel knows
 */
struct kho_corrupt_case {
	const char *name;
	const char *where;
	int (*fn)(unsigned int how);
	unsigned int how;
	const char *expect;
};

#define KHO_BAD_REFUSED(why)	"disabling revival: " why
#define KHO_BAD_NO_META(err)	"no valid " KHO_METADATA_NAME " blob (" err \
				"): previous kernel unknown"
#define KHO_BAD_RMEM_REFUSED	"reserve_mem <region>: the previous kernel's " \
				"region (<size> bytes at <address>) does not " \
				"fit <size> bytes aligned to <align>: " \
				"allocating a new one"
#define KHO_BAD_TEST_FAIL	"KHO_TEST: FAIL: cannot restore the index of <n> folios"

static const struct kho_corrupt_case kho_corrupt_cases[] = {
	{ "fdt-magic", "fdt", kho_bad_fdt_header, KHO_BAD_MAGIC,
	  KHO_BAD_REFUSED("FDT header invalid") },
	{ "fdt-totalsize-big", "fdt", kho_bad_fdt_header, KHO_BAD_SIZE_BIG,
	  KHO_BAD_REFUSED("FDT header invalid") },
	{ "fdt-totalsize-small", "fdt", kho_bad_fdt_header, KHO_BAD_SIZE_SMALL,
	  KHO_BAD_REFUSED("FDT header invalid") },
	{ "fdt-struct-offset", "fdt", kho_bad_fdt_header, KHO_BAD_STRUCT_OFF,
	  KHO_BAD_REFUSED("FDT header invalid") },
	{ "fdt-strings-offset", "fdt", kho_bad_fdt_header, KHO_BAD_STRINGS_OFF,
	  KHO_BAD_REFUSED("FDT header invalid") },
	{ "compatible", "fdt", kho_bad_compatible, 0,
	  KHO_BAD_REFUSED("FDT not compatible with " KHO_FDT_COMPATIBLE) },
	{ "memory-map-zero", "fdt", kho_bad_map, KHO_BAD_MAP_ZERO,
	  KHO_BAD_REFUSED("FDT without a valid " KHO_FDT_MEMORY_MAP_PROP) },
	{ "memory-map-unaligned", "fdt", kho_bad_map, KHO_BAD_MAP_UNALIGNED,
	  KHO_BAD_REFUSED("bad preserved-memory-map") },
	{ "memory-map-outside", "fdt", kho_bad_map, KHO_BAD_MAP_OUTSIDE,
	  KHO_BAD_REFUSED("bad preserved-memory-map") },
	{ "memory-map", "fdt", kho_bad_map, KHO_BAD_MAP_SCRATCH,
	  KHO_BAD_REFUSED("bad preserved-memory-map") },
	/* The blob's first bytes are version 1: an unaligned table entry. */
	{ "memory-map-blob", "fdt", kho_bad_map, KHO_BAD_MAP_BLOB,
	  KHO_BAD_REFUSED("radix tree page outside RAM or in scratch") },
	{ "memory-map-preserved", "fdt", kho_bad_map, KHO_BAD_MAP_PRESERVED,
	  KHO_BAD_REFUSED("radix tree page inside a preserved block") },
	{ "radix", "tree", kho_bad_table, KHO_BAD_TABLE_OUTSIDE,
	  KHO_BAD_REFUSED("radix tree page outside RAM or in scratch") },
	{ "radix-unaligned", "tree", kho_bad_table, KHO_BAD_TABLE_UNALIGNED,
	  KHO_BAD_REFUSED("radix tree page outside RAM or in scratch") },
	{ "radix-cycle", "tree", kho_bad_table, KHO_BAD_TABLE_CYCLE,
	  KHO_BAD_REFUSED("radix tree page reached twice or in use") },
	{ "radix-shared", "tree", kho_bad_table, KHO_BAD_TABLE_SHARED,
	  KHO_BAD_REFUSED("radix tree page reached twice or in use") },
	{ "radix-in-block", "tree", kho_bad_table, KHO_BAD_TABLE_IN_BLOCK,
	  KHO_BAD_REFUSED("radix tree page inside a preserved block") },
	{ "leaf-outside", "tree", kho_bad_leaf, KHO_BAD_LEAF_OUTSIDE,
	  KHO_BAD_REFUSED("preserved block outside RAM or in scratch") },
	{ "leaf-scratch", "tree", kho_bad_leaf, KHO_BAD_LEAF_SCRATCH,
	  KHO_BAD_REFUSED("preserved block outside RAM or in scratch") },
	{ "leaf-overlap", "tree", kho_bad_leaf, KHO_BAD_LEAF_OVERLAP,
	  KHO_BAD_REFUSED("preserved blocks overlap") },
	{ "leaf-order", "tree", kho_bad_leaf, KHO_BAD_LEAF_ORDER,
	  KHO_BAD_REFUSED("preserved block of impossible order") },
	{ "scratch-empty", "scratch", kho_bad_scratch, KHO_BAD_SCRATCH_EMPTY,
	  KHO_BAD_REFUSED("scratch area empty or not page aligned") },
	{ "scratch-overlap", "scratch", kho_bad_scratch, KHO_BAD_SCRATCH_OVERLAP,
	  KHO_BAD_REFUSED("scratch areas overlap") },
	{ "scratch-outside", "scratch", kho_bad_scratch, KHO_BAD_SCRATCH_OUTSIDE,
	  KHO_BAD_REFUSED("scratch area outside RAM") },
	{ "scratch-small", "scratch", kho_bad_scratch, KHO_BAD_SCRATCH_SMALL,
	  KHO_BAD_REFUSED("scratch areas too small to boot from") },
	/* 8 bytes short: the entry is 48 bytes with its header. */
	{ "setup-data-length", "setup_data", kho_bad_setup_data,
	  KHO_SETUP_DATA_BAD_LEN,
	  KHO_BAD_REFUSED("setup_data of 40 bytes, expected 48") },
	/* A second entry after the good one: ignored, as by KASLR. */
	{ "setup-data-duplicate", "setup_data", kho_bad_setup_data,
	  KHO_SETUP_DATA_BAD_DUP, "ignoring a second setup_data entry" },
	{ "subtree-no-data", "node", kho_bad_node, KHO_BAD_NODE_NO_DATA,
	  KHO_BAD_NO_META("-22") },
	{ "subtree-bad-length", "node", kho_bad_node, KHO_BAD_NODE_LENGTH,
	  KHO_BAD_NO_META("-22") },
	{ "subtree-outside", "node", kho_bad_node, KHO_BAD_NODE_OUTSIDE,
	  KHO_BAD_NO_META("-22") },
	{ "subtree-scratch", "node", kho_bad_node, KHO_BAD_NODE_SCRATCH,
	  KHO_BAD_NO_META("-22") },
	{ "subtree-huge", "node", kho_bad_node, KHO_BAD_NODE_HUGE,
	  KHO_BAD_NO_META("-22") },
	{ "subtree-past", "node", kho_bad_node, KHO_BAD_NODE_PAST,
	  KHO_BAD_NO_META("-2") },
	{ "subtree-size-zero", "node", kho_bad_node, KHO_BAD_NODE_SIZE_ZERO,
	  KHO_BAD_NO_META("-22") },
	{ "metadata-short", "node", kho_bad_metadata, KHO_BAD_META_SHORT,
	  KHO_METADATA_NAME " blob of 72 bytes, expected 73: ignored" },
	{ "metadata-long", "node", kho_bad_metadata, KHO_BAD_META_LONG,
	  KHO_METADATA_NAME " blob of 74 bytes, expected 73: ignored" },
	{ "metadata-version", "blob", kho_bad_metadata, KHO_BAD_META_VERSION,
	  KHO_METADATA_NAME " version 2, expected 1: ignored" },
	{ "metadata-release", "blob", kho_bad_metadata, KHO_BAD_META_RELEASE,
	  KHO_METADATA_NAME " release is not a printable string: ignored" },
	{ "memblock-not-fdt", "blob", kho_bad_rmem, KHO_BAD_RMEM_NOT_FDT,
	  KHO_MEMBLOCK_NAME " blob is not a valid " KHO_MEMBLOCK_COMPATIBLE
	  " FDT: ignored" },
	{ "memblock-outside", "blob", kho_bad_rmem, KHO_BAD_RMEM_OUTSIDE,
	  KHO_BAD_RMEM_REFUSED },
	{ "memblock-scratch", "blob", kho_bad_rmem, KHO_BAD_RMEM_SCRATCH,
	  KHO_BAD_RMEM_REFUSED },
	{ "memblock-overlap", "blob", kho_bad_rmem, KHO_BAD_RMEM_OVERLAP,
	  KHO_BAD_RMEM_REFUSED },
	{ "memblock-size-zero", "blob", kho_bad_rmem, KHO_BAD_RMEM_SIZE_ZERO,
	  KHO_BAD_RMEM_REFUSED },
	{ "vmalloc-loop", "blob", kho_bad_vmalloc, KHO_BAD_VMALLOC_LOOP,
	  KHO_BAD_TEST_FAIL },
	{ "vmalloc-count", "blob", kho_bad_vmalloc, KHO_BAD_VMALLOC_COUNT,
	  KHO_BAD_TEST_FAIL },
	{ "vmalloc-unpreserved", "blob", kho_bad_vmalloc,
	  KHO_BAD_VMALLOC_UNPRESERVED, KHO_BAD_TEST_FAIL },
	{ "vmalloc-total", "blob", kho_bad_vmalloc, KHO_BAD_VMALLOC_TOTAL,
	  KHO_BAD_TEST_FAIL },
	{ "vmalloc-order", "blob", kho_bad_vmalloc, KHO_BAD_VMALLOC_ORDER,
	  KHO_BAD_TEST_FAIL },
	{ "vmalloc-flags", "blob", kho_bad_vmalloc, KHO_BAD_VMALLOC_FLAGS,
	  KHO_BAD_TEST_FAIL },
};

/*
 * kho_corrupt - damage the outgoing handover in one named way
 * @name: the name of the case (see kho_corrupt_cases[])
 *
 * Logs what it did and what the next kernel should log about it.
 *
 * Return: 0; -EINVAL for an unknown name; -ENODEV when what the case
 * damages is not there (KHO is off, there is no such blob, or it does not
 * look as expected); -EBUSY when the scratch array was damaged already;
 * -ENOMEM.
 */
static int kho_corrupt(const char *name)
{
	const struct kho_corrupt_case *c = NULL;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(kho_corrupt_cases) && !c; i++) {
		if (!strcmp(kho_corrupt_cases[i].name, name))
			c = &kho_corrupt_cases[i];
	}
	if (!c)
		return -EINVAL;
	if (!kho_out.fdt)
		return -ENODEV;

	err = c->fn(c->how);
	if (err)
		return err;
	pr_warn("debugfs: outgoing handover corrupted (%s) on purpose, damaged: %s; the next kernel should log '%s'\n",
		c->name, c->where, c->expect);
	return 0;
}

/* Writing the name of a case to out/corrupt damages the handover. */
static ssize_t kho_corrupt_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[32];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	err = kho_corrupt(strim(buf));
	return err ? err : len;
}

static const struct file_operations kho_corrupt_fops = {
	.owner = THIS_MODULE,
	.write = kho_corrupt_write,
	.llseek = noop_llseek,
};

/*
 * Add out/corrupt to the directory kho_debugfs.c made (fs_initcall) when
 * this kernel hands over: write-only, even for root.
 */
static int __init kho_corrupt_init(void)
{
	struct dentry *root, *out;

	root = debugfs_lookup("kho", NULL);
	if (!root)
		return 0;
	out = debugfs_lookup("out", root);
	dput(root);
	if (!out)
		return 0;
	debugfs_create_file("corrupt", 0200, out, NULL, &kho_corrupt_fops);
	dput(out);
	return 0;
}
fs_initcall_sync(kho_corrupt_init);
