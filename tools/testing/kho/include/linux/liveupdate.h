/* SPDX-License-Identifier: GPL-2.0-only */
/* The real header, over the stand-ins of kho_sim.h. */
#include <kho_sim.h>
#include "../../../../../include/linux/liveupdate.h"
