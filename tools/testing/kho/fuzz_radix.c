// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the radix tree of preserved memory (kho_mem_revive(), then
 * kho_restore_*() of every revived block). The input is the tree: its
 * pages one after the other from SIM_TREE, the root first.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > SIM_TREE_MAX_PAGES * PAGE_SIZE)
		return -1;
	sim_fuzz_part(SIM_PART_TREE, SIM_TREE, data, size);
	return 0;
}
