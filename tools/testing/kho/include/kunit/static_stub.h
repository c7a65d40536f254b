/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <kunit/static_stub.h>: no KUnit here. */
#include <kho_sim.h>
#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...) ((void)(real_fn_name))
