/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KEXEC_HANDOVER_H
#define _LINUX_KEXEC_HANDOVER_H

#include <linux/types.h>

/*
 * The memblock simulator has no kexec handover: what memblock.c uses of
 * it, as a kernel without CONFIG_KEXEC_HANDOVER has it.
 */
static inline phys_addr_t kho_reserve_mem_find(const char *name,
					       phys_addr_t size,
					       phys_addr_t align)
{
	return 0;
}

#endif
