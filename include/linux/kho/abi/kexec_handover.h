/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec handover (KHO): the format one kernel hands to the next.
 *
 * Everything in this header is ABI between two kernels that may be of
 * different versions: change it only together with the compatible string.
 */
#ifndef _LINUX_KHO_ABI_KEXEC_HANDOVER_H
#define _LINUX_KHO_ABI_KEXEC_HANDOVER_H

#include <linux/types.h>

/**
 * DOC: KHO handover format
 *
 * The outgoing kernel passes the physical address of a root flattened
 * device tree (FDT) of at most one page, and an array of scratch areas
 * (&struct kho_scratch). On x86 both travel in a setup_data entry of type
 * ``SETUP_KEXEC_KHO``. The root FDT looks like::
 *
 *   / {
 *       compatible = "kho-v3";
 *       preserved-memory-map = <u64: physical address of the radix root>;
 *       <name> {
 *           preserved-data = <u64: physical address of the blob>;
 *           blob-size = <u64: size of the blob in bytes>;
 *       };
 *   };
 *
 * Each child node names one blob that a subsystem handed over with
 * kho_add_subtree(). A blob is not necessarily an FDT: its owner defines
 * and validates its format. All values are native endian; the receiver
 * requires an exact match of the compatible string.
 */
#define KHO_FDT_COMPATIBLE		"kho-v3"
#define KHO_FDT_MEMORY_MAP_PROP		"preserved-memory-map"
#define KHO_FDT_SUB_TREE_PROP		"preserved-data"
#define KHO_FDT_SUB_TREE_SIZE_PROP	"blob-size"
/* The root FDT fits in one 4 KiB page. */
#define KHO_FDT_MAX_SIZE		4096

/**
 * struct kho_scratch - a scratch area handed to the next kernel
 * @addr: physical start address
 * @size: size in bytes
 *
 * Scratch areas hold no preserved memory. The next kernel is loaded into
 * them and makes all its early allocations from them. Index 0 is the lowmem
 * area, 1 the global area, then one area per NUMA node with memory.
 */
struct kho_scratch {
	__u64 addr;
	__u64 size;
} __packed;

/* Sanity bound on the number of scratch areas: lowmem, global, 1024 nodes. */
#define KHO_SCRATCH_MAX_AREAS		(2 + 1024)

/**
 * DOC: KHO preserved memory radix tree
 *
 * Preserved memory is tracked in one radix tree for all orders. A block of
 * ``2^order`` pages at physical address ``pa`` (naturally aligned) has the
 * key::
 *
 *   key = (1 << (52 - order)) | (pa >> (12 + order))
 *
 * The highest set bit of the key encodes the order:
 * ``order = 52 - fls64(key) + 1``. Every node of the tree is one 4 KiB page.
 * Level 0 (the leaf) is a bitmap of 32768 bits indexed by key bits [14:0];
 * levels 1 to 5 are tables of 512 u64 entries, each the physical address of
 * the child page or 0, indexed by key bits [23:15], [32:24], [41:33],
 * [50:42] and [59:51]. The root is the level 5 table whose address is
 * ``preserved-memory-map``. Tree pages are not themselves preserved: they
 * survive because the next kernel allocates from scratch only until it has
 * walked the tree.
 */
#define KHO_RADIX_ORDER_SHIFT		52
#define KHO_RADIX_PAGE_SHIFT		12
#define KHO_RADIX_LEAF_BITS		15	/* 32768 bits per leaf page */
#define KHO_RADIX_TABLE_BITS		9	/* 512 entries per table page */
#define KHO_RADIX_LEVELS		6	/* leaf + 5 levels of tables */

/**
 * DOC: KHO vmalloc preservation
 *
 * kho_preserve_vmalloc() describes a vmalloc() area with a
 * &struct kho_vmalloc that the caller stores in its own preserved data.
 * The descriptor points at a chain of chunk pages
 * (&struct kho_vmalloc_chunk), each one preserved order-0 page that lists
 * physical addresses of the area's backing pages, in the order the area
 * maps them. Each backing page is a preserved block of ``2^order`` pages;
 * ``total_pages`` counts 4 KiB pages, so the chain lists
 * ``total_pages >> order`` addresses in all.
 *
 * The list of a chunk ends at its first 0 entry, or at the end of its
 * array when all %KHO_VMALLOC_CHUNK_ENTRIES entries are used; every entry
 * after a 0 is 0 as well. A chunk may list nothing (a writer may add the
 * next chunk page as soon as one is full). ``next`` of the last chunk is 0.
 *
 * This is mainline Linux's layout: the memfd handover of the Live Update
 * Orchestrator embeds the descriptor.
 */

/* The area came from vmalloc() (VM_ALLOC). */
#define KHO_VMALLOC_ALLOC		0x0001
/* The area could be mapped with huge pages (VM_ALLOW_HUGE_VMAP). */
#define KHO_VMALLOC_HUGE_VMAP		0x0002
/* Every flag this version defines; a receiver refuses any other. */
#define KHO_VMALLOC_FLAGS_MASK		(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP)

/**
 * struct kho_vmalloc - descriptor of a preserved vmalloc() area
 * @first: physical address of the first chunk page, 0 for none
 * @total_pages: number of 4 KiB pages of the area
 * @flags: %KHO_VMALLOC_ALLOC, %KHO_VMALLOC_HUGE_VMAP
 * @order: order of each backing page: each address the chunks list is a
 *         preserved block of ``2^order`` pages
 */
struct kho_vmalloc {
	__u64 first;
	__u32 total_pages;
	__u16 flags;
	__u16 order;
} __packed;

/* Entries of a chunk page: all of it but @next. */
#define KHO_VMALLOC_CHUNK_ENTRIES	((4096 - sizeof(__u64)) / sizeof(__u64))

/**
 * struct kho_vmalloc_chunk - one page of a vmalloc descriptor chain
 * @next: physical address of the next chunk page, 0 for the last
 * @phys: physical addresses of backing pages of the area, in order, up to
 *        the first 0 entry or the end of the array
 */
struct kho_vmalloc_chunk {
	__u64 next;
	__u64 phys[KHO_VMALLOC_CHUNK_ENTRIES];
} __packed;

/**
 * DOC: KHO kexec metadata
 *
 * Every KHO-enabled kernel adds a blob named ``kexec-metadata``
 * (&struct kho_kexec_metadata): its own release and how many kexecs with
 * handover led to it. The next kernel logs
 * ``KHO: exec from: <release> (count <kexec_count>)``.
 */
#define KHO_METADATA_NAME		"kexec-metadata"
#define KHO_METADATA_VERSION		1
#define KHO_RELEASE_LEN			65

/**
 * struct kho_kexec_metadata - the kexec-metadata blob
 * @version: %KHO_METADATA_VERSION
 * @previous_release: release (``uname -r``) of the kernel that wrote it,
 *                    NUL terminated
 * @kexec_count: number of the kexec that hands this blob over; 1 when the
 *               writer was cold booted
 */
struct kho_kexec_metadata {
	__u32 version;
	char previous_release[KHO_RELEASE_LEN];
	__u32 kexec_count;
} __packed;

/**
 * DOC: reserve_mem regions across kexec
 *
 * The ``memblock`` blob is an FDT with ``compatible = "memblock-v1"`` at
 * its root and one child per ``reserve_mem=`` region, named after it, with
 * ``compatible = "reserve-mem-v1"``, ``start`` (u64) and ``size`` (u64).
 */
#define KHO_MEMBLOCK_NAME		"memblock"
#define KHO_MEMBLOCK_COMPATIBLE		"memblock-v1"
#define KHO_RESERVE_MEM_COMPATIBLE	"reserve-mem-v1"
#define KHO_RESERVE_MEM_START_PROP	"start"
#define KHO_RESERVE_MEM_SIZE_PROP	"size"

#endif /* _LINUX_KHO_ABI_KEXEC_HANDOVER_H */
