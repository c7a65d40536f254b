// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seed corpora of the fuzz targets: valid handovers of the simulated
 * machine, laid out by the kernel's own code (the radix tree by
 * kho_radix_set()), and the real handover of a guest (corpus/real/, made
 * by seeds.sh) moved to the simulated machine's addresses.
 *
 *   mkseeds REAL_DIR OUT_DIR     writes OUT_DIR/TARGET/NAME
 */
#include <sys/stat.h>
#include <libfdt.h>

#include "sim.h"

static const char *out_dir;

static void put(const char *target, const char *name, const void *buf,
		size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static size_t get(const char *dir, const char *name, void *buf, size_t max)
{
	char path[512];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	len = fread(buf, 1, max, f);
	fclose(f);
	return len;
}

/* A tree of @n blocks, laid out from SIM_TREE: its pages, one after another. */
static size_t lay_out_tree(const struct sim_block *b, unsigned int n, void *buf)
{
	phys_addr_t root;
	size_t len = 0;
	u64 page[PAGE_SIZE / 8];
	unsigned int i;

	sim_reset();
	if (sim_make_tree(b, n, &root) || root != SIM_TREE) {
		fprintf(stderr, "mkseeds: cannot lay out the radix tree\n");
		exit(1);
	}
	/* Up to the last page that is not zero: the rest reads as zero. */
	for (i = 0; i < SIM_TREE_MAX_PAGES; i++) {
		sim_read(SIM_TREE + i * PAGE_SIZE, page, PAGE_SIZE);
		memcpy((u8 *)buf + i * PAGE_SIZE, page, PAGE_SIZE);
		if (memchr_inv(page, 0, PAGE_SIZE))
			len = (i + 1) * PAGE_SIZE;
	}
	return len;
}

/*
 * A vmalloc() area of @nr blocks of 2^@order pages from @pa, listed @per
 * to a chunk in @chunks chunk pages (any beyond those needed list nothing).
 */
static size_t vmalloc_seed(unsigned int nr, unsigned int order, phys_addr_t pa,
			   unsigned int per, unsigned int chunks, u8 *buf)
{
	struct kho_vmalloc desc = {
		.first = SIM_VM_CHUNKS,
		.total_pages = nr << order,
		.flags = KHO_VMALLOC_ALLOC,
		.order = order,
	};
	struct kho_vmalloc_chunk *c;
	unsigned int i, k;

	memcpy(buf, &desc, sizeof(desc));
	memset(buf + sizeof(desc), 0, chunks * PAGE_SIZE);
	for (i = 0; i < chunks; i++) {
		c = (void *)(buf + sizeof(desc) + i * PAGE_SIZE);
		if (i + 1 < chunks)
			c->next = SIM_VM_CHUNKS + (i + 1) * PAGE_SIZE;
		for (k = 0; k < per && i * per + k < nr; k++)
			c->phys[k] = pa + (u64)(i * per + k) * (PAGE_SIZE << order);
	}
	return sizeof(desc) + chunks * PAGE_SIZE;
}

/* KHO's u64 properties are in the CPU's byte order. */
static int set_u64(void *fdt, int off, const char *name, u64 v)
{
	return fdt_setprop_inplace(fdt, off, name, &v, sizeof(v));
}

/* Move a real root FDT to the simulated machine's addresses. */
static bool move_fdt(void *fdt, u64 md_size, u64 mb_size)
{
	int off;

	if (fdt_check_header(fdt) ||
	    set_u64(fdt, 0, KHO_FDT_MEMORY_MAP_PROP, SIM_TREE))
		return false;
	fdt_for_each_subnode(off, fdt, 0) {
		const char *name = fdt_get_name(fdt, off, NULL);

		if (!strcmp(name, KHO_METADATA_NAME)) {
			set_u64(fdt, off, KHO_FDT_SUB_TREE_PROP, SIM_BLOB);
			set_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP, md_size);
		} else if (!strcmp(name, KHO_MEMBLOCK_NAME)) {
			set_u64(fdt, off, KHO_FDT_SUB_TREE_PROP, SIM_MEMBLOCK_BLOB);
			set_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP, mb_size);
		}
	}
	return true;
}

/* Move the regions of a real memblock blob to SIM_DATA, SIM_RMEM_SIZE. */
static bool move_memblock(void *fdt)
{
	int off;

	if (fdt_check_header(fdt))
		return false;
	fdt_for_each_subnode(off, fdt, 0) {
		set_u64(fdt, off, KHO_RESERVE_MEM_START_PROP, SIM_DATA);
		set_u64(fdt, off, KHO_RESERVE_MEM_SIZE_PROP, SIM_RMEM_SIZE);
	}
	return true;
}

static u8 buf[SIM_TREE_MAX_PAGES * PAGE_SIZE + 8 * PAGE_SIZE];
static u8 img[sizeof(buf) * 2];

/* A whole handover, as fuzz_handover reads it. */
static size_t image(const void *fdt, const void *md, const void *mb,
		    size_t mb_len, const u8 *tree_pages, size_t tree_len,
		    const u8 *vm, size_t vm_len, u8 flags)
{
	struct sim_image im = {
		.fdt_len = PAGE_SIZE,
		.fdt_size = PAGE_SIZE,
		.tree_pages = tree_len / PAGE_SIZE,
		.flags = flags,
		.blob_len = SIM_BLOB_AREA,
	};
	u8 *p = img;

	im.scratch_len = sim_make_scratch(img + sizeof(im) + PAGE_SIZE);
	if (vm)
		memcpy(im.vm_desc, vm, sizeof(im.vm_desc));
	memcpy(p, &im, sizeof(im));
	p += sizeof(im);
	memcpy(p, fdt, PAGE_SIZE);
	p += PAGE_SIZE + im.scratch_len;
	memcpy(p, tree_pages, tree_len);
	p += tree_len;
	memset(p, 0, SIM_BLOB_AREA);
	sim_make_metadata(p);
	if (md)
		memcpy(p, md, sizeof(struct kho_kexec_metadata));
	memcpy(p + (SIM_MEMBLOCK_BLOB - SIM_BLOB), mb, mb_len);
	if (vm)
		memcpy(p + (SIM_VM_CHUNKS - SIM_BLOB), vm + 16, vm_len - 16);
	p += SIM_BLOB_AREA;
	return p - img;
}

/* A file entry of a LUO file list. */
static struct luo_file_ser luo_file(const char *compatible, u64 data, u64 token)
{
	struct luo_file_ser f = { .data = data, .token = token };

	strscpy(f.compatible, compatible, sizeof(f.compatible));
	return f;
}

/*
 * A LUO handover, as fuzz_luo reads it: four sessions, one of them empty,
 * with the valid memfds (none, one, several folios, with holes), files of
 * the stub handler (one whose retrieve fails) and one of no handler.
 */
static size_t luo_seed(u8 *out, unsigned int nr_sessions, u64 ops)
{
	static const struct {
		const char *name;
		unsigned int nr;
		struct { const char *compat; u64 data, token; } f[6];
	} sessions[] = {
		{ "empty", 0 },
		{ "one", 1, { { MEMFD_LUO_FH_COMPATIBLE, 1, 1 } } },
		{ "several", 6, {
			{ MEMFD_LUO_FH_COMPATIBLE, 0, 0 },
			{ MEMFD_LUO_FH_COMPATIBLE, 2, 7 },
			{ MEMFD_LUO_FH_COMPATIBLE, 3, 1ULL << 40 },
			{ SIM_STUB_COMPATIBLE, 2, 3 },
			{ SIM_STUB_COMPATIBLE, 1, 4 },
			{ "unknown-v1", 0, 5 } } },
		{ "huge", 2, {
			{ MEMFD_LUO_FH_COMPATIBLE, 4, 1 },
			{ MEMFD_LUO_FH_COMPATIBLE, 5, 2 } } },
	};
	struct sim_luo_image im = { .ops = ops };
	struct luo_session_header_ser hdr = { .count = nr_sessions };
	struct luo_session_ser ses;
	struct luo_file_ser f;
	unsigned int i, k, list = 0;
	u64 data;
	u8 *p = out + sizeof(im);

	im.fdt_len = sim_luo_make_fdt(p, PAGE_SIZE, 7, SIM_LUO_HDR);
	im.fdt_size = im.fdt_len;
	p += im.fdt_len;
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (i = 0; i < nr_sessions; i++) {
		memset(&ses, 0, sizeof(ses));
		strscpy(ses.name, sessions[i].name, sizeof(ses.name));
		ses.file_set_ser.count = sessions[i].nr;
		if (sessions[i].nr)
			ses.file_set_ser.files = SIM_LUO_LISTS +
						 list++ * PAGE_SIZE;
		memcpy(p, &ses, sizeof(ses));
		p += sizeof(ses);
	}
	im.hdr_len = sizeof(hdr) + nr_sessions * sizeof(ses);
	for (i = 0, list = 0; i < nr_sessions; i++) {
		if (!sessions[i].nr)
			continue;
		for (k = 0; k < sessions[i].nr; k++) {
			const char *compat = sessions[i].f[k].compat;

			/* memfd-v1 files name a valid memfd by its number. */
			data = sessions[i].f[k].data;
			if (!strcmp(compat, MEMFD_LUO_FH_COMPATIBLE))
				data = SIM_LUO_MEMFD + data * PAGE_SIZE;
			f = luo_file(compat, data, sessions[i].f[k].token);
			memcpy(p, &f, sizeof(f));
			p += sizeof(f);
		}
		im.list_len[list++] = sessions[i].nr * sizeof(f);
	}
	memcpy(out, &im, sizeof(im));
	return p - out;
}

#define MEMFD_TWO_CHUNKS	1
#define MEMFD_FULL		2

/*
 * A memfd, as fuzz_memfd reads it: valid memfd @i at slot 0; or, as @how
 * says, its list in an area of two pages, listed by a chain of two chunks;
 * or a list as full as its page holds (so that one entry more runs past
 * it), of folios one page apart, of which the 17th is not a preserved
 * block, in a file of twice as many pages.
 */
static size_t memfd_seed(u8 *out, unsigned int i, unsigned int how, u64 ops)
{
	static u8 chunk[2 * PAGE_SIZE], list[PAGE_SIZE];
	struct memfd_luo_folio_ser *f = (void *)list;
	struct sim_memfd_image im = { .ops = ops };
	struct kho_vmalloc_chunk *c = (void *)chunk;
	unsigned int k;
	u8 *p = out + sizeof(im);

	sim_luo_memfd(i, 0, &im.ser, chunk, list);
	if (how == MEMFD_FULL) {
		im.ser.nr_folios = PAGE_SIZE / sizeof(*f);
		im.ser.size = 2 * im.ser.nr_folios * PAGE_SIZE;
		for (k = 0; k < im.ser.nr_folios; k++)
			f[k] = (struct memfd_luo_folio_ser){
				.pfn = PHYS_PFN(SIM_LUO_PAGES) + k,
				.flags = MEMFD_LUO_FOLIO_DIRTY |
					 MEMFD_LUO_FOLIO_UPTODATE,
				.index = k,
			};
	}
	im.chunk_len = im.ser.nr_folios ? 16 : 0;
	im.list_len = im.ser.nr_folios * sizeof(struct memfd_luo_folio_ser);
	if (how == MEMFD_TWO_CHUNKS && im.ser.nr_folios) {
		im.ser.folios.total_pages = 2;
		c->next = SIM_LUO_CHUNKS + PAGE_SIZE;
		c = (void *)(chunk + PAGE_SIZE);
		c->phys[0] = SIM_LUO_FLIST + PAGE_SIZE;
		im.chunk_len = PAGE_SIZE + 16;
	}
	memcpy(out, &im, sizeof(im));
	memcpy(p, chunk, im.chunk_len);
	p += im.chunk_len;
	memcpy(p, list, im.list_len);
	p += im.list_len;
	memset(chunk, 0, sizeof(chunk));
	return p - out;
}

int main(int argc, char **argv)
{
	static u8 fdt[PAGE_SIZE], mb[PAGE_SIZE], md[PAGE_SIZE], real[PAGE_SIZE];
	static u8 tree_default[sizeof(buf)], vm[5 * PAGE_SIZE];
	struct sim_block b[128];
	size_t len, tree_len, vm_len, mb_len, md_len;
	unsigned int n, i;
	phys_addr_t pa;

	if (argc != 3) {
		fprintf(stderr, "usage: mkseeds REAL_DIR OUT_DIR\n");
		return 2;
	}
	out_dir = argv[2];
	mkdir(out_dir, 0755);
	sim_init();

	/* The sim's own blobs */
	sim_make_memblock_blob(mb, sizeof(mb));
	mb_len = fdt_totalsize(mb);
	sim_make_metadata(md);
	md_len = sizeof(struct kho_kexec_metadata);
	put("metadata", "sim", md, md_len);
	put("memblock", "sim", mb, mb_len);

	/* Trees: the default handover, one block, every order, a wide one */
	n = sim_default_blocks(b, ARRAY_SIZE(b), SIM_PART_VMALLOC);
	tree_len = lay_out_tree(b, n, tree_default);
	put("radix", "default", tree_default, tree_len);
	b[0] = (struct sim_block){ SIM_FDT, 0 };
	put("radix", "fdt-only", buf, lay_out_tree(b, 1, buf));
	/* From 56 MiB up, largest first: each one naturally aligned. */
	for (i = 0, pa = 0x3800000; i <= MAX_PAGE_ORDER; i++) {
		b[i] = (struct sim_block){ pa, MAX_PAGE_ORDER - i };
		pa += PAGE_SIZE << (MAX_PAGE_ORDER - i);
	}
	b[i++] = (struct sim_block){ SIM_FDT, 0 };
	put("radix", "orders", buf, lay_out_tree(b, i, buf));
	for (i = 0; i < 64; i++)
		b[i] = (struct sim_block){ SIM_DATA + i * 2 * PAGE_SIZE, 0 };
	b[i++] = (struct sim_block){ SIM_FDT, 0 };
	put("radix", "sparse", buf, lay_out_tree(b, i, buf));

	/* Root FDT and scratch array */
	sim_make_fdt(fdt, sizeof(fdt), SIM_TREE, md_len, mb_len);
	put("fdt", "sim", fdt, fdt_totalsize(fdt));
	len = sim_make_scratch(buf);
	put("scratch", "sim", buf, len);
	memmove(buf + 16, buf, len);	/* one more area, in RAM above the rest */
	((struct kho_scratch *)buf)[0] = (struct kho_scratch){ 0x3800000, 0x200000 };
	put("scratch", "three", buf, len + 16);

	/*
	 * vmalloc: one chunk, a chain of two, one and an empty one after it,
	 * blocks of a higher order
	 */
	vm_len = vmalloc_seed(SIM_VM_DATA_PAGES, 0, SIM_VM_DATA,
			      KHO_VMALLOC_CHUNK_ENTRIES, 1, vm);
	put("vmalloc", "one-chunk", vm, vm_len);
	put("vmalloc", "two-chunks", buf,
	    vmalloc_seed(SIM_VM_DATA_PAGES, 0, SIM_VM_DATA,
			 SIM_VM_DATA_PAGES / 2, 2, buf));
	put("vmalloc", "empty-chunk", buf,
	    vmalloc_seed(SIM_VM_DATA_PAGES, 0, SIM_VM_DATA,
			 KHO_VMALLOC_CHUNK_ENTRIES, 2, buf));
	put("vmalloc", "order-2", buf,
	    vmalloc_seed(SIM_VM_HIGH_BLOCKS, SIM_VM_HIGH_ORDER, SIM_VM_HIGH,
			 KHO_VMALLOC_CHUNK_ENTRIES, 1, buf));

	/* Whole handovers */
	put("handover", "sim", img, image(fdt, NULL, mb, mb_len, tree_default,
					  tree_len, vm, vm_len, SIM_IMAGE_VMALLOC));
	put("handover", "sim-nomap", img, image(fdt, NULL, mb, mb_len, tree_default,
						tree_len, NULL, 0, SIM_IMAGE_NOMAP));

	/*
	 * LUO: every file retrieved, none, some (and sessions closed before
	 * FINISH, retries, a failing insert), no shmem file at first, LUO
	 * off, no session; memfds: each valid one, one with two chunks, one
	 * only finished, one whose second folio cannot be inserted
	 */
	put("luo", "all", img, luo_seed(img, 4, 0));
	put("luo", "finish-only", img,
	    luo_seed(img, 4, BIT_ULL(SIM_LUO_OP_FILES) - 1));
	put("luo", "mixed", img,
	    luo_seed(img, 4, 0x5555ULL | 0x0aULL << SIM_LUO_OP_REOPEN |
		     SIM_LUO_OP_RETRY | 2ULL << SIM_LUO_OP_FAIL_INSERT));
	put("luo", "no-shmem", img,
	    luo_seed(img, 4, SIM_LUO_OP_NO_SHMEM | SIM_LUO_OP_RETRY));
	put("luo", "off", img, luo_seed(img, 4, SIM_LUO_OP_OFF));
	put("luo", "no-session", img, luo_seed(img, 0, 0));
	for (i = 0; i < SIM_LUO_NR_MEMFDS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "memfd-%u", i);
		put("memfd", name, img, memfd_seed(img, i, 0, 0));
	}
	put("memfd", "two-chunks", img,
	    memfd_seed(img, 2, MEMFD_TWO_CHUNKS, 0));
	put("memfd", "full", img, memfd_seed(img, 1, MEMFD_FULL, 0));
	put("memfd", "finish-only", img, memfd_seed(img, 3, 0, 1));
	put("memfd", "fail-insert", img,
	    memfd_seed(img, 3, 0,
		       SIM_LUO_OP_RETRY | 2ULL << SIM_LUO_OP_FAIL_INSERT));

	/* The real handover of a guest, moved here */
	len = get(argv[1], "kexec-metadata", real, sizeof(real));
	if (len) {
		put("metadata", "real", real, len);
		memcpy(md, real, min(len, sizeof(md)));
	}
	len = get(argv[1], "memblock", real, sizeof(real));
	if (len && move_memblock(real)) {
		put("memblock", "real", real, len);
		memcpy(mb, real, len);
		mb_len = len;
	}
	len = get(argv[1], "fdt", real, sizeof(real));
	if (len && move_fdt(real, md_len, mb_len)) {
		put("fdt", "real", real, len);
		memset(fdt, 0, sizeof(fdt));
		memcpy(fdt, real, len);
		put("handover", "real", img, image(fdt, md, mb, mb_len, tree_default,
						   tree_len, vm, vm_len,
						   SIM_IMAGE_VMALLOC));
	}
	return 0;
}
