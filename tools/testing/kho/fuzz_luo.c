// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the LUO subtree of a handover (luo_init() and what it
 * reads: the LUO FDT, the session header and its sessions, their file
 * lists), then what userspace does with the sessions: retrieve them,
 * retrieve their files with the handler each names (memfd-v1, the stub
 * sim-v1, or none), finish them. The input is a header (struct
 * sim_luo_image), then the LUO FDT, the header block and the file lists;
 * around them a valid KHO handover, which names the LUO FDT where the
 * header says, and the valid memfds of sim_luo_write_default() for the
 * file entries to point at.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_luo_image im;
	struct sim_luo_ops ops;
	size_t need;
	unsigned int i;

	if (size < sizeof(im))
		return -1;
	memcpy(&im, data, sizeof(im));
	data += sizeof(im);
	size -= sizeof(im);
	need = (size_t)im.fdt_len + im.hdr_len;
	for (i = 0; i < SIM_LUO_NR_LISTS; i++) {
		if (im.list_len[i] > PAGE_SIZE)
			return -1;
		need += im.list_len[i];
	}
	if (im.fdt_off >= PAGE_SIZE || im.fdt_len > PAGE_SIZE - im.fdt_off ||
	    im.hdr_len > PAGE_SIZE || need != size)
		return -1;

	sim_reset();
	sim_luo_write_default(SIM_LUO_MEMFDS, SIM_LUO_FDT + im.fdt_off,
			      im.fdt_size);
	sim_write(SIM_LUO_FDT + im.fdt_off, data, im.fdt_len);
	data += im.fdt_len;
	sim_write(SIM_LUO_HDR, data, im.hdr_len);
	data += im.hdr_len;
	for (i = 0; i < SIM_LUO_NR_LISTS; i++) {
		sim_write(SIM_LUO_LISTS + i * PAGE_SIZE, data, im.list_len[i]);
		data += im.list_len[i];
	}
	sim_luo_ops(im.ops, &ops);
	sim_luo_boot(&ops, NULL);
	return 0;
}
