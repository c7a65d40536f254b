// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the descriptor of a vmalloc() area and its chain of chunk
 * pages (kho_restore_vmalloc()). The input is the descriptor, then the
 * chunk pages from SIM_VM_CHUNKS; the tree preserves four chunk pages,
 * SIM_VM_DATA_PAGES data pages, one block each, and SIM_VM_HIGH_BLOCKS
 * blocks of order SIM_VM_HIGH_ORDER.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_handover h;
	size_t desc = sizeof(h.vm_desc);

	if (size < desc || size > desc + 4 * PAGE_SIZE)
		return -1;
	sim_reset();
	sim_default_handover(&h);
	sim_write_default(SIM_PART_ALL | SIM_PART_VMALLOC, 0, 0, 0, 0);
	h.vmalloc = true;
	memcpy(h.vm_desc, data, desc);
	sim_write(SIM_VM_CHUNKS, data + desc, size - desc);
	sim_boot(&h);
	return 0;
}
