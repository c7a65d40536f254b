/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the KHO parsers of kernel/liveupdate/ need of the kernel, in user
 * space, over a simulated machine (sim.c): physical memory is one mapping,
 * memblock knows its RAM and what is reserved, struct pages are an array.
 * Every <linux/...> header those files include lands here. Only what the
 * incoming paths really use does something; the rest must not be reached
 * (sim_unreachable() aborts, so a fuzzer that reaches it reports it).
 */
#ifndef _KHO_SIM_H
#define _KHO_SIM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef unsigned long long __u64;
typedef u64 phys_addr_t;
#define __bitwise
typedef unsigned int __bitwise gfp_t;

/* Kconfig: the options the parsers are built with, as x86 has them. */
#define CONFIG_X86 1
#define CONFIG_KEXEC_HANDOVER 1
#define CONFIG_LIVEUPDATE 1
#define CONFIG_LIVEUPDATE_MEMFD 1
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

/* Compiler and section annotations */
#define __init
#define __initdata
#define __initconst
#define __ro_after_init
#define __ref
#define __packed __attribute__((packed))
#define __always_unused __attribute__((unused))
#define __maybe_unused __attribute__((unused))
#define __noreturn __attribute__((__noreturn__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define BUILD_BUG_ON(c) static_assert(!(c), #c)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL(s)
#define early_param(name, fn)
#define core_initcall(fn)
#define core_initcall_sync(fn)
#define postcore_initcall(fn)
#define late_initcall_sync(fn)
#define THIS_MODULE NULL

/* Numbers */
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define SZ_1K 0x400
#define SZ_4K 0x1000
#define SZ_1M 0x100000
#define SZ_16M 0x1000000
#define NSEC_PER_USEC 1000ULL
#define PHYS_ADDR_MAX (~(phys_addr_t)0)

static inline size_t array_size(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline u64 div_u64(u64 a, u32 b) { return a / b; }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }

#define __get_unaligned_t(type, ptr) ({ \
	u64 __v[(sizeof(type) + 7) / 8]; \
	memcpy(__v, (ptr), sizeof(type)); \
	*(type *)__v; \
})
#define get_unaligned(p) __get_unaligned_t(__typeof__(*(p)), (p))

/* Errors */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }

/* Messages: off unless KHO_SIM_VERBOSE is set in the environment. */
extern int sim_verbose;
#define sim_printk(fmt, ...) \
	do { if (sim_verbose) fprintf(stderr, fmt, ##__VA_ARGS__); } while (0)
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_info(fmt, ...) sim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) sim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) sim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...) sim_printk(pr_fmt(fmt), ##__VA_ARGS__)

/* A kernel WARN is a finding: the fuzzer must not reach one. */
void sim_fail(const char *what, const char *file, int line) __noreturn;
#define WARN_ON(c) ({ \
	bool __c = !!(c); \
	if (__c) \
		sim_fail("WARN_ON(" #c ")", __FILE__, __LINE__); \
	__c; \
})
#define WARN_ON_ONCE(c) WARN_ON(c)
#define SIM_FAIL_IF(c) do { if (c) sim_fail("BUG: " #c, __FILE__, __LINE__); } while (0)
#define sim_unreachable() sim_fail("not part of the incoming paths", __FILE__, __LINE__)

/* Locks: single-threaded, but a lock taken twice or not held is a bug. */
struct mutex { int held; };
struct rw_semaphore { int readers, writer; };
#define __MUTEX_INITIALIZER(name) { 0 }
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)
#define DECLARE_RWSEM(name) struct rw_semaphore name = { 0, 0 }

static inline void mutex_lock(struct mutex *m)
{
	SIM_FAIL_IF(m->held);
	m->held = 1;
}

static inline void mutex_unlock(struct mutex *m)
{
	SIM_FAIL_IF(!m->held);
	m->held = 0;
}

static inline void down_read(struct rw_semaphore *s)
{
	SIM_FAIL_IF(s->writer);
	s->readers++;
}

static inline void up_read(struct rw_semaphore *s)
{
	SIM_FAIL_IF(!s->readers);
	s->readers--;
}

static inline void down_write(struct rw_semaphore *s)
{
	SIM_FAIL_IF(s->writer || s->readers);
	s->writer = 1;
}

static inline void up_write(struct rw_semaphore *s)
{
	SIM_FAIL_IF(!s->writer);
	s->writer = 0;
}

static inline void cond_resched(void) { }
#define cmpxchg(p, o, n) __sync_val_compare_and_swap(p, o, n)
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_LONG_INIT(i) { (i) }
static inline void atomic_long_inc(atomic_long_t *a) { a->counter++; }
static inline long atomic_long_read(atomic_long_t *a) { return a->counter; }

/* Lists */
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = NULL;
	e->prev = NULL;
}

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	list_add(n, h->prev);
}

static inline void list_del_init(struct list_head *e)
{
	list_del(e);
	INIT_LIST_HEAD(e);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head); \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_entry((head)->next, __typeof__(*pos), member), \
	     n = list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head); \
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

/* Strings */
int kstrtobool(const char *s, bool *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
u64 memparse(const char *p, char **retp);
ssize_t strscpy(char *dst, const char *src, size_t count);
void *memchr_inv(const void *p, int c, size_t n);
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *), void *swap);

/* Bitmaps */
#define test_bit(nr, addr) ((((const unsigned long *)(addr))[(nr) / 64] >> ((nr) % 64)) & 1)
static inline bool __test_and_set_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	a[nr / 64] |= 1UL << (nr % 64);
	return old;
}

static inline bool __test_and_clear_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	a[nr / 64] &= ~(1UL << (nr % 64));
	return old;
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset);
#define for_each_set_bit(bit, addr, size) \
	for ((bit) = find_next_bit((addr), (size), 0); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_set_bitrange(b, e, addr, size) \
	for ((b) = find_next_bit((addr), (size), 0), \
	     (e) = find_next_zero_bit((addr), (size), (b) + 1); \
	     (b) < (size); \
	     (b) = find_next_bit((addr), (size), (e) + 1), \
	     (e) = find_next_zero_bit((addr), (size), (b) + 1))
void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr);
void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr);

/* The simulated machine: physical memory [0, SIM_RAM_END) */
#define PAGE_SHIFT 12
#define PAGE_SIZE BIT(PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGNED(a) IS_ALIGNED((unsigned long)(a), PAGE_SIZE)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define MAX_PAGE_ORDER 10
#define pageblock_order 9
#define pageblock_nr_pages BIT(pageblock_order)
#define SIM_RAM_END (64ULL << 20)
#define SIM_PFNS (SIM_RAM_END >> PAGE_SHIFT)

void *sim_phys_to_virt(phys_addr_t pa);
phys_addr_t sim_virt_to_phys(const void *p);
#define phys_to_virt(pa) sim_phys_to_virt(pa)
#define virt_to_phys(p) sim_virt_to_phys(p)
#define __pa(p) sim_virt_to_phys(p)
extern phys_addr_t sim_kernel_start, sim_kernel_end;
extern char _text[], _end[];
#define __pa_symbol(s) ((s) == _text ? sim_kernel_start : sim_kernel_end)
bool virt_addr_valid(const void *p);
void *early_memremap(phys_addr_t pa, unsigned long size);
void early_memunmap(void *p, unsigned long size);

enum system_states { SYSTEM_BOOTING, SYSTEM_RUNNING };
extern enum system_states system_state;
u64 local_clock(void);
bool is_kdump_kernel(void);

/* struct page over the simulated memory */
struct address_space;
struct page {
	unsigned long flags;		/* SIM_PG_* */
	int count;
	unsigned int order;		/* of a compound head */
	struct list_head lru;
	struct address_space *mapping;	/* of a head in a file's page cache */
	unsigned long index;		/* its page offset there */
};

/* A folio is its head page, whose fields it also names, as the kernel's. */
struct folio {
	union {
		struct page page;
		struct {
			unsigned long flags;
			int count;
			unsigned int order;
			struct list_head lru;
			struct address_space *mapping;
			unsigned long index;
		};
	};
};

static_assert(offsetof(struct folio, index) == offsetof(struct page, index),
	      "struct folio names the fields of struct page");

#define SIM_PG_RESERVED 1UL
extern struct page sim_pages[SIM_PFNS];
extern long sim_managed_pages;
struct page *pfn_to_online_page(unsigned long pfn);
static inline struct page *pfn_to_page(unsigned long pfn)
{
	SIM_FAIL_IF(pfn >= SIM_PFNS);
	return &sim_pages[pfn];
}

static inline unsigned long page_to_pfn(const struct page *p) { return p - sim_pages; }
#define page_to_phys(p) PFN_PHYS(page_to_pfn(p))
static inline void *page_address(const struct page *p)
{
	return sim_phys_to_virt(page_to_phys(p));
}

#define virt_to_page(p) pfn_to_page(PHYS_PFN(sim_virt_to_phys(p)))
static inline struct folio *page_folio(struct page *p) { return (struct folio *)p; }
static inline struct folio *pfn_folio(unsigned long pfn) { return page_folio(pfn_to_page(pfn)); }
static inline struct folio *virt_to_folio(const void *p) { return page_folio(virt_to_page(p)); }
static inline unsigned long folio_pfn(struct folio *f) { return page_to_pfn(&f->page); }
static inline unsigned long folio_nr_pages(struct folio *f) { return 1UL << f->page.order; }
static inline void *folio_address(struct folio *f) { return page_address(&f->page); }
static inline bool folio_test_lru(struct folio *f) { return false; }
static inline bool __folio_test_movable(struct folio *f) { return false; }
static inline bool folio_maybe_dma_pinned(struct folio *f) { return false; }
void folio_put(struct folio *f);
/* While owners run, whether a page is reserved says who may read it (sim.c). */
extern bool sim_strict;
void sim_page_changed(struct page *p);
static inline void SetPageReserved(struct page *p)
{
	p->flags |= SIM_PG_RESERVED;
	if (sim_strict)
		sim_page_changed(p);
}

static inline void ClearPageReserved(struct page *p)
{
	p->flags &= ~SIM_PG_RESERVED;
	if (sim_strict)
		sim_page_changed(p);
}

static inline bool PageReserved(struct page *p) { return p->flags & SIM_PG_RESERVED; }
static inline void set_page_count(struct page *p, int v) { p->count = v; }
static inline void init_page_count(struct page *p) { p->count = 1; }
static inline void adjust_managed_page_count(struct page *p, long n) { sim_managed_pages += n; }
static inline void prep_compound_page(struct page *p, unsigned int order) { p->order = order; }
void __free_page(struct page *p);
static inline int pfn_to_nid(unsigned long pfn) { return 0; }
static inline int early_pfn_to_nid(unsigned long pfn) { return 0; }
unsigned long totalram_pages(void);

/* Allocators: the incoming paths use kvmalloc and memblock_alloc only. */
#define GFP_KERNEL 0u
#define __GFP_ZERO 0u
void *kvmalloc_array(size_t n, size_t size, gfp_t gfp);
void kvfree(const void *p);
/* Only sim_radix_build() allocates pages, for the tree nodes it lays out. */
extern void *(*sim_zeroed_page)(void);
static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	if (!sim_zeroed_page)
		sim_unreachable();
	return (unsigned long)sim_zeroed_page();
}

static inline void free_page(unsigned long p) { sim_unreachable(); }
static inline struct folio *folio_alloc(gfp_t gfp, unsigned int order) { sim_unreachable(); }
static inline int get_order(unsigned long size) { sim_unreachable(); }
static inline void *vzalloc(unsigned long size) { sim_unreachable(); }
struct vm_struct { void *addr; struct page **pages; unsigned int nr_pages; unsigned long flags; };
#define VM_ALLOC 0x2
#define VM_MAP_PUT_PAGES 0x200
#define VM_ALLOW_HUGE_VMAP 0x400
#define PAGE_KERNEL 0
static inline struct vm_struct *find_vm_area(const void *p) { sim_unreachable(); }
static inline bool is_vm_area_hugepages(const void *p) { sim_unreachable(); }
void *vmap(struct page **pages, unsigned int count, unsigned long flags, int prot);
void vfree(const void *p);

/* memblock */
enum memblock_flags {
	MEMBLOCK_NONE = 0,
	MEMBLOCK_NOMAP = 0x4,
	MEMBLOCK_KHO_SCRATCH = 0x40,
	MEMBLOCK_RSRV_NOINIT = 0x80,
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;
	struct memblock_region *regions;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;
#define for_each_mem_region(rgn) \
	for (rgn = memblock.memory.regions; \
	     rgn < memblock.memory.regions + memblock.memory.cnt; rgn++)
static inline bool memblock_is_nomap(const struct memblock_region *r)
{
	return r->flags & MEMBLOCK_NOMAP;
}

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
int memblock_reserve_sorted(struct memblock_region *rg, unsigned long n,
			    enum memblock_flags flags);
int memblock_mark_kho_scratch(phys_addr_t base, phys_addr_t size);
int memblock_clear_kho_scratch(phys_addr_t base, phys_addr_t size);
void memblock_set_kho_scratch_only(void);
void memblock_clear_kho_scratch_only(void);
phys_addr_t memblock_phys_mem_size(void);
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
void memblock_free(void *p, size_t size);
#define SMP_CACHE_BYTES 64
static inline phys_addr_t memblock_reserved_size(void) { sim_unreachable(); }
static inline phys_addr_t memblock_phys_alloc_range(phys_addr_t s, phys_addr_t a,
						    phys_addr_t lo, phys_addr_t hi)
{
	sim_unreachable();
}

static inline phys_addr_t memblock_alloc_range_nid(phys_addr_t s, phys_addr_t a,
						   phys_addr_t lo, phys_addr_t hi,
						   int nid, bool exact)
{
	sim_unreachable();
}

#define MEMBLOCK_ALLOC_ACCESSIBLE 0
#define ARCH_LOW_ADDRESS_LIMIT 0xffffffffULL
#define for_each_reserved_mem_range(i, s, e) \
	for ((i) = 0; (i) < 1 && (sim_unreachable(), 1); (i)++)
static inline void reserve_mem_for_each(int (*fn)(const char *, phys_addr_t,
						  phys_addr_t, void *), void *arg)
{
	sim_unreachable();
}

/* NUMA: one node */
#define MAX_NUMNODES 1
#define NUMA_NO_NODE (-1)
enum node_states { N_MEMORY };
typedef struct { unsigned long bits[1]; } nodemask_t;
extern nodemask_t node_states[1];
#define for_each_node_state(nid, st) for ((nid) = 0; (nid) < 1; (nid)++)
static inline int num_node_state(enum node_states s) { return 1; }
#define first_node(m) 0
#define next_node(n, m) 1

/* Scratch activation: pageblock types are not simulated */
#define CMA_MIN_ALIGNMENT_BYTES (PAGE_SIZE << pageblock_order)
#define MIGRATE_CMA 4
#define pageblock_start_pfn(pfn) ALIGN_DOWN((pfn), pageblock_nr_pages)
#define pageblock_align(pfn) ALIGN((pfn), pageblock_nr_pages)
static inline void init_deferred_page(unsigned long pfn, int nid) { }
static inline void set_pageblock_migratetype(struct page *p, int mt) { }

/* Resources */
struct resource { phys_addr_t start, end; const char *name; unsigned long flags; };
#define IORESOURCE_MEM 0x200
#define IORESOURCE_SYSTEM_RAM 0x1000200
#define IORES_DESC_NONE 0
#define DEFINE_RES_MEM(s, n) { .start = (s), .end = (s) + (n) - 1, .flags = IORESOURCE_MEM }
enum { REGION_INTERSECTS, REGION_DISJOINT, REGION_MIXED };
int region_intersects(phys_addr_t start, size_t size, unsigned long flags,
		      unsigned long desc);

/* kexec: the outgoing side, not reached */
struct kexec_segment { phys_addr_t mem; size_t memsz; };
struct kimage {
	int type;
	bool file_mode;
	unsigned long nr_segments;
	struct kexec_segment segment[16];
	struct { phys_addr_t fdt; struct kexec_segment *scratch; } kho;
};

struct kexec_buf {
	struct kimage *image;
	void *buffer;
	unsigned long bufsz, mem, memsz, buf_align, buf_max;
	bool top_down;
};

#define KEXEC_TYPE_CRASH 1
#define KEXEC_BUF_MEM_UNKNOWN 0
static inline int kexec_add_buffer(struct kexec_buf *kbuf) { sim_unreachable(); }

/* utsname */
struct new_utsname { char release[65]; };
struct new_utsname *init_utsname(void);

#endif /* _KHO_SIM_H */
