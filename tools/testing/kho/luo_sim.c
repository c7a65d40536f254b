// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Live Update Orchestrator on the simulated machine: the kernel
 * services its files use (include/luo_sim.h), valid LUO handovers, and a
 * boot that runs LUO's initcalls and then does what the userspace of a
 * live update does: open /dev/liveupdate, retrieve every incoming session,
 * retrieve its files (RETRIEVE_FD), finish it (FINISH), close everything.
 * Then the invariants:
 *
 *  - a folio put into a memfd (shmem_insert_folio()) was preserved, lies
 *    in RAM outside scratch, was restored by LUO, is held, is in no file,
 *    starts at an offset aligned to its size and inside the file's size,
 *    and overlaps no other folio of the file; the inode lock is held;
 *  - a session retrieved once cannot be retrieved again until its fd is
 *    closed, and comes back when closed unfinished; a file retrieved once
 *    cannot be retrieved again; nothing can be retrieved after FINISH;
 *  - a file handler's retrieve runs at most once per file and its finish
 *    once, told whether retrieve succeeded (the stub handler "sim-v1");
 *  - once every session is finished and every file closed, nothing is
 *    left: no session, no file, no module reference, no vmalloc() area,
 *    and every folio LUO restored is free again (nor reachable: freed
 *    memory is poisoned);
 *  - fuzz_memfd: a memfd retrieved has the size, position and folios the
 *    input gives, no seal, and only its page cache holds the folios.
 *
 * Together with the checks of sim.c, strict while LUO runs: LUO reads
 * only the blob it is handed (to the byte) and the blocks it restored.
 */
#include <libfdt.h>
#include <luo_sim.h>
#include <linux/liveupdate.h>
#include <uapi/linux/liveupdate.h>

#include "sim.h"

long sim_luo_modules;

static const struct sim_luo_ops *sim_ops;
static const struct memfd_luo_ser *sim_expect;
static struct miscdevice *sim_misc;
static long sim_files;			/* struct file not yet put */
static unsigned int sim_inserts;	/* shmem_insert_folio() calls */
static bool sim_no_shmem_done;

/* The folios LUO restored in this run: all free by the end. */
static struct folio *sim_restored[512];
static unsigned int sim_nr_restored;

/* The last folio list restored, as LUO read it: for fuzz_memfd's check. */
static struct memfd_luo_folio_ser sim_list[SIM_MEMFD_MAX_PAGES * PAGE_SIZE /
					   sizeof(struct memfd_luo_folio_ser)];
static size_t sim_list_len;

/* File descriptors */

#define SIM_NR_FDS 1024
#define SIM_FD_RESERVED ((struct file *)-1L)
static struct file *sim_fds[SIM_NR_FDS];

int get_unused_fd_flags(unsigned int flags)
{
	int fd;

	for (fd = 0; fd < SIM_NR_FDS; fd++) {
		if (!sim_fds[fd]) {
			sim_fds[fd] = SIM_FD_RESERVED;
			return fd;
		}
	}
	return -EMFILE;
}

void put_unused_fd(unsigned int fd)
{
	SIM_FAIL_IF(fd >= SIM_NR_FDS || sim_fds[fd] != SIM_FD_RESERVED);
	sim_fds[fd] = NULL;
}

void fd_install(unsigned int fd, struct file *file)
{
	SIM_FAIL_IF(fd >= SIM_NR_FDS || sim_fds[fd] != SIM_FD_RESERVED);
	sim_fds[fd] = file;
}

struct file *fget(unsigned int fd)
{
	sim_unreachable();
}

/* The file open on @fd, as userspace would use it. */
static struct file *sim_fd(int fd)
{
	SIM_CHECK(fd >= 0 && fd < SIM_NR_FDS && sim_fds[fd] &&
		  sim_fds[fd] != SIM_FD_RESERVED,
		  "fd %d handed to userspace is not open", fd);
	return sim_fds[fd];
}

/* close(2) */
static void sim_close(int fd)
{
	struct file *file = sim_fd(fd);

	sim_fds[fd] = NULL;
	fput(file);
}

/* Files */

static struct inode sim_anon_inode;

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags)
{
	struct file *file = calloc(1, sizeof(*file));

	if (!file)
		return ERR_PTR(-ENOMEM);
	file->f_op = fops;
	file->f_inode = &sim_anon_inode;
	file->private_data = priv;
	file->f_flags = flags;
	file->f_count = 1;
	sim_files++;
	return file;
}

void fput(struct file *file)
{
	SIM_FAIL_IF(file->f_count <= 0);
	if (--file->f_count)
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(file_inode(file), file);
	sim_files--;
	free(file);
}

long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	sim_unreachable();
}

loff_t noop_llseek(struct file *file, loff_t off, int whence)
{
	sim_unreachable();
}

/* shmem: a file, its inode and its page cache, recorded folio by folio */

struct sim_cached {
	struct folio *folio;
	pgoff_t index;
};

struct sim_shmem {
	struct shmem_inode_info info;
	struct address_space mapping;
	struct sim_cached *cache;
	unsigned int nr, max;
};

static int sim_shmem_release(struct inode *inode, struct file *file);
static const struct file_operations sim_shmem_fops = {
	.release = sim_shmem_release,
};

static struct sim_shmem *sim_shmem(struct file *file)
{
	SIM_CHECK(file->f_op == &sim_shmem_fops, "not a shmem file");
	return container_of(SHMEM_I(file_inode(file)), struct sim_shmem, info);
}

/* The last reference to the file: its page cache goes. */
static int sim_shmem_release(struct inode *inode, struct file *file)
{
	struct sim_shmem *sh = sim_shmem(file);
	unsigned int i;

	for (i = 0; i < sh->nr; i++) {
		sh->cache[i].folio->mapping = NULL;
		folio_put(sh->cache[i].folio);
	}
	free(sh->cache);
	free(sh);
	return 0;
}

struct file *shmem_file_setup(const char *name, loff_t size,
			      unsigned long flags)
{
	struct sim_shmem *sh;
	struct file *file;

	if (sim_ops->no_shmem && !sim_no_shmem_done) {
		sim_no_shmem_done = true;
		return ERR_PTR(-ENOMEM);
	}
	sh = calloc(1, sizeof(*sh));
	if (!sh)
		return ERR_PTR(-ENOMEM);
	file = anon_inode_getfile(name, &sim_shmem_fops, NULL, O_RDWR);
	if (IS_ERR(file)) {
		free(sh);
		return file;
	}
	/* As shmem makes them: sealing is refused until memfd allows it. */
	sh->info.seals = F_SEAL_SEAL;
	sh->info.vfs_inode.i_mode = 0100777;
	sh->info.vfs_inode.i_size = size;
	sh->info.vfs_inode.i_mapping = &sh->mapping;
	sh->mapping.host = &sh->info.vfs_inode;
	file->f_inode = &sh->info.vfs_inode;
	return file;
}

/* What LUO restored, it owns; a folio it did not restore it must not use. */
static bool sim_luo_owns(struct folio *folio)
{
	unsigned int i;

	for (i = 0; i < sim_nr_restored; i++)
		if (sim_restored[i] == folio)
			return true;
	return false;
}

int shmem_insert_folio(struct file *file, struct folio *folio, pgoff_t index)
{
	struct sim_shmem *sh = sim_shmem(file);
	struct inode *inode = file_inode(file);
	unsigned long nr = folio_nr_pages(folio);
	u64 pages = DIV_ROUND_UP((u64)inode->i_size, PAGE_SIZE);
	struct sim_cached *c;
	unsigned int i;

	SIM_CHECK(inode->i_locked, "folio inserted without the inode lock");
	sim_check_restored("folio inserted into a memfd", folio);
	SIM_CHECK(sim_luo_owns(folio),
		  "folio at pfn %#lx inserted, but LUO did not restore it",
		  folio_pfn(folio));
	SIM_CHECK(!folio->mapping, "folio at pfn %#lx inserted twice",
		  folio_pfn(folio));
	SIM_CHECK(IS_ALIGNED(index, nr),
		  "folio of %lu pages inserted at page %lu", nr, index);
	SIM_CHECK(index < pages,
		  "folio inserted at page %lu of a file of %llu pages", index,
		  pages);
	for (i = 0; i < sh->nr; i++) {
		c = &sh->cache[i];
		SIM_CHECK(index + nr <= c->index ||
			  c->index + folio_nr_pages(c->folio) <= index,
			  "folio of %lu pages at page %lu overlaps the one of %lu pages at page %lu",
			  nr, index, folio_nr_pages(c->folio), c->index);
	}
	/* What the charge of the memory cgroup or of the blocks can refuse. */
	if (++sim_inserts == sim_ops->fail_insert)
		return -ENOSPC;

	if (sh->nr == sh->max) {
		sh->max = sh->max ? 2 * sh->max : 8;
		c = realloc(sh->cache, sh->max * sizeof(*c));
		SIM_FAIL_IF(!c);
		sh->cache = c;
	}
	sh->cache[sh->nr++] = (struct sim_cached){ folio, index };
	folio->mapping = &sh->mapping;
	folio->index = index;
	folio->count++;			/* the page cache's reference */
	return 0;
}

void folio_zero_range(struct folio *folio, size_t start, size_t len)
{
	SIM_CHECK(start <= folio_size(folio) &&
		  len <= folio_size(folio) - start,
		  "zeroing [%zu, +%zu) of a folio of %zu bytes", start, len,
		  folio_size(folio));
	memset((u8 *)folio_address(folio) + start, 0, len);
}

/* User memory, the misc device, debugfs, seq_file */

int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize)
{
	if (usize > ksize &&
	    memchr_inv((const u8 *)src + ksize, 0, usize - ksize))
		return -E2BIG;
	memcpy(dst, src, min(ksize, usize));
	if (usize < ksize)
		memset((u8 *)dst + usize, 0, ksize - usize);
	return 0;
}

int misc_register(struct miscdevice *misc)
{
	SIM_FAIL_IF(sim_misc);
	sim_misc = misc;
	return 0;
}

/* No debugfs here, as with CONFIG_DEBUG_FS=n: sim_luo_show() reads it. */
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return ERR_PTR(-ENODEV);
}

struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return ERR_PTR(-ENODEV);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->buf, sizeof(m->buf), fmt, ap);
	va_end(ap);
	sim_printk("kho-sim: debugfs: %s", m->buf);
}

ssize_t seq_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	sim_unreachable();
}

loff_t seq_lseek(struct file *file, loff_t off, int whence)
{
	sim_unreachable();
}

int single_open(struct file *file, int (*show)(struct seq_file *, void *),
		void *data)
{
	sim_unreachable();
}

int single_release(struct inode *inode, struct file *file)
{
	sim_unreachable();
}

/*
 * A file handler of the sim, "sim-v1", to check LUO's side of the contract
 * with handlers: retrieve at most once per file (it fails for an odd
 * serialized_data), finish once, told whether retrieve succeeded, with the
 * private_data retrieve left.
 */
struct sim_stub {
	bool retrieved;
};

static long sim_stubs;			/* files it holds state of */
static const struct file_operations sim_stub_fops;

static bool sim_stub_can_preserve(struct liveupdate_file_handler *h,
				  struct file *file)
{
	sim_unreachable();
}

static int sim_stub_preserve(struct liveupdate_file_op_args *args)
{
	sim_unreachable();
}

static void sim_stub_unpreserve(struct liveupdate_file_op_args *args)
{
	sim_unreachable();
}

static int sim_stub_retrieve(struct liveupdate_file_op_args *args)
{
	struct sim_stub *st = args->private_data;
	struct file *file;

	SIM_CHECK(!st || !st->retrieved,
		  "file retrieved again from its handler");
	if (!st) {
		st = kzalloc(sizeof(*st), GFP_KERNEL);
		SIM_FAIL_IF(!st);
		sim_stubs++;
		args->private_data = st;
	}
	if (args->serialized_data & 1)
		return -EIO;
	file = anon_inode_getfile("[sim-v1]", &sim_stub_fops, NULL, O_RDWR);
	if (IS_ERR(file))
		return PTR_ERR(file);
	st->retrieved = true;
	args->file = file;
	return 0;
}

static void sim_stub_finish(struct liveupdate_file_op_args *args)
{
	struct sim_stub *st = args->private_data;

	SIM_CHECK(args->retrieved == (st && st->retrieved),
		  "finish told the file was %sretrieved",
		  args->retrieved ? "" : "not ");
	if (!st)
		return;
	kfree(st);
	sim_stubs--;
}

static const struct liveupdate_file_ops sim_stub_ops = {
	.can_preserve = sim_stub_can_preserve,
	.preserve = sim_stub_preserve,
	.unpreserve = sim_stub_unpreserve,
	.retrieve = sim_stub_retrieve,
	.finish = sim_stub_finish,
};

static struct liveupdate_file_handler sim_stub_handler = {
	.ops = &sim_stub_ops,
	.compatible = SIM_STUB_COMPATIBLE,
};

/* Back to a machine that has not booted; the last run left nothing. */
void sim_luo_reset(void)
{
	memset(sim_fds, 0, sizeof(sim_fds));
	sim_misc = NULL;
	sim_files = 0;
	sim_inserts = 0;
	sim_no_shmem_done = false;
	sim_nr_restored = 0;
	sim_list_len = 0;
	sim_luo_modules = 0;
	sim_stubs = 0;
}

/* The wrappers of luo_parsers.c */

void sim_luo_restored(struct folio *folio)
{
	SIM_FAIL_IF(sim_nr_restored == ARRAY_SIZE(sim_restored));
	sim_restored[sim_nr_restored++] = folio;
}

/* kho_restore_free() of what LUO was handed: freed if it was restored. */
void sim_luo_freed(void *mem)
{
	struct page *page = virt_to_page(mem);

	SIM_CHECK(PageReserved(page) || !page->count,
		  "page %#lx given to kho_restore_free() is still held",
		  page_to_pfn(page));
}

void sim_luo_vmalloc_restored(const void *ptr, unsigned int pages)
{
	sim_list_len = min_t(size_t, (size_t)pages * PAGE_SIZE,
			     sizeof(sim_list));
	memcpy(sim_list, ptr, sim_list_len);
}

/* Laying out valid LUO handovers */

/* The LUO FDT as luo_fdt_build() makes it: its size, or 0. */
size_t sim_luo_make_fdt(void *buf, size_t size, u64 num, phys_addr_t header)
{
	u64 h = header;
	int off, err;

	err = fdt_create_empty_tree(buf, size) ?:
	      fdt_setprop_string(buf, 0, "compatible", LUO_FDT_COMPATIBLE) ?:
	      fdt_setprop(buf, 0, LUO_FDT_LIVEUPDATE_NUM, &num, sizeof(num));
	if (err)
		return 0;
	off = fdt_add_subnode(buf, 0, LUO_FDT_SESSION_NODE_NAME);
	if (off < 0)
		return 0;
	err = fdt_setprop_string(buf, off, "compatible",
				 LUO_FDT_SESSION_COMPATIBLE) ?:
	      fdt_setprop(buf, off, LUO_FDT_SESSION_HEADER, &h, sizeof(h)) ?:
	      fdt_pack(buf);
	return err ? 0 : fdt_totalsize(buf);
}

#define SIM_DU (MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE)

/*
 * The valid memfds, from the folios of SIM_LUO_PAGES, _O2, _O4 and _O9:
 * empty; 1 byte; 12 pages with a hole in the middle and one at the end;
 * an order-9 folio and an order-4 one after it; an order-2 folio in a
 * file of 3 pages; a folio that is not uptodate after a hole.
 */
static const struct sim_memfd_desc {
	u64 size, pos;
	unsigned int nr;
	struct {
		phys_addr_t pa;
		u64 index;
		unsigned int flags;
	} f[3];
} sim_memfds[SIM_LUO_NR_MEMFDS] = {
	{ 0, 0, 0 },
	{ 1, 1, 1, { { SIM_LUO_PAGES, 0, SIM_DU } } },
	{ 12 * PAGE_SIZE, PAGE_SIZE, 3, {
		{ SIM_LUO_PAGES + PAGE_SIZE, 0, SIM_DU },
		{ SIM_LUO_PAGES + 2 * PAGE_SIZE, 1, SIM_DU },
		{ SIM_LUO_O2, 4, SIM_DU } } },
	{ 528 * PAGE_SIZE, 100, 2, {
		{ SIM_LUO_O9, 0, SIM_DU },
		{ SIM_LUO_O4, 512, SIM_DU } } },
	{ 3 * PAGE_SIZE, 2, 1, { { SIM_LUO_O2 + 4 * PAGE_SIZE, 0, SIM_DU } } },
	{ 2 * PAGE_SIZE, 0, 1, {
		{ SIM_LUO_PAGES + 3 * PAGE_SIZE, 1, MEMFD_LUO_FOLIO_DIRTY } } },
};

/*
 * Valid memfd @i, as memfd_luo_preserve() writes it, with its chunk page
 * and the page of its folio list at those of memfd @slot: the struct
 * memfd_luo_ser, and the two pages (@chunk, @list) in full.
 */
void sim_luo_memfd(unsigned int i, unsigned int slot,
		   struct memfd_luo_ser *ser, void *chunk, void *list)
{
	const struct sim_memfd_desc *d = &sim_memfds[i];
	struct memfd_luo_folio_ser *f = list;
	struct kho_vmalloc_chunk *c = chunk;
	unsigned int k;

	memset(ser, 0, sizeof(*ser));
	memset(chunk, 0, PAGE_SIZE);
	memset(list, 0, PAGE_SIZE);
	ser->size = d->size;
	ser->pos = d->pos;
	ser->nr_folios = d->nr;
	if (!d->nr)
		return;
	ser->folios = (struct kho_vmalloc){
		.first = SIM_LUO_CHUNKS + slot * PAGE_SIZE,
		.total_pages = 1,
		.flags = KHO_VMALLOC_ALLOC,
	};
	c->phys[0] = SIM_LUO_FLIST + slot * PAGE_SIZE;
	for (k = 0; k < d->nr; k++)
		f[k] = (struct memfd_luo_folio_ser){
			.pfn = PHYS_PFN(d->f[k].pa),
			.flags = d->f[k].flags,
			.index = d->f[k].index,
		};
}

/*
 * A valid KHO handover with the LUO blocks preserved and a LUO subtree at
 * @fdt_phys of @fdt_size bytes (@fdt_phys 0: the FDT of SIM_LUO_SESSION),
 * and of LUO, as @parts asks: SIM_LUO_SESSION, a LUO FDT and header with
 * one session, "memfd", of one file, the memfd of slot 0 (token 1);
 * SIM_LUO_MEMFDS, every valid memfd at its slot.
 */
void sim_luo_write_default(unsigned int parts, phys_addr_t fdt_phys,
			   u64 fdt_size)
{
	static u8 fdt[PAGE_SIZE], hdr[sizeof(struct luo_session_header_ser) +
				      sizeof(struct luo_session_ser)];
	static struct luo_file_ser file = {
		.compatible = MEMFD_LUO_FH_COMPATIBLE,
		.data = SIM_LUO_MEMFD,
		.token = 1,
	};
	static struct memfd_luo_ser sers[SIM_LUO_NR_MEMFDS];
	static u8 chunks[SIM_LUO_NR_MEMFDS][PAGE_SIZE];
	static u8 lists[SIM_LUO_NR_MEMFDS][PAGE_SIZE];
	static size_t fdt_len;
	struct luo_session_header_ser *h = (void *)hdr;
	struct luo_session_ser *s = (void *)(h + 1);
	unsigned int i;

	if (!fdt_len) {
		fdt_len = sim_luo_make_fdt(fdt, sizeof(fdt), 1, SIM_LUO_HDR);
		if (!fdt_len)
			sim_fail("cannot build the LUO FDT", __FILE__,
				 __LINE__);
		h->count = 1;
		strscpy(s->name, "memfd", sizeof(s->name));
		s->file_set_ser = (struct luo_file_set_ser){ SIM_LUO_LISTS, 1 };
		for (i = 0; i < SIM_LUO_NR_MEMFDS; i++)
			sim_luo_memfd(i, i, &sers[i], chunks[i], lists[i]);
	}
	sim_write_default(SIM_PART_ALL | SIM_PART_LUO, 0, 0,
			  fdt_phys ? fdt_phys : SIM_LUO_FDT,
			  fdt_phys ? fdt_size : fdt_len);
	if (parts & SIM_LUO_SESSION) {
		sim_write(SIM_LUO_FDT, fdt, fdt_len);
		sim_write(SIM_LUO_HDR, hdr, sizeof(hdr));
		sim_write(SIM_LUO_LISTS, &file, sizeof(file));
	}
	for (i = 0; (parts & SIM_LUO_MEMFDS) && i < SIM_LUO_NR_MEMFDS; i++) {
		sim_write(SIM_LUO_MEMFD + i * PAGE_SIZE, &sers[i],
			  sizeof(sers[i]));
		if (!sers[i].nr_folios)
			continue;
		/* What is not written reads as zero. */
		sim_write(SIM_LUO_CHUNKS + i * PAGE_SIZE, chunks[i], 16);
		sim_write(SIM_LUO_FLIST + i * PAGE_SIZE, lists[i],
			  sers[i].nr_folios *
			  sizeof(struct memfd_luo_folio_ser));
	}
}

void sim_luo_ops(u64 bits, struct sim_luo_ops *ops)
{
	ops->no_retrieve = bits & (BIT_ULL(SIM_LUO_OP_FILES) - 1);
	ops->reopen = bits >> SIM_LUO_OP_REOPEN;
	ops->retry = bits & SIM_LUO_OP_RETRY;
	ops->off = bits & SIM_LUO_OP_OFF;
	ops->no_shmem = bits & SIM_LUO_OP_NO_SHMEM;
	ops->fail_insert = bits >> SIM_LUO_OP_FAIL_INSERT;
}

/* Userspace */

static long sim_ioctl(struct file *file, unsigned int cmd, void *arg)
{
	return file->f_op->unlocked_ioctl(file, cmd, (unsigned long)arg);
}

/* open("/dev/liveupdate"): the file, or NULL. */
static struct file *sim_open_dev(void)
{
	struct file *file;

	file = anon_inode_getfile("liveupdate", sim_misc->fops, NULL, O_RDWR);
	SIM_FAIL_IF(IS_ERR(file));
	if (file->f_op->open(file_inode(file), file)) {
		free(file);
		sim_files--;
		return NULL;
	}
	return file;
}

/* RETRIEVE_SESSION: the fd, or an errno. */
static int sim_retrieve_session(struct file *dev, const char *name)
{
	struct liveupdate_ioctl_retrieve_session arg = { .size = sizeof(arg) };
	long err;

	memcpy(arg.name, name, sizeof(arg.name));
	err = sim_ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg);
	return err ?: arg.fd;
}

/* RETRIEVE_FD: the fd, or an errno. */
static int sim_retrieve_fd(struct file *session, u64 token)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg),
		.token = token,
	};
	long err;

	err = sim_ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg);
	return err ?: arg.fd;
}

static long sim_finish(struct file *session)
{
	struct liveupdate_session_finish arg = { .size = sizeof(arg) };

	return sim_ioctl(session, LIVEUPDATE_SESSION_FINISH, &arg);
}

/* fuzz_memfd: the retrieved memfd is what the handover describes. */
static void sim_check_memfd(struct file *file)
{
	const struct memfd_luo_ser *ser = sim_expect;
	struct sim_shmem *sh = sim_shmem(file);
	size_t n = sim_list_len / sizeof(sim_list[0]);
	struct sim_cached *c;
	unsigned int i;

	SIM_CHECK((u64)file_inode(file)->i_size == ser->size &&
		  (u64)file->f_pos == ser->pos,
		  "memfd of size %lld at %lld retrieved for size %llu at %llu",
		  (long long)file_inode(file)->i_size, (long long)file->f_pos,
		  ser->size, ser->pos);
	SIM_CHECK(sh->nr == ser->nr_folios,
		  "memfd of %llu folios retrieved with %u", ser->nr_folios,
		  sh->nr);
	SIM_CHECK(!sh->info.seals, "memfd retrieved with seals %#x",
		  sh->info.seals);
	for (i = 0; i < sh->nr; i++) {
		c = &sh->cache[i];
		SIM_CHECK(c->folio->count == 1,
			  "folio %u of the memfd has %d references, not the page cache's only",
			  i, c->folio->count);
		SIM_CHECK(i >= n || (folio_pfn(c->folio) == sim_list[i].pfn &&
				     c->index == sim_list[i].index),
			  "folio %u of the memfd is pfn %#lx at page %lu, not as listed",
			  i, folio_pfn(c->folio), c->index);
	}
}

/* RETRIEVE_FD of one file: once, and not twice. */
static void sim_luo_retrieve(struct file *session, u64 token)
{
	int fd = sim_retrieve_fd(session, token);

	if (fd < 0 && sim_ops->retry)
		fd = sim_retrieve_fd(session, token);
	if (fd < 0) {
		sim_printk("kho-sim: RETRIEVE_FD of token %llu: %d\n", token,
			   fd);
		SIM_CHECK(fd != -EFAULT && fd != -E2BIG,
			  "RETRIEVE_FD of token %llu refused its argument: %d",
			  token, fd);
		return;
	}
	if (sim_fd(fd)->f_op == &sim_shmem_fops)
		sim_printk("kho-sim: RETRIEVE_FD of token %llu: memfd of %lld bytes, %u folios\n",
			   token, (long long)file_inode(sim_fd(fd))->i_size,
			   sim_shmem(sim_fd(fd))->nr);
	if (sim_expect && sim_fd(fd)->f_op == &sim_shmem_fops)
		sim_check_memfd(sim_fd(fd));
	SIM_CHECK(sim_retrieve_fd(session, token) == -ENOENT,
		  "token %llu retrieved twice", token);
}

/*
 * One session, as a process of a live update takes it: retrieve it, each
 * file as @ops says (@k counts the files of every session), finish it,
 * close it.
 */
static void sim_luo_session(struct file *dev, const char *name,
			    unsigned int j, unsigned int *k)
{
	static u64 tokens[512];
	struct liveupdate_session_get_name gn = { .size = sizeof(gn) };
	struct file *session;
	unsigned int n, i;
	int fd;

	fd = sim_retrieve_session(dev, name);
	SIM_CHECK(fd >= 0, "session '%s' cannot be retrieved (%d)", name, fd);
	SIM_CHECK(sim_retrieve_session(dev, name) == -EBUSY,
		  "session '%s' retrieved twice", name);
	if (sim_ops->reopen & BIT(j % 8)) {
		sim_close(fd);
		fd = sim_retrieve_session(dev, name);
		SIM_CHECK(fd >= 0,
			  "session '%s' closed unfinished is gone (%d)", name,
			  fd);
	}
	session = sim_fd(fd);
	SIM_CHECK(!sim_ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &gn) &&
		  !strcmp((const char *)gn.name, name),
		  "session '%s' calls itself '%.64s'", name, gn.name);

	n = sim_luo_tokens(session, tokens, ARRAY_SIZE(tokens));
	for (i = 0; i < n; i++, (*k)++) {
		if (!(sim_ops->no_retrieve & BIT_ULL(*k % SIM_LUO_OP_FILES)))
			sim_luo_retrieve(session, tokens[i]);
	}
	SIM_CHECK(!sim_finish(session), "session '%s' cannot be finished",
		  name);
	SIM_CHECK(sim_finish(session) == -EINVAL,
		  "session '%s' finished twice", name);
	SIM_CHECK(!n || sim_retrieve_fd(session, tokens[0]) == -ENOENT,
		  "session '%s': a file retrieved after FINISH", name);
	sim_close(fd);
	SIM_CHECK(sim_retrieve_session(dev, name) == -ENOENT,
		  "session '%s' retrieved after FINISH", name);
}

/* After every session was finished and every file closed: nothing left. */
static void sim_luo_check_end(void)
{
	struct folio *f;
	unsigned int i;

	SIM_CHECK(sim_luo_idle(), "sessions or files left after FINISH of all");
	SIM_CHECK(!sim_files, "%ld files left", sim_files);
	SIM_CHECK(!sim_luo_modules, "%ld module references left",
		  sim_luo_modules);
	SIM_CHECK(!sim_stubs, "%ld files of sim-v1 never finished", sim_stubs);
	SIM_CHECK(!sim_vmaps(), "%lu vmalloc() areas left", sim_vmaps());
	for (i = 0; i < sim_nr_restored; i++) {
		f = sim_restored[i];
		SIM_CHECK(!f->count && !f->mapping,
			  "folio at pfn %#lx restored by LUO is still held: leaked",
			  folio_pfn(f));
	}
}

/* The owners' part of the boot: LUO's initcalls, then its userspace. */
static void sim_luo_owners(void)
{
	static char names[128 * LUO_SESSION_NAME_LENGTH];
	unsigned int n, j, k = 0;
	struct file *dev;
	int fd;

	sim_luo_initcalls(!sim_ops->off);
	n = sim_luo_in_names(names, 128);
	SIM_FAIL_IF(n == 128);
	if (!sim_misc) {
		SIM_CHECK(!n, "%u sessions taken in with LUO off", n);
		return;
	}
	SIM_CHECK(!liveupdate_register_file_handler(&sim_stub_handler),
		  "cannot register a file handler");
	sim_luo_show();

	dev = sim_open_dev();
	SIM_CHECK(dev, "/dev/liveupdate cannot be opened");
	SIM_CHECK(!sim_open_dev(), "/dev/liveupdate opened twice");
	for (j = 0; j < n; j++)
		sim_luo_session(dev, names + j * LUO_SESSION_NAME_LENGTH, j,
				&k);
	sim_luo_show();
	fput(dev);
	/* The files retrieved, closed last, as a process exits. */
	for (fd = 0; fd < SIM_NR_FDS; fd++)
		if (sim_fds[fd])
			sim_close(fd);
	sim_luo_check_end();
}

/*
 * Boot the handover laid out in the simulated memory, with LUO, and run
 * its userspace as @ops says; for fuzz_memfd, @expect is the memfd of its
 * one file, which a successful RETRIEVE_FD must give back.
 */
void sim_luo_boot(const struct sim_luo_ops *ops,
		  const struct memfd_luo_ser *expect)
{
	struct sim_handover h;

	sim_ops = ops;
	sim_expect = expect;
	sim_default_handover(&h);
	h.owners = sim_luo_owners;
	sim_boot(&h);
	sim_ops = NULL;
	sim_expect = NULL;
}
