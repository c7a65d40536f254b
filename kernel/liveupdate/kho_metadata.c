// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kexec-metadata blob: which kernel handed over, and how many kexecs
 * with handover led here.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "kexec_handover_internal.h"

/* A release goes into the log: no control characters, no line breaks. */
static bool __init kho_release_printable(const char *s)
{
	for (; *s; s++) {
		if (!isprint(*s))
			return false;
	}
	return true;
}

/* The count the previous kernel handed over: 0 on a cold boot. */
static u32 __init kho_metadata_receive(void)
{
	const struct kho_kexec_metadata *md;
	phys_addr_t phys;
	size_t size;
	u32 count;
	int err;

	if (!is_kho_boot())
		return 0;

	err = kho_retrieve_subtree(KHO_METADATA_NAME, &phys, &size);
	if (err) {
		pr_warn("no valid %s blob (%d): previous kernel unknown\n",
			KHO_METADATA_NAME, err);
		return 0;
	}
	if (size != sizeof(*md)) {
		pr_warn("%s blob of %zu bytes, expected %zu: ignored\n",
			KHO_METADATA_NAME, size, sizeof(*md));
		return 0;
	}
	md = phys_to_virt(phys);
	if (md->version != KHO_METADATA_VERSION) {
		pr_warn("%s version %u, expected %u: ignored\n",
			KHO_METADATA_NAME, md->version, KHO_METADATA_VERSION);
		return 0;
	}
	if (!memchr(md->previous_release, '\0', sizeof(md->previous_release)) ||
	    !kho_release_printable(md->previous_release)) {
		pr_warn("%s release is not a printable string: ignored\n",
			KHO_METADATA_NAME);
		return 0;
	}

	pr_info("exec from: %s (count %u)\n", md->previous_release,
		md->kexec_count);
	count = md->kexec_count;
	/* Read once, never needed again (debugfs keeps its own copy). */
	kho_restore_free((void *)md);
	return count;
}

/*
 * Log the incoming kexec-metadata, hand over our own. Runs on every boot,
 * after the core has taken in the handover; a broken incoming blob is
 * reported and counted as a cold boot. Failing to hand over our own is
 * reported and not fatal.
 */
static int __init kho_metadata_init(void)
{
	struct kho_kexec_metadata *md;
	u32 count = kho_metadata_receive();
	int err;

	if (!kho_is_enabled())
		return 0;

	md = kho_alloc_preserve(sizeof(*md));
	if (IS_ERR(md)) {
		err = PTR_ERR(md);
		goto fail;
	}
	md->version = KHO_METADATA_VERSION;
	strscpy(md->previous_release, init_utsname()->release,
		sizeof(md->previous_release));
	md->kexec_count = count + 1;

	err = kho_add_subtree(KHO_METADATA_NAME, md, sizeof(*md));
	if (!err)
		return 0;
	kho_unpreserve_free(md);
fail:
	pr_warn("cannot hand over %s (%d)\n", KHO_METADATA_NAME, err);
	return 0;
}
postcore_initcall(kho_metadata_init);
