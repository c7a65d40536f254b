/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The handover core (kexec_handover.c): the kho= switch, the incoming and
 * outgoing root FDTs and their subtrees. Above preservation and scratch;
 * its users (kexec-metadata, reserve_mem, debugfs) are above it.
 */
#ifndef _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H
#define _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H

#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/types.h>

/* What the previous kernel handed over (KHO boot only). */
struct kho_in {
	phys_addr_t fdt_phys;		/* root FDT; 0 when there is none */
	phys_addr_t scratch_phys;	/* the scratch array segment */
	u64 scratch_size;
	const void *fdt;		/* mapped once memory is revived */
};

/* What this kernel hands over. */
struct kho_out {
	struct mutex lock;		/* the FDT, kho_out_subtrees */
	void *fdt;			/* root FDT, one page; NULL until ready */
};

extern struct kho_in kho_in;
extern struct kho_out kho_out;

/* The incoming root FDT, once the linear map is up; NULL without one. */
static inline const void *kho_in_fdt(void)
{
	if (kho_in.fdt)
		return kho_in.fdt;
	return kho_in.fdt_phys ? phys_to_virt(kho_in.fdt_phys) : NULL;
}

bool kho_name_ok(const char *name);
u64 kho_fdt_u64(const void *fdt, int off, const char *name);

/*
 * Subtrees of the outgoing FDT as they come and go, for debugfs: the chain
 * is called with KHO_SUBTREE_ADD or KHO_SUBTREE_REMOVE and a struct
 * kho_subtree. It is registered to and called under kho_out.lock, so a
 * subscriber finds the subtrees added before it in kho_out.fdt.
 */
enum {
	KHO_SUBTREE_ADD,
	KHO_SUBTREE_REMOVE,
};

struct kho_subtree {
	const char *name;
	void *blob;
	size_t size;
};

extern struct raw_notifier_head kho_out_subtrees;

#endif /* _KERNEL_LIVEUPDATE_KEXEC_HANDOVER_INTERNAL_H */
