// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the kexec-metadata blob (kho_metadata_init()). The input is
 * the blob; the FDT gives its size as the input's.
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
	sim_write_default(SIM_PART_ALL & ~SIM_PART_METADATA, size, 0);
	sim_write(SIM_BLOB, data, size);
	sim_boot(&h);
	return 0;
}
