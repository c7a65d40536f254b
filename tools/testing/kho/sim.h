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
#include <linux/kho/abi/luo.h>

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

/*
 * A LUO handover (luo_sim.c), between the preserved data and scratch: the
 * LUO FDT, the session header, the file lists; per memfd its struct
 * memfd_luo_ser, the chunk page and the page of its folio list; then the
 * folios the memfds hold, of orders 0, 2, 4 and 9.
 */
#define SIM_LUO_FDT		0x1c10000ULL
/* The compatible of the file handler of the sim (luo_sim.c). */
#define SIM_STUB_COMPATIBLE	"sim-v1"
#define SIM_LUO_HDR		0x1c11000ULL
#define SIM_LUO_LISTS		0x1c12000ULL	/* a page each */
#define SIM_LUO_NR_LISTS	4
#define SIM_LUO_MEMFD		0x1c16000ULL	/* a page per memfd... */
#define SIM_LUO_CHUNKS		0x1c1c000ULL
#define SIM_LUO_FLIST		0x1c22000ULL
#define SIM_LUO_NR_MEMFDS	6		/* ...in each of the three */
#define SIM_LUO_PAGES		0x1c40000ULL
#define SIM_LUO_NR_PAGES	16
#define SIM_LUO_O2		0x1c50000ULL
#define SIM_LUO_NR_O2		4
#define SIM_LUO_O4		0x1c60000ULL
#define SIM_LUO_O9		0x1e00000ULL

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
	/* The initcalls of other owners, and their userspace, or NULL. */
	void (*owners)(void);
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

/*
 * The input of fuzz_luo: this header, then the LUO FDT, the session header
 * block and the file lists, of the lengths given. The LUO FDT is at
 * fdt_off in its page, and the KHO root FDT names it there, of fdt_size
 * bytes.
 */
struct sim_luo_image {
	u16 fdt_len;
	u16 fdt_size;
	u16 hdr_len;
	u16 list_len[SIM_LUO_NR_LISTS];
	u16 fdt_off;
	u64 ops;	/* SIM_LUO_OP_* */
} __packed;
/*
 * Bits of ops: bit k % SIM_LUO_OP_FILES set, file k is finished without
 * RETRIEVE_FD; bit SIM_LUO_OP_REOPEN + j % 8 set, the fd of session j is
 * closed unfinished first, and the session retrieved again; RETRY, a
 * failed RETRIEVE_FD is tried again; OFF, liveupdate=off; NO_SHMEM, the
 * first shmem_file_setup() fails; a value n in the 4 bits from
 * SIM_LUO_OP_FAIL_INSERT, the n-th folio insert fails.
 */
#define SIM_LUO_OP_FILES	48
#define SIM_LUO_OP_REOPEN	48
#define SIM_LUO_OP_RETRY	BIT_ULL(56)
#define SIM_LUO_OP_OFF		BIT_ULL(57)
#define SIM_LUO_OP_NO_SHMEM	BIT_ULL(58)
#define SIM_LUO_OP_FAIL_INSERT	60

/*
 * The input of fuzz_memfd: this header, then the chunk pages of the folio
 * list (from SIM_LUO_CHUNKS) and the pages of the list (from SIM_LUO_FLIST),
 * of the lengths given; ser is at SIM_LUO_MEMFD. ops has the bits of
 * SIM_LUO_OP_* for the one file and session.
 */
struct sim_memfd_image {
	struct memfd_luo_ser ser;
	u16 chunk_len;
	u16 list_len;
	u32 pad;
	u64 ops;
} __packed;
#define SIM_MEMFD_MAX_PAGES	2	/* of chunks, and of the list */

/* What userspace does with the incoming sessions, from SIM_LUO_OP_*. */
struct sim_luo_ops {
	u64 no_retrieve;	/* bit k % 48: file k is only finished */
	u8 reopen;		/* bit j % 8: session j is closed first */
	bool retry;
	bool off;
	bool no_shmem;
	unsigned int fail_insert;	/* from 1; 0: none */
};

extern int sim_verbose;
void sim_init(void);
void sim_reset(void);
void sim_write(phys_addr_t pa, const void *buf, size_t len);
void sim_read(phys_addr_t pa, void *buf, size_t len);

#define SIM_CHECK(c, ...) do { \
	if (!(c)) { \
		fprintf(stderr, "kho-sim: invariant: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* Laying out valid parts, as the outgoing kernel would have. */
int sim_make_tree(const struct sim_block *b, unsigned int n, phys_addr_t *root);
int sim_make_fdt(void *buf, size_t size, phys_addr_t root, u64 md_size,
		 u64 mb_size);
int sim_make_memblock_blob(void *buf, size_t size);
void sim_make_metadata(void *buf);
size_t sim_make_scratch(void *buf);
unsigned int sim_default_blocks(struct sim_block *b, unsigned int max,
				unsigned int parts);
void sim_default_handover(struct sim_handover *h);
#define SIM_PART_FDT		0x01
#define SIM_PART_SCRATCH	0x02
#define SIM_PART_TREE		0x04
#define SIM_PART_METADATA	0x08
#define SIM_PART_MEMBLOCK	0x10
#define SIM_PART_ALL		0x1f
#define SIM_PART_VMALLOC	0x20	/* the tree preserves the vmalloc pages */
#define SIM_PART_LUO		0x40	/* the LUO blocks, and the subtree */
void sim_write_default(unsigned int parts, u64 md_size, u64 mb_size,
		       phys_addr_t luo_phys, u64 luo_size);

/* Boot through the incoming paths and check every invariant. */
void sim_boot(const struct sim_handover *h);
void sim_fuzz_part(unsigned int part, phys_addr_t pa, const u8 *data,
		   size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
void sim_check_restored(const char *what, struct folio *folio);
unsigned long sim_vmaps(void);

/* kho_parsers.c */
void sim_reset_parsers(void);
void sim_kho_init(void);
void sim_kho_enable(void);
void sim_check_blob(const char *name, phys_addr_t phys, size_t size);
int sim_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size);
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

/* luo_parsers.c */
struct file;
void sim_luo_reset_parsers(void);
void sim_luo_initcalls(bool on);
void sim_luo_show(void);
unsigned int sim_luo_in_names(char *names, unsigned int max);
unsigned int sim_luo_tokens(struct file *session, u64 *tokens,
			    unsigned int max);
bool sim_luo_idle(void);

/* luo_sim.c: LUO handovers, their boot, and what LUO does with them. */
void sim_luo_reset(void);
void sim_luo_ops(u64 bits, struct sim_luo_ops *ops);
size_t sim_luo_make_fdt(void *buf, size_t size, u64 num, phys_addr_t header);
void sim_luo_memfd(unsigned int i, unsigned int slot,
		   struct memfd_luo_ser *ser, void *chunk, void *list);
#define SIM_LUO_SESSION		0x1	/* one session, one memfd at slot 0 */
#define SIM_LUO_MEMFDS		0x2	/* the valid memfds, each at its slot */
void sim_luo_write_default(unsigned int parts, phys_addr_t fdt_phys,
			   u64 fdt_size);
void sim_luo_boot(const struct sim_luo_ops *ops,
		  const struct memfd_luo_ser *expect);
void sim_luo_restored(struct folio *folio);
void sim_luo_freed(void *mem);
void sim_luo_vmalloc_restored(const void *ptr, unsigned int pages);

#endif /* _KHO_SIM_INTERNAL_H */
