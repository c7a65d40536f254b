/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection (kho_corrupt.c, CONFIG_KEXEC_HANDOVER_DEBUG): damage the
 * outgoing handover in a named way, for debugfs out/corrupt.
 */
#ifndef _KERNEL_LIVEUPDATE_KHO_CORRUPT_H
#define _KERNEL_LIVEUPDATE_KHO_CORRUPT_H

int kho_corrupt(const char *name);

#endif /* _KERNEL_LIVEUPDATE_KHO_CORRUPT_H */
