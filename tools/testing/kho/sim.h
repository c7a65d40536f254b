/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated machine the KHO parsers run on in user space, and what the
 * fuzz targets do with it: lay out a handover, boot through the incoming
 * paths of the kernel's own code (kho_parsers.c), check the invariants.
 *
 * Physical memory is [0, SIM_RAM_END), one mapping; a page can be accessed only
 * while the kernel code has it mapped (early_memremap()) or reserved in
 * memblock, so a parser that reads memory it has not validated and
 * reserved faults at once (SIGSEGV, which libFuzzer reports with a stack).
 */
#ifndef _KHO_SIM_INTERNAL_H
#define _KHO_SIM_INTERNAL_H

#include <kho_sim.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>

/*
 * The layout of the machine, x86-like: RAM but for page 0 and the hole
 * below 1 MiB; scratch in low memory and one 18 MiB area that holds the
 * kernel and the scratch array; the handover in between.
 */
#define SIM_LOW_RAM_START	0x1000ULL
#define SIM_LOW_RAM_END		0x9f000ULL
#define SIM_RAM_START		0x100000ULL
#define SIM_LOW_SCRATCH		0x10000ULL
#define SIM_LOW_SCRATCH_SIZE	0x80000ULL
#define SIM_SCRATCH		0x2000000ULL
#define SIM_SCRATCH_SIZE	0x1200000ULL
#define SIM_KERNEL		0x2400000ULL
#define SIM_KERNEL_END		0x2800000ULL
#define SIM_SCRATCH_ARRAY	0x3100000ULL
#define SIM_FDT			0x1000000ULL
#define SIM_TREE		0x1001000ULL	/* root, then the other nodes */
#define SIM_TREE_MAX_PAGES	64
#define SIM_BLOB		0x1400000ULL	/* metadata; memblock blob after */
#define SIM_MEMBLOCK_BLOB	0x1402000ULL
#define SIM_VM_CHUNKS		0x1404000ULL
#define SIM_VM_DATA		0x1600000ULL
#define SIM_VM_DATA_PAGES	64
#define SIM_VM_HIGH		0x1640000ULL	/* blocks of areas of order > 0 */
#define SIM_VM_HIGH_ORDER	2
#define SIM_VM_HIGH_BLOCKS	8
#define SIM_DATA		0x1800000ULL	/* preserved data, and reserve_mem */
#define SIM_RMEM_SIZE		0x400000ULL

/* One preserved block of the handover being laid out. */
struct sim_block {
	phys_addr_t pa;
	unsigned int order;
};

/* A handover: where its parts are and what the next kernel is told. */
struct sim_handover {
	phys_addr_t fdt, scratch;
	u64 fdt_size, scratch_size;
	bool nomap;			/* a nomap region in the middle of RAM */
	bool vmalloc;			/* restore the area of vm_desc */
	u8 vm_desc[16];			/* struct kho_vmalloc */
	const char *const *rmem_names;	/* reserve_mem= regions asked for */
	const u64 *rmem_sizes;
	unsigned int nr_rmem;
};

/*
 * The input of the whole-handover target: this header, then the root FDT,
 * the scratch array, the tree pages and the blob area, of the sizes given.
 */
struct sim_image {
	u16 fdt_len;
	u16 scratch_len;
	u16 tree_pages;
	u8 flags;			/* SIM_IMAGE_* */
	u8 pad;
	u32 blob_len;
	u32 fdt_size;			/* what the kernel is told */
	u8 vm_desc[16];
} __packed;
#define SIM_IMAGE_NOMAP		0x01
#define SIM_IMAGE_VMALLOC	0x02
#define SIM_BLOB_AREA		(SIM_VM_CHUNKS + 4 * PAGE_SIZE - SIM_BLOB)

extern int sim_verbose;
void sim_init(void);
void sim_reset(void);
void sim_write(phys_addr_t pa, const void *buf, size_t len);
void sim_read(phys_addr_t pa, void *buf, size_t len);

/* Laying out valid parts, as the outgoing kernel would have. */
int sim_make_tree(const struct sim_block *b, unsigned int n, phys_addr_t *root);
int sim_make_fdt(void *buf, size_t size, phys_addr_t root, u64 md_size,
		 u64 mb_size);
int sim_make_memblock_blob(void *buf, size_t size);
void sim_make_metadata(void *buf);
size_t sim_make_scratch(void *buf);
unsigned int sim_default_blocks(struct sim_block *b, unsigned int max,
				bool vmalloc);
void sim_default_handover(struct sim_handover *h);
#define SIM_PART_FDT		0x01
#define SIM_PART_SCRATCH	0x02
#define SIM_PART_TREE		0x04
#define SIM_PART_METADATA	0x08
#define SIM_PART_MEMBLOCK	0x10
#define SIM_PART_ALL		0x1f
#define SIM_PART_VMALLOC	0x20	/* the tree preserves the vmalloc pages */
void sim_write_default(unsigned int parts, u64 md_size, u64 mb_size);

/* Boot through the incoming paths and check every invariant. */
void sim_boot(const struct sim_handover *h);
void sim_fuzz_part(unsigned int part, phys_addr_t pa, const u8 *data,
		   size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* kho_parsers.c */
void sim_reset_parsers(void);
void sim_kho_init(void);
void sim_check_blob(const char *name, phys_addr_t phys, size_t size);
void sim_parsers_stats(unsigned long *blocks, u64 *bytes,
		       unsigned long *restored_blocks, u64 *restored_bytes);
int sim_radix_build(const u64 *keys, unsigned int n, void *(*alloc)(void),
		    phys_addr_t *root);
u64 sim_radix_key(phys_addr_t pa, unsigned int order);
void kho_populate(phys_addr_t fdt_phys, u64 fdt_size,
		  phys_addr_t scratch_phys, u64 scratch_size);
void kho_revive(void);
bool kho_mem_revived(void);
void kho_memory_init(void);
phys_addr_t kho_reserve_mem_find(const char *name, phys_addr_t size,
				 phys_addr_t align);

#endif /* _KHO_SIM_INTERNAL_H */
