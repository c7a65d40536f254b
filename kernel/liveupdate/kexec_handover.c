// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec handover (KHO) core: the kho= switch; the outgoing root FDT and the
 * subtrees subsystems add to it; the incoming one; and the hooks that carry
 * both through kexec_file_load and early boot.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/crash_dump.h>
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kexec.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "kexec_handover_internal.h"
#include "kho_preserve.h"
#include "kho_restore.h"
#include "kho_revive.h"
#include "kho_scratch.h"

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

struct kho_in kho_in __ro_after_init;
struct kho_out kho_out = {
	.lock = __MUTEX_INITIALIZER(kho_out.lock),
};

RAW_NOTIFIER_HEAD(kho_out_subtrees);

static int __init kho_parse_enable(char *p)
{
	bool on;

	if (!p || kstrtobool(p, &on)) {
		pr_warn("kho=%s: not a boolean, KHO stays %s\n", p ?: "",
			kho_enable ? "on" : "off");
		return 0;
	}
	kho_enable = on;
	return 0;
}
early_param("kho", kho_parse_enable);

/**
 * kho_is_enabled - is this kernel handing over to the next one
 *
 * True when KHO was asked for (kho=on, or by default with
 * CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT) and has not failed to set itself
 * up so far: reserving scratch (mm init) and the outgoing FDT
 * (core_initcall) can still turn it off.
 *
 * Return: true when KHO is enabled.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * is_kho_boot - was this kernel started with a handover
 *
 * True when the previous kernel handed over and the handover passed
 * validation; the data in it can be retrieved with kho_retrieve_subtree().
 *
 * Return: true on a KHO boot.
 */
bool is_kho_boot(void)
{
	return !!kho_in.fdt_phys;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

/* Names end up as FDT node names and debugfs file names. */
bool kho_name_ok(const char *name)
{
	size_t len = strnlen(name, 64);
	size_t i;

	if (!len || len == 64)
		return false;
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && !strchr(",._+-", name[i]))
			return false;
	}
	return true;
}

static int kho_fdt_err(int err)
{
	return err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

/**
 * kho_add_subtree - hand a blob over to the next kernel
 * @name: name of the blob: letters, digits and ``,._+-``, under 64 chars
 * @blob: the blob, in the kernel's linear map
 * @size: its size in bytes
 *
 * Adds a child @name to the root FDT that points at @blob. The blob itself
 * must be preserved by the caller (kho_preserve_pages() and friends) for
 * as long as it stays added. The next kernel finds it with
 * kho_retrieve_subtree().
 *
 * Return: 0; -EOPNOTSUPP when KHO is off; -EINVAL for a bad name, a blob
 * outside the linear map or in scratch; -EEXIST when @name is taken;
 * -ENOSPC when the root FDT is full; -EBUSY once a kexec has frozen the
 * handover. On failure the FDT is unchanged.
 */
int kho_add_subtree(const char *name, void *blob, size_t size)
{
	phys_addr_t phys;
	u64 data, len = size;
	int off, err;

	if (!kho_out.fdt)
		return -EOPNOTSUPP;
	if (!name || !kho_name_ok(name) || !blob || !size || !virt_addr_valid(blob))
		return -EINVAL;
	phys = virt_to_phys(blob);
	if (kho_scratch_overlap(phys, size))
		return -EINVAL;
	data = phys;
	err = kho_out_begin();
	if (err)
		return err;

	mutex_lock(&kho_out.lock);
	if (fdt_subnode_offset(kho_out.fdt, 0, name) >= 0) {
		err = -EEXIST;
		goto out;
	}
	off = fdt_add_subnode(kho_out.fdt, 0, name);
	if (off < 0) {
		err = kho_fdt_err(off);
		goto out;
	}
	err = fdt_setprop(kho_out.fdt, off, KHO_FDT_SUB_TREE_PROP, &data,
			  sizeof(data));
	if (!err)
		err = fdt_setprop(kho_out.fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP,
				  &len, sizeof(len));
	if (err) {
		/* No half-made node: take it out again. */
		fdt_del_node(kho_out.fdt, off);
		err = kho_fdt_err(err);
		goto out;
	}
	raw_notifier_call_chain(&kho_out_subtrees, KHO_SUBTREE_ADD,
				&(struct kho_subtree){ name, blob, size });
out:
	mutex_unlock(&kho_out.lock);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_add_subtree);

/* Read a u64 property of a node of an FDT; 0 when absent or malformed. */
u64 kho_fdt_u64(const void *fdt, int off, const char *name)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, off, name, &len);
	if (!p || len != sizeof(u64))
		return 0;
	return get_unaligned((const u64 *)p);
}

/**
 * kho_remove_subtree - stop handing a blob over
 * @blob: a blob added with kho_add_subtree()
 *
 * Does nothing when @blob was not added. Once a kexec has frozen the
 * handover, it does nothing but warn: the blob is handed over, and its
 * memory must stay as it is.
 */
void kho_remove_subtree(void *blob)
{
	u64 phys;
	int off;

	if (!kho_out.fdt || !blob || !virt_addr_valid(blob))
		return;
	phys = virt_to_phys(blob);
	if (kho_out_begin()) {
		pr_warn("kexec in progress: the blob at %pa stays handed over\n",
			&phys);
		return;
	}

	mutex_lock(&kho_out.lock);
	fdt_for_each_subnode(off, kho_out.fdt, 0) {
		if (kho_fdt_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_PROP) == phys) {
			raw_notifier_call_chain(&kho_out_subtrees,
						KHO_SUBTREE_REMOVE,
						&(struct kho_subtree){ .blob = blob });
			fdt_del_node(kho_out.fdt, off);
			break;
		}
	}
	mutex_unlock(&kho_out.lock);
	kho_out_end();
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/**
 * kho_fdt_valid - whether a blob of the handover is an FDT that fits in it
 * @fdt:  the blob, mapped
 * @size: its size in bytes, as kho_retrieve_subtree() gives it
 *
 * A blob is known to be preserved over @size bytes only: its FDT header
 * is read only when it lies inside them, and the FDT must claim no more.
 * What the FDT holds is for its owner to check.
 *
 * Return: true when @fdt is an FDT of at most @size bytes.
 */
bool kho_fdt_valid(const void *fdt, size_t size)
{
	return size >= FDT_V17_SIZE && !fdt_check_header(fdt) &&
	       fdt_totalsize(fdt) <= size;
}
EXPORT_SYMBOL_GPL(kho_fdt_valid);

/**
 * kho_retrieve_subtree - find a blob the previous kernel handed over
 * @name: its name
 * @phys: where to store its physical address
 * @size: where to store its size in bytes (may be NULL)
 *
 * The blob is preserved memory, so it is intact and reserved; its owner
 * validates its content. It may start anywhere inside a preserved block
 * (at an offset, or in a later page of a kho_preserve_pages() range), as
 * long as it lies wholly in preserved memory.
 *
 * Return: 0; -ENOENT when this is not a KHO boot, there is no blob @name,
 * or it does not lie wholly in preserved memory nobody restored yet (its
 * owner restored it, or its size is wrong); -EINVAL when the node of @name
 * is malformed or points outside RAM or into scratch.
 */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	const void *fdt = kho_in_fdt();
	u64 data, len;
	int off;

	if (!fdt || !name)
		return -ENOENT;
	off = fdt_subnode_offset(fdt, 0, name);
	if (off < 0)
		return -ENOENT;

	data = kho_fdt_u64(fdt, off, KHO_FDT_SUB_TREE_PROP);
	len = kho_fdt_u64(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP);
	if (!data || !len || data + len < data)
		return -EINVAL;
	if (region_intersects(data, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS ||
	    kho_scratch_overlap(data, len))
		return -EINVAL;
	/*
	 * Anywhere inside preserved memory, but wholly: nothing reads a
	 * blob that runs into a hole or into memory that is not preserved
	 * (a bad blob-size). Once its owner restored it, it is not the blob
	 * any more.
	 */
	if (!kho_mem_range_revived(data, len))
		return -ENOENT;

	*phys = data;
	if (size)
		*size = len;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

/* kexec_file_load: the scratch array travels as a segment. */
int kho_fill_kimage(struct kimage *image)
{
	struct kexec_buf scratch;
	int err;

	image->kho.fdt = 0;
	image->kho.scratch = NULL;
	if (!kho_out.fdt || image->type == KEXEC_TYPE_CRASH)
		return 0;

	scratch = (struct kexec_buf) {
		.image = image,
		.buffer = kho_scratch_out(),
		.bufsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.mem = KEXEC_BUF_MEM_UNKNOWN,
		.memsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.buf_align = PAGE_SIZE,
		.buf_max = ULONG_MAX,
		.top_down = true,
	};
	err = kexec_add_buffer(&scratch);
	if (err) {
		pr_err("cannot place the scratch array for kexec (%d)\n", err);
		return err;
	}
	image->kho.scratch = &image->segment[image->nr_segments - 1];
	image->kho.fdt = virt_to_phys(kho_out.fdt);
	return 0;
}

/*
 * kexec_file_load: every segment of the next kernel goes into scratch, the
 * only memory that holds nothing preserved. Return 1 when KHO does not
 * place @kbuf, 0 when it did, or -errno.
 */
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *, void *))
{
	unsigned int i;
	int ret;

	if (!kho_out.fdt || kbuf->image->type == KEXEC_TYPE_CRASH)
		return 1;

	for (i = 0; i < kho_scratch_cnt; i++) {
		struct resource res = DEFINE_RES_MEM(kho_scratch[i].addr,
						     kho_scratch[i].size);

		ret = func(&res, kbuf);
		if (ret)
			return ret == 1 ? 0 : ret;
	}
	return -EADDRNOTAVAIL;
}

static void __init kho_revival_failed(const char *why)
{
	pr_warn("disabling revival: %s\n", why);
	memset(&kho_in, 0, sizeof(kho_in));
}

/**
 * kho_populate - take in the handover of the previous kernel
 * @fdt_phys: physical address of its root FDT
 * @fdt_size: size of the memory holding the FDT
 * @scratch_phys: physical address of the scratch array
 * @scratch_size: size of the scratch array in bytes
 *
 * Called by the architecture as soon as memblock knows about RAM and before
 * anything is allocated. Validates the FDT and the scratch array; on
 * success, memblock allocates from scratch only until kho_memory_init() has
 * reserved the preserved memory. On failure it logs why, and the kernel
 * boots as if there had been no handover.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_size,
			 phys_addr_t scratch_phys, u64 scratch_size)
{
	const char *why = NULL;
	void *fdt;
	int len;

	if (is_kdump_kernel()) {
		why = "this is a crash kernel";
		goto fail;
	}
	if (!fdt_phys || !PAGE_ALIGNED(fdt_phys) || fdt_size < FDT_V17_SIZE ||
	    fdt_size > KHO_FDT_MAX_SIZE) {
		why = "bad FDT address or size";
		goto fail;
	}
	if (!memblock_is_region_memory(fdt_phys, fdt_size)) {
		why = "FDT outside RAM";
		goto fail;
	}

	fdt = early_memremap(fdt_phys, fdt_size);
	if (!fdt) {
		why = "cannot map the FDT";
		goto fail;
	}
	if (!kho_fdt_valid(fdt, fdt_size))
		why = "FDT header invalid";
	else if (fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE))
		why = "FDT not compatible with " KHO_FDT_COMPATIBLE;
	else if (!fdt_getprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP, &len) ||
		 len != sizeof(u64) || !kho_fdt_u64(fdt, 0, KHO_FDT_MEMORY_MAP_PROP))
		why = "FDT without a valid " KHO_FDT_MEMORY_MAP_PROP;
	early_memunmap(fdt, fdt_size);
	if (why)
		goto fail;

	if (kho_scratch_inherit(scratch_phys, scratch_size, fdt_phys, fdt_size,
				&why))
		goto fail;
	/* Preserved anyway; reserved now so nothing early can touch it. */
	memblock_reserve(fdt_phys, fdt_size);

	kho_in.fdt_phys = fdt_phys;
	kho_in.scratch_phys = scratch_phys;
	kho_in.scratch_size = scratch_size;
	memblock_set_kho_scratch_only();
	return;

fail:
	kho_revival_failed(why);
}

static bool kho_inherited __initdata;	/* the previous kernel's scratch */

/**
 * kho_revive - reserve the memory the previous kernel preserved
 *
 * On a KHO boot, adopt the inherited scratch areas and revive the preserved
 * memory, so that memblock never hands it out. Needs the linear map; the
 * earlier it runs after that, the fewer fixed-address reservations (cma=,
 * crashkernel=) can land on preserved memory before it is reserved: x86
 * calls it right after init_mem_mapping(). Otherwise kho_memory_init()
 * does. On failure, revival is off and the scratch areas stay.
 */
void __init kho_revive(void)
{
	const char *why;
	u64 map;

	if (!kho_in.fdt_phys || kho_inherited)
		return;
	kho_scratch_use_inherited(kho_in.scratch_phys, kho_in.scratch_size);
	kho_inherited = true;
	map = kho_fdt_u64(phys_to_virt(kho_in.fdt_phys), 0,
			  KHO_FDT_MEMORY_MAP_PROP);
	if (kho_mem_revive(map, &why)) {
		kho_revival_failed(why);
		/* Nothing is preserved any more: allocate anywhere, as on a cold boot. */
		memblock_clear_kho_scratch_only();
	} else {
		kho_in.fdt = phys_to_virt(kho_in.fdt_phys);
	}
}

/**
 * kho_memory_init - set up KHO memory before the buddy allocator starts
 *
 * On a KHO boot: revive (see kho_revive()), then end memblock's
 * scratch-only mode. On a cold boot with KHO on: reserve the scratch
 * areas. Either way, scratch becomes MIGRATE_CMA.
 */
void __init kho_memory_init(void)
{
	kho_revive();
	if (kho_inherited) {
		/* Scratch stays scratch even when revival failed. */
		memblock_clear_kho_scratch_only();
	} else if (kho_enable && !is_kdump_kernel()) {
		if (kho_scratch_reserve())
			kho_enable = false;
	} else {
		kho_enable = false;
	}
	kho_scratch_activate();
}

/* The outgoing root FDT: one preserved page, edited in place. */
static int __init kho_out_init(void)
{
	u64 map;
	void *fdt;
	int err;

	err = kho_mem_init();
	if (err)
		return err;

	/* KHO_FDT_MAX_SIZE is what the next kernel accepts: one page. */
	fdt = kho_alloc_preserve(KHO_FDT_MAX_SIZE);
	if (IS_ERR(fdt)) {
		err = PTR_ERR(fdt);
		goto fail;
	}
	map = kho_mem_map_phys();

	err = fdt_create_empty_tree(fdt, KHO_FDT_MAX_SIZE);
	if (!err)
		err = fdt_setprop_string(fdt, 0, "compatible", KHO_FDT_COMPATIBLE);
	if (!err)
		err = fdt_setprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP, &map, sizeof(map));
	if (err) {
		kho_unpreserve_free(fdt);
		err = kho_fdt_err(err);
		goto fail;
	}
	kho_out.fdt = fdt;
	return 0;

fail:
	kho_mem_exit();
	return err;
}

/*
 * Before the users of KHO, which retrieve their blobs at core_initcall_sync
 * (debugfs copies them) and postcore_initcall (kexec-metadata, reserve_mem).
 */
static int __init kho_init(void)
{
	int err;

	if (is_kho_boot()) {
		/* The incoming FDT page is KHO's own, for good. */
		if (!kho_restore_pages(kho_in.fdt_phys, 1))
			pr_warn("incoming FDT page was not preserved\n");
	}

	if (kho_enable) {
		err = kho_out_init();
		if (err) {
			pr_err("cannot set up the outgoing handover (%d), disabling KHO\n",
			       err);
			kho_enable = false;
		}
	}
	return 0;
}
core_initcall(kho_init);
