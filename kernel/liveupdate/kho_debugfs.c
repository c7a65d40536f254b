// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/kho/: the outgoing handover (out/) and, on a KHO boot,
 * the incoming one (in/). See Documentation/admin-guide/mm/kho.rst.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kexec_handover_internal.h"
#include "kho_restore.h"
#include "kho_scratch.h"

/*
 * No file here but out/corrupt can be written, not even by root. Mode 0400
 * does not stop root (CAP_DAC_OVERRIDE) from opening a file for writing,
 * and the files of debugfs_create_blob() have a write handler, so the
 * files that show a buffer are our own: their open refuses writing with
 * -EPERM, and they have no .write. Files of DEFINE_SHOW_ATTRIBUTE() have
 * no .write either: a write to them fails with -EINVAL.
 */
static int kho_dbg_ro_open(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	file->private_data = inode->i_private;
	return 0;
}

/* A file that shows the buffer described by its debugfs_blob_wrapper. */
static ssize_t kho_dbg_blob_read(struct file *file, char __user *buf,
				 size_t len, loff_t *ppos)
{
	const struct debugfs_blob_wrapper *w = file->private_data;

	return simple_read_from_buffer(buf, len, ppos, w->data, w->size);
}

static const struct file_operations kho_dbg_blob_fops = {
	.owner = THIS_MODULE,
	.open = kho_dbg_ro_open,
	.read = kho_dbg_blob_read,
	.llseek = default_llseek,
};

struct kho_dbg_blob {
	struct list_head list;
	void *blob;
	struct debugfs_blob_wrapper wrapper;
	struct dentry *file;
};

/* out/sub_fdts and its files; both under kho_out.lock */
static struct dentry *kho_dbg_out_blobs;
static LIST_HEAD(kho_dbg_blobs);

static void kho_dbg_blob_add(const char *name, void *blob, size_t size)
{
	struct kho_dbg_blob *b;

	lockdep_assert_held(&kho_out.lock);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return;
	b->blob = blob;
	b->wrapper.data = blob;
	b->wrapper.size = size;
	/*
	 * Not debugfs_create_file_unsafe(): debugfs_remove() must wait for a
	 * read in progress, since the owner frees the blob once it is removed.
	 */
	b->file = debugfs_create_file(name, 0400, kho_dbg_out_blobs,
				      &b->wrapper, &kho_dbg_blob_fops);
	if (IS_ERR(b->file)) {
		kfree(b);
		return;
	}
	list_add(&b->list, &kho_dbg_blobs);
}

static void kho_dbg_blob_remove(void *blob)
{
	struct kho_dbg_blob *b;

	lockdep_assert_held(&kho_out.lock);
	list_for_each_entry(b, &kho_dbg_blobs, list) {
		if (b->blob == blob) {
			debugfs_remove(b->file);
			list_del(&b->list);
			kfree(b);
			return;
		}
	}
}

/* kho_out_subtrees: called under kho_out.lock */
static int kho_dbg_subtree(struct notifier_block *nb, unsigned long what,
			   void *data)
{
	struct kho_subtree *st = data;

	if (what == KHO_SUBTREE_ADD)
		kho_dbg_blob_add(st->name, st->blob, st->size);
	else if (what == KHO_SUBTREE_REMOVE)
		kho_dbg_blob_remove(st->blob);
	return NOTIFY_DONE;
}

static struct notifier_block kho_dbg_subtree_nb = {
	.notifier_call = kho_dbg_subtree,
};

static ssize_t kho_dbg_out_fdt_read(struct file *file, char __user *buf,
				    size_t len, loff_t *ppos)
{
	void *copy;
	size_t size;
	ssize_t ret;

	/* A consistent copy, so that no user fault happens under the lock. */
	copy = kmalloc(KHO_FDT_MAX_SIZE, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	mutex_lock(&kho_out.lock);
	/* Never more than the FDT's page, even after fault injection. */
	size = min_t(size_t, fdt_totalsize(kho_out.fdt), KHO_FDT_MAX_SIZE);
	memcpy(copy, kho_out.fdt, size);
	mutex_unlock(&kho_out.lock);
	ret = simple_read_from_buffer(buf, len, ppos, copy, size);
	kfree(copy);
	return ret;
}

static const struct file_operations kho_dbg_out_fdt_fops = {
	.owner = THIS_MODULE,
	.open = kho_dbg_ro_open,
	.read = kho_dbg_out_fdt_read,
	.llseek = default_llseek,
};

static int scratch_phys_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n", kho_scratch[i].addr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scratch_phys);

static int scratch_len_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n", kho_scratch[i].size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scratch_len);

static void __init kho_dbg_out(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("out", root);
	int off;

	debugfs_create_file("fdt", 0400, dir, NULL, &kho_dbg_out_fdt_fops);
	debugfs_create_file("scratch_phys", 0400, dir, NULL, &scratch_phys_fops);
	debugfs_create_file("scratch_len", 0400, dir, NULL, &scratch_len_fops);

	/* Blobs added before debugfs was up, then every later one. */
	mutex_lock(&kho_out.lock);
	kho_dbg_out_blobs = debugfs_create_dir("sub_fdts", dir);
	fdt_for_each_subnode(off, kho_out.fdt, 0) {
		u64 data = kho_fdt_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_PROP);
		u64 size = kho_fdt_u64(kho_out.fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP);

		if (!data || !size)
			continue;
		kho_dbg_blob_add(fdt_get_name(kho_out.fdt, off, NULL),
				 phys_to_virt(data), size);
	}
	raw_notifier_chain_register(&kho_out_subtrees, &kho_dbg_subtree_nb);
	mutex_unlock(&kho_out.lock);
}

static int preserved_show(struct seq_file *m, void *v)
{
	struct kho_mem_stats s;

	kho_mem_get_stats(&s);
	seq_printf(m, "blocks %lu\nbytes %llu\n", s.blocks, s.bytes);
	seq_printf(m, "restored_blocks %lu\nrestored_bytes %llu\n",
		   s.restored_blocks, s.restored_bytes);
	seq_printf(m, "unclaimed_blocks %lu\nunclaimed_bytes %llu\n",
		   s.blocks - s.restored_blocks, s.bytes - s.restored_bytes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(preserved);

/*
 * in/ shows copies, taken before the owners of the blobs can restore (and
 * free) them: it never shows memory that is no longer theirs, nor the
 * incoming FDT that the kernel goes on parsing. Copies are for looking at;
 * a bigger blob is not copied.
 */
#define KHO_DBG_MAX_BLOB	SZ_4M

struct kho_dbg_in_blob {
	struct list_head list;
	const char *name;
	struct debugfs_blob_wrapper wrapper;
};

static struct debugfs_blob_wrapper kho_dbg_in_fdt;
static LIST_HEAD(kho_dbg_in_blobs);

/* Copy @size bytes at @src into @w for in/@dir@name; if not, say why. */
static bool __init kho_dbg_copy(struct debugfs_blob_wrapper *w,
				const char *dir, const char *name,
				const void *src, size_t size)
{
	if (size > KHO_DBG_MAX_BLOB) {
		pr_warn("debugfs: in/%s%s not shown: %zu bytes\n", dir, name,
			size);
		return false;
	}
	w->data = kvmemdup(src, size, GFP_KERNEL);
	if (!w->data) {
		pr_warn("debugfs: in/%s%s not shown: cannot copy %zu bytes\n",
			dir, name, size);
		return false;
	}
	w->size = size;
	return true;
}

/*
 * After the core has taken in the handover (core_initcall), before the
 * owners restore their blobs (postcore_initcall and later).
 */
static int __init kho_debugfs_in_snapshot(void)
{
	struct kho_dbg_in_blob *b;
	phys_addr_t phys;
	size_t size;
	int off;

	if (!is_kho_boot())
		return 0;
	kho_dbg_copy(&kho_dbg_in_fdt, "", "fdt", kho_in.fdt,
		     fdt_totalsize(kho_in.fdt));

	fdt_for_each_subnode(off, kho_in.fdt, 0) {
		const char *name = fdt_get_name(kho_in.fdt, off, NULL);

		if (!name || !kho_name_ok(name) ||
		    kho_retrieve_subtree(name, &phys, &size))
			continue;
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (!b)
			return 0;
		b->name = name;
		if (!kho_dbg_copy(&b->wrapper, "sub_fdts/", name,
				  phys_to_virt(phys), size)) {
			kfree(b);
			continue;
		}
		list_add_tail(&b->list, &kho_dbg_in_blobs);
	}
	return 0;
}
core_initcall_sync(kho_debugfs_in_snapshot);

static void __init kho_dbg_in(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("in", root);
	struct kho_dbg_in_blob *b, *tmp;
	struct dentry *blobs, *file;

	if (kho_dbg_in_fdt.data) {
		file = debugfs_create_file("fdt", 0400, dir, &kho_dbg_in_fdt,
					   &kho_dbg_blob_fops);
		if (IS_ERR(file)) {
			kvfree(kho_dbg_in_fdt.data);
			kho_dbg_in_fdt.data = NULL;
		}
	}
	debugfs_create_file("preserved", 0400, dir, NULL, &preserved_fops);

	/* The copies stay for good; a copy without a file is freed. */
	blobs = debugfs_create_dir("sub_fdts", dir);
	list_for_each_entry_safe(b, tmp, &kho_dbg_in_blobs, list) {
		file = debugfs_create_file(b->name, 0400, blobs, &b->wrapper,
					   &kho_dbg_blob_fops);
		if (IS_ERR(file)) {
			list_del(&b->list);
			kvfree(b->wrapper.data);
			kfree(b);
		}
	}
}

static int __init kho_debugfs_init(void)
{
	struct dentry *root;

	if (!kho_out.fdt && !is_kho_boot())
		return 0;

	root = debugfs_create_dir("kho", NULL);
	if (kho_out.fdt)
		kho_dbg_out(root);
	if (is_kho_boot())
		kho_dbg_in(root);
	return 0;
}
fs_initcall(kho_debugfs_init);
