/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/notifier.h>: see kho_sim.h. Nobody subscribes here. */
#include <kho_sim.h>
struct raw_notifier_head { int unused; };
#define RAW_NOTIFIER_HEAD(name) struct raw_notifier_head name
static inline int raw_notifier_call_chain(struct raw_notifier_head *nh,
					  unsigned long val, void *v)
{
	return 0;
}
