/* SPDX-License-Identifier: GPL-2.0-only */
/* The real uAPI header, over the stand-ins of luo_sim.h. */
#include <luo_sim.h>
#include "../../../../../../include/uapi/linux/liveupdate.h"
