// SPDX-License-Identifier: GPL-2.0-only
/*
 * reserve_mem= regions across kexec. Every KHO-enabled kernel hands over a
 * "memblock" blob, an FDT that names each region with its address and size
 * (format in include/linux/kho/abi/kexec_handover.h), and preserves the
 * regions' memory. The next kernel, given the same reserve_mem=, takes each
 * region where it was instead of allocating a new one, so its contents
 * (a ramoops buffer, say) carry over.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>

#include "kexec_handover_internal.h"
#include "kho_restore.h"
#include "kho_scratch.h"

/* Regions taken from the previous kernel, claimed once KHO is up. */
#define KHO_RESERVE_MEM_KEPT	16
static struct {
	phys_addr_t start, size;
} kho_kept[KHO_RESERVE_MEM_KEPT] __initdata;
static unsigned int kho_kept_cnt __initdata;

/* The incoming memblock blob, once looked at: its address if valid, or 0. */
static phys_addr_t kho_rmem_valid __initdata;
static bool kho_rmem_checked __initdata;

/* The incoming memblock blob, validated once, or NULL. */
static const void * __init kho_rmem_blob(void)
{
	phys_addr_t phys;
	const void *fdt;
	size_t size;

	if (kho_rmem_checked)
		return kho_rmem_valid ? phys_to_virt(kho_rmem_valid) : NULL;
	if (kho_retrieve_subtree(KHO_MEMBLOCK_NAME, &phys, &size))
		return NULL;
	kho_rmem_checked = true;
	fdt = phys_to_virt(phys);
	if (!kho_fdt_valid(fdt, size) ||
	    fdt_node_check_compatible(fdt, 0, KHO_MEMBLOCK_COMPATIBLE)) {
		pr_warn("%s blob is not a valid %s FDT: ignored\n",
			KHO_MEMBLOCK_NAME, KHO_MEMBLOCK_COMPATIBLE);
		return NULL;
	}
	kho_rmem_valid = phys;
	return fdt;
}

/*
 * Is [@start, @start + @len) still the previous kernel's, for us to take?
 * Once revived (x86 revives before reserve_mem= is parsed), it must be
 * preserved memory nobody claimed; before, memory nobody reserved.
 */
static bool __init kho_rmem_free(phys_addr_t start, phys_addr_t len)
{
	unsigned int i;

	/* Not a region kept already (two names on one range). */
	for (i = 0; i < kho_kept_cnt; i++) {
		if (start < kho_kept[i].start + kho_kept[i].size &&
		    kho_kept[i].start < start + len)
			return false;
	}
	if (kho_mem_revived())
		return kho_mem_range_revived(start, len);
	return !memblock_is_region_reserved(start, len);
}

/**
 * kho_reserve_mem_find - take a reserve_mem= region where it was before kexec
 * @name: the region's name
 * @size: its size
 * @align: its alignment
 *
 * Called while reserve_mem= is parsed, before memblock hands memory to the
 * buddy allocator. When the previous kernel handed over a region @name of
 * @size, at an address that is aligned, in RAM, outside scratch and still
 * free (or revived, and not claimed by anyone else), it is reserved again
 * there.
 *
 * Return: the region's physical address, or 0 when the caller allocates.
 */
phys_addr_t __init kho_reserve_mem_find(const char *name, phys_addr_t size,
					phys_addr_t align)
{
	phys_addr_t start, len;
	const void *fdt;
	int off;

	if (!is_kho_boot())
		return 0;
	/* Before kho_memory_init(): scratch must be known for the checks. */
	kho_scratch_adopt(kho_in.scratch_phys, kho_in.scratch_size);
	fdt = kho_rmem_blob();
	off = fdt ? fdt_subnode_offset(fdt, 0, name) : -FDT_ERR_NOTFOUND;
	if (off < 0) {
		/* Memblock allocates from scratch only at this point. */
		pr_warn("reserve_mem %s: not in the previous kernel's handover: allocated in scratch, not handed over before a cold boot\n",
			name);
		return 0;
	}

	start = kho_fdt_u64(fdt, off, KHO_RESERVE_MEM_START_PROP);
	len = kho_fdt_u64(fdt, off, KHO_RESERVE_MEM_SIZE_PROP);
	if (fdt_node_check_compatible(fdt, off, KHO_RESERVE_MEM_COMPATIBLE) ||
	    !start || len != size || !IS_ALIGNED(start, align) ||
	    start + len < start || !memblock_is_region_memory(start, len) ||
	    kho_scratch_overlap(start, len) || !kho_rmem_free(start, len)) {
		pr_warn("reserve_mem %s: the previous kernel's region (%pa bytes at %pa) does not fit %pa bytes aligned to %pa: allocating a new one\n",
			name, &len, &start, &size, &align);
		return 0;
	}

	if (kho_kept_cnt == KHO_RESERVE_MEM_KEPT) {
		pr_warn("reserve_mem %s: more than %d regions to keep: allocating a new one\n",
			name, KHO_RESERVE_MEM_KEPT);
		return 0;
	}
	memblock_reserve(start, len);
	kho_kept[kho_kept_cnt].start = start;
	kho_kept[kho_kept_cnt].size = len;
	kho_kept_cnt++;
	pr_info("reserve_mem %s: [mem %#018llx-%#018llx] kept from the previous kernel\n",
		name, (u64)start, (u64)(start + len - 1));
	return start;
}

/* The page range that covers a region. */
static void kho_rmem_pages(phys_addr_t start, phys_addr_t size,
			   unsigned long *pfn, unsigned long *nr)
{
	*pfn = PFN_DOWN(start);
	*nr = PFN_UP(start + size) - *pfn;
}

static int __init kho_rmem_add(const char *name, phys_addr_t start,
			       phys_addr_t size, void *fdt)
{
	unsigned long pfn, nr;
	u64 s = start, l = size;
	int off, err;

	if (!kho_name_ok(name)) {
		pr_warn("reserve_mem %s: name unfit for a handover: not handed over\n",
			name);
		return 0;
	}
	kho_rmem_pages(start, size, &pfn, &nr);
	err = kho_preserve_pages(pfn_to_page(pfn), nr);
	if (err) {
		pr_warn("reserve_mem %s: cannot preserve [mem %#018llx-%#018llx] (%d): not handed over\n",
			name, s, s + l - 1, err);
		return 0;
	}

	off = fdt_add_subnode(fdt, 0, name);
	if (off >= 0)
		err = fdt_setprop_string(fdt, off, "compatible",
					 KHO_RESERVE_MEM_COMPATIBLE);
	else
		err = off;
	if (!err)
		err = fdt_setprop(fdt, off, KHO_RESERVE_MEM_START_PROP, &s, sizeof(s));
	if (!err)
		err = fdt_setprop(fdt, off, KHO_RESERVE_MEM_SIZE_PROP, &l, sizeof(l));
	if (err) {
		if (off >= 0)
			fdt_del_node(fdt, off);
		kho_unpreserve_pages(pfn_to_page(pfn), nr);
		pr_warn("reserve_mem %s: cannot describe it (%d): not handed over\n",
			name, err);
		return 0;
	}
	pr_info("reserve_mem %s: [mem %#018llx-%#018llx] handed over\n",
		name, s, s + l - 1);
	return 0;
}

/* The blob cannot be handed over: nor can the regions it lists. */
static void __init kho_rmem_unpreserve_all(const void *fdt)
{
	unsigned long pfn, nr;
	int off;

	fdt_for_each_subnode(off, fdt, 0) {
		kho_rmem_pages(kho_fdt_u64(fdt, off, KHO_RESERVE_MEM_START_PROP),
			       kho_fdt_u64(fdt, off, KHO_RESERVE_MEM_SIZE_PROP),
			       &pfn, &nr);
		if (kho_unpreserve_pages(pfn_to_page(pfn), nr))
			pr_warn("reserve_mem %s: cannot unpreserve it\n",
				fdt_get_name(fdt, off, NULL));
	}
}

/*
 * Claim kept regions, hand over this kernel's. Kept regions stay reserved:
 * they are counted as restored, not given back to the page allocator.
 * Then, when KHO is on, every reserve_mem= region is preserved and listed
 * in a new memblock blob; if the blob cannot be handed over, the regions
 * are unpreserved again. Runs after the core has taken in the handover.
 */
static int __init kho_reserve_mem_init(void)
{
	const void *blob;
	unsigned long pfn, nr;
	unsigned int i;
	void *fdt;
	int err;

	for (i = 0; i < kho_kept_cnt; i++) {
		kho_rmem_pages(kho_kept[i].start, kho_kept[i].size, &pfn, &nr);
		kho_mem_claim(PFN_PHYS(pfn), nr);
	}
	/* The incoming blob is not needed any more (debugfs has a copy). */
	blob = kho_rmem_blob();
	if (blob)
		kho_restore_free((void *)blob);

	if (!kho_is_enabled())
		return 0;

	fdt = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(fdt)) {
		err = PTR_ERR(fdt);
		goto fail;
	}
	err = fdt_create_empty_tree(fdt, PAGE_SIZE);
	if (!err)
		err = fdt_setprop_string(fdt, 0, "compatible", KHO_MEMBLOCK_COMPATIBLE);
	if (err)
		goto free;

	reserve_mem_for_each(kho_rmem_add, fdt);
	if (fdt_first_subnode(fdt, 0) < 0) {
		/* No region to hand over: no blob either. */
		kho_unpreserve_free(fdt);
		return 0;
	}
	err = kho_add_subtree(KHO_MEMBLOCK_NAME, fdt, fdt_totalsize(fdt));
	if (!err)
		return 0;
	kho_rmem_unpreserve_all(fdt);
free:
	kho_unpreserve_free(fdt);
fail:
	pr_warn("cannot hand over reserve_mem regions (%d)\n", err);
	return 0;
}
postcore_initcall(kho_reserve_mem_init);
