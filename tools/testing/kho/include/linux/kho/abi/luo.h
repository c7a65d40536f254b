/* SPDX-License-Identifier: GPL-2.0-only */
/* The real ABI header, over the stand-ins of kho_sim.h. */
#include <kho_sim.h>
#include "../../../../../../../include/linux/kho/abi/luo.h"
