// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the memblock blob of reserve_mem= regions
 * (kho_reserve_mem_find() for the regions "kho_test", "oops" and "absent", then
 * kho_reserve_mem_init()). The input is the blob; the FDT gives its size
 * as the input's.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (!size || size > PAGE_SIZE)
		return -1;
	sim_fuzz_part(SIM_PART_MEMBLOCK, SIM_MEMBLOCK_BLOB, data, size);
	return 0;
}
