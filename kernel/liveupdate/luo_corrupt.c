// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection for tests (CONFIG_KEXEC_HANDOVER_DEBUG with
 * CONFIG_LIVEUPDATE), on the incoming side of LUO: the kernel parameter
 * luo_corrupt= damages, in place, the LUO handover this kernel was given,
 * so that tests can check how LUO takes it. A test arms it on the command
 * line of the next kernel (kexec -s -l --append). The damage is done at
 * fs_initcall time: after KHO took the handover in (core_initcall) and
 * debugfs copied in/sub_fdts/LUO (which shows the FDT as received), before
 * LUO reads it (luo_init(), a device_initcall). LUO must refuse each
 * damaged structure with one line, never panic, and lose only its owner:
 *
 *  - a bad LUO FDT, luo-session node or session header costs every session;
 *  - a bad session entry costs that session (RETRIEVE_SESSION: ENOENT);
 *  - a bad file list costs the files of its session, a bad file entry that
 *    file (RETRIEVE_FD: ENOENT); a file whose handler this kernel does not
 *    have cannot be retrieved (EOPNOTSUPP), nor a bad memfd (EINVAL).
 *
 * The parameter is a comma-separated list of cases, done in that order.
 * Global cases name what they damage:
 *
 *   fdt                 the FDT's magic
 *   compatible          the FDT's compatible, luo-v1 -> luo-v0
 *   number              liveupdate-number 4 bytes long: only the count of
 *                       live updates is lost, every session stays
 *   session-compatible  the luo-session node's, luo-session-v2 -> -v0
 *   header-length       luo-session-header 4 bytes long
 *   header-unpreserved  luo-session-header pointing at a page nobody
 *                       preserved
 *   header-count        the session count one more than its block holds
 *
 * "sessions" damages each session whose name starts with "bad-<case>" (the
 * longest case that fits), leaving the others alone. A session's cases:
 *
 *   name            its name not NUL-terminated (64 bytes of 'x')
 *   dup             its name that of the entry before it
 *   files-addr      its file list at a page nobody preserved
 *   files-count     its file count one more than its list's block holds
 *   compat          file 0's compatible not NUL-terminated
 *   token           file 1's token that of file 0
 *   handler         file 0's compatible memfd-v0, which no handler has
 *   memfd-addr      file 0's struct memfd_luo_ser at a page nobody
 *                   preserved
 *   memfd-size      file 0's size MAX_LFS_FILESIZE + 1
 *   memfd-nr        file 0's nr_folios one more than its pages
 *   memfd-flags     file 0's folio 0 with a flag no version defines
 *   memfd-index     file 0's folio 1 at the index of folio 0
 *   memfd-pfn       file 0's middle folio (of the list's first block) at a
 *                   page nobody preserved, which only retrieve finds
 *   memfd-vmalloc   file 0's folio list with its first chunk at a page
 *                   nobody preserved
 *
 * Each damage is logged as "LUO: corrupt: <case>: <what was changed>", so
 * that a test can tell that it was done; a case whose target is missing
 * (no such file, not a memfd, nothing before it) says "not damaged".
 *
 * Everything is found by walking the handover read-only from the LUO FDT
 * (kho_retrieve_subtree(), which does not restore it), each structure
 * checked before it is read: it must lie wholly in preserved memory that
 * nobody restored yet (kho_mem_range_revived()), so that the walk cannot
 * fault or write outside the handover, whatever the previous kernel left.
 * The sizes of blocks are those kho_alloc_preserve() gives (a power of two
 * of pages); "a page nobody preserved" is a page this kernel allocates and
 * never frees.
 */

#define pr_fmt(fmt) "LUO: corrupt: " fmt

#include <linux/array_size.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "kho_restore.h"

#define LUO_BAD_PREFIX		"bad-"
/* Same lengths as the good ones: they are changed in place. */
#define LUO_BAD_COMPATIBLE	"luo-v0"
#define LUO_BAD_SESSION_COMPAT	"luo-session-v0"
#define LUO_BAD_NO_HANDLER	"memfd-v0"
/* The first flag bit of a folio that no version of memfd-v1 defines. */
#define LUO_BAD_FOLIO_FLAG	(MEMFD_LUO_FOLIO_FLAGS_MASK + 1)
/* The largest block, in bytes: no list of the handover is longer. */
#define LUO_BAD_MAX_BLOCK	(PAGE_SIZE << MAX_PAGE_ORDER)

static char luo_corrupt_arg[256] __initdata;

static int __init luo_corrupt_setup(char *arg)
{
	if (!arg)
		return -EINVAL;
	strscpy(luo_corrupt_arg, arg, sizeof(luo_corrupt_arg));
	return 0;
}
early_param("luo_corrupt", luo_corrupt_setup);

/* The incoming LUO handover, as far as the walk got. */
struct luo_bad_in {
	void *fdt;
	int node;		/* luo-session, or a libfdt error */
	u64 header;		/* its luo-session-header, 0 when unusable */
	struct luo_session_header_ser *hdr;
	struct luo_session_ser *sessions;	/* NULL when unusable */
	u64 nr_sessions;	/* entries of @sessions */
	u64 bad_phys;		/* a page nobody preserved */
};

/*
 * @size bytes at @phys in this kernel's linear map, when they lie wholly in
 * preserved memory that nobody restored yet; else NULL.
 */
static void * __init luo_bad_map(u64 phys, u64 size)
{
	if (!size || phys + size < phys || !kho_mem_range_revived(phys, size))
		return NULL;
	return phys_to_virt(phys);
}

/* The block kho_alloc_preserve() gives for @size bytes. */
static u64 __init luo_bad_block(u64 size)
{
	return PAGE_SIZE << get_order(size);
}

/* Sessions */

/**
 * struct luo_bad_session - one session to damage
 * @what:     the case
 * @name:     the session's name before the damage
 * @index:    its entry in the session array
 * @ser:      its entry
 * @prev:     the entry before it, NULL for the first
 * @files:    its file list, NULL when it has none or the list is unusable
 * @bad_phys: a page nobody preserved
 */
struct luo_bad_session {
	const char *what;
	char name[LUO_SESSION_NAME_LENGTH];
	u64 index;
	struct luo_session_ser *ser;
	struct luo_session_ser *prev;
	struct luo_file_ser *files;
	u64 bad_phys;
};

/* Say what was done to the session of @b, or why it was not. */
static __printf(2, 3) void __init luo_bad_log(const struct luo_bad_session *b,
					      const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("%s: session '%s' (entry %llu): %pV\n", b->what, b->name,
		b->index, &vaf);
	va_end(args);
}

static int __init luo_bad_name(struct luo_bad_session *b)
{
	memset(b->ser->name, 'x', sizeof(b->ser->name));
	luo_bad_log(b, "its %zu name bytes set to 'x', no NUL",
		    sizeof(b->ser->name));
	return 0;
}

static int __init luo_bad_dup(struct luo_bad_session *b)
{
	if (!b->prev)
		return -ENODEV;
	memcpy(b->ser->name, b->prev->name, sizeof(b->ser->name));
	luo_bad_log(b, "renamed '%.*s', the name of entry %llu",
		    (int)sizeof(b->ser->name), b->ser->name, b->index - 1);
	return 0;
}

static int __init luo_bad_files_addr(struct luo_bad_session *b)
{
	struct luo_file_set_ser *set = &b->ser->file_set_ser;

	if (!set->count)
		return -ENODEV;
	luo_bad_log(b, "file list moved from %#llx to %#llx, not preserved",
		    set->files, b->bad_phys);
	set->files = b->bad_phys;
	return 0;
}

static int __init luo_bad_files_count(struct luo_bad_session *b)
{
	struct luo_file_set_ser *set = &b->ser->file_set_ser;
	u64 block, count;

	if (!b->files)
		return -ENODEV;
	block = luo_bad_block(set->count * sizeof(*b->files));
	count = block / sizeof(*b->files) + 1;
	luo_bad_log(b,
		    "file count %llu -> %llu, one more than its list's block of %llu bytes holds",
		    set->count, count, block);
	set->count = count;
	return 0;
}

static int __init luo_bad_compat(struct luo_bad_session *b)
{
	struct luo_file_ser *f = b->files;

	if (!f)
		return -ENODEV;
	memset(f->compatible, 'x', sizeof(f->compatible));
	luo_bad_log(b, "file 0 (token %llu): its %zu compatible bytes set to 'x', no NUL",
		    f->token, sizeof(f->compatible));
	return 0;
}

static int __init luo_bad_token(struct luo_bad_session *b)
{
	if (!b->files || b->ser->file_set_ser.count < 2)
		return -ENODEV;
	luo_bad_log(b, "file 1: token %llu -> %llu, the token of file 0",
		    b->files[1].token, b->files[0].token);
	b->files[1].token = b->files[0].token;
	return 0;
}

static int __init luo_bad_handler(struct luo_bad_session *b)
{
	struct luo_file_ser *f = b->files;

	BUILD_BUG_ON(sizeof(LUO_BAD_NO_HANDLER) > sizeof(f->compatible));
	if (!f || !memchr(f->compatible, '\0', sizeof(f->compatible)))
		return -ENODEV;
	luo_bad_log(b, "file 0 (token %llu): compatible '%s' -> '%s', which no handler has",
		    f->token, f->compatible, LUO_BAD_NO_HANDLER);
	memset(f->compatible, 0, sizeof(f->compatible));
	strscpy(f->compatible, LUO_BAD_NO_HANDLER, sizeof(f->compatible));
	return 0;
}

/* File 0, when it is a memfd: its entry. */
static struct luo_file_ser * __init luo_bad_memfd_file(struct luo_bad_session *b)
{
	struct luo_file_ser *f = b->files;

	if (!f || strncmp(f->compatible, MEMFD_LUO_FH_COMPATIBLE,
			  sizeof(f->compatible)))
		return NULL;
	return f;
}

/* File 0, when it is a memfd: its struct memfd_luo_ser. */
static struct memfd_luo_ser * __init luo_bad_memfd(struct luo_bad_session *b)
{
	struct luo_file_ser *f = luo_bad_memfd_file(b);

	return f ? luo_bad_map(f->data, sizeof(struct memfd_luo_ser)) : NULL;
}

/*
 * The first block of the folio list of @m, mapped, and in @nr how many of
 * its entries lie there; NULL when it has none or it is unusable.
 */
static struct memfd_luo_folio_ser * __init
luo_bad_folios(struct memfd_luo_ser *m, u64 *nr)
{
	const struct kho_vmalloc *desc = &m->folios;
	struct memfd_luo_folio_ser *list;
	struct kho_vmalloc_chunk *chunk;
	u64 size;

	if (!m->nr_folios || desc->order > MAX_PAGE_ORDER)
		return NULL;
	chunk = luo_bad_map(desc->first, sizeof(*chunk));
	if (!chunk || !chunk->phys[0])
		return NULL;
	size = PAGE_SIZE << desc->order;
	list = luo_bad_map(chunk->phys[0], size);
	if (!list)
		return NULL;
	*nr = min_t(u64, m->nr_folios, size / sizeof(*list));
	return list;
}

static int __init luo_bad_memfd_addr(struct luo_bad_session *b)
{
	struct luo_file_ser *f = luo_bad_memfd_file(b);

	if (!f)
		return -ENODEV;
	luo_bad_log(b,
		    "file 0 (token %llu): its memfd_luo_ser moved from %#llx to %#llx, not preserved",
		    f->token, f->data, b->bad_phys);
	f->data = b->bad_phys;
	return 0;
}

static int __init luo_bad_memfd_size(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);
	u64 size = (u64)MAX_LFS_FILESIZE + 1;

	if (!m)
		return -ENODEV;
	luo_bad_log(b, "file 0 (token %llu): memfd size %llu -> %llu, past MAX_LFS_FILESIZE",
		    b->files->token, m->size, size);
	m->size = size;
	return 0;
}

static int __init luo_bad_memfd_nr(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);
	u64 pages;

	if (!m || m->size > (u64)MAX_LFS_FILESIZE)
		return -ENODEV;
	pages = DIV_ROUND_UP(m->size, PAGE_SIZE);
	luo_bad_log(b, "file 0 (token %llu): memfd of %llu pages: nr_folios %llu -> %llu",
		    b->files->token, pages, m->nr_folios, pages + 1);
	m->nr_folios = pages + 1;
	return 0;
}

static int __init luo_bad_memfd_flags(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);
	struct memfd_luo_folio_ser *list;
	unsigned int flags;
	u64 nr;

	list = m ? luo_bad_folios(m, &nr) : NULL;
	if (!list)
		return -ENODEV;
	flags = list[0].flags;
	list[0].flags = flags | LUO_BAD_FOLIO_FLAG;
	luo_bad_log(b, "file 0 (token %llu): folio 0 flags %#x -> %#x",
		    b->files->token, flags, (unsigned int)list[0].flags);
	return 0;
}

static int __init luo_bad_memfd_index(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);
	struct memfd_luo_folio_ser *list;
	u64 nr;

	list = m ? luo_bad_folios(m, &nr) : NULL;
	if (!list || nr < 2)
		return -ENODEV;
	luo_bad_log(b, "file 0 (token %llu): folio 1 index %llu -> %llu, the index of folio 0",
		    b->files->token, (u64)list[1].index, (u64)list[0].index);
	list[1].index = list[0].index;
	return 0;
}

static int __init luo_bad_memfd_pfn(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);
	struct memfd_luo_folio_ser *list;
	u64 nr, i;

	list = m ? luo_bad_folios(m, &nr) : NULL;
	if (!list)
		return -ENODEV;
	i = nr / 2;
	luo_bad_log(b, "file 0 (token %llu): folio %llu of %llu: pfn %#llx -> %#llx, not preserved",
		    b->files->token, i, m->nr_folios, (u64)list[i].pfn,
		    (u64)PHYS_PFN(b->bad_phys));
	list[i].pfn = PHYS_PFN(b->bad_phys);
	return 0;
}

static int __init luo_bad_memfd_vmalloc(struct luo_bad_session *b)
{
	struct memfd_luo_ser *m = luo_bad_memfd(b);

	if (!m || !m->nr_folios)
		return -ENODEV;
	luo_bad_log(b,
		    "file 0 (token %llu): the first chunk of its folio list moved from %#llx to %#llx, not preserved",
		    b->files->token, m->folios.first, b->bad_phys);
	m->folios.first = b->bad_phys;
	return 0;
}

struct luo_bad_session_case {
	const char *name;
	int (*fn)(struct luo_bad_session *b);
};

static const struct luo_bad_session_case luo_bad_session_cases[] __initconst = {
	{ "name", luo_bad_name },
	{ "dup", luo_bad_dup },
	{ "files-addr", luo_bad_files_addr },
	{ "files-count", luo_bad_files_count },
	{ "compat", luo_bad_compat },
	{ "token", luo_bad_token },
	{ "handler", luo_bad_handler },
	{ "memfd-addr", luo_bad_memfd_addr },
	{ "memfd-size", luo_bad_memfd_size },
	{ "memfd-nr", luo_bad_memfd_nr },
	{ "memfd-flags", luo_bad_memfd_flags },
	{ "memfd-index", luo_bad_memfd_index },
	{ "memfd-pfn", luo_bad_memfd_pfn },
	{ "memfd-vmalloc", luo_bad_memfd_vmalloc },
};

/* The case of a session named @name: the longest that fits, or NULL. */
static const struct luo_bad_session_case * __init
luo_bad_session_case(const char *name)
{
	const struct luo_bad_session_case *c, *best = NULL;
	const char *rest;
	unsigned int i;

	if (strncmp(name, LUO_BAD_PREFIX, strlen(LUO_BAD_PREFIX)))
		return NULL;
	rest = name + strlen(LUO_BAD_PREFIX);
	for (i = 0; i < ARRAY_SIZE(luo_bad_session_cases); i++) {
		c = &luo_bad_session_cases[i];
		if (!strncmp(rest, c->name, strlen(c->name)) &&
		    (!best || strlen(c->name) > strlen(best->name)))
			best = c;
	}
	return best;
}

/* "sessions": damage every session named bad-<case>. */
static void __init luo_bad_sessions(struct luo_bad_in *in)
{
	u64 i, count, nr = 0;
	struct luo_bad_session b;
	const struct luo_bad_session_case *c;
	struct luo_session_ser *ser;
	int err;

	if (!in->sessions) {
		pr_warn("sessions: no usable session array: nothing damaged\n");
		return;
	}
	for (i = 0; i < in->nr_sessions; i++) {
		ser = &in->sessions[i];
		if (!memchr(ser->name, '\0', sizeof(ser->name)))
			continue;
		c = luo_bad_session_case(ser->name);
		if (!c) {
			if (!strncmp(ser->name, LUO_BAD_PREFIX,
				     strlen(LUO_BAD_PREFIX)))
				pr_warn("sessions: session '%s' (entry %llu): no such case: not damaged\n",
					ser->name, i);
			continue;
		}
		b = (struct luo_bad_session) {
			.what = c->name,
			.index = i,
			.ser = ser,
			.prev = i ? &in->sessions[i - 1] : NULL,
			.bad_phys = in->bad_phys,
		};
		strscpy(b.name, ser->name, sizeof(b.name));
		count = ser->file_set_ser.count;
		if (count && count <= LUO_BAD_MAX_BLOCK / sizeof(*b.files))
			b.files = luo_bad_map(ser->file_set_ser.files,
					      count * sizeof(*b.files));
		err = c->fn(&b);
		if (err)
			luo_bad_log(&b, "not damaged (%d)", err);
		else
			nr++;
	}
	pr_warn("sessions: %llu of %llu sessions damaged\n", nr,
		in->nr_sessions);
}

/* The LUO FDT and the session header */

static int __init luo_bad_fdt(struct luo_bad_in *in)
{
	u32 magic = fdt_magic(in->fdt);

	fdt_set_magic(in->fdt, ~magic);
	pr_warn("fdt: the LUO FDT's magic %#x -> %#x\n", magic, ~magic);
	return 0;
}

/* Property @prop of @node, the string @good, becomes @bad, of its length. */
static int __init luo_bad_string(struct luo_bad_in *in, int node,
				 const char *prop, const char *good,
				 const char *bad)
{
	const char *p;
	int len;

	if (node < 0)
		return -ENODEV;
	p = fdt_getprop(in->fdt, node, prop, &len);
	if (!p || len != strlen(good) + 1 || memcmp(p, good, len) ||
	    strlen(bad) != strlen(good))
		return -ENODEV;
	if (fdt_setprop_inplace(in->fdt, node, prop, bad, len))
		return -EINVAL;
	return 0;
}

static int __init luo_bad_compatible(struct luo_bad_in *in)
{
	int err = luo_bad_string(in, 0, "compatible", LUO_FDT_COMPATIBLE,
				 LUO_BAD_COMPATIBLE);

	if (!err)
		pr_warn("compatible: the LUO FDT's compatible '%s' -> '%s'\n",
			LUO_FDT_COMPATIBLE, LUO_BAD_COMPATIBLE);
	return err;
}

static int __init luo_bad_session_compatible(struct luo_bad_in *in)
{
	int err = luo_bad_string(in, in->node, "compatible",
				 LUO_FDT_SESSION_COMPATIBLE,
				 LUO_BAD_SESSION_COMPAT);

	if (!err)
		pr_warn("session-compatible: the %s node's compatible '%s' -> '%s'\n",
			LUO_FDT_SESSION_NODE_NAME, LUO_FDT_SESSION_COMPATIBLE,
			LUO_BAD_SESSION_COMPAT);
	return err;
}

/* Case @what: property @prop of @node, a u64, becomes a u32, its low half. */
static int __init luo_bad_u32(struct luo_bad_in *in, const char *what,
			      int node, const char *prop)
{
	const u64 *p;
	u32 half;
	int len;

	if (node < 0)
		return -ENODEV;
	p = fdt_getprop(in->fdt, node, prop, &len);
	if (!p || len != sizeof(*p))
		return -ENODEV;
	half = get_unaligned(p);
	if (fdt_setprop(in->fdt, node, prop, &half, sizeof(half)))
		return -EINVAL;
	pr_warn("%s: %s of %zu bytes -> %zu\n", what, prop, sizeof(*p),
		sizeof(half));
	return 0;
}

static int __init luo_bad_number(struct luo_bad_in *in)
{
	return luo_bad_u32(in, "number", 0, LUO_FDT_LIVEUPDATE_NUM);
}

static int __init luo_bad_header_length(struct luo_bad_in *in)
{
	return luo_bad_u32(in, "header-length", in->node,
			   LUO_FDT_SESSION_HEADER);
}

static int __init luo_bad_header_unpreserved(struct luo_bad_in *in)
{
	u64 bad = in->bad_phys;

	if (!in->header)
		return -ENODEV;
	if (fdt_setprop_inplace(in->fdt, in->node, LUO_FDT_SESSION_HEADER,
				&bad, sizeof(bad)))
		return -EINVAL;
	pr_warn("header-unpreserved: %s %#llx -> %#llx, not preserved\n",
		LUO_FDT_SESSION_HEADER, in->header, bad);
	return 0;
}

static int __init luo_bad_header_count(struct luo_bad_in *in)
{
	u64 block, count;

	if (!in->sessions)
		return -ENODEV;
	block = luo_bad_block(sizeof(*in->hdr) +
			      in->hdr->count * sizeof(*in->sessions));
	count = (block - sizeof(*in->hdr)) / sizeof(*in->sessions) + 1;
	pr_warn("header-count: session count %llu -> %llu, one more than its block of %llu bytes holds\n",
		in->hdr->count, count, block);
	in->hdr->count = count;
	/* Nothing of the array is to be trusted any more. */
	in->sessions = NULL;
	in->nr_sessions = 0;
	return 0;
}

struct luo_bad_global_case {
	const char *name;
	int (*fn)(struct luo_bad_in *in);
};

static const struct luo_bad_global_case luo_bad_global_cases[] __initconst = {
	{ "fdt", luo_bad_fdt },
	{ "compatible", luo_bad_compatible },
	{ "number", luo_bad_number },
	{ "session-compatible", luo_bad_session_compatible },
	{ "header-length", luo_bad_header_length },
	{ "header-unpreserved", luo_bad_header_unpreserved },
	{ "header-count", luo_bad_header_count },
};

/* Find the LUO FDT, its session header and array: 0 or an errno. */
static int __init luo_bad_walk(struct luo_bad_in *in)
{
	const void *p;
	phys_addr_t phys;
	size_t size;
	u64 count;
	int err, len;

	err = kho_retrieve_subtree(LUO_FDT_KHO_ENTRY_NAME, &phys, &size);
	if (err)
		return err;
	in->fdt = phys_to_virt(phys);
	if (!kho_fdt_valid(in->fdt, size))
		return -EINVAL;
	in->node = fdt_subnode_offset(in->fdt, 0, LUO_FDT_SESSION_NODE_NAME);
	if (in->node < 0)
		return 0;
	p = fdt_getprop(in->fdt, in->node, LUO_FDT_SESSION_HEADER, &len);
	if (!p || len != sizeof(u64))
		return 0;
	in->header = get_unaligned((const u64 *)p);
	in->hdr = luo_bad_map(in->header, sizeof(*in->hdr));
	if (!in->hdr)
		return 0;
	count = in->hdr->count;
	if (count && count <= LUO_BAD_MAX_BLOCK / sizeof(*in->sessions))
		in->sessions = luo_bad_map(in->header + sizeof(*in->hdr),
					   count * sizeof(*in->sessions));
	if (in->sessions)
		in->nr_sessions = count;
	return 0;
}

static int __init luo_corrupt_init(void)
{
	const struct luo_bad_global_case *c;
	struct luo_bad_in in = { .node = -FDT_ERR_NOTFOUND };
	char *args = luo_corrupt_arg, *what;
	struct page *page;
	unsigned int i;
	int err;

	if (!*args)
		return 0;
	if (!is_kho_boot()) {
		pr_warn("not a boot with a KHO handover: nothing damaged\n");
		return 0;
	}
	err = luo_bad_walk(&in);
	if (err) {
		pr_warn("no usable LUO subtree in the handover (%d): nothing damaged\n",
			err);
		return 0;
	}
	/* Left allocated for good: nobody must ever restore it. */
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		pr_warn("no memory: nothing damaged\n");
		return 0;
	}
	in.bad_phys = page_to_phys(page);

	while ((what = strsep(&args, ","))) {
		if (!*what)
			continue;
		if (!strcmp(what, "sessions")) {
			luo_bad_sessions(&in);
			continue;
		}
		c = NULL;
		for (i = 0; i < ARRAY_SIZE(luo_bad_global_cases) && !c; i++) {
			if (!strcmp(luo_bad_global_cases[i].name, what))
				c = &luo_bad_global_cases[i];
		}
		if (!c) {
			pr_warn("%s: no such case: nothing damaged\n", what);
			continue;
		}
		err = c->fn(&in);
		if (err)
			pr_warn("%s: its target is not there: not damaged (%d)\n",
				what, err);
	}
	return 0;
}

/* After kho_init() (core_initcall), before luo_init() (device_initcall). */
fs_initcall(luo_corrupt_init);
