/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _MEMBLOCK_RESERVE_SORTED_H
#define _MEMBLOCK_RESERVE_SORTED_H

#include "common.h"

int memblock_reserve_sorted_checks(void);

#endif
