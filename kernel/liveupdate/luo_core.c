// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Live Update Orchestrator: /dev/liveupdate, the LUO subtree of the
 * KHO handover, and the kexec reboot path.
 *
 * With liveupdate=on (and kho=on) the kernel offers /dev/liveupdate, which
 * one process at a time may open, to make and retrieve sessions. When
 * kexec -e reboots into a kernel loaded with kexec_file_load, every open
 * session is written into the handover as the KHO subtree "LUO"; if that
 * fails the kexec is refused and nothing changes. The next kernel checks
 * the subtree before it trusts any of it and keeps the sessions waiting
 * to be retrieved.
 */

#define pr_fmt(fmt) "LUO: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/miscdevice.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <uapi/linux/liveupdate.h>

#include "luo_internal.h"

/* Live updates since the cold boot, as the previous kernel counted. */
static u64 luo_liveupdate_num;
/* While handed over: the LUO FDT. */
static void *luo_fdt_out;
static atomic_t luo_dev_busy = ATOMIC_INIT(0);

static int luo_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&luo_dev_busy, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_dev_busy, 0);
	return 0;
}

/* CREATE_SESSION and RETRIEVE_SESSION have the same layout. */
static long luo_ioctl_session(void __user *uarg, bool create)
{
	struct liveupdate_ioctl_create_session arg;
	u32 usize;
	int err, fd;

	BUILD_BUG_ON(sizeof(struct liveupdate_ioctl_create_session) !=
		     sizeof(struct liveupdate_ioctl_retrieve_session));
	err = luo_ucopy(&arg, sizeof(arg), offsetofend(typeof(arg), name),
			uarg, &usize);
	if (err)
		return err;
	if (!arg.name[0] || !memchr(arg.name, '\0', sizeof(arg.name)))
		return -EINVAL;

	fd = create ? luo_session_create((const char *)arg.name) :
		luo_session_retrieve((const char *)arg.name);
	if (fd < 0)
		return fd;
	/* The session is made: its fd stays even if the copy out fails. */
	arg.fd = fd;
	return luo_ucopy_out(uarg, usize, &arg, sizeof(arg));
}

static long luo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case LIVEUPDATE_IOCTL_CREATE_SESSION:
		return luo_ioctl_session(uarg, true);
	case LIVEUPDATE_IOCTL_RETRIEVE_SESSION:
		return luo_ioctl_session(uarg, false);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations luo_fops = {
	.owner = THIS_MODULE,
	.open = luo_open,
	.release = luo_release,
	.unlocked_ioctl = luo_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice luo_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "liveupdate",
	.fops = &luo_fops,
	.mode = 0600,
};

/* The LUO FDT pointing at the session header: 0 or an errno. */
static int luo_fdt_build(void *fdt, u64 header_phys)
{
	u64 num = luo_liveupdate_num + 1;
	int err;

	err = fdt_create(fdt, LUO_FDT_SIZE);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", LUO_FDT_COMPATIBLE);
	err = err ?: fdt_property(fdt, LUO_FDT_LIVEUPDATE_NUM, &num, sizeof(num));
	err = err ?: fdt_begin_node(fdt, LUO_FDT_SESSION_NODE_NAME);
	err = err ?: fdt_property_string(fdt, "compatible",
					 LUO_FDT_SESSION_COMPATIBLE);
	err = err ?: fdt_property(fdt, LUO_FDT_SESSION_HEADER, &header_phys,
				  sizeof(header_phys));
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err ? -ENOSPC : 0;
}

/**
 * liveupdate_reboot - hand the sessions over on the kexec reboot path
 * @image: the kernel about to be executed; it takes a KHO handover when
 *         it was loaded with kexec_file_load
 *
 * Called by kernel_kexec() before the handover is frozen. Freezes every
 * preserved file and writes every session into the KHO subtree "LUO".
 *
 * Return: 0, also when LUO is off; an errno when the sessions cannot be
 * handed over, which aborts the kexec with every session as it was.
 */
int liveupdate_reboot(struct kimage *image)
{
	unsigned long n;
	u64 header;
	int err;

	if (!liveupdate_enabled())
		return 0;

	guard(mutex)(&luo_lock);
	if (luo_frozen)
		return 0;
	n = luo_session_count(false);
	if (!image->file_mode) {
		if (!n)
			return 0;
		pr_err("%lu sessions are preserved, but the loaded kernel takes no handover (load it with kexec -s): kexec refused\n",
		       n);
		return -EINVAL;
	}

	err = luo_session_serialize(&header);
	if (err)
		goto fail;
	luo_fdt_out = kho_alloc_preserve(LUO_FDT_SIZE);
	if (IS_ERR(luo_fdt_out)) {
		err = PTR_ERR(luo_fdt_out);
		luo_fdt_out = NULL;
		goto unserialize;
	}
	err = luo_fdt_build(luo_fdt_out, header);
	err = err ?: kho_add_subtree(LUO_FDT_KHO_ENTRY_NAME, luo_fdt_out,
				     fdt_totalsize(luo_fdt_out));
	if (err)
		goto free_fdt;
	luo_frozen = true;
	pr_info("handing over %lu sessions (live update %llu)\n", n,
		luo_liveupdate_num + 1);
	return 0;

free_fdt:
	kho_unpreserve_free(luo_fdt_out);
	luo_fdt_out = NULL;
unserialize:
	luo_session_unserialize();
fail:
	pr_err("cannot hand the sessions over (%d): kexec refused, every session stays as it was\n",
	       err);
	return err;
}

/**
 * liveupdate_reboot_abort - the kexec did not happen after all
 *
 * Undoes liveupdate_reboot(): the sessions can change again.
 */
void liveupdate_reboot_abort(void)
{
	guard(mutex)(&luo_lock);
	if (!luo_frozen)
		return;
	kho_remove_subtree(luo_fdt_out);
	kho_unpreserve_free(luo_fdt_out);
	luo_fdt_out = NULL;
	luo_session_unserialize();
	luo_frozen = false;
}

/* Read a u64 property of @len 8: 0 or -EINVAL. */
static int luo_fdt_u64(const void *fdt, int off, const char *name, u64 *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, off, name, &len);
	if (!p || len != sizeof(u64))
		return -EINVAL;
	*val = get_unaligned((const u64 *)p);
	return 0;
}

/* Take in the LUO subtree of the handover, checking it first. */
static void __init luo_in_parse(void)
{
	const void *fdt;
	phys_addr_t phys;
	u64 header;
	size_t size;
	int err, off;

	err = kho_retrieve_subtree(LUO_FDT_KHO_ENTRY_NAME, &phys, &size);
	if (err == -ENOENT)
		return;
	if (err) {
		pr_warn("no valid LUO subtree in the handover (%d): no session restored\n",
			err);
		return;
	}
	if (!liveupdate_enabled()) {
		pr_warn("the previous kernel handed over sessions, but LUO is off (liveupdate=on, kho=on): they are not restored\n");
		return;
	}
	fdt = phys_to_virt(phys);
	if (size > LUO_FDT_SIZE || !kho_fdt_valid(fdt, size)) {
		pr_warn("the LUO subtree is not a valid FDT: no session restored\n");
		goto out;
	}
	if (fdt_node_check_compatible(fdt, 0, LUO_FDT_COMPATIBLE)) {
		pr_warn("the LUO subtree is not compatible with %s: no session restored\n",
			LUO_FDT_COMPATIBLE);
		goto out;
	}
	if (luo_fdt_u64(fdt, 0, LUO_FDT_LIVEUPDATE_NUM, &luo_liveupdate_num))
		pr_warn("the LUO subtree has no valid %s: counting from 0\n",
			LUO_FDT_LIVEUPDATE_NUM);
	off = fdt_subnode_offset(fdt, 0, LUO_FDT_SESSION_NODE_NAME);
	if (off < 0 ||
	    fdt_node_check_compatible(fdt, off, LUO_FDT_SESSION_COMPATIBLE) ||
	    luo_fdt_u64(fdt, off, LUO_FDT_SESSION_HEADER, &header)) {
		pr_warn("the LUO subtree has no valid %s node (%s): no session restored\n",
			LUO_FDT_SESSION_NODE_NAME, LUO_FDT_SESSION_COMPATIBLE);
		goto out;
	}
	if (!luo_session_deserialize(header))
		pr_info("live update %llu: took in the sessions of the previous kernel\n",
			luo_liveupdate_num);
out:
	/* Read once; every session holds its own copy of what it needs. */
	kho_restore_free((void *)fdt);
}

static int luo_debugfs_show(struct seq_file *m, void *v)
{
	luo_session_show(m, (bool)(unsigned long)m->private);
	return 0;
}

static int luo_debugfs_open(struct inode *inode, struct file *file)
{
	return single_open(file, luo_debugfs_show, inode->i_private);
}

static const struct file_operations luo_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = luo_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static void __init luo_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("liveupdate", NULL);

	debugfs_create_file("out", 0400, dir, (void *)0UL, &luo_debugfs_fops);
	debugfs_create_file("in", 0400, dir, (void *)1UL, &luo_debugfs_fops);
}

static int __init luo_init(void)
{
	int err;

	if (is_kho_boot())
		luo_in_parse();
	if (!liveupdate_enabled()) {
		if (luo_param)
			pr_warn("liveupdate=on needs kho=on: LUO is off\n");
		return 0;
	}
	err = misc_register(&luo_miscdev);
	if (err) {
		pr_err("cannot register /dev/liveupdate (%d): LUO is off\n",
		       err);
		return 0;
	}
	luo_debugfs_init();
	pr_info("/dev/liveupdate ready\n");
	return 0;
}
device_initcall(luo_init);

/* Sessions nobody retrieved by late boot: said once, and in debugfs. */
static int __init luo_late_report(void)
{
	unsigned long n;

	if (!liveupdate_enabled())
		return 0;
	scoped_guard(mutex, &luo_lock)
		n = luo_session_count(true);
	if (n)
		pr_info("%lu sessions from the previous kernel wait to be retrieved (/sys/kernel/debug/liveupdate/in)\n",
			n);
	return 0;
}
late_initcall_sync(luo_late_report);
