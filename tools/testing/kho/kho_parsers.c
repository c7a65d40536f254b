// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KHO files of kernel/liveupdate/ that read an incoming handover, built
 * for user space as one unit over the stand-ins of include/kho_sim.h, so
 * that the harness can put their file-scope state back between runs. They
 * are the kernel's files, unchanged; only kho_retrieve_subtree() is wrapped
 * for its callers, to check what it hands out (sim_check_blob()).
 */
#include "sim.h"

#undef pr_fmt
#include "../../../kernel/liveupdate/kexec_handover.c"

/*
 * Every blob handed to an owner lies in preserved memory nobody restored
 * (the LUO unit, luo_parsers.c, uses it too).
 */
int sim_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	size_t len;
	int err = kho_retrieve_subtree(name, phys, &len);

	if (!err) {
		sim_check_blob(name, *phys, len);
		if (size)
			*size = len;
	}
	return err;
}

#define kho_retrieve_subtree sim_retrieve_subtree

#undef pr_fmt
#include "../../../kernel/liveupdate/kho_scratch.c"
#undef pr_fmt
#define pr_fmt(fmt) fmt
#include "../../../kernel/liveupdate/kho_radix.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_preserve.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_restore.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_revive.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_vmalloc.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_metadata.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/kho_reserve_mem.c"

/* Back to the state of a kernel that has not booted yet. */
void sim_reset_parsers(void)
{
	kho_enable = false;
	memset(&kho_in, 0, sizeof(kho_in));
	kho_out.fdt = NULL;
	kho_inherited = false;

	kho_scratch = NULL;
	kho_scratch_cnt = 0;
	kho_scratch_inherited = false;
	scratch_param_seen = false;

	memset(&kho_mem, 0, sizeof(kho_mem));
	kho_frozen = false;
	memset(&kho_in_tree, 0, sizeof(kho_in_tree));
	memset(&kho_in_stats, 0, sizeof(kho_in_stats));
	SIM_FAIL_IF(kho_mem_lock.held || kho_in_lock.held || kho_out.lock.held);

	memset(kho_kept, 0, sizeof(kho_kept));
	kho_kept_cnt = 0;
	kho_rmem_valid = 0;
	kho_rmem_checked = false;
}

/*
 * The initcalls of KHO: the core's, which restores the FDT page, then those
 * of its users (debugfs, which only copies, is not built here).
 */
void sim_kho_init(void)
{
	kho_init();
	kho_metadata_init();
	kho_reserve_mem_init();
}

/*
 * KHO on in this kernel too (kho=on), as LUO needs it, once the initcalls
 * above have run: the outgoing handover is not simulated, and nothing
 * the fuzz targets run reaches it.
 */
void sim_kho_enable(void)
{
	kho_enable = true;
}

/* What the previous kernel preserved and what was restored of it. */
void sim_parsers_stats(unsigned long *blocks, u64 *bytes,
		       unsigned long *restored_blocks, u64 *restored_bytes)
{
	*blocks = kho_in_stats.blocks;
	*bytes = kho_in_stats.bytes;
	*restored_blocks = kho_in_stats.restored_blocks;
	*restored_bytes = kho_in_stats.restored_bytes;
}

/* Build a radix tree as the outgoing kernel does, nodes from @alloc. */
int sim_radix_build(const u64 *keys, unsigned int n, void *(*alloc)(void),
		    phys_addr_t *root)
{
	struct kho_radix_tree tree = { };
	unsigned int i;
	int err;

	sim_zeroed_page = alloc;
	err = kho_radix_init(&tree);
	for (i = 0; !err && i < n; i++)
		err = kho_radix_set(&tree, keys[i]);
	sim_zeroed_page = NULL;
	if (!err)
		*root = virt_to_phys(tree.root);
	return err;
}

void *(*sim_zeroed_page)(void);

u64 sim_radix_key(phys_addr_t pa, unsigned int order)
{
	return kho_radix_key(pa, order);
}
