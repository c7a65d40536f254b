// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of LUO sessions (luo_session.c) and of the file handler calls
 * behind them (luo_file.c), with a handler of the tests' own:
 *
 *  - luo_session_serialize() writes the header, the session entries and
 *    the file lists of the format in preserved blocks, calling each file's
 *    freeze; luo_session_unserialize() takes all of it back;
 *  - a freeze that fails leaves every session as it was, nothing
 *    preserved;
 *  - the misuses of sessions and files get their errno;
 *  - luo_session_load() takes in what luo_session_serialize() wrote (the
 *    blocks copied to blocks made to look as if the previous kernel
 *    preserved them) and refuses every damaged structure, costing only its
 *    owner: the header all sessions, a session entry its session, a file
 *    entry its file.
 *
 * They need LUO on (liveupdate=on kho=on) and skip otherwise.
 */

#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../kho_preserve.h"
#include "../kho_restore.h"
#include "../luo_internal.h"
#include "kho_kunit.h"

#define LUO_TEST_COMPAT		"kunit-luo-v1"
/* What the test handler hands over for a file: its token, marked. */
#define LUO_TEST_DATA(token)	(0x10000000000ULL | (token))
#define LUO_TEST_FAIL_TOKEN	666

/* What the test handler was asked to do. */
static struct {
	unsigned int preserve, unpreserve, freeze, unfreeze, finish;
	unsigned int finish_retrieved;
} luo_test_calls;

static const struct file_operations luo_test_fops = {
	.owner = THIS_MODULE,
};

static bool luo_test_can_preserve(struct liveupdate_file_handler *handler,
				  struct file *file)
{
	return file->f_op == &luo_test_fops;
}

static int luo_test_preserve(struct liveupdate_file_op_args *args)
{
	luo_test_calls.preserve++;
	return 0;
}

static void luo_test_unpreserve(struct liveupdate_file_op_args *args)
{
	luo_test_calls.unpreserve++;
}

/* The token is known only to LUO: the file's private_data carries it. */
static int luo_test_freeze(struct liveupdate_file_op_args *args)
{
	u64 token = (unsigned long)args->file->private_data;

	if (token == LUO_TEST_FAIL_TOKEN)
		return -EIO;
	luo_test_calls.freeze++;
	args->serialized_data = LUO_TEST_DATA(token);
	return 0;
}

static void luo_test_unfreeze(struct liveupdate_file_op_args *args)
{
	luo_test_calls.unfreeze++;
}

static int luo_test_retrieve(struct liveupdate_file_op_args *args)
{
	return -EOPNOTSUPP;
}

static void luo_test_finish(struct liveupdate_file_op_args *args)
{
	luo_test_calls.finish++;
	luo_test_calls.finish_retrieved += args->retrieved;
}

static const struct liveupdate_file_ops luo_test_ops = {
	.can_preserve = luo_test_can_preserve,
	.preserve = luo_test_preserve,
	.unpreserve = luo_test_unpreserve,
	.freeze = luo_test_freeze,
	.unfreeze = luo_test_unfreeze,
	.retrieve = luo_test_retrieve,
	.finish = luo_test_finish,
	.owner = THIS_MODULE,
};

static struct liveupdate_file_handler luo_test_handler = {
	.ops = &luo_test_ops,
	.compatible = LUO_TEST_COMPAT,
};

static void luo_test_unregister(void *arg)
{
	WARN_ON(liveupdate_unregister_file_handler(&luo_test_handler));
}

/* LUO on, the test handler registered until the test ends. */
static void luo_test_need_luo(struct kunit *test)
{
	if (!liveupdate_enabled())
		kunit_skip(test, "LUO is off (boot with liveupdate=on kho=on)");
	memset(&luo_test_calls, 0, sizeof(luo_test_calls));
	KUNIT_ASSERT_EQ(test, liveupdate_register_file_handler(&luo_test_handler), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_unregister,
							NULL), 0);
}

static void luo_test_fput(void *file)
{
	fput(file);
}

/* A file only the test handler can preserve, carrying @token. */
static struct file *luo_test_file(struct kunit *test, u64 token)
{
	struct file *file;

	file = anon_inode_getfile("[luo_kunit]", &luo_test_fops,
				  (void *)(unsigned long)token, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_fput,
							file), 0);
	return file;
}

static void luo_test_free_out(void *s)
{
	guard(mutex)(&luo_lock);
	luo_session_free_out(s);
}

/* An outgoing session with a file of each of @tokens. */
static struct luo_session *luo_test_session(struct kunit *test,
					    const char *name,
					    const u64 *tokens, unsigned int n)
{
	struct luo_session *s;
	unsigned int i;
	int err = 0;

	scoped_guard(mutex, &luo_lock) {
		s = luo_session_new(name);
		for (i = 0; !IS_ERR(s) && i < n && !err; i++)
			err = luo_session_add_file(s, luo_test_file(test, tokens[i]),
						   tokens[i]);
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(s), "session %s: %d", name,
			       PTR_ERR_OR_ZERO(s));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_free_out,
							s), 0);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "session %s: file %u", name, i - 1);
	return s;
}

static const u64 luo_test_tokens_a[] = { 7, 9 };
static const u64 luo_test_tokens_c[] = { 1 };

/* Three sessions: "alpha" with files 7 and 9, "beta" empty, "gamma" 1. */
static void luo_test_sessions(struct kunit *test)
{
	luo_test_session(test, "alpha", luo_test_tokens_a, 2);
	luo_test_session(test, "beta", NULL, 0);
	luo_test_session(test, "gamma", luo_test_tokens_c, 1);
}

static void luo_test_unserialize(void *arg)
{
	guard(mutex)(&luo_lock);
	luo_session_unserialize();
}

/* Serialize every outgoing session; undone when the test ends. */
static u64 luo_test_serialize(struct kunit *test)
{
	u64 phys = 0;
	int err;

	scoped_guard(mutex, &luo_lock)
		err = luo_session_serialize(&phys);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_unserialize,
							NULL), 0);
	return phys;
}

static void luo_test_expect_file(struct kunit *test,
				 const struct luo_file_ser *f, u64 token)
{
	KUNIT_EXPECT_STREQ(test, f->compatible, LUO_TEST_COMPAT);
	KUNIT_EXPECT_EQ(test, f->token, token);
	KUNIT_EXPECT_EQ(test, f->data, LUO_TEST_DATA(token));
}

/* What luo_session_serialize() writes is the format of the ABI header. */
static void luo_session_serialize_layout(struct kunit *test)
{
	const struct luo_session_header_ser *hdr;
	const struct luo_session_ser *arr;
	const struct luo_file_ser *files;
	u64 phys;

	kho_test_need_kho(test);
	luo_test_need_luo(test);
	luo_test_sessions(test);
	phys = luo_test_serialize(test);

	KUNIT_EXPECT_EQ(test, luo_test_calls.freeze, 3);
	KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(phys, 0));
	hdr = phys_to_virt(phys);
	KUNIT_ASSERT_EQ(test, hdr->count, 3);
	arr = (const struct luo_session_ser *)(hdr + 1);

	KUNIT_EXPECT_STREQ(test, arr[0].name, "alpha");
	KUNIT_ASSERT_EQ(test, arr[0].file_set_ser.count, 2);
	KUNIT_ASSERT_NE(test, arr[0].file_set_ser.files, 0);
	KUNIT_EXPECT_TRUE(test, kho_mem_is_preserved(arr[0].file_set_ser.files, 0));
	files = phys_to_virt(arr[0].file_set_ser.files);
	luo_test_expect_file(test, &files[0], 7);
	luo_test_expect_file(test, &files[1], 9);

	/* A session without files has no list. */
	KUNIT_EXPECT_STREQ(test, arr[1].name, "beta");
	KUNIT_EXPECT_EQ(test, arr[1].file_set_ser.count, 0);
	KUNIT_EXPECT_EQ(test, arr[1].file_set_ser.files, 0);

	KUNIT_EXPECT_STREQ(test, arr[2].name, "gamma");
	KUNIT_ASSERT_EQ(test, arr[2].file_set_ser.count, 1);
	files = phys_to_virt(arr[2].file_set_ser.files);
	luo_test_expect_file(test, &files[0], 1);
}

/* An aborted kexec: every file unfrozen, every block given back. */
static void luo_session_unserialize_all(struct kunit *test)
{
	const struct luo_session_header_ser *hdr;
	const struct luo_session_ser *arr;
	u64 phys, lists[2];

	kho_test_need_kho(test);
	luo_test_need_luo(test);
	luo_test_sessions(test);
	scoped_guard(mutex, &luo_lock)
		KUNIT_ASSERT_EQ(test, luo_session_serialize(&phys), 0);
	hdr = phys_to_virt(phys);
	arr = (const struct luo_session_ser *)(hdr + 1);
	lists[0] = arr[0].file_set_ser.files;
	lists[1] = arr[2].file_set_ser.files;

	scoped_guard(mutex, &luo_lock)
		luo_session_unserialize();
	KUNIT_EXPECT_EQ(test, luo_test_calls.unfreeze, 3);
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(phys, 0));
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(lists[0], 0));
	KUNIT_EXPECT_FALSE(test, kho_mem_is_preserved(lists[1], 0));
	/* Nothing was unpreserved: the files stay in their sessions. */
	KUNIT_EXPECT_EQ(test, luo_test_calls.unpreserve, 0);
}

/*
 * A file whose freeze fails aborts the kexec: the files frozen before it
 * are unfrozen, no session keeps a list, and every session keeps its files.
 */
static void luo_session_serialize_freeze_fails(struct kunit *test)
{
	static const u64 bad[] = { 3, LUO_TEST_FAIL_TOKEN, 4 };
	struct luo_session *a, *b;
	u64 phys = 0;
	int err;

	kho_test_need_kho(test);
	luo_test_need_luo(test);
	a = luo_test_session(test, "first", luo_test_tokens_a, 2);
	b = luo_test_session(test, "second", bad, 3);

	scoped_guard(mutex, &luo_lock)
		err = luo_session_serialize(&phys);
	KUNIT_EXPECT_EQ(test, err, -EIO);
	KUNIT_EXPECT_EQ(test, phys, 0);
	/* 7 and 9, then 3: each frozen once and unfrozen once. */
	KUNIT_EXPECT_EQ(test, luo_test_calls.freeze, 3);
	KUNIT_EXPECT_EQ(test, luo_test_calls.unfreeze, 3);
	KUNIT_EXPECT_NULL(test, a->ser);
	KUNIT_EXPECT_NULL(test, b->ser);
	KUNIT_EXPECT_EQ(test, a->nr_files, 2);
	KUNIT_EXPECT_EQ(test, b->nr_files, 3);
	KUNIT_EXPECT_EQ(test, luo_test_calls.unpreserve, 0);
}

/* The errnos of sessions and files, and what each leaves. */
static void luo_session_misuse(struct kunit *test)
{
	struct file *file, *other;
	struct luo_session *a, *b, *s;

	luo_test_need_luo(test);
	a = luo_test_session(test, "same", luo_test_tokens_c, 1);
	b = luo_test_session(test, "other", NULL, 0);
	file = luo_test_file(test, 2);
	other = anon_inode_getfile("[luo_kunit_other]", &simple_dir_operations,
				   NULL, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_fput,
							other), 0);

	scoped_guard(mutex, &luo_lock) {
		s = luo_session_new("same");
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(s), -EEXIST);
		/* A token is unique in its session... */
		KUNIT_EXPECT_EQ(test, luo_session_add_file(a, file, 1), -EEXIST);
		/* ... but not across sessions; a file is in one place only. */
		KUNIT_EXPECT_EQ(test, luo_session_add_file(b, file, 1), 0);
		KUNIT_EXPECT_EQ(test, luo_session_add_file(a, file, 5), -EBUSY);
		/* No handler can preserve it. */
		KUNIT_EXPECT_EQ(test, luo_session_add_file(a, other, 6), -ENOENT);
	}
	KUNIT_EXPECT_EQ(test, a->nr_files, 1);
	KUNIT_EXPECT_EQ(test, b->nr_files, 1);
	KUNIT_EXPECT_EQ(test, luo_test_calls.preserve, 2);
	/* A preserved file keeps its handler registered. */
	KUNIT_EXPECT_EQ(test, liveupdate_unregister_file_handler(&luo_test_handler),
			-EBUSY);
}

/* Load */

/* The blocks of a handover made by a test, revived. */
struct luo_test_in {
	struct kho_test_revived *hdr, *lists[4];
	unsigned int nr_lists;
	struct list_head sessions;
};

/* Take the test's blocks back from those the load consumed. */
static void luo_test_settle(struct kho_test_revived *r)
{
	if (r && r->revived &&
	    !kho_mem_range_revived(page_to_phys(r->page), PAGE_SIZE)) {
		r->revived = false;
		r->taken = true;
	}
}

static void luo_test_in_release(void *arg)
{
	struct luo_test_in *in = arg;
	struct luo_session *s, *tmp;

	guard(mutex)(&luo_lock);
	list_for_each_entry_safe(s, tmp, &in->sessions, list)
		luo_session_finish_in(s);
}

/* A revived block with @len bytes of @src. */
static struct kho_test_revived *luo_test_block(struct kunit *test,
					       const void *src, size_t len)
{
	struct kho_test_revived *r = kho_test_revive(test, 0);

	memset(page_address(r->page), 0, PAGE_SIZE);
	memcpy(page_address(r->page), src, len);
	return r;
}

static struct luo_test_in *luo_test_in_new(struct kunit *test)
{
	struct luo_test_in *in = kunit_kzalloc(test, sizeof(*in), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, in);
	INIT_LIST_HEAD(&in->sessions);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, luo_test_in_release,
							in), 0);
	return in;
}

/*
 * Copy what luo_session_serialize() wrote at @phys into revived blocks,
 * the lists first, so that the header copy names the list copies.
 */
static struct luo_test_in *luo_test_copy_in(struct kunit *test, u64 phys)
{
	const struct luo_session_header_ser *hdr = phys_to_virt(phys);
	struct luo_test_in *in = luo_test_in_new(test);
	size_t len = sizeof(*hdr) + hdr->count * sizeof(struct luo_session_ser);
	struct luo_session_header_ser *copy;
	struct luo_session_ser *arr;
	struct kho_test_revived *r;
	u64 i;

	KUNIT_ASSERT_LE(test, len, PAGE_SIZE);
	in->hdr = luo_test_block(test, hdr, len);
	copy = page_address(in->hdr->page);
	arr = (struct luo_session_ser *)(copy + 1);
	for (i = 0; i < copy->count; i++) {
		if (!arr[i].file_set_ser.count)
			continue;
		KUNIT_ASSERT_LT(test, in->nr_lists, ARRAY_SIZE(in->lists));
		r = luo_test_block(test, phys_to_virt(arr[i].file_set_ser.files),
				   arr[i].file_set_ser.count *
				   sizeof(struct luo_file_ser));
		in->lists[in->nr_lists++] = r;
		arr[i].file_set_ser.files = page_to_phys(r->page);
	}
	return in;
}

static int luo_test_load(struct luo_test_in *in)
{
	unsigned int i;
	int err;

	scoped_guard(mutex, &luo_lock)
		err = luo_session_load(page_to_phys(in->hdr->page), &in->sessions);
	luo_test_settle(in->hdr);
	for (i = 0; i < in->nr_lists; i++)
		luo_test_settle(in->lists[i]);
	return err;
}

/*
 * What was loaded, as "name:token,token name:": the sessions in order,
 * each file with its compatible and data checked.
 */
static char *luo_test_loaded(struct kunit *test, struct luo_test_in *in)
{
	char *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	struct luo_session *s;
	struct luo_file *lf;
	size_t n = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	list_for_each_entry(s, &in->sessions, list) {
		KUNIT_EXPECT_TRUE(test, s->incoming);
		n += scnprintf(buf + n, 256 - n, "%s%s:", n ? " " : "", s->name);
		list_for_each_entry(lf, &s->files, list) {
			KUNIT_EXPECT_TRUE(test, lf->incoming);
			KUNIT_EXPECT_STREQ(test, lf->compatible, LUO_TEST_COMPAT);
			KUNIT_EXPECT_EQ(test, lf->serialized_data,
					LUO_TEST_DATA(lf->token));
			n += scnprintf(buf + n, 256 - n, "%s%llu",
				       list_is_first(&lf->list, &s->files) ? "" : ",",
				       lf->token);
		}
	}
	return buf;
}

/*
 * What luo_session_serialize() writes, luo_session_load() takes in as it
 * was; finishing the sessions calls finish once per file, none retrieved.
 */
static void luo_session_round_trip(struct kunit *test)
{
	struct luo_test_in *in;
	struct luo_session *s, *tmp;

	kho_test_need_kho(test);
	luo_test_need_luo(test);
	luo_test_sessions(test);
	in = luo_test_copy_in(test, luo_test_serialize(test));

	KUNIT_ASSERT_EQ(test, luo_test_load(in), 0);
	KUNIT_EXPECT_STREQ(test, luo_test_loaded(test, in),
			   "alpha:7,9 beta: gamma:1");
	/* Every block was taken in, and handed back. */
	KUNIT_EXPECT_TRUE(test, in->hdr->taken);
	KUNIT_EXPECT_TRUE(test, in->lists[0]->taken && in->lists[1]->taken);

	scoped_guard(mutex, &luo_lock) {
		list_for_each_entry_safe(s, tmp, &in->sessions, list)
			luo_session_finish_in(s);
	}
	KUNIT_EXPECT_EQ(test, luo_test_calls.finish, 3);
	KUNIT_EXPECT_EQ(test, luo_test_calls.finish_retrieved, 0);
}

/* One way to damage the handover of luo_session_round_trip(). */
struct luo_test_damage {
	const char *what;
	void (*damage)(struct luo_test_in *in);
	int err;
	const char *loaded;	/* what luo_test_loaded() gives after */
};

static struct luo_session_ser *luo_test_entry(struct luo_test_in *in,
					      unsigned int i)
{
	struct luo_session_header_ser *hdr = page_address(in->hdr->page);

	return (struct luo_session_ser *)(hdr + 1) + i;
}

static struct luo_file_ser *luo_test_in_file(struct luo_test_in *in,
					     unsigned int list, unsigned int i)
{
	return (struct luo_file_ser *)page_address(in->lists[list]->page) + i;
}

static void luo_test_count_big(struct luo_test_in *in)
{
	struct luo_session_header_ser *hdr = page_address(in->hdr->page);

	hdr->count = (PAGE_SIZE - sizeof(*hdr)) / sizeof(struct luo_session_ser) + 1;
}

static void luo_test_count_huge(struct luo_test_in *in)
{
	struct luo_session_header_ser *hdr = page_address(in->hdr->page);

	hdr->count = U64_MAX;
}

static void luo_test_name_empty(struct luo_test_in *in)
{
	luo_test_entry(in, 0)->name[0] = '\0';
}

static void luo_test_name_unterminated(struct luo_test_in *in)
{
	memset(luo_test_entry(in, 1)->name, 'x', LUO_SESSION_NAME_LENGTH);
}

static void luo_test_name_twice(struct luo_test_in *in)
{
	strscpy(luo_test_entry(in, 2)->name, "alpha", LUO_SESSION_NAME_LENGTH);
}

static void luo_test_list_unpreserved(struct luo_test_in *in)
{
	/* The header's own block was preserved, but is no file list. */
	luo_test_entry(in, 0)->file_set_ser.files = page_to_phys(in->hdr->page) + 64;
}

static void luo_test_list_nowhere(struct luo_test_in *in)
{
	luo_test_entry(in, 2)->file_set_ser.files = BIT_ULL(50);
}

static void luo_test_list_count_big(struct luo_test_in *in)
{
	luo_test_entry(in, 0)->file_set_ser.count =
		PAGE_SIZE / sizeof(struct luo_file_ser) + 1;
}

static void luo_test_list_shared(struct luo_test_in *in)
{
	/* gamma names alpha's list: whoever comes second finds it taken. */
	luo_test_entry(in, 2)->file_set_ser.files =
		luo_test_entry(in, 0)->file_set_ser.files;
}

static void luo_test_compat_empty(struct luo_test_in *in)
{
	luo_test_in_file(in, 0, 0)->compatible[0] = '\0';
}

static void luo_test_compat_unterminated(struct luo_test_in *in)
{
	memset(luo_test_in_file(in, 0, 1)->compatible, 'c',
	       LUO_FILE_COMPAT_LENGTH);
}

static void luo_test_token_twice(struct luo_test_in *in)
{
	luo_test_in_file(in, 0, 1)->token = 7;
}

static const struct luo_test_damage luo_test_damages[] = {
	{ "count past the block", luo_test_count_big, -EINVAL, "" },
	{ "count of U64_MAX", luo_test_count_huge, -EINVAL, "" },
	{ "empty name", luo_test_name_empty, 0, "beta: gamma:1" },
	{ "name not terminated", luo_test_name_unterminated, 0, "alpha:7,9 gamma:1" },
	{ "name twice", luo_test_name_twice, 0, "alpha:7,9 beta:" },
	{ "list in another block", luo_test_list_unpreserved, 0, "alpha: beta: gamma:1" },
	{ "list outside memory", luo_test_list_nowhere, 0, "alpha:7,9 beta: gamma:" },
	{ "list count past its block", luo_test_list_count_big, 0, "alpha: beta: gamma:1" },
	{ "list of two sessions", luo_test_list_shared, 0, "alpha:7,9 beta: gamma:" },
	{ "empty compatible", luo_test_compat_empty, 0, "alpha:9 beta: gamma:1" },
	{ "compatible not terminated", luo_test_compat_unterminated, 0, "alpha:7 beta: gamma:1" },
	{ "token twice", luo_test_token_twice, 0, "alpha:7 beta: gamma:1" },
};

static void luo_test_damage_desc(const struct luo_test_damage *d, char *desc)
{
	strscpy(desc, d->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(luo_test_damage, luo_test_damages, luo_test_damage_desc);

/*
 * Each damaged structure costs its owner only; what is not lost comes in
 * intact, and the load never fails but for a bad header.
 */
static void luo_session_load_damaged(struct kunit *test)
{
	const struct luo_test_damage *d = test->param_value;
	struct luo_test_in *in;

	kho_test_need_kho(test);
	luo_test_need_luo(test);
	luo_test_sessions(test);
	in = luo_test_copy_in(test, luo_test_serialize(test));
	KUNIT_ASSERT_EQ(test, in->nr_lists, 2);

	d->damage(in);
	KUNIT_EXPECT_EQ(test, luo_test_load(in), d->err);
	KUNIT_EXPECT_STREQ(test, luo_test_loaded(test, in), d->loaded);
	/* The header is read once and given back, whatever it holds. */
	KUNIT_EXPECT_TRUE(test, in->hdr->taken);
}

/* A header that is not preserved memory: nothing is read. */
static void luo_session_load_unpreserved(struct kunit *test)
{
	struct luo_test_in *in;
	struct page *page;
	int err;

	luo_test_need_luo(test);
	in = luo_test_in_new(test);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	*(u64 *)page_address(page) = 1;
	scoped_guard(mutex, &luo_lock)
		err = luo_session_load(page_to_phys(page), &in->sessions);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(&in->sessions));
}

static struct kunit_case luo_session_cases[] = {
	KUNIT_CASE(luo_session_serialize_layout),
	KUNIT_CASE(luo_session_unserialize_all),
	KUNIT_CASE(luo_session_serialize_freeze_fails),
	KUNIT_CASE(luo_session_misuse),
	KUNIT_CASE(luo_session_round_trip),
	KUNIT_CASE_PARAM(luo_session_load_damaged, luo_test_damage_gen_params),
	KUNIT_CASE(luo_session_load_unpreserved),
	{}
};

static struct kunit_suite luo_session_suite = {
	.name = "luo_session",
	.test_cases = luo_session_cases,
};

kunit_test_suite(luo_session_suite);

MODULE_DESCRIPTION("KUnit tests of LUO sessions and their handover");
MODULE_LICENSE("GPL");
