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
 * For benchmarks (make bench), the load has a shape and is cheap to fill:
 * test_kho.order=N preserves folios of order N only (-1, the default, means
 * random orders); test_kho.pattern=sparse preserves every other page of a
 * span twice max_mem long, order 0 (contig, the default, preserves
 * everything it allocates); test_kho.fill=address writes three words per
 * page derived from its address and a seed instead of random bytes, and
 * the next kernel checks every page. With test_kho.defer=1 nothing happens
 * at boot: writing to debugfs test_kho/restore and test_kho/preserve does
 * each step when asked, with the parameters then in
 * /sys/module/test_kho/parameters/. Each step logs how long it took.
 *
 * Defer mode also tests the freeze of the handover at kexec: writing to
 * test_kho/churn starts a kernel thread that preserves and unpreserves
 * order-0 folios, one change after another, until kexec -e freezes the
 * handover (-EBUSY). Its blob "kho-test-churn" records what the thread saw
 * succeed; writing to test_kho/churn_check in the next kernel checks that
 * exactly the folios recorded as preserved came back, but for the one
 * change that was in flight, with their contents.
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
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pfn.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#define KHO_TEST_NAME		"kho-test"
#define KHO_TEST_MAGIC		0x4b484f54	/* "KHOT" */
#define KHO_TEST_VERSION	2

/* How folios are filled and checked (test_kho.fill). */
enum kho_test_fill {
	KHO_TEST_FILL_RANDOM,	/* random bytes, crc32 of each folio */
	KHO_TEST_FILL_ADDRESS,	/* three words a page from its address */
};

/* How the preserved pages lie (test_kho.pattern). */
enum kho_test_pattern {
	KHO_TEST_CONTIG,	/* everything allocated is preserved */
	KHO_TEST_SPARSE,	/* every other page, order 0 */
};

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
 * @fill: &enum kho_test_fill of the folios
 * @seed: mixed into the words of %KHO_TEST_FILL_ADDRESS
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
	u32 fill;
	u64 seed;
	struct kho_vmalloc index;
};

/*
 * Everything this module owns, under its lock: module init and exit, and
 * the debugfs files of defer mode. The parameters are read under it too.
 */
static DEFINE_MUTEX(kho_test_lock);
static struct {
	unsigned long long max_mem;	/* bytes to preserve, 0 for none */
	int order;			/* order of the folios, -1: random */
	int pattern;			/* enum kho_test_pattern */
	int fill;			/* enum kho_test_fill */
	bool defer;			/* steps only when asked, in debugfs */
	struct dentry *dir;		/* debugfs test_kho/ in defer mode */
	struct kho_test_state *state;	/* the outgoing blob, or NULL */
	struct kho_test_record *index;	/* its index, vmalloc() memory */
	bool index_preserved;		/* kho_preserve_vmalloc() done */
	bool added;			/* kho_add_subtree() done */
	unsigned long refused;		/* folios KHO refused, -EINVAL */
} kho_test = { .order = -1 };

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
module_param_cb(max_mem, &kho_test_max_mem_ops, &kho_test.max_mem, 0644);
MODULE_PARM_DESC(max_mem,
		 "Bytes of folios to preserve for the next kernel, e.g. 256M (default 0: none)");

static int kho_test_set_order(const char *val, const struct kernel_param *kp)
{
	int order, err;

	err = kstrtoint(val, 0, &order);
	if (err)
		return err;
	if (order < -1 || order > MAX_PAGE_ORDER)
		return -ERANGE;
	*(int *)kp->arg = order;
	return 0;
}

static const struct kernel_param_ops kho_test_order_ops = {
	.set = kho_test_set_order,
	.get = param_get_int,
};
module_param_cb(order, &kho_test_order_ops, &kho_test.order, 0644);
MODULE_PARM_DESC(order, "Order of every folio, or -1 for random orders (default)");

static const char * const kho_test_patterns[] = {
	[KHO_TEST_CONTIG] = "contig",
	[KHO_TEST_SPARSE] = "sparse",
};

static const char * const kho_test_fills[] = {
	[KHO_TEST_FILL_RANDOM] = "random",
	[KHO_TEST_FILL_ADDRESS] = "address",
};

/* A parameter that takes one of the names of the table in kp->arg's ops. */
static int kho_test_set_name(const char *val, const struct kernel_param *kp,
			     const char * const *names, size_t n)
{
	int i = __sysfs_match_string(names, n, val);

	if (i < 0)
		return i;
	*(int *)kp->arg = i;
	return 0;
}

static int kho_test_set_pattern(const char *val, const struct kernel_param *kp)
{
	return kho_test_set_name(val, kp, kho_test_patterns,
				 ARRAY_SIZE(kho_test_patterns));
}

static int kho_test_get_pattern(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", kho_test_patterns[*(int *)kp->arg]);
}

static const struct kernel_param_ops kho_test_pattern_ops = {
	.set = kho_test_set_pattern,
	.get = kho_test_get_pattern,
};
module_param_cb(pattern, &kho_test_pattern_ops, &kho_test.pattern, 0644);
MODULE_PARM_DESC(pattern,
		 "contig (default): preserve all that is allocated; sparse: every other page, order 0");

static int kho_test_set_fill(const char *val, const struct kernel_param *kp)
{
	return kho_test_set_name(val, kp, kho_test_fills,
				 ARRAY_SIZE(kho_test_fills));
}

static int kho_test_get_fill(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", kho_test_fills[*(int *)kp->arg]);
}

static const struct kernel_param_ops kho_test_fill_ops = {
	.set = kho_test_set_fill,
	.get = kho_test_get_fill,
};
module_param_cb(fill, &kho_test_fill_ops, &kho_test.fill, 0644);
MODULE_PARM_DESC(fill,
		 "random (default): random bytes, crc32; address: three words a page from its address");

module_param_named(defer, kho_test.defer, bool, 0444);
MODULE_PARM_DESC(defer,
		 "Do nothing at boot; debugfs test_kho/restore and test_kho/preserve do each step");

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

#define KHO_TEST_WORDS	(PAGE_SIZE / sizeof(u64))

/* The word of the page at @pa, from the seed; a different one per slot. */
static u64 kho_test_word(u64 seed, phys_addr_t pa, unsigned int slot)
{
	return ((u64)pa ^ seed) * 0x9e3779b97f4a7c15ULL + slot;
}

/* Where slot 1 lies: somewhere between the first and the last word. */
static unsigned int kho_test_mid(phys_addr_t pa)
{
	return 1 + (pa >> PAGE_SHIFT) % (KHO_TEST_WORDS - 2);
}

/* %KHO_TEST_FILL_ADDRESS: three words of every page of @folio. */
static void kho_test_fill_address(struct folio *folio, u64 seed)
{
	phys_addr_t pa = PFN_PHYS(folio_pfn(folio));
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++, pa += PAGE_SIZE) {
		u64 *w = folio_address(folio) + i * PAGE_SIZE;

		w[0] = kho_test_word(seed, pa, 0);
		w[kho_test_mid(pa)] = kho_test_word(seed, pa, 1);
		w[KHO_TEST_WORDS - 1] = kho_test_word(seed, pa, 2);
	}
}

/* The first page of @folio whose words are wrong, or -1. */
static long kho_test_bad_page(struct folio *folio, u64 seed)
{
	phys_addr_t pa = PFN_PHYS(folio_pfn(folio));
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++, pa += PAGE_SIZE) {
		const u64 *w = folio_address(folio) + i * PAGE_SIZE;

		if (w[0] != kho_test_word(seed, pa, 0) ||
		    w[kho_test_mid(pa)] != kho_test_word(seed, pa, 1) ||
		    w[KHO_TEST_WORDS - 1] != kho_test_word(seed, pa, 2))
			return i;
	}
	return -1;
}

static void kho_test_check_folio(const struct kho_test_record *rec,
				 const struct kho_test_state *state,
				 struct kho_test_check *check)
{
	struct folio *folio;
	long bad;
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
	if (state->fill == KHO_TEST_FILL_ADDRESS) {
		bad = kho_test_bad_page(folio, state->seed);
		if (bad >= 0) {
			kho_test_bad(check, "page %ld of the folio at 0x%llx lost its pattern",
				     bad, rec->phys);
			goto out;
		}
	} else {
		csum = crc32_le(0, folio_address(folio), folio_size(folio));
		if (csum != rec->csum) {
			kho_test_bad(check, "folio at 0x%llx has crc32 0x%08x, expected 0x%08x",
				     rec->phys, csum, rec->csum);
			goto out;
		}
	}
	check->bytes += folio_size(folio);
	check->max_order = max(check->max_order, rec->order);
out:
	folio_put(folio);
}

/* One line for the benchmark: how long a step took for @blocks folios. */
static void kho_test_took(const char *what, u64 start, u64 blocks)
{
	u64 ns = ktime_get_ns() - start;

	pr_info("%s took %llu us for %llu blocks (%llu ns/block)\n", what,
		div_u64(ns, NSEC_PER_USEC), blocks,
		blocks ? div64_u64(ns, blocks) : 0);
}

/*
 * Check what the previous kernel preserved, give it back, print a verdict.
 * Return: 0 for PASS or when there is nothing, -EIO for FAIL.
 */
static int kho_test_restore(void)
{
	struct kho_test_check check = { };
	struct kho_test_record *index;
	struct kho_test_state *state;
	u64 i, nr, capacity, total_bytes;
	unsigned int max_order;
	phys_addr_t phys;
	u64 start;
	size_t size;
	int err;

	err = kho_retrieve_subtree(KHO_TEST_NAME, &phys, &size);
	if (err == -ENOENT) {
		/* The previous kernel did not run this test. */
		pr_info("no data from a previous kernel\n");
		return 0;
	}
	if (err) {
		pr_err("FAIL: no valid %s blob from the previous kernel (%d)\n",
		       KHO_TEST_NAME, err);
		return -EIO;
	}
	/* Memory that does not look like ours is left alone, reserved. */
	if (size != sizeof(*state)) {
		pr_err("FAIL: %s blob has %zu bytes, expected %zu\n",
		       KHO_TEST_NAME, size, sizeof(*state));
		return -EIO;
	}
	state = phys_to_virt(phys);
	if (state->magic != KHO_TEST_MAGIC) {
		pr_err("FAIL: %s blob has magic 0x%08x, expected 0x%08x\n",
		       KHO_TEST_NAME, state->magic, KHO_TEST_MAGIC);
		return -EIO;
	}
	if (state->version != KHO_TEST_VERSION ||
	    state->fill > KHO_TEST_FILL_ADDRESS) {
		snprintf(check.why, sizeof(check.why),
			 "%s blob has version %u fill %u, expected version %u",
			 KHO_TEST_NAME, state->version, state->fill,
			 KHO_TEST_VERSION);
		pr_err("FAIL: %s\n", check.why);
		goto free_state;
	}

	nr = state->nr_folios;
	total_bytes = state->total_bytes;
	max_order = state->max_order;
	start = ktime_get_ns();

	index = kho_restore_vmalloc(&state->index);
	if (!index) {
		snprintf(check.why, sizeof(check.why),
			 "cannot restore the index of %llu folios", nr);
		pr_err("FAIL: %s\n", check.why);
		goto free_state;
	}
	capacity = ((u64)state->index.total_pages << PAGE_SHIFT) / sizeof(*index);
	if (!nr || nr > capacity) {
		snprintf(check.why, sizeof(check.why),
			 "index of %u pages cannot hold %llu records, or none",
			 state->index.total_pages, nr);
		pr_err("FAIL: %s\n", check.why);
		goto free_index;
	}

	for (i = 0; i < nr; i++) {
		kho_test_check_folio(&index[i], state, &check);
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
	kho_test_took("restore", start, nr);

free_index:
	vfree(index);
free_state:
	kho_restore_free(state);
	return check.why[0] ? -EIO : 0;
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

/*
 * Keep memory for the rest of the system: stop preserving when free memory
 * outside scratch (MIGRATE_CMA, which cannot be preserved) gets below
 * 1/16 of RAM or 64 MiB, enough for a kexec -s -l of the next kernel too.
 */
static bool kho_test_headroom(void)
{
	unsigned long free = global_zone_page_state(NR_FREE_PAGES) -
			     global_zone_page_state(NR_FREE_CMA_PAGES);

	return free > max_t(unsigned long, SZ_64M >> PAGE_SHIFT,
			    totalram_pages() / 16);
}

/* Fill @folio, record it and preserve it; 0 or -errno. */
static int kho_test_add(struct folio *folio)
{
	struct kho_test_state *state = kho_test.state;
	struct kho_test_record *rec = &kho_test.index[state->nr_folios];
	unsigned int order = folio_order(folio);
	int err;

	rec->phys = PFN_PHYS(folio_pfn(folio));
	rec->order = order;
	if (state->fill == KHO_TEST_FILL_ADDRESS) {
		kho_test_fill_address(folio, state->seed);
		rec->csum = 0;
	} else {
		get_random_bytes(folio_address(folio), folio_size(folio));
		rec->csum = crc32_le(0, folio_address(folio), folio_size(folio));
	}
	err = kho_preserve_folio(folio);
	if (err)
		return err;
	state->nr_folios++;
	state->total_bytes += folio_size(folio);
	state->max_order = max(state->max_order, order);
	return 0;
}

/*
 * Order-0 folios from one block of up to 2^@order pages, split: all of
 * them, or every other one (sparse; the others are freed). Returns the
 * pages preserved, or -errno.
 */
static long kho_test_add_split(unsigned int order, bool sparse)
{
	struct page *page;
	unsigned long i, nr;
	long done = 0;
	int err = 0;

	for (;;) {
		page = alloc_pages(KHO_TEST_GFP, order);
		if (page || !order)
			break;
		order--;
	}
	if (!page)
		return -ENOMEM;
	nr = 1UL << order;
	split_page(page, order);
	for (i = 0; i < nr; i++) {
		if (err || (sparse && (i & 1))) {
			__free_page(page + i);
			continue;
		}
		err = kho_test_add(page_folio(page + i));
		if (err == -EINVAL) {
			/* Not preservable (hot-added): not an error. */
			kho_test.refused++;
			err = 0;
			__free_page(page + i);
		} else if (err) {
			__free_page(page + i);
		} else {
			done++;
		}
	}
	return err ? err : done;
}

/* Preserve a fresh set of folios of up to max_mem bytes for the next kernel. */
static int kho_test_preserve(void)
{
	u64 pages_left = kho_test.max_mem >> PAGE_SHIFT, start;
	bool sparse = kho_test.pattern == KHO_TEST_SPARSE;
	struct kho_test_state *state;
	struct folio *folio, *tmp;
	LIST_HEAD(refused);
	unsigned int order;
	const char *what;
	long done;
	int err;

	/* A partial page at the end of max_mem counts as a whole one. */
	if (kho_test.max_mem & (PAGE_SIZE - 1))
		pages_left++;
	if (kho_test.state)
		return -EBUSY;
	kho_test.refused = 0;

	state = kho_alloc_preserve(sizeof(*state));
	if (IS_ERR(state)) {
		pr_err("FAIL: cannot preserve: blob allocation (%ld)\n",
		       PTR_ERR(state));
		return PTR_ERR(state);
	}
	kho_test.state = state;
	state->magic = KHO_TEST_MAGIC;
	state->version = KHO_TEST_VERSION;
	state->fill = kho_test.fill;
	state->seed = get_random_u64();

	/* Worst case: every folio of order 0. */
	if (pages_left > SIZE_MAX / sizeof(struct kho_test_record)) {
		err = -E2BIG;
		what = "index allocation";
		goto fail;
	}
	kho_test.index = vmalloc(array_size(pages_left,
					    sizeof(struct kho_test_record)));
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

	start = ktime_get_ns();
	while (pages_left && kho_test_headroom()) {
		if (sparse || !kho_test.order) {
			/* Long runs of order-0 blocks, or every other page. */
			order = min_t(unsigned int, MAX_PAGE_ORDER,
				      ilog2(pages_left << sparse));
			done = kho_test_add_split(order, sparse);
			if (done == -ENOMEM)
				break;
			if (done < 0) {
				err = done;
				what = "folio";
				goto fail;
			}
			pages_left -= min_t(u64, pages_left, done);
			cond_resched();
			continue;
		}
		if (kho_test.order < 0)
			order = get_random_u32_below(MAX_PAGE_ORDER + 1);
		else
			order = kho_test.order;
		order = min_t(unsigned int, order, ilog2(pages_left));
		folio = kho_test_alloc_folio(&order);
		if (!folio)
			break;
		err = kho_test_add(folio);
		if (err == -EINVAL) {
			/*
			 * KHO refuses memory it cannot hand over (hot-added
			 * after boot): set it aside until the end, so that the
			 * allocator does not give it back at once.
			 */
			kho_test.refused++;
			list_add(&folio->lru, &refused);
		} else if (err) {
			folio_put(folio);
			what = "folio";
			goto fail;
		}
		pages_left -= 1ULL << order;
		cond_resched();
	}
	list_for_each_entry_safe(folio, tmp, &refused, lru) {
		list_del(&folio->lru);
		folio_put(folio);
	}
	if (kho_test.refused)
		pr_info("%lu folios refused by KHO (-EINVAL: memory it cannot hand over, such as memory hot-added after boot), not preserved\n",
			kho_test.refused);
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

	if (pages_left)
		pr_info("stopped %llu KiB short of max_mem, to leave memory to the system\n",
			pages_left << (PAGE_SHIFT - 10));
	pr_info("preserved %llu folios (%llu KiB), orders 0-%u, for the next kernel\n",
		state->nr_folios, state->total_bytes >> 10, state->max_order);
	kho_test_took("preserve", start, state->nr_folios);
	return 0;

fail:
	kho_test_unwind();
	pr_err("FAIL: cannot preserve: %s (%d)\n", what, err);
	return err;
}

/*
 * Churn: preserve and unpreserve while a kexec freezes the handover.
 */
#define KHO_CHURN_NAME		"kho-test-churn"
#define KHO_CHURN_MAGIC		0x4b484f43	/* "KHOC" */
#define KHO_CHURN_NR		256

/**
 * struct kho_churn_state - the "kho-test-churn" blob
 * @magic: %KHO_CHURN_MAGIC
 * @nr: %KHO_CHURN_NR
 * @seed: mixed into the words of each folio, as %KHO_TEST_FILL_ADDRESS
 * @changes: preserves and unpreserves that succeeded
 * @pending: the folio whose change is in flight, or -1
 * @phys: physical address of each order-0 folio
 * @preserved: 1 when the last change of a folio that succeeded preserved it
 *
 * Written by the churn thread only, in kho_alloc_preserve() memory.
 */
struct kho_churn_state {
	u32 magic;
	u32 nr;
	u64 seed;
	u64 changes;
	s64 pending;
	u64 phys[KHO_CHURN_NR];
	u8 preserved[KHO_CHURN_NR];
};

static struct task_struct *kho_churn_task;

static int kho_churn_fn(void *arg)
{
	struct kho_churn_state *st = arg;
	struct folio *folio;
	u32 i;
	int err;

	while (!kthread_should_stop()) {
		i = get_random_u32_below(KHO_CHURN_NR);
		folio = pfn_folio(PHYS_PFN(st->phys[i]));
		/* Recorded before the change: the next kernel allows it. */
		WRITE_ONCE(st->pending, i);
		err = st->preserved[i] ? kho_unpreserve_folio(folio) :
					 kho_preserve_folio(folio);
		if (err == -EBUSY) {
			pr_info("churn: handover frozen after %llu changes\n",
				st->changes);
			break;
		}
		if (err) {
			pr_err("churn: FAIL: %s of folio %u: %d\n",
			       st->preserved[i] ? "unpreserve" : "preserve", i,
			       err);
			break;
		}
		WRITE_ONCE(st->preserved[i], !st->preserved[i]);
		WRITE_ONCE(st->changes, st->changes + 1);
		WRITE_ONCE(st->pending, -1);
		cond_resched();
	}
	/* Stopped only by kthread_stop(), so that stopping is always safe. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

/* Start churning; nothing stays preserved or allocated on failure. */
static int kho_churn_start(void)
{
	struct kho_churn_state *st;
	struct folio *folio;
	unsigned int i;
	int err;

	if (!kho_is_enabled())
		return -EOPNOTSUPP;
	if (kho_churn_task)
		return -EBUSY;
	st = kho_alloc_preserve(sizeof(*st));
	if (IS_ERR(st))
		return PTR_ERR(st);
	st->magic = KHO_CHURN_MAGIC;
	st->nr = KHO_CHURN_NR;
	st->seed = get_random_u64();
	st->pending = -1;
	for (i = 0; i < KHO_CHURN_NR; i++) {
		folio = folio_alloc(KHO_TEST_GFP, 0);
		if (!folio) {
			err = -ENOMEM;
			goto fail;
		}
		kho_test_fill_address(folio, st->seed);
		st->phys[i] = PFN_PHYS(folio_pfn(folio));
	}
	err = kho_add_subtree(KHO_CHURN_NAME, st, sizeof(*st));
	if (err)
		goto fail;
	kho_churn_task = kthread_run(kho_churn_fn, st, "kho_churn");
	if (IS_ERR(kho_churn_task)) {
		err = PTR_ERR(kho_churn_task);
		kho_churn_task = NULL;
		kho_remove_subtree(st);
		goto fail;
	}
	pr_info("churn: preserving and unpreserving %u folios until kexec\n",
		KHO_CHURN_NR);
	return 0;

fail:
	while (i--)
		folio_put(pfn_folio(PHYS_PFN(st->phys[i])));
	kho_unpreserve_free(st);
	return err;
}

/* The churn of the previous kernel: exactly what it recorded came back. */
static int kho_churn_check(void)
{
	unsigned int i, revived = 0, differ = 0, bad = 0;
	const struct kho_churn_state *st;
	struct folio *folio;
	phys_addr_t phys;
	size_t size;
	bool back;
	int err;

	err = kho_retrieve_subtree(KHO_CHURN_NAME, &phys, &size);
	if (err) {
		pr_info("churn: no data from a previous kernel\n");
		return 0;
	}
	st = phys_to_virt(phys);
	if (size != sizeof(*st) || st->magic != KHO_CHURN_MAGIC ||
	    st->nr != KHO_CHURN_NR || st->pending < -1 ||
	    st->pending >= KHO_CHURN_NR) {
		pr_err("churn: FAIL: blob %s of %zu bytes is not ours\n",
		       KHO_CHURN_NAME, size);
		return -EIO;
	}
	for (i = 0; i < KHO_CHURN_NR; i++) {
		folio = kho_restore_folio(st->phys[i]);
		back = folio;
		if (folio) {
			revived++;
			if (kho_test_bad_page(folio, st->seed) >= 0)
				bad++;
			folio_put(folio);
		}
		if (back != !!st->preserved[i] && i != st->pending)
			differ++;
	}
	pr_info("churn: %s: %u folios, %llu changes before the freeze, %u came back, %u not as recorded, %u with wrong contents (change in flight: %lld)\n",
		differ || bad ? "FAIL" : "PASS", KHO_CHURN_NR, st->changes,
		revived, differ, bad, st->pending);
	kho_restore_free((void *)st);
	return differ || bad ? -EIO : 0;
}

static void kho_churn_stop(void)
{
	if (kho_churn_task)
		kthread_stop(kho_churn_task);
	/* The folios and the blob stay: they may be preserved. */
	kho_churn_task = NULL;
}

/* Defer mode: each step when root writes to its debugfs file. */
static ssize_t kho_test_step(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos, int (*step)(void))
{
	bool go;
	int err;

	err = kstrtobool_from_user(buf, len, &go);
	if (err)
		return err;
	if (!go)
		return len;
	mutex_lock(&kho_test_lock);
	err = step();
	mutex_unlock(&kho_test_lock);
	return err ? err : len;
}

static int kho_test_preserve_now(void)
{
	if (!kho_is_enabled())
		return -EOPNOTSUPP;
	return kho_test_preserve();
}

static ssize_t kho_test_restore_write(struct file *file, const char __user *buf,
				      size_t len, loff_t *ppos)
{
	return kho_test_step(file, buf, len, ppos, kho_test_restore);
}

static ssize_t kho_test_preserve_write(struct file *file, const char __user *buf,
				       size_t len, loff_t *ppos)
{
	return kho_test_step(file, buf, len, ppos, kho_test_preserve_now);
}

static ssize_t kho_test_churn_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	return kho_test_step(file, buf, len, ppos, kho_churn_start);
}

static ssize_t kho_test_churn_check_write(struct file *file,
					  const char __user *buf, size_t len,
					  loff_t *ppos)
{
	return kho_test_step(file, buf, len, ppos, kho_churn_check);
}

static const struct file_operations kho_test_churn_fops = {
	.owner = THIS_MODULE,
	.write = kho_test_churn_write,
};

static const struct file_operations kho_test_churn_check_fops = {
	.owner = THIS_MODULE,
	.write = kho_test_churn_check_write,
};

static const struct file_operations kho_test_restore_fops = {
	.owner = THIS_MODULE,
	.write = kho_test_restore_write,
};

static const struct file_operations kho_test_preserve_fops = {
	.owner = THIS_MODULE,
	.write = kho_test_preserve_write,
};

static int __init kho_test_init(void)
{
	int err = 0;

	mutex_lock(&kho_test_lock);
	if (kho_test.defer) {
		kho_test.dir = debugfs_create_dir("test_kho", NULL);
		debugfs_create_file("restore", 0200, kho_test.dir, NULL,
				    &kho_test_restore_fops);
		debugfs_create_file("preserve", 0200, kho_test.dir, NULL,
				    &kho_test_preserve_fops);
		debugfs_create_file("churn", 0200, kho_test.dir, NULL,
				    &kho_test_churn_fops);
		debugfs_create_file("churn_check", 0200, kho_test.dir, NULL,
				    &kho_test_churn_check_fops);
		goto out;
	}
	if (is_kho_boot())
		kho_test_restore();
	else
		pr_info("no data from a previous kernel\n");

	if (!kho_test.max_mem)
		goto out;
	if (!kho_is_enabled()) {
		pr_info("KHO is off (boot with kho=on), max_mem ignored\n");
		goto out;
	}
	err = kho_test_preserve();
out:
	mutex_unlock(&kho_test_lock);
	return err;
}
module_init(kho_test_init);

static void __exit kho_test_exit(void)
{
	debugfs_remove(kho_test.dir);
	mutex_lock(&kho_test_lock);
	kho_churn_stop();
	kho_test_unwind();
	mutex_unlock(&kho_test_lock);
}
module_exit(kho_test_exit);

MODULE_DESCRIPTION("Test of memory preserved across kexec by kexec handover (KHO)");
MODULE_LICENSE("GPL");
