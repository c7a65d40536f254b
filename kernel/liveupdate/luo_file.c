// SPDX-License-Identifier: GPL-2.0-only
/*
 * The switch of LUO (liveupdate=), LUO files and the handlers that
 * preserve them. A kernel subsystem makes
 * its kind of file preservable by registering a file handler; LUO asks
 * each handler in turn whether it can preserve a file userspace hands it,
 * and calls the one that can through the file's life: preserve,
 * unpreserve, freeze at the kexec, and in the next kernel retrieve and
 * finish. Everything here runs under luo_lock.
 */

#define pr_fmt(fmt) "LUO: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

/* Serializes all of LUO (see luo_internal.h). */
DEFINE_MUTEX(luo_lock);
bool luo_param;

static int __init luo_setup(char *arg)
{
	return kstrtobool(arg, &luo_param);
}
early_param("liveupdate", luo_setup);

/**
 * liveupdate_enabled - whether LUO is on
 *
 * Return: true when the command line says liveupdate=on and KHO is on.
 */
bool liveupdate_enabled(void)
{
	return luo_param && kho_is_enabled();
}
EXPORT_SYMBOL_GPL(liveupdate_enabled);

static LIST_HEAD(luo_handlers);
/* Every file of every session, outgoing and incoming. */
static LIST_HEAD(luo_files);

/* Is @compatible a handler's name: not empty, NUL-terminated? */
bool luo_compatible_ok(const char *compatible)
{
	size_t len = strnlen(compatible, LIVEUPDATE_HNDL_COMPAT_LENGTH);

	return len && len < LIVEUPDATE_HNDL_COMPAT_LENGTH;
}

/**
 * liveupdate_register_file_handler - make a kind of file preservable
 * @fh: the handler, with its operations and compatible string; it must
 *      stay valid until it is unregistered
 *
 * Return: 0; -EOPNOTSUPP when LUO is off; -EINVAL when an operation that
 * is not optional is missing or the compatible string is empty or too
 * long; -EEXIST when a handler of the same compatible is registered.
 */
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	const struct liveupdate_file_ops *ops = fh->ops;
	struct liveupdate_file_handler *h;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;
	if (!ops || !ops->can_preserve || !ops->preserve || !ops->unpreserve ||
	    !ops->retrieve || !luo_compatible_ok(fh->compatible))
		return -EINVAL;

	guard(mutex)(&luo_lock);
	list_for_each_entry(h, &luo_handlers, list) {
		if (!strcmp(h->compatible, fh->compatible))
			return -EEXIST;
	}
	list_add_tail(&fh->list, &luo_handlers);
	return 0;
}
EXPORT_SYMBOL_GPL(liveupdate_register_file_handler);

/**
 * liveupdate_unregister_file_handler - undo liveupdate_register_file_handler()
 * @fh: the handler
 *
 * Return: 0; -EOPNOTSUPP when LUO is off; -ENOENT when @fh is not
 * registered; -EBUSY while a file of it is preserved, or waits to be
 * retrieved or finished.
 */
int liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	struct liveupdate_file_handler *h;
	struct luo_file *lf;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;

	guard(mutex)(&luo_lock);
	list_for_each_entry(lf, &luo_files, all) {
		if (lf->fh == fh || (lf->incoming && !lf->fh &&
				     !strcmp(lf->compatible, fh->compatible)))
			return -EBUSY;
	}
	list_for_each_entry(h, &luo_handlers, list) {
		if (h == fh) {
			list_del_init(&fh->list);
			return 0;
		}
	}
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_file_handler);

static void luo_file_args(struct luo_file *lf, struct liveupdate_file_op_args *args)
{
	*args = (struct liveupdate_file_op_args) {
		.handler = lf->fh,
		.file = lf->file,
		.serialized_data = lf->serialized_data,
		.private_data = lf->private_data,
		.retrieved = lf->retrieved,
	};
}

/*
 * Preserve @file under @token with the first handler that can: -ENOENT
 * when none can, -EBUSY when the file is preserved already (in any
 * session), or what the handler's preserve returns.
 */
int luo_file_preserve(struct file *file, u64 token, struct luo_file **out)
{
	struct liveupdate_file_op_args args = { .file = file };
	struct liveupdate_file_handler *fh = NULL, *h;
	struct luo_file *lf;
	int err;

	lockdep_assert_held(&luo_lock);
	list_for_each_entry(lf, &luo_files, all) {
		if (!lf->incoming && lf->file == file)
			return -EBUSY;
	}
	list_for_each_entry(h, &luo_handlers, list) {
		if (h->ops->can_preserve(h, file)) {
			fh = h;
			break;
		}
	}
	if (!fh)
		return -ENOENT;

	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	if (!try_module_get(fh->ops->owner)) {
		kfree(lf);
		return -ENOENT;
	}
	args.handler = fh;
	err = fh->ops->preserve(&args);
	if (err) {
		module_put(fh->ops->owner);
		kfree(lf);
		return err;
	}
	lf->fh = fh;
	lf->file = get_file(file);
	lf->token = token;
	lf->serialized_data = args.serialized_data;
	lf->private_data = args.private_data;
	list_add_tail(&lf->all, &luo_files);
	*out = lf;
	return 0;
}

/* Stop preserving an outgoing file and free @lf (not in a session list). */
void luo_file_unpreserve(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;

	lockdep_assert_held(&luo_lock);
	luo_file_args(lf, &args);
	lf->fh->ops->unpreserve(&args);
	module_put(lf->fh->ops->owner);
	fput(lf->file);
	list_del(&lf->all);
	kfree(lf);
}

/* The kexec is about to happen: let the handler bring @lf up to date. */
int luo_file_freeze(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;
	int err = 0;

	lockdep_assert_held(&luo_lock);
	if (lf->fh->ops->freeze) {
		luo_file_args(lf, &args);
		err = lf->fh->ops->freeze(&args);
		if (err)
			return err;
		lf->serialized_data = args.serialized_data;
		lf->private_data = args.private_data;
	}
	lf->frozen = true;
	return 0;
}

/* The kexec did not happen after all. */
void luo_file_unfreeze(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;

	lockdep_assert_held(&luo_lock);
	if (!lf->frozen)
		return;
	if (lf->fh->ops->unfreeze) {
		luo_file_args(lf, &args);
		lf->fh->ops->unfreeze(&args);
		lf->private_data = args.private_data;
	}
	lf->frozen = false;
}

/*
 * A file the previous kernel handed over, from its entry in the handover,
 * which the caller has checked. NULL when memory is short.
 */
struct luo_file *luo_file_incoming(const struct luo_file_ser *ser)
{
	struct luo_file *lf;

	lockdep_assert_held(&luo_lock);
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return NULL;
	lf->incoming = true;
	lf->token = ser->token;
	lf->serialized_data = ser->data;
	strscpy(lf->compatible, ser->compatible, sizeof(lf->compatible));
	list_add_tail(&lf->all, &luo_files);
	return lf;
}

static struct liveupdate_file_handler *luo_handler_find(const char *compatible)
{
	struct liveupdate_file_handler *fh;

	list_for_each_entry(fh, &luo_handlers, list) {
		if (!strcmp(fh->compatible, compatible))
			return fh;
	}
	return NULL;
}

/*
 * Make the file of an incoming @lf again, once: -ENOENT when it was
 * retrieved already, -EOPNOTSUPP when no handler of its compatible is
 * built in, or what the handler's retrieve returns.
 */
int luo_file_retrieve(struct luo_file *lf, struct file **filep)
{
	struct liveupdate_file_op_args args;
	struct liveupdate_file_handler *fh;
	int err;

	lockdep_assert_held(&luo_lock);
	if (lf->retrieved)
		return -ENOENT;
	fh = lf->fh ?: luo_handler_find(lf->compatible);
	if (!fh) {
		pr_warn_ratelimited("no handler for file %llu of type '%s'\n",
				    lf->token, lf->compatible);
		return -EOPNOTSUPP;
	}
	if (!lf->fh) {
		if (!try_module_get(fh->ops->owner))
			return -EOPNOTSUPP;
		lf->fh = fh;
	}
	luo_file_args(lf, &args);
	args.file = NULL;
	err = fh->ops->retrieve(&args);
	lf->private_data = args.private_data;
	if (err)
		return err;
	lf->retrieved = true;
	*filep = args.file;
	return 0;
}

/*
 * FINISH: the handler releases what it holds of an incoming file. @lf is
 * freed (the caller took it off its session).
 */
void luo_file_finish(struct luo_file *lf)
{
	struct liveupdate_file_op_args args;
	struct liveupdate_file_handler *fh;

	lockdep_assert_held(&luo_lock);
	fh = lf->fh ?: luo_handler_find(lf->compatible);
	if (fh && fh->ops->finish) {
		luo_file_args(lf, &args);
		args.handler = fh;
		args.file = NULL;
		fh->ops->finish(&args);
	} else if (!fh) {
		pr_warn("file %llu of type '%s' has no handler: its memory stays reserved\n",
			lf->token, lf->compatible);
	}
	if (lf->fh)
		module_put(lf->fh->ops->owner);
	list_del(&lf->all);
	kfree(lf);
}
