// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the root FDT of the handover (kho_populate(), kho_revive(),
 * kho_retrieve_subtree() of every owner). The rest of the handover is
 * valid; the input is the FDT page.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > PAGE_SIZE)
		return -1;
	sim_fuzz_part(SIM_PART_FDT, SIM_FDT, data, size);
	return 0;
}
