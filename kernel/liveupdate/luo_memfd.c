// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memfd file handler of the Live Update Orchestrator, compatible
 * "memfd-v1" (format: include/linux/kho/abi/luo.h). It keeps a shmem file
 * that no directory names, a memfd or an unlinked tmpfs file, across a
 * kexec in the very pages that hold its data. hugetlbfs memfds are not
 * shmem and are refused.
 *
 * What the next kernel gets back: the size, the file position and the
 * contents. What it does not: the seals, the name, the mode and the
 * owner. The retrieved file is a new memfd, "memfd:luo", owned by the task
 * that retrieves it and charged to its memory cgroup, with no seal and
 * sealing allowed (F_SEAL_EXEC and no exec bits when vm.memfd_noexec asks
 * for that, as memfd_create() does).
 *
 * While it is preserved, a file keeps its size: F_SEAL_SHRINK and
 * F_SEAL_GROW are added to its seals, even if F_SEAL_SEAL is set (F_GET_SEALS
 * shows them; unpreserving takes away those that were not set before), so
 * ftruncate(), fallocate() and write() past the end fail with EPERM.
 * Writes and stores within the size land in the preserved pages: every page
 * of the file is allocated (holes are filled with zeros), pinned, and kept
 * from reclaim. Adding F_SEAL_WRITE fails with EBUSY, the pages being
 * pinned. Punching a hole (fallocate(FALLOC_FL_PUNCH_HOLE), MADV_REMOVE)
 * takes pages out of the file: the kexec then fails before anything is
 * lost, with a message naming the page, and the file stays preserved with
 * its hole until the session lets it go.
 *
 * LUO calls every operation under its own lock; the inode lock guards the
 * seals and the size.
 */

#define pr_fmt(fmt) "LUO: memfd: " fmt

#include <kunit/visibility.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "luo_internal.h"

/* The seals that keep the size of a preserved file. */
#define MEMFD_LUO_SEALS		(F_SEAL_SHRINK | F_SEAL_GROW)

/* Folios pinned per call of memfd_pin_folios(): one page of pointers. */
#define MEMFD_LUO_PIN_BATCH	(PAGE_SIZE / sizeof(struct folio *))

/* The first size of the folio list: one page of entries. */
#define MEMFD_LUO_MIN_ENTRIES	(PAGE_SIZE / sizeof(struct memfd_luo_folio_ser))

/*
 * A file this kernel preserves (args->private_data from preserve to
 * unpreserve).
 *
 * @ser:              its preserved struct memfd_luo_ser, NULL until made
 * @folios:           the list of its folios, a vzalloc() area
 * @nr_folios:        entries of @folios in use: each folio pinned and
 *                    preserved
 * @capacity:         entries @folios has room for
 * @added_seals:      the seals of MEMFD_LUO_SEALS that preserve added
 * @made_unevictable: preserve made the mapping unevictable
 * @list_preserved:   @folios is preserved (in @ser->folios)
 */
struct memfd_luo_out {
	struct memfd_luo_ser *ser;
	struct memfd_luo_folio_ser *folios;
	u64 nr_folios;
	u64 capacity;
	unsigned int added_seals;
	bool made_unevictable;
	bool list_preserved;
};

/*
 * A file the previous kernel handed over, from the first retrieve or
 * finish that looks at it until it is retrieved or finished
 * (args->private_data).
 *
 * @ser:       its struct memfd_luo_ser, restored; NULL when that failed
 * @folios:    the list of its folios, restored; NULL when it has none or
 *             that failed
 * @nr_folios: entries of @folios that lie inside the area restored
 * @err:       why it cannot be retrieved (a bad handover, or a retrieve
 *             that failed after it used up some of the folios); 0 while it
 *             can be
 */
struct memfd_luo_in {
	struct memfd_luo_ser *ser;
	struct memfd_luo_folio_ser *folios;
	u64 nr_folios;
	int err;
};

static bool memfd_luo_can_preserve(struct liveupdate_file_handler *handler,
				   struct file *file)
{
	struct inode *inode = file_inode(file);

	/*
	 * Kernel-internal shmem files (S_PRIVATE: SysV shared memory, GPU
	 * buffers) belong to the subsystem that made them, even when a
	 * process reaches one through /proc/PID/map_files.
	 */
	return shmem_file(file) && !inode->i_nlink && !IS_PRIVATE(inode);
}

/* Add MEMFD_LUO_SEALS and keep the folios from reclaim. Inode locked. */
static void memfd_luo_seal(struct file *file, struct memfd_luo_out *mf)
{
	struct inode *inode = file_inode(file);
	struct shmem_inode_info *info = SHMEM_I(inode);

	mf->added_seals = MEMFD_LUO_SEALS & ~info->seals;
	info->seals |= mf->added_seals;
	/*
	 * Swapping out a pinned folio would take it out of the file: the
	 * next kernel would get the page as it was, not the file as it is.
	 */
	if (!mapping_unevictable(inode->i_mapping)) {
		mapping_set_unevictable(inode->i_mapping);
		mf->made_unevictable = true;
	}
}

/* Undo memfd_luo_seal(). Inode locked. */
static void memfd_luo_unseal(struct file *file, struct memfd_luo_out *mf)
{
	struct inode *inode = file_inode(file);

	SHMEM_I(inode)->seals &= ~mf->added_seals;
	if (mf->made_unevictable) {
		/* As SHM_UNLOCK does: back to the evictable LRU lists. */
		mapping_clear_unevictable(inode->i_mapping);
		shmem_unlock_mapping(inode->i_mapping);
	}
}

/* Make room in the folio list; it never needs more than @max entries. */
static int memfd_luo_grow(struct memfd_luo_out *mf, u64 max)
{
	struct memfd_luo_folio_ser *folios;
	u64 capacity;

	capacity = min_t(u64, max_t(u64, mf->capacity * 2,
				    MEMFD_LUO_MIN_ENTRIES), max);
	folios = vzalloc(array_size(capacity, sizeof(*folios)));
	if (!folios)
		return -ENOMEM;
	if (mf->nr_folios)
		memcpy(folios, mf->folios, mf->nr_folios * sizeof(*folios));
	vfree(mf->folios);
	mf->folios = folios;
	mf->capacity = capacity;
	return 0;
}

/*
 * Preserve @folio, pinned, which must start at page @index of a file of
 * @end pages, and list it. On failure it is neither listed nor preserved.
 */
static int memfd_luo_add(struct memfd_luo_out *mf, struct folio *folio,
			 pgoff_t index, pgoff_t end)
{
	int err;

	/*
	 * Under the inode lock nothing takes a folio out of the file, and a
	 * pinned one cannot be split or merged into another: the folios
	 * come one after the other from page 0 on.
	 */
	if (folio->index != index) {
		pr_warn_ratelimited("found the folio at page %lu where page %lu was expected\n",
				    folio->index, index);
		return -EBUSY;
	}
	if (mf->nr_folios == mf->capacity) {
		err = memfd_luo_grow(mf, end);
		if (err)
			return err;
	}
	err = kho_preserve_folio(folio);
	if (err)
		return err;
	mf->folios[mf->nr_folios++] = (struct memfd_luo_folio_ser) {
		.pfn = folio_pfn(folio),
		.flags = MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE,
		.index = folio->index,
	};
	return 0;
}

/*
 * Pin and preserve every folio of [0, @size) of @file, filling holes, and
 * list them. Inode locked, size sealed. On failure, the folios listed so
 * far stay listed (and pinned, and preserved) for the caller to release.
 */
static int memfd_luo_pin(struct file *file, loff_t size,
			 struct memfd_luo_out *mf)
{
	pgoff_t next = 0, end = DIV_ROUND_UP(size, PAGE_SIZE);
	struct folio **batch;
	pgoff_t offset;
	long n, i;
	int err = 0;

	if (!size)
		return 0;
	batch = kmalloc_array(MEMFD_LUO_PIN_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!batch)
		return -ENOMEM;
	while (next < end) {
		/*
		 * Allocates what is missing, and migrates what lies in
		 * CMA (KHO scratch) or ZONE_MOVABLE, before it pins.
		 */
		n = memfd_pin_folios(file, (loff_t)next << PAGE_SHIFT, size - 1,
				     batch, MEMFD_LUO_PIN_BATCH, &offset);
		if (n <= 0) {
			err = n ?: -EINVAL;
			break;
		}
		for (i = 0; i < n; i++) {
			err = memfd_luo_add(mf, batch[i], next, end);
			if (err)
				break;
			next = folio_next_index(batch[i]);
		}
		if (err) {
			unpin_folios(batch + i, n - i);
			break;
		}
		cond_resched();
	}
	kfree(batch);
	return err;
}

/*
 * Undo what preserve did, all of it or as far as it got. Inode locked.
 * KHO refuses to unpreserve once a kexec has frozen the handover (LUO
 * unpreserves no file then, but a preserve can fail in a frozen handover
 * and undo itself): what the handover holds then stays, pinned.
 */
static void memfd_luo_release(struct file *file, struct memfd_luo_out *mf)
{
	bool keep_list = false, frozen = false;
	struct folio *folio;
	u64 i;

	if (mf->list_preserved && kho_unpreserve_vmalloc(&mf->ser->folios)) {
		keep_list = true;
		frozen = true;
	}
	kho_unpreserve_free(mf->ser);
	mf->ser = NULL;
	for (i = 0; i < mf->nr_folios; i++) {
		folio = pfn_folio(mf->folios[i].pfn);
		if (kho_unpreserve_folio(folio))
			frozen = true;
		else
			unpin_folio(folio);
		cond_resched();
	}
	if (frozen)
		pr_warn("the handover is frozen: the memfd's folios stay in it, pinned\n");
	if (!keep_list)
		vfree(mf->folios);
	mf->folios = NULL;
	mf->nr_folios = 0;
	memfd_luo_unseal(file, mf);
}

static int memfd_luo_preserve(struct liveupdate_file_op_args *args)
{
	struct file *file = args->file;
	struct inode *inode = file_inode(file);
	struct memfd_luo_out *mf;
	struct memfd_luo_ser *ser;
	loff_t size;
	int err;

	mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;

	inode_lock(inode);
	memfd_luo_seal(file, mf);
	size = i_size_read(inode);
	err = memfd_luo_pin(file, size, mf);
	if (err)
		goto fail;
	ser = kho_alloc_preserve(sizeof(*ser));
	if (IS_ERR(ser)) {
		err = PTR_ERR(ser);
		goto fail;
	}
	mf->ser = ser;
	/* No folio, no list: the descriptor stays all zeros. */
	if (mf->nr_folios) {
		err = kho_preserve_vmalloc(mf->folios, &ser->folios);
		if (err)
			goto fail;
		mf->list_preserved = true;
	}
	ser->pos = file->f_pos;
	ser->size = size;
	ser->nr_folios = mf->nr_folios;
	inode_unlock(inode);

	args->serialized_data = virt_to_phys(ser);
	args->private_data = mf;
	return 0;

fail:
	memfd_luo_release(file, mf);
	inode_unlock(inode);
	kfree(mf);
	return err;
}

static void memfd_luo_unpreserve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_out *mf = args->private_data;
	struct inode *inode = file_inode(args->file);

	inode_lock(inode);
	memfd_luo_release(args->file, mf);
	inode_unlock(inode);
	kfree(mf);
	args->private_data = NULL;
}

/*
 * The kexec is about to happen: every folio must still be in the file
 * where it was listed, and the size and position go into the handover.
 */
static int memfd_luo_freeze(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_out *mf = args->private_data;
	struct file *file = args->file;
	struct inode *inode = file_inode(file);
	const struct memfd_luo_folio_ser *f;
	struct folio *folio;
	int err = 0;
	u64 i;

	inode_lock(inode);
	for (i = 0; i < mf->nr_folios; i++) {
		f = &mf->folios[i];
		folio = pfn_folio(f->pfn);
		if (READ_ONCE(folio->mapping) != inode->i_mapping ||
		    folio->index != f->index) {
			pr_warn("page %llu of a preserved memfd was taken out of it (a hole punched?): kexec refused\n",
				(u64)f->index);
			err = -EBUSY;
			break;
		}
		cond_resched();
	}
	if (!err) {
		mf->ser->pos = file->f_pos;
		mf->ser->size = i_size_read(inode);
	}
	inode_unlock(inode);
	return err;
}

/**
 * memfd_luo_check - check the struct memfd_luo_ser of an incoming memfd
 * @phys: where it is, for the messages
 * @ser:  the struct
 *
 * Return: 0, or -EINVAL (said why) when its size or position is past what
 * a file may have, or it counts more folios than the file has pages.
 */
VISIBLE_IF_KUNIT int memfd_luo_check(u64 phys, const struct memfd_luo_ser *ser)
{
	u64 pages;

	if (ser->size > (u64)MAX_LFS_FILESIZE ||
	    ser->pos > (u64)MAX_LFS_FILESIZE) {
		pr_warn("%#llx: size %llu or position %llu out of range\n", phys,
			ser->size, ser->pos);
		return -EINVAL;
	}
	pages = DIV_ROUND_UP(ser->size, PAGE_SIZE);
	if (ser->nr_folios > pages) {
		pr_warn("%#llx: %llu folios in a file of %llu pages\n", phys,
			ser->nr_folios, pages);
		return -EINVAL;
	}
	return 0;
}

/**
 * memfd_luo_check_folios - check the folio list of an incoming memfd
 * @phys:   where its struct memfd_luo_ser is, for the messages
 * @ser:    the struct, checked by memfd_luo_check()
 * @folios: its list of @ser->nr_folios entries
 *
 * What needs the order of each folio (alignment, overlap) is checked as
 * each is restored. Here: a folio must start inside the file, at a page
 * offset above the one before it (the last may run past the end: tmpfs
 * with huge=always gives a small file a huge folio), and have only known
 * flags.
 *
 * Return: 0, or -EINVAL (said why).
 */
VISIBLE_IF_KUNIT int
memfd_luo_check_folios(u64 phys, const struct memfd_luo_ser *ser,
		       const struct memfd_luo_folio_ser *folios)
{
	u64 i, pages = DIV_ROUND_UP(ser->size, PAGE_SIZE);
	const struct memfd_luo_folio_ser *f;

	for (i = 0; i < ser->nr_folios; i++) {
		f = &folios[i];
		if ((f->flags & ~MEMFD_LUO_FOLIO_FLAGS_MASK) || f->index >= pages ||
		    (i && f->index <= folios[i - 1].index)) {
			pr_warn("%#llx: bad folio %llu: flags %#x, page %llu of %llu\n",
				phys, i, (unsigned int)f->flags, (u64)f->index,
				pages);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Restore the struct memfd_luo_ser at @phys and the list of its folios
 * into @in, and check them. Any failure is reported here, once: the file
 * cannot be retrieved.
 */
static int memfd_luo_load(struct memfd_luo_in *in, u64 phys)
{
	const struct memfd_luo_folio_ser *f;
	struct memfd_luo_ser *ser;
	struct folio *folio;
	u64 room;
	int err;

	folio = kho_restore_folio(phys);
	if (!folio) {
		pr_warn("%#llx: not a preserved block: memfd lost\n", phys);
		return -EINVAL;
	}
	in->ser = folio_address(folio);
	ser = in->ser;
	if (folio_size(folio) < sizeof(*ser)) {
		pr_warn("%#llx: block of %zu bytes, too small\n", phys,
			folio_size(folio));
		return -EINVAL;
	}
	err = memfd_luo_check(phys, ser);
	if (err || !ser->nr_folios)
		return err;

	in->folios = kho_restore_vmalloc(&ser->folios);
	if (!in->folios) {
		pr_warn("%#llx: the list of its %llu folios cannot be restored\n",
			phys, ser->nr_folios);
		return -EINVAL;
	}
	room = ((u64)ser->folios.total_pages << PAGE_SHIFT) / sizeof(*f);
	if (ser->nr_folios > room) {
		pr_warn("%#llx: %llu folios in a list of room for %llu\n", phys,
			ser->nr_folios, room);
		return -EINVAL;
	}
	err = memfd_luo_check_folios(phys, ser, in->folios);
	if (!err)
		in->nr_folios = ser->nr_folios;
	return err;
}

/* The state of an incoming file: from args->private_data, or new. */
static struct memfd_luo_in *memfd_luo_in_get(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_in *in = args->private_data;

	if (in)
		return in;
	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return ERR_PTR(-ENOMEM);
	in->err = memfd_luo_load(in, args->serialized_data);
	args->private_data = in;
	return in;
}

/* Free @in and the struct memfd_luo_ser and list it restored. */
static void memfd_luo_in_free(struct memfd_luo_in *in)
{
	vfree(in->folios);
	if (in->ser)
		folio_put(virt_to_folio(in->ser));
	kfree(in);
}

/* A new, empty memfd, as memfd_create() makes one. */
static struct file *memfd_luo_create(void)
{
	struct shmem_inode_info *info;
	struct file *file;

	file = shmem_file_setup("memfd:luo", 0, VM_NORESERVE);
	if (IS_ERR(file))
		return file;
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_mode |= FMODE_ATOMIC_POS;
	file->f_flags |= O_LARGEFILE;

	/*
	 * memfd-v1 carries no seals: the file starts with none, and
	 * sealing allowed, as after memfd_create(MFD_ALLOW_SEALING).
	 */
	info = SHMEM_I(file_inode(file));
	info->seals &= ~F_SEAL_SEAL;
#ifdef MEMFD_NOEXEC_SCOPE_NOEXEC_SEAL
	/* vm.memfd_noexec: what memfd_create() would imply, this gets too. */
	if (pidns_memfd_noexec_scope(task_active_pid_ns(current)) >=
	    MEMFD_NOEXEC_SCOPE_NOEXEC_SEAL) {
		file_inode(file)->i_mode &= ~0111;
		info->seals |= F_SEAL_EXEC;
	}
#endif
	return file;
}

/*
 * Give @file the size and the folios of @in. A folio is used up as soon as
 * it is restored: on failure, those before it go with @file, and those
 * after it stay preserved, for finish.
 */
static int memfd_luo_fill(struct file *file, struct memfd_luo_in *in,
			  u64 phys)
{
	const struct memfd_luo_ser *ser = in->ser;
	struct inode *inode = file_inode(file);
	const struct memfd_luo_folio_ser *f;
	pgoff_t next = 0;
	struct folio *folio;
	long nr;
	int err = 0;
	u64 i;

	inode_lock(inode);
	i_size_write(inode, ser->size);
	for (i = 0; i < ser->nr_folios; i++) {
		f = &in->folios[i];
		folio = kho_restore_folio(PFN_PHYS((u64)f->pfn));
		if (!folio) {
			pr_warn("%#llx: folio %llu (pfn %#llx) was not preserved\n",
				phys, i, (u64)f->pfn);
			err = -EINVAL;
			break;
		}
		nr = folio_nr_pages(folio);
		if (!IS_ALIGNED(f->index, nr) || f->index < next) {
			pr_warn("%#llx: folio %llu of %ld pages at page %llu: misaligned or overlapping\n",
				phys, i, nr, (u64)f->index);
			folio_put(folio);
			err = -EINVAL;
			break;
		}
		if (!(f->flags & MEMFD_LUO_FOLIO_UPTODATE))
			folio_zero_range(folio, 0, folio_size(folio));
		err = shmem_insert_folio(file, folio, f->index);
		/* On success the page cache holds it; else this frees it. */
		folio_put(folio);
		if (err) {
			pr_warn("%#llx: cannot put folio %llu of %ld pages at page %llu into the new memfd (%d)\n",
				phys, i, nr, (u64)f->index, err);
			break;
		}
		next = f->index + nr;
		cond_resched();
	}
	inode_unlock(inode);
	return err;
}

static int memfd_luo_retrieve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_in *in;
	struct file *file;
	int err;

	in = memfd_luo_in_get(args);
	if (IS_ERR(in))
		return PTR_ERR(in);
	if (in->err)
		return in->err;

	/* Until the first folio is restored, a failure can be retried. */
	file = memfd_luo_create();
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = memfd_luo_fill(file, in, args->serialized_data);
	if (err) {
		fput(file);
		in->err = err;
		return err;
	}
	file->f_pos = in->ser->pos;

	memfd_luo_in_free(in);
	args->private_data = NULL;
	args->file = file;
	return 0;
}

static void memfd_luo_finish(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_in *in;
	struct folio *folio;
	u64 i;

	/* A retrieved file took everything with it. */
	if (args->retrieved)
		return;
	in = memfd_luo_in_get(args);
	if (IS_ERR(in)) {
		pr_warn("%#llx: no memory to release it: it stays reserved\n",
			args->serialized_data);
		return;
	}
	/*
	 * Release every folio the list names that is still preserved; those
	 * a failed retrieve used up are not any more.
	 */
	for (i = 0; i < in->nr_folios; i++) {
		folio = kho_restore_folio(PFN_PHYS((u64)in->folios[i].pfn));
		if (folio)
			folio_put(folio);
		cond_resched();
	}
	memfd_luo_in_free(in);
	args->private_data = NULL;
}

static const struct liveupdate_file_ops memfd_luo_ops = {
	.can_preserve = memfd_luo_can_preserve,
	.preserve = memfd_luo_preserve,
	.unpreserve = memfd_luo_unpreserve,
	.freeze = memfd_luo_freeze,
	.retrieve = memfd_luo_retrieve,
	.finish = memfd_luo_finish,
	.owner = THIS_MODULE,
};

static struct liveupdate_file_handler memfd_luo_handler = {
	.ops = &memfd_luo_ops,
	.compatible = MEMFD_LUO_FH_COMPATIBLE,
};

static int __init memfd_luo_init(void)
{
	int err;

	if (!liveupdate_enabled())
		return 0;
	err = liveupdate_register_file_handler(&memfd_luo_handler);
	if (err)
		pr_err("cannot register the memfd handler (%d)\n", err);
	return err;
}
late_initcall(memfd_luo_init);
