// SPDX-License-Identifier: GPL-2.0-only
/*
 * LUO sessions: named groups of preserved files, each held by a session
 * fd, an anonymous inode file.
 *
 * An outgoing session is made with CREATE_SESSION and takes files with
 * PRESERVE_FD; closing its fd before the kexec unpreserves them and frees
 * its name. On the kexec reboot path every outgoing session is written
 * into the handover (luo_session_serialize()).
 *
 * An incoming session comes from the previous kernel and waits, by name,
 * until RETRIEVE_SESSION hands out an fd for it; RETRIEVE_FD then makes
 * each file again, once, and FINISH releases what was not retrieved and
 * frees the name. Closing the fd of an incoming session that was not
 * finished puts it back to wait. An incoming session that is not finished
 * when the next kexec happens is not handed on: it is reported and
 * dropped.
 */

#define pr_fmt(fmt) "LUO: " fmt

#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/liveupdate.h>

#include "luo_internal.h"

static LIST_HEAD(luo_out_sessions);
static LIST_HEAD(luo_in_sessions);
/* While handed over: the block of the session header and array. */
static struct luo_session_header_ser *luo_ser_header;

bool luo_frozen;

static struct luo_session *luo_session_find(struct list_head *head,
					    const char *name)
{
	struct luo_session *s;

	list_for_each_entry(s, head, list) {
		if (!strcmp(s->name, name))
			return s;
	}
	return NULL;
}

static struct luo_file *luo_session_file(struct luo_session *s, u64 token)
{
	struct luo_file *lf;

	list_for_each_entry(lf, &s->files, list) {
		if (lf->token == token)
			return lf;
	}
	return NULL;
}

/**
 * luo_ucopy - copy in the argument of a LUO ioctl
 * @karg:  the kernel's struct
 * @ksize: its size
 * @minsz: the smallest size userspace may pass: up to its last field used
 * @uarg:  userspace's struct, whose first member is its size (u32)
 * @usize: set to userspace's size
 *
 * A smaller struct is extended with zeros; a larger one is accepted when
 * every byte the kernel does not know is zero.
 *
 * Return: 0; -EFAULT; -EINVAL when the size is below @minsz; -E2BIG for a
 * non-zero byte past @ksize.
 */
int luo_ucopy(void *karg, size_t ksize, size_t minsz, void __user *uarg,
	      u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < minsz)
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

/* Copy back what userspace's struct has room for. */
int luo_ucopy_out(void __user *uarg, u32 usize, const void *karg, size_t ksize)
{
	return copy_to_user(uarg, karg, min_t(size_t, usize, ksize)) ?
		-EFAULT : 0;
}

static const struct file_operations luo_session_fops;

/* An fd for @s: the fd, or an errno. */
static int luo_session_fd(struct luo_session *s)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("[liveupdate_session]", &luo_session_fops,
				  s, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * luo_session_new - a new outgoing session, without an fd
 * @name: its name, checked by the caller
 *
 * luo_lock held. The session is on the list of outgoing sessions, with no
 * file.
 *
 * Return: the session; -EEXIST when the name is taken by an outgoing
 * session or by an incoming one not finished; -EBUSY once handed over for
 * a kexec; -ENOMEM.
 */
VISIBLE_IF_KUNIT struct luo_session *luo_session_new(const char *name)
{
	struct luo_session *s;

	lockdep_assert_held(&luo_lock);
	if (luo_frozen)
		return ERR_PTR(-EBUSY);
	if (luo_session_find(&luo_out_sessions, name) ||
	    luo_session_find(&luo_in_sessions, name))
		return ERR_PTR(-EEXIST);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	strscpy(s->name, name, sizeof(s->name));
	INIT_LIST_HEAD(&s->files);
	list_add_tail(&s->list, &luo_out_sessions);
	return s;
}

/**
 * luo_session_free_out - unpreserve the files of an outgoing session, free it
 * @s: the session
 *
 * luo_lock held.
 */
VISIBLE_IF_KUNIT void luo_session_free_out(struct luo_session *s)
{
	struct luo_file *lf, *tmp;

	lockdep_assert_held(&luo_lock);
	list_for_each_entry_safe(lf, tmp, &s->files, list) {
		list_del(&lf->list);
		luo_file_unpreserve(lf);
	}
	list_del(&s->list);
	kfree(s);
}

/*
 * CREATE_SESSION: a new outgoing session named @name (checked by the
 * caller). Return: its fd; what luo_session_new() returns; -EMFILE.
 */
int luo_session_create(const char *name)
{
	struct luo_session *s;
	int fd;

	guard(mutex)(&luo_lock);
	s = luo_session_new(name);
	if (IS_ERR(s))
		return PTR_ERR(s);
	fd = luo_session_fd(s);
	if (fd < 0)
		luo_session_free_out(s);
	return fd;
}

/*
 * RETRIEVE_SESSION: an fd for the incoming session @name. Return: the
 * fd; -ENOENT when there is no such session waiting; -EBUSY when an fd is
 * open on it already.
 */
int luo_session_retrieve(const char *name)
{
	struct luo_session *s;
	int fd;

	guard(mutex)(&luo_lock);
	s = luo_session_find(&luo_in_sessions, name);
	if (!s)
		return -ENOENT;
	if (s->held)
		return -EBUSY;
	fd = luo_session_fd(s);
	if (fd >= 0)
		s->held = true;
	return fd;
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *s = file->private_data;

	guard(mutex)(&luo_lock);
	if (s->incoming) {
		if (s->finished)
			kfree(s);
		else
			s->held = false;	/* waits again */
		return 0;
	}
	/*
	 * Past the point where the sessions were handed over, what the next
	 * kernel gets must not change: the session stays (it leaks if the
	 * kexec is aborted after all, which luo_session_unserialize()
	 * reports).
	 */
	if (!luo_frozen)
		luo_session_free_out(s);
	return 0;
}

/**
 * luo_session_add_file - preserve a file in an outgoing session
 * @s:     the session
 * @file:  the file (the session takes a reference of its own)
 * @token: the token userspace gives it
 *
 * luo_lock held.
 *
 * Return: 0; -EBUSY once handed over for a kexec; -EEXIST when @token is
 * taken in @s; what luo_file_preserve() returns.
 */
VISIBLE_IF_KUNIT int luo_session_add_file(struct luo_session *s,
					  struct file *file, u64 token)
{
	struct luo_file *lf;
	int err;

	lockdep_assert_held(&luo_lock);
	if (luo_frozen)
		return -EBUSY;
	if (luo_session_file(s, token))
		return -EEXIST;
	err = luo_file_preserve(file, token, &lf);
	if (err)
		return err;
	list_add_tail(&lf->list, &s->files);
	s->nr_files++;
	return 0;
}

static long luo_session_preserve_fd(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_preserve_fd arg;
	struct file *file;
	u32 usize;
	int err;

	err = luo_ucopy(&arg, sizeof(arg), offsetofend(typeof(arg), token),
			uarg, &usize);
	if (err)
		return err;
	if (s->incoming)
		return -EINVAL;
	file = fget(arg.fd);
	if (!file)
		return -EBADF;

	mutex_lock(&luo_lock);
	err = luo_session_add_file(s, file, arg.token);
	mutex_unlock(&luo_lock);
	fput(file);
	return err;
}

static long luo_session_retrieve_fd(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_retrieve_fd arg;
	struct luo_file *lf;
	struct file *file;
	u32 usize;
	int err, fd;

	err = luo_ucopy(&arg, sizeof(arg), offsetofend(typeof(arg), token),
			uarg, &usize);
	if (err)
		return err;
	if (!s->incoming)
		return -ENOENT;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	mutex_lock(&luo_lock);
	lf = s->finished ? NULL : luo_session_file(s, arg.token);
	err = lf ? luo_file_retrieve(lf, &file) : -ENOENT;
	mutex_unlock(&luo_lock);
	if (err) {
		put_unused_fd(fd);
		return err;
	}
	/*
	 * The file is userspace's from here: install it even if the copy
	 * out fails, rather than lose what it holds.
	 */
	fd_install(fd, file);
	arg.fd = fd;
	return luo_ucopy_out(uarg, usize, &arg, sizeof(arg));
}

/**
 * luo_session_finish_in - release an incoming session and its files
 * @s: the session, on a list of incoming sessions
 *
 * The handler of every file releases what it holds of it (what was not
 * retrieved goes back to the system); @s leaves its list, and is freed
 * unless a session fd holds it. luo_lock held.
 */
VISIBLE_IF_KUNIT void luo_session_finish_in(struct luo_session *s)
{
	struct luo_file *lf, *tmp;

	lockdep_assert_held(&luo_lock);
	list_for_each_entry_safe(lf, tmp, &s->files, list) {
		list_del(&lf->list);
		luo_file_finish(lf);
	}
	s->nr_files = 0;
	s->finished = true;
	list_del(&s->list);
	if (!s->held)
		kfree(s);
}

static long luo_session_finish(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_finish arg;
	u32 usize;
	int err;

	err = luo_ucopy(&arg, sizeof(arg), offsetofend(typeof(arg), reserved),
			uarg, &usize);
	if (err)
		return err;
	if (arg.reserved || !s->incoming)
		return -EINVAL;

	guard(mutex)(&luo_lock);
	if (s->finished)
		return -EINVAL;
	luo_session_finish_in(s);
	return 0;
}

static long luo_session_get_name(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_get_name arg;
	u32 usize;
	int err;

	err = luo_ucopy(&arg, sizeof(arg), offsetofend(typeof(arg), name),
			uarg, &usize);
	if (err)
		return err;
	if (arg.reserved)
		return -EINVAL;
	memcpy(arg.name, s->name, sizeof(arg.name));
	return luo_ucopy_out(uarg, usize, &arg, sizeof(arg));
}

static long luo_session_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct luo_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case LIVEUPDATE_SESSION_PRESERVE_FD:
		return luo_session_preserve_fd(s, uarg);
	case LIVEUPDATE_SESSION_RETRIEVE_FD:
		return luo_session_retrieve_fd(s, uarg);
	case LIVEUPDATE_SESSION_FINISH:
		return luo_session_finish(s, uarg);
	case LIVEUPDATE_SESSION_GET_NAME:
		return luo_session_get_name(s, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations luo_session_fops = {
	.owner = THIS_MODULE,
	.release = luo_session_release,
	.unlocked_ioctl = luo_session_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static void luo_session_unfreeze(struct luo_session *s)
{
	struct luo_file *lf;

	list_for_each_entry(lf, &s->files, list)
		luo_file_unfreeze(lf);
	kho_unpreserve_free(s->ser);
	s->ser = NULL;
}

/*
 * Undo luo_session_serialize(): the kexec was aborted after it, or it
 * failed halfway. luo_lock held.
 */
void luo_session_unserialize(void)
{
	struct luo_session *s;

	list_for_each_entry(s, &luo_out_sessions, list)
		luo_session_unfreeze(s);
	kho_unpreserve_free(luo_ser_header);
	luo_ser_header = NULL;
}

/* Freeze the files of @s and write them into a preserved block. */
static int luo_session_freeze(struct luo_session *s)
{
	struct luo_file *lf;
	unsigned long i = 0;
	int err;

	list_for_each_entry(lf, &s->files, list) {
		err = luo_file_freeze(lf);
		if (err) {
			pr_err("session '%s': file %llu cannot be handed over (%d)\n",
			       s->name, lf->token, err);
			return err;
		}
	}
	if (!s->nr_files)
		return 0;
	s->ser = kho_alloc_preserve(s->nr_files * sizeof(*s->ser));
	if (IS_ERR(s->ser)) {
		err = PTR_ERR(s->ser);
		s->ser = NULL;
		pr_err("session '%s': no memory for its %lu files (%d)\n",
		       s->name, s->nr_files, err);
		return err;
	}
	list_for_each_entry(lf, &s->files, list) {
		strscpy(s->ser[i].compatible, lf->fh->compatible,
			sizeof(s->ser[i].compatible));
		s->ser[i].data = lf->serialized_data;
		s->ser[i].token = lf->token;
		i++;
	}
	return 0;
}

/*
 * On the kexec reboot path: hand every outgoing session over. Incoming
 * sessions that were not finished are dropped, and said so. On failure
 * everything is as it was. luo_lock held.
 *
 * Return: 0 and the physical address of the session header; or an errno.
 */
int luo_session_serialize(u64 *header_phys)
{
	struct luo_session_ser *arr;
	struct luo_session *s;
	unsigned long n = 0;
	int err;

	lockdep_assert_held(&luo_lock);
	list_for_each_entry(s, &luo_in_sessions, list) {
		pr_warn("session '%s' of the previous kernel was %s: dropped at this kexec, %lu files with it\n",
			s->name, s->held ? "retrieved but not finished" :
			"never retrieved", s->nr_files);
	}
	list_for_each_entry(s, &luo_out_sessions, list) {
		err = luo_session_freeze(s);
		if (err)
			goto fail;
		n++;
	}
	luo_ser_header = kho_alloc_preserve(sizeof(*luo_ser_header) +
					    n * sizeof(*arr));
	if (IS_ERR(luo_ser_header)) {
		err = PTR_ERR(luo_ser_header);
		luo_ser_header = NULL;
		pr_err("no memory for the header of %lu sessions (%d)\n", n, err);
		goto fail;
	}
	luo_ser_header->count = n;
	arr = (struct luo_session_ser *)(luo_ser_header + 1);
	list_for_each_entry(s, &luo_out_sessions, list) {
		strscpy(arr->name, s->name, sizeof(arr->name));
		arr->file_set_ser.files = s->ser ? virt_to_phys(s->ser) : 0;
		arr->file_set_ser.count = s->nr_files;
		arr++;
	}
	*header_phys = virt_to_phys(luo_ser_header);
	return 0;

fail:
	luo_session_unserialize();
	return err;
}

/* Is @name a name a session may have: not empty, NUL-terminated? */
static bool luo_session_name_ok(const char *name)
{
	size_t len = strnlen(name, LUO_SESSION_NAME_LENGTH);

	return len && len < LUO_SESSION_NAME_LENGTH;
}

/*
 * Take in the files of one incoming session from its entry @ser. A bad
 * file entry costs that file only: its memory stays reserved, reported by
 * KHO as unclaimed.
 */
static void luo_session_in_files(struct luo_session *s,
				 const struct luo_session_ser *ser)
{
	u64 count = ser->file_set_ser.count, i;
	const struct luo_file_ser *files;
	struct luo_file *lf;
	struct folio *folio;

	if (!count)
		return;
	folio = kho_restore_folio(ser->file_set_ser.files);
	if (!folio) {
		pr_warn("session '%s': its file list at %#llx is not preserved memory: its %llu files are lost\n",
			s->name, ser->file_set_ser.files, count);
		return;
	}
	if (count > folio_size(folio) / sizeof(*files)) {
		pr_warn("session '%s': %llu files do not fit their list of %zu bytes: its files are lost\n",
			s->name, count, folio_size(folio));
		goto out;
	}
	files = folio_address(folio);
	for (i = 0; i < count; i++) {
		if (!luo_compatible_ok(files[i].compatible)) {
			pr_warn("session '%s': file %llu has a bad type: lost\n",
				s->name, i);
			continue;
		}
		if (luo_session_file(s, files[i].token)) {
			pr_warn("session '%s': token %llu appears twice: the second file is lost\n",
				s->name, files[i].token);
			continue;
		}
		lf = luo_file_incoming(&files[i]);
		if (!lf) {
			pr_warn("session '%s': no memory for file %llu: lost\n",
				s->name, files[i].token);
			continue;
		}
		list_add_tail(&lf->list, &s->files);
		s->nr_files++;
	}
out:
	folio_put(folio);
}

/**
 * luo_session_load - take in the sessions of a handover
 * @header_phys: physical address of their header, from the LUO FDT
 * @sessions:    the list to add them to, as incoming sessions
 *
 * Every structure is checked before use. A bad header costs every
 * session; a bad session entry costs that session; a bad file entry that
 * file. What is lost stays reserved (KHO reports it as unclaimed). luo_lock
 * held.
 *
 * Return: 0, or -EINVAL when the header is bad.
 */
VISIBLE_IF_KUNIT int luo_session_load(u64 header_phys,
				      struct list_head *sessions)
{
	const struct luo_session_header_ser *hdr;
	const struct luo_session_ser *arr;
	struct luo_session *s;
	struct folio *folio;
	u64 i, count;

	lockdep_assert_held(&luo_lock);
	folio = kho_restore_folio(header_phys);
	if (!folio) {
		pr_warn("the session header at %#llx is not preserved memory: no session restored\n",
			header_phys);
		return -EINVAL;
	}
	hdr = folio_address(folio);
	count = hdr->count;
	if (count > (folio_size(folio) - sizeof(*hdr)) / sizeof(*arr)) {
		pr_warn("%llu sessions do not fit their header of %zu bytes: no session restored\n",
			count, folio_size(folio));
		folio_put(folio);
		return -EINVAL;
	}
	arr = (const struct luo_session_ser *)(hdr + 1);

	for (i = 0; i < count; i++) {
		if (!luo_session_name_ok(arr[i].name)) {
			pr_warn("session %llu has a bad name: it is lost\n", i);
			continue;
		}
		if (luo_session_find(sessions, arr[i].name)) {
			pr_warn("session '%s' appears twice: the second is lost\n",
				arr[i].name);
			continue;
		}
		/* Short of memory (the allocator says so): the session is lost. */
		s = kzalloc(sizeof(*s), GFP_KERNEL);
		if (!s)
			continue;
		strscpy(s->name, arr[i].name, sizeof(s->name));
		INIT_LIST_HEAD(&s->files);
		s->incoming = true;
		luo_session_in_files(s, &arr[i]);
		list_add_tail(&s->list, sessions);
	}
	folio_put(folio);
	return 0;
}

/**
 * luo_session_deserialize - take in the sessions of the previous kernel
 * @header_phys: physical address of their header, from the LUO FDT
 *
 * See luo_session_load().
 *
 * Return: 0, or -EINVAL when the header is bad.
 */
int __init luo_session_deserialize(u64 header_phys)
{
	guard(mutex)(&luo_lock);
	return luo_session_load(header_phys, &luo_in_sessions);
}

/* How many sessions: outgoing, or incoming waiting or held. */
unsigned long luo_session_count(bool incoming)
{
	struct luo_session *s;
	unsigned long n = 0;

	lockdep_assert_held(&luo_lock);
	list_for_each_entry(s, incoming ? &luo_in_sessions : &luo_out_sessions,
			    list)
		n++;
	return n;
}

/* debugfs: one line per session, one per file. */
void luo_session_show(struct seq_file *m, bool incoming)
{
	struct luo_session *s;
	struct luo_file *lf;

	guard(mutex)(&luo_lock);
	list_for_each_entry(s, incoming ? &luo_in_sessions : &luo_out_sessions,
			    list) {
		seq_printf(m, "session %s files %lu%s\n", s->name, s->nr_files,
			   !incoming ? "" : s->held ? " retrieved" : " waiting");
		list_for_each_entry(lf, &s->files, list) {
			seq_printf(m, "  token %llu type %s%s\n", lf->token,
				   lf->fh ? lf->fh->compatible : lf->compatible,
				   !incoming ? "" :
				   lf->retrieved ? " retrieved" : " waiting");
		}
	}
}
