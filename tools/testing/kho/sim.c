// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated machine of sim.h: physical memory, memblock, struct pages,
 * and the kernel library functions the KHO parsers call. Then a boot
 * through the incoming paths, and the invariants every fuzz target checks:
 *
 *  - nothing is accessed that is neither mapped by the code (early_memremap())
 *    nor reserved in memblock (the page protection of the mapping); while
 *    the owners of blobs run (LUO), nothing preserved either, but for the
 *    blobs handed to them, to the byte, and what they restored;
 *  - revival reserves memory only inside RAM and outside scratch, and a
 *    refused tree leaves nothing reserved;
 *  - a blob handed to its owner lies in preserved memory nobody restored;
 *  - the walk of the tree reads each node once, so a bounded number of
 *    them for the input;
 *  - every revived block can be restored once, and only once: revived
 *    memory is never lost;
 *  - no kernel WARN or BUG, and locks balanced.
 */
#include <sys/mman.h>
#include <sanitizer/asan_interface.h>
#include <libfdt.h>

#include "sim.h"

int sim_verbose;
struct page sim_pages[SIM_PFNS];
long sim_managed_pages;
struct memblock memblock;
phys_addr_t sim_kernel_start = SIM_KERNEL, sim_kernel_end = SIM_KERNEL_END;
char _text[1], _end[1];
enum system_states system_state;
nodemask_t node_states[1];

static unsigned char *sim_mem;
static struct memblock_region sim_memory[4];

/* Page bitmaps */
#define SIM_WORDS (SIM_PFNS / 64)
static u64 sim_rsv[SIM_WORDS];		/* reserved in memblock */
static u64 sim_prsv[SIM_WORDS];		/* reserved as preserved memory by revival */
static u64 sim_acc[SIM_WORDS];		/* accessible (not poisoned) now */
static u64 sim_freed[SIM_WORDS];	/* freed in this boot step, still accessible */
static u64 sim_wr[SIM_WORDS];		/* written by the harness */
static u64 sim_kept[SIM_WORDS];		/* reserve_mem= regions kept */
static u64 sim_blob[SIM_WORDS];		/* blobs handed out while strict */
static u16 sim_maps[SIM_PFNS];		/* mapped with early_memremap() */
static unsigned long sim_maps_lo = SIM_PFNS, sim_maps_hi;
static unsigned long sim_dirty_lo = SIM_PFNS, sim_dirty_hi;
static unsigned long sim_words;		/* non-zero words written */
static unsigned long sim_rsv_outside;	/* reservations beyond the memory */
static unsigned long sim_p2v;		/* phys_to_virt() calls */
static bool sim_scratch_only;
static unsigned long sim_scratch_marked;
bool sim_strict;			/* the owners run: see sim_hidden() */
static struct sim_vmap *sim_vmap_list;	/* vmap() areas, newest first */
static unsigned long sim_vmap_count;

static inline bool bm_test(const u64 *bm, unsigned long i)
{
	return bm[i / 64] >> (i % 64) & 1;
}

static inline void bm_set(u64 *bm, unsigned long i)
{
	bm[i / 64] |= 1ULL << (i % 64);
}

static inline void bm_clear(u64 *bm, unsigned long i)
{
	bm[i / 64] &= ~(1ULL << (i % 64));
}

/* The first set bit of @bm from @pfn on, or SIM_PFNS. */
static unsigned long bm_next(const u64 *bm, unsigned long pfn)
{
	u64 b;

	while (pfn < SIM_PFNS) {
		b = bm[pfn / 64] >> (pfn % 64);
		if (b)
			return pfn + __builtin_ctzll(b);
		pfn = ALIGN_DOWN(pfn, 64) + 64;
	}
	return SIM_PFNS;
}

/* Every set bit @pfn of @bm, in order. */
#define for_each_bm(pfn, bm) \
	for ((pfn) = bm_next(bm, 0); (pfn) < SIM_PFNS; (pfn) = bm_next(bm, (pfn) + 1))

void sim_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "kho-sim: %s at %s:%d\n", what, file, line);
	abort();
}

/*
 * Once the owners of blobs run, preserved memory is theirs to restore
 * before they read it: a page preserved and not restored is hidden, but
 * for the blobs handed to them, which they read in place, and the kept
 * reserve_mem= regions.
 */
static bool sim_hidden(unsigned long pfn)
{
	return sim_strict && bm_test(sim_prsv, pfn) &&
	       PageReserved(&sim_pages[pfn]) && !bm_test(sim_kept, pfn) &&
	       !bm_test(sim_blob, pfn);
}

/*
 * What the code may access: reserved pages (but hidden ones), mapped ones,
 * and those freed by the boot step in progress. Everything else is
 * poisoned, so that AddressSanitizer reports an access with its stack.
 */
static void sim_access(unsigned long lo, unsigned long hi)
{
	unsigned long pfn;
	bool want;

	for (pfn = lo; pfn < hi; pfn++) {
		want = (bm_test(sim_rsv, pfn) && !sim_hidden(pfn)) ||
		       sim_maps[pfn] || bm_test(sim_freed, pfn);
		if (want == bm_test(sim_acc, pfn))
			continue;
		if (want) {
			ASAN_UNPOISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
			bm_set(sim_acc, pfn);
		} else {
			ASAN_POISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
			bm_clear(sim_acc, pfn);
		}
	}
}

static void sim_pfn_range(phys_addr_t base, phys_addr_t size,
			  unsigned long *lo, unsigned long *hi)
{
	phys_addr_t end = base + size;

	if (end < base || end > SIM_RAM_END)
		end = SIM_RAM_END;
	*lo = base >= SIM_RAM_END ? SIM_PFNS : PFN_DOWN(base);
	*hi = PFN_UP(end);
	if (*hi < *lo)
		*hi = *lo;
}

void sim_init(void)
{
	sim_mem = mmap(NULL, SIM_RAM_END, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sim_mem == MAP_FAILED)
		sim_fail("cannot map the simulated memory", __FILE__, __LINE__);
	ASAN_POISON_MEMORY_REGION(sim_mem, SIM_RAM_END);
	sim_verbose = !!getenv("KHO_SIM_VERBOSE");
	sim_reset();
}

void sim_reset(void)
{
	unsigned long pfn;

	for_each_bm(pfn, sim_wr) {
		ASAN_UNPOISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
		memset(sim_mem + PFN_PHYS(pfn), 0, PAGE_SIZE);
		ASAN_POISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
	}
	for_each_bm(pfn, sim_acc)
		ASAN_POISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
	memset(sim_wr, 0, sizeof(sim_wr));
	memset(sim_acc, 0, sizeof(sim_acc));
	memset(sim_rsv, 0, sizeof(sim_rsv));
	memset(sim_prsv, 0, sizeof(sim_prsv));
	memset(sim_freed, 0, sizeof(sim_freed));
	memset(sim_kept, 0, sizeof(sim_kept));
	memset(sim_blob, 0, sizeof(sim_blob));
	sim_strict = false;
	if (sim_maps_lo < sim_maps_hi)
		memset(&sim_maps[sim_maps_lo], 0,
		       (sim_maps_hi - sim_maps_lo) * sizeof(sim_maps[0]));
	sim_maps_lo = SIM_PFNS;
	sim_maps_hi = 0;
	if (sim_dirty_lo < sim_dirty_hi)
		memset(&sim_pages[sim_dirty_lo], 0,
		       (sim_dirty_hi - sim_dirty_lo) * sizeof(struct page));
	sim_dirty_lo = SIM_PFNS;
	sim_dirty_hi = 0;
	sim_words = 0;
	sim_rsv_outside = 0;
	sim_p2v = 0;
	sim_scratch_only = false;
	sim_scratch_marked = 0;
	sim_managed_pages = 0;
	system_state = SYSTEM_BOOTING;
	SIM_CHECK(!sim_vmap_count, "%lu vmap() areas left from the last run",
		  sim_vmap_count);

	sim_memory[0] = (struct memblock_region){ SIM_LOW_RAM_START,
		SIM_LOW_RAM_END - SIM_LOW_RAM_START };
	sim_memory[1] = (struct memblock_region){ SIM_RAM_START,
		SIM_RAM_END - SIM_RAM_START };
	memblock.memory.regions = sim_memory;
	memblock.memory.cnt = 2;
	memblock.reserved.cnt = 0;
	sim_reset_parsers();
	sim_luo_reset_parsers();
	sim_luo_reset();
}

/* A nomap region in the middle of RAM, as firmware tables can be. */
static void sim_add_nomap(void)
{
	const phys_addr_t s = 0x3400000, e = 0x3500000;

	sim_memory[1].size = s - SIM_RAM_START;
	sim_memory[2] = (struct memblock_region){ s, e - s, MEMBLOCK_NOMAP };
	sim_memory[3] = (struct memblock_region){ e, SIM_RAM_END - e };
	memblock.memory.cnt = 4;
}

/* Non-zero words: what bounds the tree nodes a walk can reach. */
static unsigned long sim_nonzero_words(const void *buf, size_t len)
{
	const u8 *p = buf;
	unsigned long n = 0;
	u64 w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		n += !!w;
	}
	return n + (i < len);
}

void sim_write(phys_addr_t pa, const void *buf, size_t len)
{
	unsigned long lo, hi, pfn;

	if (!len)
		return;
	SIM_FAIL_IF(pa >= SIM_RAM_END || len > SIM_RAM_END - pa);
	sim_pfn_range(pa, len, &lo, &hi);
	ASAN_UNPOISON_MEMORY_REGION(sim_mem + PFN_PHYS(lo), PFN_PHYS(hi - lo));
	memcpy(sim_mem + pa, buf, len);
	sim_words += sim_nonzero_words(buf, len);
	for (pfn = lo; pfn < hi; pfn++) {
		bm_set(sim_wr, pfn);
		bm_set(sim_acc, pfn);
	}
	sim_access(lo, hi);
}

void sim_read(phys_addr_t pa, void *buf, size_t len)
{
	unsigned long lo, hi, pfn;

	SIM_FAIL_IF(pa >= SIM_RAM_END || len > SIM_RAM_END - pa);
	sim_pfn_range(pa, len, &lo, &hi);
	ASAN_UNPOISON_MEMORY_REGION(sim_mem + PFN_PHYS(lo), PFN_PHYS(hi - lo));
	memcpy(buf, sim_mem + pa, len);
	for (pfn = lo; pfn < hi; pfn++)
		bm_set(sim_acc, pfn);
	sim_access(lo, hi);
}

/* Physical memory, as the kernel maps it */

void *sim_phys_to_virt(phys_addr_t pa)
{
	if (pa >= SIM_RAM_END)
		sim_fail("phys_to_virt() of an address beyond the memory", __FILE__, __LINE__);
	sim_p2v++;
	return sim_mem + pa;
}

phys_addr_t sim_virt_to_phys(const void *p)
{
	const unsigned char *c = p;

	if (c < sim_mem || c >= sim_mem + SIM_RAM_END)
		sim_fail("virt_to_phys() of a pointer outside the linear map", __FILE__, __LINE__);
	return c - sim_mem;
}

bool virt_addr_valid(const void *p)
{
	const unsigned char *c = p;

	return c >= sim_mem && c < sim_mem + SIM_RAM_END;
}

void *early_memremap(phys_addr_t pa, unsigned long size)
{
	unsigned long lo, hi, pfn;

	if (!size || pa >= SIM_RAM_END || size > SIM_RAM_END - pa)
		sim_fail("mapping beyond the memory", __FILE__, __LINE__);
	sim_pfn_range(pa, size, &lo, &hi);
	sim_maps_lo = min(sim_maps_lo, lo);
	sim_maps_hi = max(sim_maps_hi, hi);
	for (pfn = lo; pfn < hi; pfn++)
		sim_maps[pfn]++;
	sim_access(lo, hi);
	return sim_mem + pa;
}

void early_memunmap(void *p, unsigned long size)
{
	unsigned long lo, hi, pfn;

	sim_pfn_range(sim_virt_to_phys(p), size, &lo, &hi);
	for (pfn = lo; pfn < hi; pfn++) {
		SIM_FAIL_IF(!sim_maps[pfn]);
		sim_maps[pfn]--;
	}
	sim_access(lo, hi);
}

u64 local_clock(void)
{
	static u64 t;

	return t += 1000;
}

bool is_kdump_kernel(void)
{
	return false;
}

struct page *pfn_to_online_page(unsigned long pfn)
{
	return pfn < SIM_PFNS ? &sim_pages[pfn] : NULL;
}

static void sim_dirty(unsigned long lo, unsigned long hi)
{
	sim_dirty_lo = min(sim_dirty_lo, lo);
	sim_dirty_hi = max(sim_dirty_hi, hi);
}

/*
 * Pages given back to the page allocator: no longer reserved, so poisoned,
 * and whoever reads them after that is reported.
 */
static void sim_free_pages(unsigned long pfn, unsigned long nr)
{
	unsigned long i;

	for (i = pfn; i < pfn + nr; i++) {
		SIM_CHECK(!PageReserved(&sim_pages[i]),
			  "page %#lx freed while reserved", i);
		bm_clear(sim_rsv, i);
	}
	sim_access(pfn, pfn + nr);
}

/* The page as sim_access() wants it, whole: a blob's page may be in part. */
static void sim_access_page(unsigned long pfn)
{
	bm_clear(sim_acc, pfn);
	ASAN_POISON_MEMORY_REGION(sim_mem + PFN_PHYS(pfn), PAGE_SIZE);
	sim_access(pfn, pfn + 1);
}

/* A page restored, or put back to be restored again, while strict. */
void sim_page_changed(struct page *p)
{
	sim_access_page(page_to_pfn(p));
}

/* Strict or not: what the preserved pages look like changes. */
static void sim_set_strict(bool strict)
{
	unsigned long pfn;

	sim_strict = strict;
	for_each_bm(pfn, sim_prsv)
		sim_access_page(pfn);
}

void folio_put(struct folio *f)
{
	SIM_FAIL_IF(f->page.count <= 0);
	f->page.count--;
	sim_dirty(folio_pfn(f), folio_pfn(f) + 1);
	if (f->page.count)
		return;
	SIM_CHECK(!f->mapping, "folio at pfn %#lx freed while in a file",
		  folio_pfn(f));
	sim_free_pages(folio_pfn(f), folio_nr_pages(f));
}

void __free_page(struct page *p)
{
	SIM_FAIL_IF(p->count != 1);
	p->count = 0;
	sim_dirty(page_to_pfn(p), page_to_pfn(p) + 1);
	sim_free_pages(page_to_pfn(p), 1);
}

unsigned long totalram_pages(void)
{
	return SIM_PFNS;
}

void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return array_size(n, size) == SIZE_MAX ? NULL : calloc(n, size);
}

void kvfree(const void *p)
{
	free((void *)p);
}

/*
 * vmap(VM_MAP_PUT_PAGES): the area owns the pages, vfree() puts them. Pages
 * that follow each other in memory are mapped where they are; others are
 * copied into a buffer, which is enough for the code that only reads its
 * areas (the memfd folio lists).
 */
struct sim_vmap {
	void *addr;
	struct page **pages;
	unsigned int count;
	bool copy;
	struct sim_vmap *next;
};

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot)
{
	struct sim_vmap *v = malloc(sizeof(*v));
	unsigned int i;

	SIM_FAIL_IF(flags != VM_MAP_PUT_PAGES);
	if (!v)
		return NULL;
	v->pages = pages;
	v->count = count;
	v->copy = false;
	for (i = 1; i < count; i++)
		v->copy |= page_to_pfn(pages[i]) != page_to_pfn(pages[0]) + i;
	v->addr = v->copy ? malloc((size_t)count * PAGE_SIZE) :
		  page_address(pages[0]);
	if (!v->addr) {
		free(v);
		return NULL;
	}
	for (i = 0; v->copy && i < count; i++)
		memcpy((u8 *)v->addr + (size_t)i * PAGE_SIZE,
		       page_address(pages[i]), PAGE_SIZE);
	v->next = sim_vmap_list;
	sim_vmap_list = v;
	sim_vmap_count++;
	return v->addr;
}

void vfree(const void *p)
{
	struct sim_vmap **pv, *v;
	unsigned int i;

	if (!p)
		return;
	for (pv = &sim_vmap_list; *pv && (*pv)->addr != p; pv = &(*pv)->next)
		;
	v = *pv;
	if (!v)
		sim_fail("freeing what vmap() did not return", __FILE__,
			 __LINE__);
	*pv = v->next;
	sim_vmap_count--;
	for (i = 0; i < v->count; i++)
		__free_page(v->pages[i]);
	kvfree(v->pages);
	if (v->copy)
		free(v->addr);
	free(v);
}

/* The vmap() areas not freed yet. */
unsigned long sim_vmaps(void)
{
	return sim_vmap_count;
}

int region_intersects(phys_addr_t start, size_t size, unsigned long flags,
		      unsigned long desc)
{
	return memblock_is_region_memory(start, size) ? REGION_INTERSECTS :
							REGION_DISJOINT;
}

/* memblock */

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r;

	if (base + size < base)
		return false;
	for_each_mem_region(r) {
		if (base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	unsigned long lo, hi, pfn;

	sim_pfn_range(base, size, &lo, &hi);
	for (pfn = lo; pfn < hi; pfn++)
		if (bm_test(sim_rsv, pfn))
			return true;
	return false;
}

static void sim_reserve(phys_addr_t base, phys_addr_t size, bool preserved)
{
	unsigned long lo, hi, pfn;

	if (!size)
		return;
	if (base + size < base || base + size > SIM_RAM_END)
		sim_rsv_outside++;
	sim_pfn_range(base, size, &lo, &hi);
	for (pfn = lo; pfn < hi; pfn++) {
		bm_set(sim_rsv, pfn);
		if (preserved) {
			bm_set(sim_prsv, pfn);
			/* As memmap_init() leaves reserved memory. */
			SetPageReserved(&sim_pages[pfn]);
		}
	}
	if (preserved)
		sim_dirty(lo, hi);
	memblock.reserved.cnt++;
	sim_access(lo, hi);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	sim_reserve(base, size, false);
	return 0;
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	unsigned long lo, hi, pfn;

	sim_pfn_range(base, size, &lo, &hi);
	/*
	 * Still accessible until the boot step that freed it ends (see
	 * sim_boot()): undoing a refused tree frees each node before the walk
	 * reads the nodes below it, and nothing runs in between that could
	 * change them.
	 */
	for (pfn = lo; pfn < hi; pfn++) {
		if (bm_test(sim_rsv, pfn))
			bm_set(sim_freed, pfn);
		bm_clear(sim_rsv, pfn);
		bm_clear(sim_prsv, pfn);
	}
	return 0;
}

int memblock_reserve_sorted(struct memblock_region *rg, unsigned long n,
			    enum memblock_flags flags)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		SIM_CHECK(!i || rg[i].base > rg[i - 1].base + rg[i - 1].size,
			  "ranges to reserve not sorted and apart");
		sim_reserve(rg[i].base, rg[i].size, true);
	}
	return 0;
}

int memblock_mark_kho_scratch(phys_addr_t base, phys_addr_t size)
{
	SIM_CHECK(memblock_is_region_memory(base, size),
		  "scratch marked outside memory");
	sim_scratch_marked++;
	return 0;
}

int memblock_clear_kho_scratch(phys_addr_t base, phys_addr_t size)
{
	SIM_FAIL_IF(!sim_scratch_marked);
	sim_scratch_marked--;
	return 0;
}

void memblock_set_kho_scratch_only(void)
{
	sim_scratch_only = true;
}

void memblock_clear_kho_scratch_only(void)
{
	sim_scratch_only = false;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return SIM_RAM_END;
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return calloc(1, size);
}

void memblock_free(void *p, size_t size)
{
	free(p);
}

/* Library */

int kstrtobool(const char *s, bool *res)
{
	sim_unreachable();
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	sim_unreachable();
}

u64 memparse(const char *p, char **retp)
{
	sim_unreachable();
}

ssize_t strscpy(char *dst, const char *src, size_t count)
{
	size_t len = strnlen(src, count);

	if (!count)
		return -E2BIG;
	if (len == count) {
		memcpy(dst, src, count - 1);
		dst[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

void *memchr_inv(const void *p, int c, size_t n)
{
	const u8 *s = p;

	for (; n; n--, s++)
		if (*s != (u8)c)
			return (void *)s;
	return NULL;
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *), void *swap)
{
	qsort(base, num, size, cmp);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	unsigned long w;

	while (offset < size) {
		w = addr[offset / 64] >> (offset % 64);
		if (w) {
			offset += __builtin_ctzl(w);
			return min(offset, size);
		}
		offset = ALIGN_DOWN(offset, 64) + 64;
	}
	return size;
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	unsigned long w;

	while (offset < size) {
		w = ~addr[offset / 64] >> (offset % 64);
		if (w) {
			offset += __builtin_ctzl(w);
			return min(offset, size);
		}
		offset = ALIGN_DOWN(offset, 64) + 64;
	}
	return size;
}

void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr)
{
	sim_unreachable();
}

void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr)
{
	sim_unreachable();
}

struct new_utsname *init_utsname(void)
{
	static struct new_utsname u = { "6.12.0-kho-sim" };

	return &u;
}

/* Laying out a valid handover */

static phys_addr_t sim_tree_next;

/* Tree nodes, as kho_radix_alloc_node() gets them: zeroed pages. */
static void *sim_tree_alloc(void)
{
	phys_addr_t pa = sim_tree_next;

	if (pa >= SIM_TREE + SIM_TREE_MAX_PAGES * PAGE_SIZE)
		return NULL;
	sim_tree_next += PAGE_SIZE;
	ASAN_UNPOISON_MEMORY_REGION(sim_mem + pa, PAGE_SIZE);
	memset(sim_mem + pa, 0, PAGE_SIZE);
	bm_set(sim_wr, PFN_DOWN(pa));
	bm_set(sim_acc, PFN_DOWN(pa));
	return sim_mem + pa;
}

int sim_make_tree(const struct sim_block *b, unsigned int n, phys_addr_t *root)
{
	u64 keys[256];
	unsigned int i;
	int err;

	SIM_FAIL_IF(n > ARRAY_SIZE(keys));
	for (i = 0; i < n; i++)
		keys[i] = sim_radix_key(b[i].pa, b[i].order);
	sim_tree_next = SIM_TREE;
	err = sim_radix_build(keys, n, sim_tree_alloc, root);
	sim_words += sim_nonzero_words(sim_mem + SIM_TREE, sim_tree_next - SIM_TREE);
	sim_access(PFN_DOWN(SIM_TREE), PFN_DOWN(sim_tree_next));
	return err;
}

/* @nr blocks of @order from @pa, one after the other, from b[@n] on. */
static unsigned int sim_blocks(struct sim_block *b, unsigned int n,
			       phys_addr_t pa, unsigned int nr,
			       unsigned int order)
{
	while (nr--) {
		b[n++] = (struct sim_block){ pa, order };
		pa += PAGE_SIZE << order;
	}
	return n;
}

/*
 * The blocks of a valid handover: the FDT, blobs, data, reserve_mem; the
 * vmalloc() area and the LUO blocks as @parts (SIM_PART_*) asks.
 */
unsigned int sim_default_blocks(struct sim_block *b, unsigned int max,
				unsigned int parts)
{
	bool vmalloc = parts & SIM_PART_VMALLOC;
	unsigned int n = 0, i;

	b[n++] = (struct sim_block){ SIM_FDT, 0 };
	b[n++] = (struct sim_block){ SIM_BLOB, 0 };
	b[n++] = (struct sim_block){ SIM_MEMBLOCK_BLOB, 0 };
	b[n++] = (struct sim_block){ SIM_DATA, MAX_PAGE_ORDER };	/* the reserve_mem region */
	b[n++] = (struct sim_block){ SIM_DATA + 0x408000, 0 };
	if (vmalloc) {
		for (i = 0; i < 4 && n < max; i++)
			b[n++] = (struct sim_block){ SIM_VM_CHUNKS + i * PAGE_SIZE, 0 };
		for (i = 0; i < SIM_VM_DATA_PAGES && n < max; i++)
			b[n++] = (struct sim_block){ SIM_VM_DATA + i * PAGE_SIZE, 0 };
		for (i = 0; i < SIM_VM_HIGH_BLOCKS && n < max; i++)
			b[n++] = (struct sim_block){
				SIM_VM_HIGH + i * (PAGE_SIZE << SIM_VM_HIGH_ORDER),
				SIM_VM_HIGH_ORDER };
	}
	if (parts & SIM_PART_LUO) {
		SIM_FAIL_IF(n + 64 > max);
		n = sim_blocks(b, n, SIM_LUO_FDT, 1, 0);
		n = sim_blocks(b, n, SIM_LUO_HDR, 1, 0);
		n = sim_blocks(b, n, SIM_LUO_LISTS, SIM_LUO_NR_LISTS, 0);
		n = sim_blocks(b, n, SIM_LUO_MEMFD, SIM_LUO_NR_MEMFDS, 0);
		n = sim_blocks(b, n, SIM_LUO_CHUNKS, SIM_LUO_NR_MEMFDS, 0);
		n = sim_blocks(b, n, SIM_LUO_FLIST, SIM_LUO_NR_MEMFDS, 0);
		n = sim_blocks(b, n, SIM_LUO_PAGES, SIM_LUO_NR_PAGES, 0);
		n = sim_blocks(b, n, SIM_LUO_O2, SIM_LUO_NR_O2, 2);
		n = sim_blocks(b, n, SIM_LUO_O4, 1, 4);
		n = sim_blocks(b, n, SIM_LUO_O9, 1, 9);
	}
	SIM_FAIL_IF(n > max);
	return n;
}

static int sim_fdt_blob(void *fdt, const char *name, phys_addr_t pa, u64 size)
{
	int off = fdt_add_subnode(fdt, 0, name);

	/* KHO's u64 properties are in the CPU's byte order. */
	if (off < 0)
		return off;
	return fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_PROP, &pa, sizeof(pa)) ?:
	       fdt_setprop(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP, &size, sizeof(size));
}

/* The root FDT as kho_out_init() and the blob owners make it. */
int sim_make_fdt(void *buf, size_t size, phys_addr_t root, u64 md_size,
		 u64 mb_size)
{
	u64 map = root;

	return fdt_create_empty_tree(buf, size) ?:
	       fdt_setprop_string(buf, 0, "compatible", KHO_FDT_COMPATIBLE) ?:
	       fdt_setprop(buf, 0, KHO_FDT_MEMORY_MAP_PROP, &map, sizeof(map)) ?:
	       sim_fdt_blob(buf, KHO_METADATA_NAME, SIM_BLOB, md_size) ?:
	       sim_fdt_blob(buf, KHO_MEMBLOCK_NAME, SIM_MEMBLOCK_BLOB, mb_size);
}

/* The memblock blob of kho_reserve_mem_init(): one region "kho_test". */
int sim_make_memblock_blob(void *buf, size_t size)
{
	u64 start = SIM_DATA, len = SIM_RMEM_SIZE;
	int off, err;

	err = fdt_create_empty_tree(buf, size) ?:
	      fdt_setprop_string(buf, 0, "compatible", KHO_MEMBLOCK_COMPATIBLE);
	if (err)
		return err;
	off = fdt_add_subnode(buf, 0, "kho_test");
	if (off < 0)
		return off;
	err = fdt_setprop_string(buf, off, "compatible", KHO_RESERVE_MEM_COMPATIBLE) ?:
	      fdt_setprop(buf, off, KHO_RESERVE_MEM_START_PROP, &start, sizeof(start)) ?:
	      fdt_setprop(buf, off, KHO_RESERVE_MEM_SIZE_PROP, &len, sizeof(len));
	return err ?: fdt_pack(buf);
}

void sim_make_metadata(void *buf)
{
	struct kho_kexec_metadata md = { .version = KHO_METADATA_VERSION,
					 .kexec_count = 3 };

	strscpy(md.previous_release, "6.12.0-kho-sim", sizeof(md.previous_release));
	memcpy(buf, &md, sizeof(md));
}

/* The scratch array of the previous kernel: lowmem and global. */
size_t sim_make_scratch(void *buf)
{
	struct kho_scratch s[2] = {
		{ SIM_LOW_SCRATCH, SIM_LOW_SCRATCH_SIZE },
		{ SIM_SCRATCH, SIM_SCRATCH_SIZE },
	};

	memcpy(buf, s, sizeof(s));
	return sizeof(s);
}

void sim_default_handover(struct sim_handover *h)
{
	/* "oops" is the region of the real handover (seeds.sh). */
	static const char *const names[] = { "kho_test", "oops", "absent" };
	static const u64 sizes[] = { SIM_RMEM_SIZE, SIM_RMEM_SIZE, SZ_1M };

	memset(h, 0, sizeof(*h));
	h->fdt = SIM_FDT;
	h->fdt_size = PAGE_SIZE;
	h->scratch = SIM_SCRATCH_ARRAY;
	h->scratch_size = 2 * sizeof(struct kho_scratch);
	h->rmem_names = names;
	h->rmem_sizes = sizes;
	h->nr_rmem = ARRAY_SIZE(names);
}

/*
 * Write the parts of a valid handover that a target does not fuzz
 * (SIM_PART_*); a blob size of 0 is the size of the valid blob. With
 * SIM_PART_LUO, the tree preserves the LUO blocks and the root FDT has the
 * LUO subtree, at @luo_phys, of @luo_size bytes.
 */
void sim_write_default(unsigned int parts, u64 md_size, u64 mb_size,
		       phys_addr_t luo_phys, u64 luo_size)
{
	/* Laid out once, then copied: the same for every run of a target. */
	static u8 tree[4][SIM_TREE_MAX_PAGES * PAGE_SIZE];
	static size_t tree_len[4];
	static u8 fdts[2][PAGE_SIZE], mb[PAGE_SIZE], md[PAGE_SIZE], scratch[64];
	static size_t scratch_len;
	bool luo = parts & SIM_PART_LUO;
	unsigned int v = !!(parts & SIM_PART_VMALLOC) | luo << 1;
	u8 *fdt = fdts[luo];
	struct sim_block b[128];
	phys_addr_t root;
	int off;

	if (!scratch_len) {
		if (sim_make_memblock_blob(mb, sizeof(mb)) ||
		    sim_make_fdt(fdts[0], PAGE_SIZE, SIM_TREE,
				 sizeof(struct kho_kexec_metadata), fdt_totalsize(mb)))
			sim_fail("cannot build the default blobs", __FILE__, __LINE__);
		memcpy(fdts[1], fdts[0], PAGE_SIZE);
		if (sim_fdt_blob(fdts[1], LUO_FDT_KHO_ENTRY_NAME, SIM_LUO_FDT,
				 LUO_FDT_SIZE))
			sim_fail("cannot build the LUO subtree", __FILE__,
				 __LINE__);
		sim_make_metadata(md);
		scratch_len = sim_make_scratch(scratch);
	}
	if ((parts & SIM_PART_TREE) && !tree_len[v]) {
		if (sim_make_tree(b, sim_default_blocks(b, ARRAY_SIZE(b),
							parts), &root) ||
		    root != SIM_TREE)
			sim_fail("cannot build the tree", __FILE__, __LINE__);
		tree_len[v] = sim_tree_next - SIM_TREE;
		sim_read(SIM_TREE, tree[v], tree_len[v]);
		sim_reset();
	}
	if (parts & SIM_PART_TREE)
		sim_write(SIM_TREE, tree[v], tree_len[v]);
	if (luo && (parts & SIM_PART_FDT)) {
		off = fdt_subnode_offset(fdt, 0, LUO_FDT_KHO_ENTRY_NAME);
		fdt_setprop_inplace(fdt, off, KHO_FDT_SUB_TREE_PROP,
				    &luo_phys, sizeof(luo_phys));
		fdt_setprop_inplace(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				    &luo_size, sizeof(luo_size));
	}
	if (parts & SIM_PART_FDT) {
		/* The blob sizes of the targets that fuzz a blob's length. */
		off = fdt_subnode_offset(fdt, 0, KHO_METADATA_NAME);
		md_size = md_size ?: sizeof(struct kho_kexec_metadata);
		fdt_setprop_inplace(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				    &md_size, sizeof(md_size));
		off = fdt_subnode_offset(fdt, 0, KHO_MEMBLOCK_NAME);
		mb_size = mb_size ?: fdt_totalsize(mb);
		fdt_setprop_inplace(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				    &mb_size, sizeof(mb_size));
		sim_write(SIM_FDT, fdt, PAGE_SIZE);
	}
	if (parts & SIM_PART_SCRATCH)
		sim_write(SIM_SCRATCH_ARRAY, scratch, scratch_len);
	if (parts & SIM_PART_METADATA)
		sim_write(SIM_BLOB, md, sizeof(struct kho_kexec_metadata));
	if (parts & SIM_PART_MEMBLOCK)
		sim_write(SIM_MEMBLOCK_BLOB, mb, fdt_totalsize(mb));
}

/* The invariants */

static bool sim_is_ram(unsigned long pfn)
{
	struct memblock_region *r;
	phys_addr_t pa = PFN_PHYS(pfn);

	for_each_mem_region(r) {
		if (pa >= r->base && pa + PAGE_SIZE <= r->base + r->size)
			return !memblock_is_nomap(r);
	}
	return false;
}

static struct kho_scratch sim_areas[KHO_SCRATCH_MAX_AREAS];
static unsigned int sim_nr_areas;

static bool sim_is_scratch(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	unsigned int i;

	if (pa < SZ_1M)
		return true;
	for (i = 0; i < sim_nr_areas; i++)
		if (pa < sim_areas[i].addr + sim_areas[i].size &&
		    sim_areas[i].addr < pa + PAGE_SIZE)
			return true;
	return false;
}

/* An accepted scratch array, checked on its own. */
static void sim_check_scratch(const struct sim_handover *h)
{
	bool kernel = false, array = false;
	unsigned int i, j;
	u64 total = 0;

	sim_nr_areas = h->scratch_size / sizeof(struct kho_scratch);
	SIM_CHECK(h->scratch_size % sizeof(struct kho_scratch) == 0 &&
		  sim_nr_areas && sim_nr_areas <= KHO_SCRATCH_MAX_AREAS,
		  "scratch array of %llu bytes accepted",
		  (unsigned long long)h->scratch_size);
	sim_read(h->scratch, sim_areas, h->scratch_size);
	for (i = 0; i < sim_nr_areas; i++) {
		u64 s = sim_areas[i].addr, l = sim_areas[i].size;

		SIM_CHECK(l && s + l > s && memblock_is_region_memory(s, l) &&
			  PAGE_ALIGNED(s | l),
			  "scratch area %u [%#llx +%#llx] accepted outside RAM",
			  i, (unsigned long long)s, (unsigned long long)l);
		for (j = 0; j < i; j++)
			SIM_CHECK(s >= sim_areas[j].addr + sim_areas[j].size ||
				  sim_areas[j].addr >= s + l,
				  "scratch areas %u and %u overlap", i, j);
		SIM_CHECK(h->fdt >= s + l || s >= h->fdt + h->fdt_size,
			  "FDT in scratch area %u", i);
		kernel |= SIM_KERNEL >= s && SIM_KERNEL_END <= s + l;
		array |= h->scratch >= s && h->scratch + h->scratch_size <= s + l;
		total += l;
	}
	SIM_CHECK(kernel && array, "kernel or scratch array outside scratch");
	SIM_CHECK(total >= SZ_16M, "scratch too small to boot from");
	SIM_CHECK(sim_scratch_marked == sim_nr_areas && sim_scratch_only,
		  "scratch accepted but not marked in memblock");
}

void sim_check_blob(const char *name, phys_addr_t phys, size_t size)
{
	unsigned long lo, hi, pfn;

	SIM_CHECK(size && phys + size > phys && phys + size <= SIM_RAM_END,
		  "blob %s of %zu bytes at %#llx handed out", name, size,
		  (unsigned long long)phys);
	sim_pfn_range(phys, size, &lo, &hi);
	for (pfn = lo; pfn < hi; pfn++) {
		SIM_CHECK(bm_test(sim_prsv, pfn) && PageReserved(&sim_pages[pfn]),
			  "blob %s [%#llx +%zu] handed out over page %#lx, which is not preserved memory left to restore",
			  name, (unsigned long long)phys, size, pfn);
		bm_set(sim_blob, pfn);
	}
	sim_access(lo, hi);
	/*
	 * While strict, the owner may read its blob, not what shares its
	 * pages (before the blob, to within AddressSanitizer's 8 bytes).
	 */
	if (sim_strict && lo < hi) {
		ASAN_POISON_MEMORY_REGION(sim_mem + PFN_PHYS(lo),
					  phys - PFN_PHYS(lo));
		ASAN_POISON_MEMORY_REGION(sim_mem + phys + size,
					  PFN_PHYS(hi) - (phys + size));
	}
}

/*
 * A folio restored from the previous kernel, as its owner uses it: it was
 * preserved, lies in RAM outside scratch, was restored and is held.
 */
void sim_check_restored(const char *what, struct folio *folio)
{
	unsigned long pfn = folio_pfn(folio), nr = folio_nr_pages(folio), i;

	SIM_CHECK(folio->count > 0, "%s: folio at pfn %#lx is not held", what,
		  pfn);
	SIM_CHECK(pfn + nr <= SIM_PFNS, "%s: folio at pfn %#lx of %lu pages",
		  what, pfn, nr);
	for (i = pfn; i < pfn + nr; i++)
		SIM_CHECK(bm_test(sim_prsv, i) &&
			  !PageReserved(&sim_pages[i]) && sim_is_ram(i) &&
			  !sim_is_scratch(i),
			  "%s: folio at pfn %#lx: page %#lx is not restored preserved memory in RAM outside scratch",
			  what, pfn, i);
}

static void sim_check_revival(const u64 *before)
{
	unsigned long pfn, added = 0, preserved = 0, blocks, rblocks, w;
	bool revived = kho_mem_revived();
	u64 bytes, rbytes, added_map[SIM_WORDS];

	sim_parsers_stats(&blocks, &bytes, &rblocks, &rbytes);
	SIM_CHECK(!sim_rsv_outside, "revival reserved memory beyond RAM");
	for (w = 0; w < SIM_WORDS; w++) {
		added_map[w] = sim_rsv[w] & ~before[w];
		preserved += __builtin_popcountll(sim_prsv[w]);
		added += __builtin_popcountll(added_map[w] & ~sim_prsv[w]);
	}
	for_each_bm(pfn, added_map) {
		SIM_CHECK(revived, "refused tree left page %#lx reserved", pfn);
		SIM_CHECK(sim_is_ram(pfn), "revival reserved page %#lx, not RAM", pfn);
		SIM_CHECK(!sim_is_scratch(pfn), "revival reserved page %#lx in scratch", pfn);
	}
	if (!revived) {
		SIM_CHECK(!blocks && !bytes, "refused tree counted blocks");
		return;
	}
	/* Blocks do not overlap each other or the tree: each page once. */
	SIM_CHECK(preserved == bytes / PAGE_SIZE,
		  "revived %llu bytes but reserved %lu pages as preserved",
		  (unsigned long long)bytes, preserved);
	/* Tree pages other than the root are reached through a word each. */
	SIM_CHECK(added <= sim_words + 1,
		  "%lu tree pages reserved for %lu words of input", added, sim_words);
}

/*
 * Restore every block left, as owners would: each is restored once, and
 * all of them add up to what revival counted.
 */
static void sim_restore_all(void)
{
	unsigned long pfn, blocks, rblocks;
	struct folio *folio;
	u64 bytes, rbytes;

	for_each_bm(pfn, sim_prsv) {
		/* Kept reserve_mem= regions are claimed, and stay reserved. */
		if (!PageReserved(&sim_pages[pfn]) || bm_test(sim_kept, pfn))
			continue;
		folio = kho_restore_folio(PFN_PHYS(pfn));
		if (!folio)
			continue;
		SIM_CHECK(!kho_restore_folio(PFN_PHYS(pfn)),
			  "block at pfn %#lx restored twice", pfn);
		folio_put(folio);
	}
	sim_parsers_stats(&blocks, &bytes, &rblocks, &rbytes);
	SIM_CHECK(rblocks == blocks && rbytes == bytes,
		  "revived %lu blocks (%llu bytes), could restore %lu (%llu bytes): memory lost",
		  blocks, (unsigned long long)bytes, rblocks,
		  (unsigned long long)rbytes);
}

static void sim_restore_vmalloc(const struct sim_handover *h)
{
	unsigned long b0, rb0, b1, rb1;
	struct kho_vmalloc desc;
	u64 by0, rby0, by1, rby1;
	void *ptr;

	memcpy(&desc, h->vm_desc, sizeof(desc));
	sim_parsers_stats(&b0, &by0, &rb0, &rby0);
	ptr = kho_restore_vmalloc(&desc);
	sim_parsers_stats(&b1, &by1, &rb1, &rby1);
	sim_printk("kho-sim: vmalloc area of %u pages %s\n", desc.total_pages,
		   ptr ? "restored" : "refused");
	if (!ptr) {
		SIM_CHECK(rb1 == rb0 && rby1 == rby0,
			  "failed vmalloc restore kept %lu blocks restored",
			  rb1 - rb0);
		return;
	}
	SIM_CHECK(rby1 - rby0 >= (u64)desc.total_pages * PAGE_SIZE,
		  "vmalloc area of %u pages restored from %llu bytes",
		  desc.total_pages, (unsigned long long)(rby1 - rby0));
	vfree(ptr);
}

/* The boot of the next kernel, x86 order, from kho_populate() on. */
void sim_boot(const struct sim_handover *h)
{
	static u64 before[SIM_WORDS];
	unsigned long pfn;
	unsigned int i;
	phys_addr_t pa;

	if (h->nomap)
		sim_add_nomap();
	sim_nr_areas = 0;
	/* The kernel image is reserved first. */
	memblock_reserve(SIM_KERNEL, SIM_KERNEL_END - SIM_KERNEL);

	kho_populate(h->fdt, h->fdt_size, h->scratch, h->scratch_size);
	if (is_kho_boot())
		sim_check_scratch(h);
	else
		SIM_CHECK(!sim_scratch_only && !sim_scratch_marked,
			  "refused handover left scratch marked");

	memcpy(before, sim_rsv, sizeof(before));
	sim_p2v = 0;
	kho_revive();
	for_each_bm(pfn, sim_freed) {
		bm_clear(sim_freed, pfn);
		sim_access(pfn, pfn + 1);
	}
	sim_check_revival(before);
	/* A walk reads each node once, and each of four walks at most. */
	SIM_CHECK(sim_p2v <= 4 * (sim_words + 2) + 8,
		  "%lu node reads for %lu words of input", sim_p2v, sim_words);

	/* reserve_mem= is parsed after revival on x86. */
	for (i = 0; i < h->nr_rmem; i++) {
		pa = kho_reserve_mem_find(h->rmem_names[i], h->rmem_sizes[i],
					  PAGE_SIZE);
		if (!pa)
			continue;
		SIM_CHECK(is_kho_boot(), "reserve_mem kept without a handover");
		sim_check_blob(h->rmem_names[i], pa, h->rmem_sizes[i]);
		for (pfn = PFN_DOWN(pa); pfn < PFN_UP(pa + h->rmem_sizes[i]); pfn++)
			bm_set(sim_kept, pfn);
	}

	kho_memory_init();
	system_state = SYSTEM_RUNNING;
	sim_kho_init();
	if (h->vmalloc && kho_mem_revived())
		sim_restore_vmalloc(h);
	if (h->owners) {
		sim_set_strict(true);
		h->owners();
		sim_set_strict(false);
	}
	if (kho_mem_revived())
		sim_restore_all();
}

/* libFuzzer calls it once, before the first run, in every target. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sim_init();
	return 0;
}

/*
 * A run of a structure target: a valid handover, but for its part @part
 * (SIM_PART_*), which is the input, at @pa. A blob's size in the FDT, and
 * the size of the scratch array, are the input's.
 */
void sim_fuzz_part(unsigned int part, phys_addr_t pa, const u8 *data,
		   size_t size)
{
	struct sim_handover h;

	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL & ~part,
			  part == SIM_PART_METADATA ? size : 0,
			  part == SIM_PART_MEMBLOCK ? size : 0, 0, 0);
	sim_write(pa, data, size);
	if (part == SIM_PART_SCRATCH)
		h.scratch_size = size;
	sim_boot(&h);
}
