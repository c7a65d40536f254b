// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the scratch array (kho_scratch_inherit()), then revival of
 * a valid tree against the areas it describes. The input is the array.
 */
#include "sim.h"

#define SIM_SCRATCH_MAX (KHO_SCRATCH_MAX_AREAS * sizeof(struct kho_scratch) + 64)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sim_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_handover h;

	if (size > SIM_SCRATCH_MAX)
		return -1;
	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL & ~SIM_PART_SCRATCH, 0, 0);
	sim_write(SIM_SCRATCH_ARRAY, data, size);
	h.scratch_size = size;
	sim_boot(&h);
	return 0;
}
