/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the LUO files of kernel/liveupdate/ (luo_*.c) need of the kernel
 * beyond what the KHO files do (kho_sim.h), in user space: files and file
 * descriptors, anonymous inodes, shmem files, the misc device, debugfs,
 * seq_file, user copies, slab, modules, guards. luo_sim.c implements
 * them. The incoming paths, which userspace drives through the ioctls, do
 * what the kernel does; the outgoing ones are built but never reached
 * (sim_unreachable()), nor are the calls of the ioctls that make sessions.
 */
#ifndef _LUO_SIM_H
#define _LUO_SIM_H

#include <stdarg.h>
#include <kho_sim.h>

typedef int32_t __s32;
typedef __u64 __aligned_u64 __attribute__((aligned(8)));
typedef unsigned short umode_t;
typedef unsigned int fmode_t;
typedef unsigned long pgoff_t;

#define __user
#define device_initcall(fn)
#define late_initcall(fn)
#define offsetofend(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define lockdep_assert_held(l) SIM_FAIL_IF(!(l)->held)

/*
 * guard(mutex)(&m) and scoped_guard(mutex, &m): the mutex is held to the
 * end of the scope, by the compiler's cleanup attribute, as in the kernel
 * (for locks that are a struct TYPE, which is all the LUO files take).
 */
static inline struct mutex *sim_guard_mutex_lock(struct mutex *m)
{
	mutex_lock(m);
	return m;
}

static inline void sim_guard_mutex_unlock(struct mutex **m)
{
	mutex_unlock(*m);
}

#define __SIM_CAT2(a, b) a##b
#define __SIM_CAT(a, b) __SIM_CAT2(a, b)
#define __sim_cleanup(fn) __attribute__((cleanup(fn)))
#define guard(type) \
	struct type *__SIM_CAT(sim_guard_, __COUNTER__) \
	__sim_cleanup(sim_guard_##type##_unlock) = sim_guard_##type##_lock
#define scoped_guard(type, l) \
	for (struct type *__sim_scope \
	     __sim_cleanup(sim_guard_##type##_unlock) = \
	     sim_guard_##type##_lock(l), *__sim_done = NULL; \
	     !__sim_done; __sim_done = (struct type *)1)

typedef struct { int counter; } atomic_t;
#define ATOMIC_INIT(i) { (i) }
static inline void atomic_set(atomic_t *a, int v) { a->counter = v; }
static inline int atomic_cmpxchg(atomic_t *a, int old, int new)
{
	int cur = a->counter;

	if (cur == old)
		a->counter = new;
	return cur;
}

/* Slab: the C library's, so that LeakSanitizer sees what is not freed. */
static inline void *kzalloc(size_t size, gfp_t gfp) { return calloc(1, size); }
static inline void kfree(const void *p) { free((void *)p); }
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	sim_unreachable();
}

/* Modules: every reference taken must be given back (sim_luo_modules). */
struct module;
extern long sim_luo_modules;
static inline bool try_module_get(struct module *m)
{
	sim_luo_modules++;
	return true;
}

static inline void module_put(struct module *m)
{
	SIM_FAIL_IF(sim_luo_modules <= 0);
	sim_luo_modules--;
}

/* Files */
#ifndef O_RDWR
#define O_RDWR 02
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 02000000
#endif
#ifndef O_LARGEFILE
#define O_LARGEFILE 0100000
#endif
#define FMODE_LSEEK 0x4
#define FMODE_PREAD 0x8
#define FMODE_PWRITE 0x10
#define FMODE_ATOMIC_POS 0x8000
#define MAX_LFS_FILESIZE ((loff_t)LLONG_MAX)
#define S_PRIVATE 0x200
#define IS_PRIVATE(inode) ((inode)->i_flags & S_PRIVATE)

struct address_space {
	struct inode *host;
	bool unevictable;
};

struct inode {
	umode_t i_mode;
	unsigned int i_flags;
	unsigned int i_nlink;
	loff_t i_size;
	struct address_space *i_mapping;
	void *i_private;
	bool i_locked;			/* inode_lock() */
};

struct file;
struct seq_file;
struct file_operations {
	struct module *owner;
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd,
			     unsigned long arg);
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t len,
			loff_t *pos);
};

struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;
	void *private_data;
	fmode_t f_mode;
	unsigned int f_flags;
	loff_t f_pos;
	long f_count;
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

void fput(struct file *file);
struct file *fget(unsigned int fd);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags);
long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
loff_t noop_llseek(struct file *file, loff_t off, int whence);

static inline void inode_lock(struct inode *inode)
{
	SIM_FAIL_IF(inode->i_locked);
	inode->i_locked = true;
}

static inline void inode_unlock(struct inode *inode)
{
	SIM_FAIL_IF(!inode->i_locked);
	inode->i_locked = false;
}

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

/* The caller keeps the size from changing under it: the inode lock. */
static inline void i_size_write(struct inode *inode, loff_t size)
{
	SIM_FAIL_IF(!inode->i_locked);
	inode->i_size = size;
}

/* Folios */
static inline unsigned int folio_order(const struct folio *f)
{
	return f->order;
}

static inline size_t folio_size(const struct folio *f)
{
	return PAGE_SIZE << f->order;
}

static inline pgoff_t folio_next_index(struct folio *f)
{
	sim_unreachable();
}

void folio_zero_range(struct folio *folio, size_t start, size_t len);
static inline void unpin_folio(struct folio *folio) { sim_unreachable(); }
static inline void unpin_folios(struct folio **folios, unsigned long n)
{
	sim_unreachable();
}

static inline long memfd_pin_folios(struct file *file, loff_t start,
				    loff_t end, struct folio **folios,
				    unsigned int max, pgoff_t *offset)
{
	sim_unreachable();
}

/* shmem: files made by shmem_file_setup(), with a page cache (luo_sim.c) */
#define VM_NORESERVE 0x00200000
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_EXEC 0x0020

struct shmem_inode_info {
	unsigned int seals;
	struct inode vfs_inode;
};

static inline struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return container_of(inode, struct shmem_inode_info, vfs_inode);
}

struct file *shmem_file_setup(const char *name, loff_t size,
			      unsigned long flags);
int shmem_insert_folio(struct file *file, struct folio *folio, pgoff_t index);
static inline bool shmem_file(struct file *file) { sim_unreachable(); }
static inline void shmem_unlock_mapping(struct address_space *m)
{
	sim_unreachable();
}

static inline bool mapping_unevictable(struct address_space *m)
{
	return m->unevictable;
}

static inline void mapping_set_unevictable(struct address_space *m)
{
	m->unevictable = true;
}

static inline void mapping_clear_unevictable(struct address_space *m)
{
	m->unevictable = false;
}

/* User memory: the fuzz harness's, in the same address space. */
#define get_user(x, p) ({ (x) = *(p); 0; })
int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize);
static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

/* The misc device, debugfs, seq_file */
#define MISC_DYNAMIC_MINOR 255
struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	umode_t mode;
};

int misc_register(struct miscdevice *misc);

struct dentry;
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);

struct seq_file {
	void *private;
	char buf[1024];
	size_t count;
};

__attribute__((format(printf, 2, 3)))
void seq_printf(struct seq_file *m, const char *fmt, ...);
ssize_t seq_read(struct file *file, char __user *buf, size_t len,
		 loff_t *pos);
loff_t seq_lseek(struct file *file, loff_t off, int whence);
int single_open(struct file *file, int (*show)(struct seq_file *, void *),
		void *data);
int single_release(struct inode *inode, struct file *file);

#endif /* _LUO_SIM_H */
