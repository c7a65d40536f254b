// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the memblock blob of reserve_mem= regions
 * (kho_reserve_mem_find() for the regions "kho_test", "oops" and "absent", then
 * kho_reserve_mem_init()). The input is the blob; the FDT gives its size
 * as the input's.
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

	if (!size || size > PAGE_SIZE)
		return -1;
	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL & ~SIM_PART_MEMBLOCK, 0, size);
	sim_write(SIM_MEMBLOCK_BLOB, data, size);
	sim_boot(&h);
	return 0;
}
