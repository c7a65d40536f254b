// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the root FDT of the handover (kho_populate(), kho_revive(),
 * kho_retrieve_subtree() of every owner). The rest of the handover is
 * valid; the input is the FDT page.
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

	if (size > PAGE_SIZE)
		return -1;
	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL & ~SIM_PART_FDT, 0, 0);
	sim_write(SIM_FDT, data, size);
	sim_boot(&h);
	return 0;
}
