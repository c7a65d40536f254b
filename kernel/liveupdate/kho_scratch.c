// SPDX-License-Identifier: GPL-2.0-only
/*
 * KHO scratch areas: memory that holds no preserved pages, so that the next
 * kernel can be loaded into it and make its early allocations from it.
 *
 * A cold boot sizes and reserves them (kho_scratch=); a KHO boot reuses the
 * areas of the previous kernel unchanged. Either way they end up in the
 * buddy allocator as MIGRATE_CMA pageblocks: only movable allocations, which
 * are never preserved, can use them.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cma.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/page-isolation.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <asm/sections.h>

#include "../../mm/internal.h"
#include "kho_scratch.h"

#define KHO_SCRATCH_ALIGN	CMA_MIN_ALIGNMENT_BYTES
#define KHO_SCRATCH_MAX_SCALE	10000	/* percent */

struct kho_scratch *kho_scratch;
unsigned int kho_scratch_cnt;

/* kho_scratch=: a scale in percent of memblock reservations, or sizes */
static unsigned int scratch_scale __initdata = 200;
static phys_addr_t scratch_size_lowmem __initdata;
static phys_addr_t scratch_size_global __initdata;
static phys_addr_t scratch_size_pernode __initdata;
static bool scratch_sizes_given __initdata;
static bool scratch_param_seen __initdata;

static int __init kho_scratch_param_bad(const char *val, const char *why)
{
	pr_warn("kho_scratch=%s: %s, using defaults\n", val, why);
	return 0;
}

static int __init kho_parse_scratch(char *p)
{
	phys_addr_t sizes[3];
	unsigned int scale, i;
	char num[12];
	size_t len;
	char *s, *end;

	scratch_param_seen = true;
	if (!p || !*p)
		return kho_scratch_param_bad("", "empty value");

	len = strlen(p);
	if (p[len - 1] == '%') {
		if (len == 1 || len > sizeof(num))
			return kho_scratch_param_bad(p, "not a percentage");
		memcpy(num, p, len - 1);
		num[len - 1] = '\0';
		if (kstrtouint(num, 10, &scale))
			return kho_scratch_param_bad(p, "not a percentage");
		if (!scale || scale > KHO_SCRATCH_MAX_SCALE)
			return kho_scratch_param_bad(p, "scale not in 1%..10000%");
		scratch_scale = scale;
		scratch_sizes_given = false;
		return 0;
	}

	s = p;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		sizes[i] = memparse(s, &end);
		if (end == s)
			return kho_scratch_param_bad(p, "not N% or three sizes LOW,GLOBAL,PERNODE");
		if (i < ARRAY_SIZE(sizes) - 1 && *end != ',')
			return kho_scratch_param_bad(p, "not N% or three sizes LOW,GLOBAL,PERNODE");
		s = end + 1;
	}
	if (*end)
		return kho_scratch_param_bad(p, "trailing characters after three sizes");
	if (!sizes[0] && !sizes[1] && !sizes[2])
		return kho_scratch_param_bad(p, "total size is zero");

	scratch_size_lowmem = sizes[0];
	scratch_size_global = sizes[1];
	scratch_size_pernode = sizes[2];
	scratch_sizes_given = true;
	return 0;
}
early_param("kho_scratch", kho_parse_scratch);

/* What area @i is for: lowmem, global, or the node @nid it lies on. */
static void __init kho_scratch_kind(unsigned int i, int nid, char *buf,
				    size_t len)
{
	if (i == 0)
		strscpy(buf, "lowmem", len);
	else if (i == 1)
		strscpy(buf, "global", len);
	else
		snprintf(buf, len, "node %d", nid);
}

static bool kho_scratch_inherited __initdata;

static void __init kho_scratch_print(const char *how)
{
	unsigned int i;
	char kind[16];

	for (i = 0; i < kho_scratch_cnt; i++) {
		/* After NUMA setup: the node the memory really is on. */
		kho_scratch_kind(i, early_pfn_to_nid(PHYS_PFN(kho_scratch[i].addr)),
				 kind, sizeof(kind));
		pr_info("scratch %u: [mem %#018llx-%#018llx] %s%s\n", i,
			kho_scratch[i].addr,
			kho_scratch[i].addr + kho_scratch[i].size - 1, kind, how);
	}
}

/*
 * On a KHO boot, x86 marks the first 1M scratch too (setup.c, add_kho()):
 * the real mode trampoline is allocated there in scratch-only mode.
 */
#define KHO_LOW_SCRATCH_END	(IS_ENABLED(CONFIG_X86) ? SZ_1M : 0)

/**
 * kho_scratch_overlap - does a range touch any scratch area
 * @start: physical start
 * @size: size in bytes
 *
 * The first 1M of x86 counts as scratch, on every boot: the next kernel
 * allocates from it before it knows what is preserved.
 *
 * Return: true when [@start, @start + @size) overlaps scratch.
 */
bool kho_scratch_overlap(phys_addr_t start, phys_addr_t size)
{
	unsigned int i;

	if (size && start < KHO_LOW_SCRATCH_END)
		return true;

	for (i = 0; i < kho_scratch_cnt; i++) {
		if (start < kho_scratch[i].addr + kho_scratch[i].size &&
		    kho_scratch[i].addr < start + size)
			return true;
	}
	return false;
}

static phys_addr_t __init kho_scratch_scaled(phys_addr_t reserved)
{
	phys_addr_t size = div_u64((u64)reserved * scratch_scale, 100);

	return size;
}

/* Sizes from kho_scratch=, or scaled from what this kernel reserved. */
static void __init kho_scratch_sizes(phys_addr_t *lowmem, phys_addr_t *global,
				     phys_addr_t *pernode)
{
	phys_addr_t start, end, low = 0;
	u64 i;
	int nid;

	if (scratch_sizes_given) {
		*lowmem = scratch_size_lowmem;
		*global = scratch_size_global;
		for_each_node_state(nid, N_MEMORY)
			pernode[nid] = scratch_size_pernode;
	} else {
		for_each_reserved_mem_range(i, &start, &end) {
			if (start < ARCH_LOW_ADDRESS_LIMIT)
				low += min_t(phys_addr_t, end, ARCH_LOW_ADDRESS_LIMIT) - start;
			nid = early_pfn_to_nid(PFN_DOWN(start));
			if (nid >= 0 && nid < MAX_NUMNODES)
				pernode[nid] += end - start;
		}
		*lowmem = kho_scratch_scaled(low);
		*global = kho_scratch_scaled(memblock_reserved_size());
		for_each_node_state(nid, N_MEMORY)
			pernode[nid] = kho_scratch_scaled(pernode[nid]);
	}

	/* Whole pageblocks, at least one: they become MIGRATE_CMA. */
	*lowmem = max(ALIGN(*lowmem, KHO_SCRATCH_ALIGN), KHO_SCRATCH_ALIGN);
	*global = max(ALIGN(*global, KHO_SCRATCH_ALIGN), KHO_SCRATCH_ALIGN);
	for_each_node_state(nid, N_MEMORY)
		pernode[nid] = max(ALIGN(pernode[nid], KHO_SCRATCH_ALIGN),
				   KHO_SCRATCH_ALIGN);
}

static phys_addr_t scratch_pernode[MAX_NUMNODES] __initdata;

/**
 * kho_scratch_reserve - size and reserve the scratch areas on a cold boot
 *
 * All areas are allocated from free memory first, so that they do not
 * overlap, then marked %MEMBLOCK_KHO_SCRATCH and given back to memblock, so
 * the buddy allocator gets them (as MIGRATE_CMA, see
 * kho_scratch_activate()).
 *
 * Return: 0, or -ENOMEM after undoing everything it did.
 */
int __init kho_scratch_reserve(void)
{
	phys_addr_t lowmem, global, addr, size;
	unsigned int cnt, i = 0;
	int nid = NUMA_NO_NODE;
	char kind[16];

	kho_scratch_sizes(&lowmem, &global, scratch_pernode);

	cnt = 2 + num_node_state(N_MEMORY);
	kho_scratch = memblock_alloc(cnt * sizeof(*kho_scratch), PAGE_SIZE);
	if (!kho_scratch) {
		pr_err("cannot allocate the scratch array, disabling KHO\n");
		return -ENOMEM;
	}

	for (i = 0; i < cnt; i++) {
		if (i == 0) {
			size = lowmem;
			addr = memblock_phys_alloc_range(size, KHO_SCRATCH_ALIGN, 0,
							 ARCH_LOW_ADDRESS_LIMIT);
		} else if (i == 1) {
			size = global;
			addr = memblock_phys_alloc_range(size, KHO_SCRATCH_ALIGN, 0,
							 MEMBLOCK_ALLOC_ACCESSIBLE);
		} else {
			nid = i == 2 ? first_node(node_states[N_MEMORY]) :
				       next_node(nid, node_states[N_MEMORY]);
			size = scratch_pernode[nid];
			addr = memblock_alloc_range_nid(size, KHO_SCRATCH_ALIGN, 0,
							MEMBLOCK_ALLOC_ACCESSIBLE,
							nid, true);
		}
		if (!addr)
			goto fail;
		kho_scratch[i].addr = addr;
		kho_scratch[i].size = size;
		kho_scratch_cnt = i + 1;
	}

	/* Only now that all are found: marked, and free for the buddy. */
	for (i = 0; i < cnt; i++) {
		memblock_mark_kho_scratch(kho_scratch[i].addr, kho_scratch[i].size);
		memblock_phys_free(kho_scratch[i].addr, kho_scratch[i].size);
	}
	kho_scratch_print("");
	return 0;

fail:
	kho_scratch_kind(i, nid, kind, sizeof(kind));
	pr_err("cannot reserve the %s scratch area of %llu MiB, disabling KHO\n",
	       kind, (u64)size >> 20);
	while (kho_scratch_cnt--)
		memblock_phys_free(kho_scratch[kho_scratch_cnt].addr,
				   kho_scratch[kho_scratch_cnt].size);
	kho_scratch_cnt = 0;
	memblock_free(kho_scratch, cnt * sizeof(*kho_scratch));
	kho_scratch = NULL;
	return -ENOMEM;
}

/* The least scratch a KHO boot can get through early boot with. */
static u64 __init kho_scratch_min(void)
{
	u64 pages = memblock_phys_mem_size() >> PAGE_SHIFT;

	return pages * sizeof(struct page) + SZ_16M;
}

/**
 * kho_scratch_inherit - take over the scratch areas of the previous kernel
 * @phys: physical address of the scratch array
 * @size: its size in bytes
 * @fdt: physical address of the root FDT of the handover
 * @fdt_size: size of the memory holding it
 * @why: set to the reason when it fails
 *
 * Validates the array before anything else looks at it: count, alignment,
 * every area inside RAM, none overlapping another or the FDT; together
 * large enough to boot from; the array itself and this kernel inside
 * scratch, where kexec loaded them.
 * Then marks the areas in memblock and keeps the
 * array reserved; it stays the scratch array of this kernel too.
 *
 * Return: 0, or -EINVAL with *@why set and nothing changed.
 */
int __init kho_scratch_inherit(phys_addr_t phys, u64 size, phys_addr_t fdt,
			       u64 fdt_size, const char **why)
{
	phys_addr_t kernel = __pa_symbol(_text), kernel_end = __pa_symbol(_end);
	bool holds_kernel = false, holds_array = false;
	struct kho_scratch *area;
	unsigned int cnt, i, j;
	int err = -EINVAL;
	u64 total;

	if (!phys || !size || size % sizeof(*area) ||
	    size / sizeof(*area) > KHO_SCRATCH_MAX_AREAS) {
		*why = "bad scratch array size";
		return -EINVAL;
	}
	cnt = size / sizeof(*area);
	if (!memblock_is_region_memory(phys, size)) {
		*why = "scratch array outside RAM";
		return -EINVAL;
	}

	area = early_memremap(phys, size);
	if (!area) {
		*why = "cannot map the scratch array";
		return -ENOMEM;
	}
	for (i = 0, total = 0; i < cnt; i++) {
		u64 start = area[i].addr, len = area[i].size;

		/*
		 * Page alignment is all this kernel needs: the sender's
		 * pageblocks may be smaller than ours (see kho_scratch_activate()).
		 */
		if (!len || !PAGE_ALIGNED(start | len) || start + len < start) {
			*why = "scratch area empty or not page aligned";
			goto out;
		}
		if (!memblock_is_region_memory(start, len)) {
			*why = "scratch area outside RAM";
			goto out;
		}
		/* The FDT is preserved memory: early allocations must not hit it. */
		if (fdt < start + len && start < fdt + fdt_size) {
			*why = "FDT in scratch";
			goto out;
		}
		/* kexec loaded the array as a segment, so into scratch. */
		if (phys >= start && phys + size <= start + len)
			holds_array = true;
		for (j = 0; j < i; j++) {
			if (start < area[j].addr + area[j].size &&
			    area[j].addr < start + len) {
				*why = "scratch areas overlap";
				goto out;
			}
		}
		if (kernel >= start && kernel_end <= start + len)
			holds_kernel = true;
		total += len;
	}
	/*
	 * Until revival, everything is allocated from scratch: the memory
	 * map of all RAM (sizeof(struct page) per page, a 64th of RAM with
	 * 4K pages) and page tables first. Too little would end in an early
	 * allocator's panic; no handover is better.
	 */
	if (total < kho_scratch_min()) {
		*why = "scratch areas too small to boot from";
		goto out;
	}
	/*
	 * kexec loaded this kernel and the array into scratch: else the
	 * array does not describe the memory this kernel came up in.
	 */
	if (!holds_array) {
		*why = "scratch array outside the scratch areas";
		goto out;
	}
	if (!holds_kernel) {
		*why = "running kernel outside the scratch areas";
		goto out;
	}

	for (i = 0; i < cnt; i++) {
		err = memblock_mark_kho_scratch(area[i].addr, area[i].size);
		if (err)
			break;
	}
	if (!err)
		err = memblock_reserve(phys, size);
	if (err) {
		while (i--)
			memblock_clear_kho_scratch(area[i].addr, area[i].size);
		*why = "out of memblock regions";
	}
out:
	early_memunmap(area, size);
	return err;
}

/**
 * kho_scratch_activate - make scratch usable for movable allocations only
 *
 * Runs before memblock gives memory to the buddy allocator. Scratch
 * pageblocks become MIGRATE_CMA, so the free parts of scratch land on CMA
 * free lists; deferred struct page init keeps that type. Areas inherited
 * from a kernel with smaller pageblocks may not be aligned to ours: every
 * pageblock that touches an area changes type.
 */
void __init kho_scratch_activate(void)
{
	unsigned long pfn, end;
	unsigned int i;

	/* Inherited areas are listed once the nodes are known. */
	if (kho_scratch_inherited)
		kho_scratch_print(" (inherited)");

	for (i = 0; i < kho_scratch_cnt; i++) {
		/*
		 * Outward: a pageblock that is partly scratch must not take
		 * unmovable allocations either. Its other part only holds
		 * reserved or movable pages, which is harmless.
		 */
		pfn = pageblock_start_pfn(PFN_DOWN(kho_scratch[i].addr));
		end = pageblock_align(PFN_UP(kho_scratch[i].addr +
					     kho_scratch[i].size));
		for (; pfn < end; pfn += pageblock_nr_pages) {
			/* The flags need the (maybe deferred) struct page. */
			init_deferred_page(pfn, early_pfn_to_nid(pfn));
			set_pageblock_migratetype(pfn_to_page(pfn), MIGRATE_CMA);
		}
	}
}

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
static struct kho_scratch *kho_scratch_bad;
#endif

/**
 * kho_scratch_out - the scratch array to hand to the next kernel
 *
 * Return: the array of this kernel's areas, kho_scratch_cnt entries.
 */
struct kho_scratch *kho_scratch_out(void)
{
#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
	struct kho_scratch *bad = READ_ONCE(kho_scratch_bad);

	if (bad)
		return bad;
#endif
	return kho_scratch;
}

/**
 * kho_scratch_adopt - point kho_scratch at the validated inherited array
 * @phys: physical address of the scratch array (see kho_scratch_inherit())
 * @size: its size in bytes
 *
 * Needs the linear map, so not before the architecture has set it up.
 */
void __init kho_scratch_adopt(phys_addr_t phys, u64 size)
{
	kho_scratch = phys_to_virt(phys);
	kho_scratch_cnt = size / sizeof(*kho_scratch);
}

/**
 * kho_scratch_use_inherited - adopt the validated areas of the previous kernel
 * @phys: physical address of the scratch array (see kho_scratch_inherit())
 * @size: its size in bytes
 */
void __init kho_scratch_use_inherited(phys_addr_t phys, u64 size)
{
	kho_scratch_adopt(phys, size);
	kho_scratch_inherited = true;
	if (scratch_param_seen)
		pr_info("kho_scratch= ignored: reusing the scratch areas of the previous kernel\n");
}

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/*
 * Fault injection (kho_corrupt.c): from the next kexec load on, hand over
 * @bad, an array of kho_scratch_cnt areas, instead of this kernel's own.
 * Takes @bad over on success; -EBUSY when the array was replaced already.
 */
int kho_scratch_corrupt_set(struct kho_scratch *bad)
{
	return cmpxchg(&kho_scratch_bad, NULL, bad) ? -EBUSY : 0;
}
#endif
