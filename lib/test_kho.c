// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test of kexec handover (KHO): memory preserved by one kernel comes back
 * intact in the next one.
 *
 * With test_kho.max_mem=<size> (memparse format) on a kernel booted with
 * kho=on, the module allocates folios of random orders, up to <size> bytes
 * in total, fills them with random bytes and preserves them with KHO. Their
 * physical address, order and crc32 go into an index kept in vmalloc()
 * memory, itself preserved with kho_preserve_vmalloc(); a small blob named
 * "kho-test" that describes the index is handed over with kho_add_subtree().
 *
 * On the next boot, if the kernel was started with a handover, the module
 * restores the index and every folio it lists, and checks the order and the
 * crc32 of each. It then preserves a fresh set if max_mem says so, so a
 * chain of kexecs tests every hop.
 *
 * Usage: boot with "kho=on test_kho.max_mem=256M", then
 *
 *	kexec -s -l /boot/bzImage --reuse-cmdline && kexec -e
 *
 * into the same kernel (only kexec_file_load carries a handover) and look
 * for the line starting with "KHO_TEST: " in the kernel log: "PASS" or
 * "FAIL" with the first problem found. When built as a module, load it in
 * the first kernel with "modprobe test_kho max_mem=256M" and in the next
 * kernel to check. The data received is consumed by the first load after a
 * KHO boot; load the module once per boot.
 */

#define pr_fmt(fmt) "KHO_TEST: " fmt

#include <linux/bug.h>
#include <linux/crc32.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/pfn.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

#define KHO_TEST_NAME		"kho-test"
#define KHO_TEST_MAGIC		0x4b484f54	/* "KHOT" */
#define KHO_TEST_VERSION	1

/*
 * Never movable: movable allocations may be served from scratch, which
 * cannot be preserved. Fail fast instead of reclaiming hard or warning:
 * running out of memory just ends the set early.
 */
#define KHO_TEST_GFP		(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)

/**
 * struct kho_test_record - one preserved folio, an entry of the index
 * @phys: physical address of the folio
 * @order: its order
 * @csum: crc32_le(0, ...) of its contents
 */
struct kho_test_record {
	u64 phys;
	u32 order;
	u32 csum;
};

/**
 * struct kho_test_state - the "kho-test" blob
 * @magic: %KHO_TEST_MAGIC
 * @version: %KHO_TEST_VERSION
 * @nr_folios: number of records in the index, one per preserved folio
 * @total_bytes: sum of the sizes of the folios
 * @max_order: largest order among the folios
 * @reserved: 0
 * @index: the index, an array of &struct kho_test_record in vmalloc()
 *         memory
 *
 * Native endian, read only by a kernel with this same test. It lives in
 * kho_alloc_preserve() memory and is validated before use.
 */
struct kho_test_state {
	u32 magic;
	u32 version;
	u64 nr_folios;
	u64 total_bytes;
	u32 max_order;
	u32 reserved;
	struct kho_vmalloc index;
};

/*
 * Everything this module owns. Only module init and exit touch it, and
 * they never run concurrently, so there is no lock. max_mem is written
 * while parameters are parsed, before init, and is read-only afterwards.
 */
static struct {
	unsigned long long max_mem;	/* bytes to preserve, 0 for none */
	struct kho_test_state *state;	/* the outgoing blob, or NULL */
	struct kho_test_record *index;	/* its index, vmalloc() memory */
	bool index_preserved;		/* kho_preserve_vmalloc() done */
	bool added;			/* kho_add_subtree() done */
} kho_test;

static int kho_test_set_max_mem(const char *val, const struct kernel_param *kp)
{
	unsigned long long size;
	char *end;

	size = memparse(val, &end);
	if (end == val)
		return -EINVAL;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*(unsigned long long *)kp->arg = size;
	return 0;
}

static const struct kernel_param_ops kho_test_max_mem_ops = {
	.set = kho_test_set_max_mem,
	.get = param_get_ullong,
};
module_param_cb(max_mem, &kho_test_max_mem_ops, &kho_test.max_mem, 0444);
MODULE_PARM_DESC(max_mem,
		 "Bytes of folios to preserve for the next kernel, e.g. 256M (default 0: none)");

/* The verdict on the incoming set, built while checking it. */
struct kho_test_check {
	u64 bad;		/* folios that failed a check */
	u64 bytes;		/* size of the good folios */
	unsigned int max_order;	/* largest order of the good folios */
	char why[128];		/* the first failure */
};

static __printf(2, 3)
void kho_test_bad(struct kho_test_check *check, const char *fmt, ...)
{
	va_list args;

	if (check->bad++)
		return;
	va_start(args, fmt);
	vsnprintf(check->why, sizeof(check->why), fmt, args);
	va_end(args);
}

static void kho_test_check_folio(const struct kho_test_record *rec,
				 struct kho_test_check *check)
{
	struct folio *folio;
	u32 csum;

	folio = kho_restore_folio(rec->phys);
	if (!folio) {
		kho_test_bad(check, "no preserved folio at 0x%llx", rec->phys);
		return;
	}

	if (folio_order(folio) != rec->order) {
		kho_test_bad(check, "folio at 0x%llx has order %u, expected %u",
			     rec->phys, folio_order(folio), rec->order);
		goto out;
	}
	csum = crc32_le(0, folio_address(folio), folio_size(folio));
	if (csum != rec->csum) {
		kho_test_bad(check, "folio at 0x%llx has crc32 0x%08x, expected 0x%08x",
			     rec->phys, csum, rec->csum);
		goto out;
	}
	check->bytes += folio_size(folio);
	check->max_order = max(check->max_order, rec->order);
out:
	folio_put(folio);
}

/* Check what the previous kernel preserved, give it back, print a verdict. */
static void kho_test_restore(void)
{
	struct kho_test_check check = { };
	struct kho_test_record *index;
	struct kho_test_state *state;
	u64 i, nr, capacity, total_bytes;
	unsigned int max_order;
	phys_addr_t phys;
	size_t size;
	int err;

	err = kho_retrieve_subtree(KHO_TEST_NAME, &phys, &size);
	if (err == -ENOENT) {
		/* The previous kernel did not run this test. */
		pr_info("no data from a previous kernel\n");
		return;
	}
	if (err) {
		pr_err("FAIL: no valid %s blob from the previous kernel (%d)\n",
		       KHO_TEST_NAME, err);
		return;
	}
	/* Memory that does not look like ours is left alone, reserved. */
	if (size != sizeof(*state)) {
		pr_err("FAIL: %s blob has %zu bytes, expected %zu\n",
		       KHO_TEST_NAME, size, sizeof(*state));
		return;
	}
	state = phys_to_virt(phys);
	if (state->magic != KHO_TEST_MAGIC) {
		pr_err("FAIL: %s blob has magic 0x%08x, expected 0x%08x\n",
		       KHO_TEST_NAME, state->magic, KHO_TEST_MAGIC);
		return;
	}
	if (state->version != KHO_TEST_VERSION) {
		pr_err("FAIL: %s blob has version %u, expected %u\n",
		       KHO_TEST_NAME, state->version, KHO_TEST_VERSION);
		goto free_state;
	}

	nr = state->nr_folios;
	total_bytes = state->total_bytes;
	max_order = state->max_order;

	index = kho_restore_vmalloc(&state->index);
	if (!index) {
		pr_err("FAIL: cannot restore the index of %llu folios\n", nr);
		goto free_state;
	}
	capacity = ((u64)state->index.total_pages << PAGE_SHIFT) / sizeof(*index);
	if (!nr) {
		pr_err("FAIL: %s blob lists no folios\n", KHO_TEST_NAME);
		goto free_index;
	}
	if (nr > capacity) {
		pr_err("FAIL: index of %u pages cannot hold %llu records\n",
		       state->index.total_pages, nr);
		goto free_index;
	}

	for (i = 0; i < nr; i++) {
		kho_test_check_folio(&index[i], &check);
		cond_resched();
	}
	if (!check.bad &&
	    (check.bytes != total_bytes || check.max_order != max_order))
		snprintf(check.why, sizeof(check.why),
			 "folios total %llu bytes up to order %u, blob says %llu bytes up to order %u",
			 check.bytes, check.max_order, total_bytes, max_order);

	if (check.why[0])
		pr_err("FAIL: %s; %llu of %llu folios bad\n",
		       check.why, check.bad, nr);
	else
		pr_info("PASS: restored %llu folios (%llu KiB), orders 0-%u\n",
			nr, total_bytes >> 10, max_order);

free_index:
	vfree(index);
free_state:
	kho_restore_free(state);
}

/*
 * Undo kho_test_preserve(), in reverse order; it may have stopped half
 * way. Memory that KHO still marks as preserved is leaked rather than
 * freed: the next kernel would take it back while it is in use.
 */
static void kho_test_unwind(void)
{
	struct kho_test_state *state = kho_test.state;
	bool index_free = true;
	u64 i;

	if (!state)
		return;

	if (kho_test.added)
		kho_remove_subtree(state);
	if (kho_test.index_preserved &&
	    WARN_ON_ONCE(kho_unpreserve_vmalloc(&state->index)))
		index_free = false;

	for (i = 0; i < state->nr_folios; i++) {
		struct folio *folio = pfn_folio(PHYS_PFN(kho_test.index[i].phys));

		if (WARN_ON_ONCE(kho_unpreserve_folio(folio)))
			continue;
		folio_put(folio);
	}

	if (index_free)
		vfree(kho_test.index);
	kho_unpreserve_free(state);

	kho_test.state = NULL;
	kho_test.index = NULL;
	kho_test.index_preserved = false;
	kho_test.added = false;
}

/* A folio of *@order, or of the largest smaller order that can be had. */
static struct folio *kho_test_alloc_folio(unsigned int *order)
{
	struct folio *folio;

	for (;;) {
		folio = folio_alloc(KHO_TEST_GFP, *order);
		if (folio || !*order)
			return folio;
		(*order)--;
	}
}

/* Preserve a fresh set of folios of up to max_mem bytes for the next kernel. */
static int kho_test_preserve(void)
{
	u64 pages_left = kho_test.max_mem >> PAGE_SHIFT;
	struct kho_test_state *state;
	struct kho_test_record *rec;
	struct folio *folio;
	unsigned int order;
	const char *what;
	int err;

	/* A partial page at the end of max_mem counts as a whole one. */
	if (kho_test.max_mem & (PAGE_SIZE - 1))
		pages_left++;

	state = kho_alloc_preserve(sizeof(*state));
	if (IS_ERR(state)) {
		pr_err("FAIL: cannot preserve: blob allocation (%ld)\n",
		       PTR_ERR(state));
		return PTR_ERR(state);
	}
	kho_test.state = state;
	state->magic = KHO_TEST_MAGIC;
	state->version = KHO_TEST_VERSION;

	/* Worst case: every folio of order 0. */
	if (pages_left > SIZE_MAX / sizeof(*rec)) {
		err = -E2BIG;
		what = "index allocation";
		goto fail;
	}
	kho_test.index = vmalloc(array_size(pages_left, sizeof(*rec)));
	if (!kho_test.index) {
		err = -ENOMEM;
		what = "index allocation";
		goto fail;
	}
	/* Pages are preserved by address: the records can follow. */
	err = kho_preserve_vmalloc(kho_test.index, &state->index);
	if (err) {
		what = "index";
		goto fail;
	}
	kho_test.index_preserved = true;

	while (pages_left) {
		order = min_t(unsigned int,
			      get_random_u32_below(MAX_PAGE_ORDER + 1),
			      ilog2(pages_left));
		folio = kho_test_alloc_folio(&order);
		if (!folio)
			break;

		get_random_bytes(folio_address(folio), folio_size(folio));
		rec = &kho_test.index[state->nr_folios];
		rec->phys = PFN_PHYS(folio_pfn(folio));
		rec->order = order;
		rec->csum = crc32_le(0, folio_address(folio), folio_size(folio));

		err = kho_preserve_folio(folio);
		if (err) {
			folio_put(folio);
			what = "folio";
			goto fail;
		}
		state->nr_folios++;
		state->total_bytes += folio_size(folio);
		state->max_order = max(state->max_order, order);
		pages_left -= 1ULL << order;
		cond_resched();
	}
	if (!state->nr_folios) {
		err = -ENOMEM;
		what = "no folio could be allocated";
		goto fail;
	}

	err = kho_add_subtree(KHO_TEST_NAME, state, sizeof(*state));
	if (err) {
		what = "subtree " KHO_TEST_NAME;
		goto fail;
	}
	kho_test.added = true;

	pr_info("preserved %llu folios (%llu KiB), orders 0-%u, for the next kernel\n",
		state->nr_folios, state->total_bytes >> 10, state->max_order);
	return 0;

fail:
	kho_test_unwind();
	pr_err("FAIL: cannot preserve: %s (%d)\n", what, err);
	return err;
}

static int __init kho_test_init(void)
{
	if (is_kho_boot())
		kho_test_restore();
	else
		pr_info("no data from a previous kernel\n");

	if (!kho_test.max_mem)
		return 0;
	if (!kho_is_enabled()) {
		pr_info("KHO is off (boot with kho=on), max_mem ignored\n");
		return 0;
	}
	return kho_test_preserve();
}
module_init(kho_test_init);

static void __exit kho_test_exit(void)
{
	kho_test_unwind();
}
module_exit(kho_test_exit);

MODULE_DESCRIPTION("Test of memory preserved across kexec by kexec handover (KHO)");
MODULE_LICENSE("GPL");
