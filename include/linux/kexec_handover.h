/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec handover (KHO): preserve memory and serialized state of subsystems
 * across kexec. See Documentation/core-api/kho/ for the concepts and
 * include/linux/kho/abi/kexec_handover.h for the format.
 */
#ifndef _LINUX_KEXEC_HANDOVER_H
#define _LINUX_KEXEC_HANDOVER_H

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>

struct folio;
struct kexec_buf;
struct kho_vmalloc;
struct kimage;
struct page;
struct resource;

#ifdef CONFIG_KEXEC_HANDOVER

bool kho_is_enabled(void);
bool is_kho_boot(void);

int kho_add_subtree(const char *name, void *blob, size_t size);
void kho_remove_subtree(void *blob);
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size);
bool kho_fdt_valid(const void *fdt, size_t size);

int kho_preserve_pages(struct page *page, unsigned long nr_pages);
int kho_unpreserve_pages(struct page *page, unsigned long nr_pages);
int kho_preserve_folio(struct folio *folio);
int kho_unpreserve_folio(struct folio *folio);
struct folio *kho_restore_folio(phys_addr_t phys);
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages);

void *kho_alloc_preserve(size_t size);
void kho_unpreserve_free(void *mem);
void kho_restore_free(void *mem);

int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation);
int kho_unpreserve_vmalloc(struct kho_vmalloc *preservation);
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation);

/* Boot and kexec hooks */
void kho_populate(phys_addr_t fdt_phys, u64 fdt_size,
		  phys_addr_t scratch_phys, u64 scratch_size);
void kho_revive(void);
void kho_memory_init(void);
int kho_fill_kimage(struct kimage *image);
void kho_freeze(void);
void kho_thaw(void);
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *, void *));
phys_addr_t kho_reserve_mem_find(const char *name, phys_addr_t size,
				 phys_addr_t align);

/* Fault injection for the architecture's kexec loader (kho_corrupt.c). */
#define KHO_SETUP_DATA_BAD_LEN	1	/* a length 8 bytes short */
#define KHO_SETUP_DATA_BAD_DUP	2	/* a second, empty entry after it */

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
void kho_debug_page_freed(struct page *page, unsigned int order);
int kho_debug_setup_data(void);
#else
static inline void kho_debug_page_freed(struct page *page, unsigned int order)
{
}

static inline int kho_debug_setup_data(void)
{
	return 0;
}
#endif

#else /* CONFIG_KEXEC_HANDOVER */

static inline bool kho_is_enabled(void)
{
	return false;
}

static inline bool is_kho_boot(void)
{
	return false;
}

static inline int kho_add_subtree(const char *name, void *blob, size_t size)
{
	return -EOPNOTSUPP;
}

static inline void kho_remove_subtree(void *blob) { }

static inline int kho_retrieve_subtree(const char *name, phys_addr_t *phys,
				       size_t *size)
{
	return -EOPNOTSUPP;
}

static inline bool kho_fdt_valid(const void *fdt, size_t size)
{
	return false;
}

static inline int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	return -EOPNOTSUPP;
}

static inline int kho_unpreserve_pages(struct page *page,
				       unsigned long nr_pages)
{
	return -EOPNOTSUPP;
}

static inline int kho_preserve_folio(struct folio *folio)
{
	return -EOPNOTSUPP;
}

static inline int kho_unpreserve_folio(struct folio *folio)
{
	return -EOPNOTSUPP;
}

static inline struct folio *kho_restore_folio(phys_addr_t phys)
{
	return NULL;
}

static inline struct page *kho_restore_pages(phys_addr_t phys,
					     unsigned long nr_pages)
{
	return NULL;
}

static inline void *kho_alloc_preserve(size_t size)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void kho_unpreserve_free(void *mem) { }
static inline void kho_restore_free(void *mem) { }

static inline int kho_preserve_vmalloc(void *ptr,
				       struct kho_vmalloc *preservation)
{
	return -EOPNOTSUPP;
}

static inline int kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	return -EOPNOTSUPP;
}

static inline void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	return NULL;
}

static inline void kho_populate(phys_addr_t fdt_phys, u64 fdt_size,
				phys_addr_t scratch_phys, u64 scratch_size) { }
static inline void kho_revive(void) { }
static inline void kho_memory_init(void) { }

static inline int kho_fill_kimage(struct kimage *image)
{
	return 0;
}

static inline void kho_freeze(void)
{
}

static inline void kho_debug_page_freed(struct page *page, unsigned int order)
{
}

static inline void kho_thaw(void)
{
}

/* 1: KHO does not place this buffer, the caller does. */
static inline int kho_locate_mem_hole(struct kexec_buf *kbuf,
				      int (*func)(struct resource *, void *))
{
	return 1;
}

static inline phys_addr_t kho_reserve_mem_find(const char *name,
					       phys_addr_t size,
					       phys_addr_t align)
{
	return 0;
}

#endif /* CONFIG_KEXEC_HANDOVER */

#endif /* _LINUX_KEXEC_HANDOVER_H */
