// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a preserved memfd (memfd_luo_load(), memfd_luo_fill(),
 * memfd_luo_finish()): its struct memfd_luo_ser and the chunk and list
 * pages of its folio list. A valid handover has one session, "memfd", of
 * one file, token 1, the memfd; userspace retrieves and finishes it, or
 * only finishes it, as the input's ops say. The input is a header (struct
 * sim_memfd_image, with the struct memfd_luo_ser), then the chunk pages
 * from SIM_LUO_CHUNKS and the list pages from SIM_LUO_FLIST; the folios
 * are the preserved ones of sim_luo_write_default(). A memfd retrieved
 * must have the size, position and folios the input gives.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_memfd_image im;
	struct sim_luo_ops ops;

	if (size < sizeof(im))
		return -1;
	memcpy(&im, data, sizeof(im));
	data += sizeof(im);
	size -= sizeof(im);
	if (im.chunk_len > SIM_MEMFD_MAX_PAGES * PAGE_SIZE ||
	    im.list_len > SIM_MEMFD_MAX_PAGES * PAGE_SIZE ||
	    (size_t)im.chunk_len + im.list_len != size)
		return -1;

	sim_reset();
	sim_luo_write_default(SIM_LUO_SESSION, 0, 0);
	sim_write(SIM_LUO_MEMFD, &im.ser, sizeof(im.ser));
	sim_write(SIM_LUO_CHUNKS, data, im.chunk_len);
	sim_write(SIM_LUO_FLIST, data + im.chunk_len, im.list_len);
	sim_luo_ops(im.ops, &ops);
	sim_luo_boot(&ops, &im.ser);
	return 0;
}
