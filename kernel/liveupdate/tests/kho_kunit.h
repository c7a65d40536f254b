/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the KUnit tests of kernel/liveupdate/tests/ share (kho_kunit_util.c):
 * whether KHO is on, memory a test preserves, and blocks made to look as if
 * the previous kernel preserved them.
 *
 * Tests of the outgoing tree need KHO on (kho=on or
 * KEXEC_HANDOVER_ENABLE_DEFAULT) and skip otherwise. Every test undoes what
 * it preserved, also when it fails, so that nothing of it is handed over to
 * the next kernel. Run them with
 *
 *   ./tools/testing/kunit/kunit.py run --arch=x86_64 \
 *	--kunitconfig=kernel/liveupdate
 */
#ifndef _KERNEL_LIVEUPDATE_TESTS_KHO_KUNIT_H
#define _KERNEL_LIVEUPDATE_TESTS_KHO_KUNIT_H

#include <kunit/test.h>
#include <linux/kexec_handover.h>
#include <linux/types.h>

#include "../kho_preserve.h"

struct folio;
struct page;

/* KHO is on and its outgoing tree is ready. */
static inline bool kho_test_ready(void)
{
	return kho_is_enabled() && kho_mem_map_phys();
}

static inline void kho_test_need_kho(struct kunit *test)
{
	if (!kho_test_ready())
		kunit_skip(test, "KHO is off (boot with kho=on)");
}

/* Take back every preserved block of order <= @max_order in a range. */
void kho_test_unpreserve_range(unsigned long start, unsigned long nr,
			       unsigned int max_order);

/* Memory a test preserves; freed only after anything of it is unpreserved. */
struct kho_test_block {
	struct page *page;
	struct folio *folio;
	unsigned int order;
};

/* A block of 2^@order pages (a folio if @folio), released with the test. */
struct kho_test_block *kho_test_alloc_block(struct kunit *test,
					    unsigned int order, bool folio);

/* Restore, on blocks made to look revived */

struct kho_test_revived {
	struct page *page;
	unsigned int order;
	bool revived;		/* marked and not handed back yet */
	struct folio *folio;	/* handed back as a folio */
	bool taken;		/* handed back, and freed by its new owner */
};

struct kho_test_revived *kho_test_revive(struct kunit *test,
					 unsigned int order);
struct page *kho_test_restore_pages(struct kho_test_revived *r,
				    unsigned long nr);
/* Words of a block that lost the pattern kho_test_revive() wrote. */
unsigned long kho_test_nr_changed(struct page *page, unsigned int order);
void kho_test_expect_handed_back(struct kunit *test, struct page *page,
				 unsigned int order);

#endif /* _KERNEL_LIVEUPDATE_TESTS_KHO_KUNIT_H */
