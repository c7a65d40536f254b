/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scratch areas: the memory the next kernel boots from, made on a cold
 * boot and inherited on a KHO boot. Nothing preserved may lie in them.
 * Uses no other layer of KHO.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_SCRATCH_H
#define _KERNEL_LIVEUPDATE_KHO_SCRATCH_H

#include <linux/init.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/types.h>

extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

bool kho_scratch_overlap(phys_addr_t start, phys_addr_t size);
struct kho_scratch *kho_scratch_out(void);
int __init kho_scratch_reserve(void);
int __init kho_scratch_inherit(phys_addr_t phys, u64 size, phys_addr_t fdt,
			       u64 fdt_size, const char **why);
void __init kho_scratch_adopt(phys_addr_t phys, u64 size);
void __init kho_scratch_use_inherited(phys_addr_t phys, u64 size);
void __init kho_scratch_activate(void);

/* Fault injection (kho_corrupt.c): replace the outgoing scratch array. */
int kho_scratch_corrupt_set(struct kho_scratch *bad);

#endif /* _KERNEL_LIVEUPDATE_KHO_SCRATCH_H */
