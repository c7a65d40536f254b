// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a whole handover at once. The input is a header (struct
 * sim_image) and the parts it announces, each written where the previous
 * kernel would have left it: the root FDT, the scratch array, the tree
 * pages from SIM_TREE, the blob area from SIM_BLOB (metadata, memblock
 * blob, vmalloc chunks in SIM_VM_CHUNKS). Nothing is valid unless the
 * input makes it so; the seeds are valid handovers.
 */
#include "sim.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sim_handover h;
	struct sim_image im;
	size_t need;

	if (size < sizeof(im))
		return -1;
	memcpy(&im, data, sizeof(im));
	data += sizeof(im);
	size -= sizeof(im);
	need = (size_t)im.fdt_len + im.scratch_len +
	       (size_t)im.tree_pages * PAGE_SIZE + im.blob_len;
	if (im.fdt_len > PAGE_SIZE || im.tree_pages > SIM_TREE_MAX_PAGES ||
	    im.scratch_len > 2 * PAGE_SIZE || im.blob_len > SIM_BLOB_AREA ||
	    need != size)
		return -1;

	sim_reset();
	sim_default_handover(&h);
	h.fdt_size = im.fdt_size;
	h.scratch_size = im.scratch_len;
	h.nomap = im.flags & SIM_IMAGE_NOMAP;
	h.vmalloc = im.flags & SIM_IMAGE_VMALLOC;
	memcpy(h.vm_desc, im.vm_desc, sizeof(h.vm_desc));
	sim_write(SIM_FDT, data, im.fdt_len);
	data += im.fdt_len;
	sim_write(SIM_SCRATCH_ARRAY, data, im.scratch_len);
	data += im.scratch_len;
	sim_write(SIM_TREE, data, (size_t)im.tree_pages * PAGE_SIZE);
	data += (size_t)im.tree_pages * PAGE_SIZE;
	sim_write(SIM_BLOB, data, im.blob_len);
	sim_boot(&h);
	return 0;
}
