/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator (LUO): userspace keeps file descriptors across
 * a kexec with handover, grouped in named sessions on /dev/liveupdate.
 * Kernel subsystems make their files preservable with a file handler.
 *
 * See Documentation/core-api/liveupdate.rst.
 */
#ifndef _LINUX_LIVEUPDATE_H
#define _LINUX_LIVEUPDATE_H

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>

struct file;
struct kimage;
struct liveupdate_file_handler;
struct module;

/* Longest compatible string of a file handler, with its NUL. */
#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48

/**
 * struct liveupdate_file_op_args - what a file handler operation works on
 * @handler:         the handler called
 * @file:            the file: given to can_preserve, preserve, unpreserve,
 *                   freeze and unfreeze; set by retrieve
 * @serialized_data: the handler's handle of the file in the handover (the
 *                   physical address of its own preserved data, say): set
 *                   by preserve, possibly updated by freeze; given to
 *                   unpreserve, retrieve and finish in the next kernel
 * @private_data:    the handler's own pointer, kept by LUO from preserve to
 *                   unpreserve (or past the kexec's point of no return)
 * @retrieved:       for finish: whether userspace retrieved the file
 */
struct liveupdate_file_op_args {
	struct liveupdate_file_handler *handler;
	struct file *file;
	u64 serialized_data;
	void *private_data;
	bool retrieved;
};

/**
 * struct liveupdate_file_ops - the operations of a file handler
 * @can_preserve: whether this handler can preserve @file; cheap, no side
 *                effect, called under LUO's lock
 * @preserve:     start preserving @args->file (PRESERVE_FD); set
 *                @args->serialized_data. Return 0 or a negative errno.
 * @unpreserve:   undo @preserve (the session was closed before a kexec)
 * @freeze:       the kexec is about to happen: bring the preserved state up
 *                to date (file size and position, say). Return 0 or a
 *                negative errno, which aborts the kexec: @unfreeze is then
 *                called for the files frozen before.
 * @unfreeze:     undo @freeze (the kexec was aborted); optional
 * @retrieve:     in the next kernel: make a new file from
 *                @args->serialized_data and set @args->file. Called at most
 *                once per preserved file. On failure what is left of the
 *                preserved state must stay valid for @finish.
 * @finish:       in the next kernel, at FINISH: release what the handler
 *                still holds of the preserved state; @args->retrieved says
 *                whether @retrieve succeeded. Optional.
 * @owner:        the module of the handler
 */
struct liveupdate_file_ops {
	bool (*can_preserve)(struct liveupdate_file_handler *handler,
			     struct file *file);
	int (*preserve)(struct liveupdate_file_op_args *args);
	void (*unpreserve)(struct liveupdate_file_op_args *args);
	int (*freeze)(struct liveupdate_file_op_args *args);
	void (*unfreeze)(struct liveupdate_file_op_args *args);
	int (*retrieve)(struct liveupdate_file_op_args *args);
	void (*finish)(struct liveupdate_file_op_args *args);
	struct module *owner;
};

/**
 * struct liveupdate_file_handler - a kind of file LUO can preserve
 * @ops:        its operations
 * @compatible: the name of its format in the handover, e.g. "memfd-v1"
 * @list:       LUO's list of handlers; private
 */
struct liveupdate_file_handler {
	const struct liveupdate_file_ops *ops;
	const char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	struct list_head list;
};

#ifdef CONFIG_LIVEUPDATE

bool liveupdate_enabled(void);
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh);
int liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh);

/* The kexec reboot path (kernel_kexec()), before the handover freezes. */
int liveupdate_reboot(struct kimage *image);
void liveupdate_reboot_abort(void);

#else /* CONFIG_LIVEUPDATE */

static inline bool liveupdate_enabled(void)
{
	return false;
}

static inline int
liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline int
liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline int liveupdate_reboot(struct kimage *image)
{
	return 0;
}

static inline void liveupdate_reboot_abort(void) { }

#endif /* CONFIG_LIVEUPDATE */

#endif /* _LINUX_LIVEUPDATE_H */
