// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the scratch array (kho_scratch_inherit()), then revival of
 * a valid tree against the areas it describes. The input is the array.
 */
#include "sim.h"

#define SIM_SCRATCH_MAX (KHO_SCRATCH_MAX_AREAS * sizeof(struct kho_scratch) + 64)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > SIM_SCRATCH_MAX)
		return -1;
	sim_fuzz_part(SIM_PART_SCRATCH, SIM_SCRATCH_ARRAY, data, size);
	return 0;
}
