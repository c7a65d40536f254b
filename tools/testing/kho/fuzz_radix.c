// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the radix tree of preserved memory (kho_mem_revive(), then
 * kho_restore_*() of every revived block). The input is the tree: its
 * pages one after the other from SIM_TREE, the root first.
 */
#include "sim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sim_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_handover h;

	if (size > SIM_TREE_MAX_PAGES * PAGE_SIZE)
		return -1;
	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL & ~SIM_PART_TREE, 0, 0);
	sim_write(SIM_TREE, data, size);
	sim_boot(&h);
	return 0;
}
