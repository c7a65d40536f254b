// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmalloc() areas across kexec: every page of the area is preserved, plus
 * a chain of pages that lists them (struct kho_vmalloc_chunk), so that the
 * next kernel can map the same pages again.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "kho_preserve.h"
#include "kho_restore.h"

static void kho_chunk_free(struct kho_vmalloc_chunk *chunk)
{
	__kho_unpreserve_pages(virt_to_page(chunk), 1);
	free_page((unsigned long)chunk);
}

/*
 * Undo a preservation of this kernel (order 0): the first @done pages
 * listed in the chain of @desc, then the chain itself. Returns the first
 * error of an unpreserve.
 */
static int kho_vmalloc_undo(struct kho_vmalloc *desc, unsigned long done)
{
	struct kho_vmalloc_chunk *chunk;
	u64 phys = desc->first;
	unsigned long i;
	int err, ret = 0;

	while (phys) {
		chunk = phys_to_virt(phys);
		for (i = 0; i < ARRAY_SIZE(chunk->phys) && chunk->phys[i] && done;
		     i++, done--) {
			err = __kho_unpreserve_pages(pfn_to_page(PHYS_PFN(chunk->phys[i])), 1);
			if (err && !ret)
				ret = err;
		}
		phys = chunk->next;
		kho_chunk_free(chunk);
	}
	memset(desc, 0, sizeof(*desc));
	return ret;
}

/*
 * A new, empty chunk page at the end of the chain of @desc, whose last
 * chunk is @last (NULL for none yet).
 */
static struct kho_vmalloc_chunk *kho_chunk_add(struct kho_vmalloc *desc,
					       struct kho_vmalloc_chunk *last)
{
	struct kho_vmalloc_chunk *chunk;
	int err;

	BUILD_BUG_ON(sizeof(*chunk) > PAGE_SIZE);
	chunk = (void *)get_zeroed_page(GFP_KERNEL);
	if (!chunk)
		return ERR_PTR(-ENOMEM);
	err = __kho_preserve_pages(virt_to_page(chunk), 1);
	if (err) {
		free_page((unsigned long)chunk);
		return ERR_PTR(err);
	}
	if (last)
		last->next = virt_to_phys(chunk);
	else
		desc->first = virt_to_phys(chunk);
	return chunk;
}

/**
 * kho_preserve_vmalloc - preserve a vmalloc() area across kexec
 * @ptr: start of the area, as vmalloc() returned it
 * @preservation: filled in; store it in your own preserved data
 *
 * Every page of the area is preserved as an order-0 block, plus a chain of
 * pages listing them (see &struct kho_vmalloc). The next kernel maps the
 * same pages again with kho_restore_vmalloc(). An area that
 * kho_restore_vmalloc() mapped can be preserved again, for the kexec
 * after.
 *
 * Return: 0; -EINVAL when @ptr is not the start of a vmalloc() area;
 * -EOPNOTSUPP for huge-page mappings or when KHO is off; -ENOMEM; or as
 * kho_preserve_pages() (-EBUSY once a kexec has frozen the handover). On
 * failure nothing stays preserved.
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct vm_struct *vm = find_vm_area(ptr);
	struct kho_vmalloc_chunk *chunk = NULL;
	unsigned int i, used = 0;
	phys_addr_t phys;
	int err;

	memset(preservation, 0, sizeof(*preservation));
	/* vmalloc(), or an area kho_restore_vmalloc() mapped (kexec chains). */
	if (!vm || vm->addr != ptr || !vm->pages || !vm->nr_pages ||
	    !(vm->flags & (VM_ALLOC | VM_MAP_PUT_PAGES)))
		return -EINVAL;
	if (is_vm_area_hugepages(ptr))
		return -EOPNOTSUPP;
	err = kho_out_begin();
	if (err)
		return err;

	for (i = 0; i < vm->nr_pages; i++) {
		cond_resched();
		if (!chunk || used == ARRAY_SIZE(chunk->phys)) {
			chunk = kho_chunk_add(preservation, chunk);
			if (IS_ERR(chunk)) {
				err = PTR_ERR(chunk);
				goto undo;
			}
			used = 0;
		}
		phys = page_to_phys(vm->pages[i]);
		/* 0 ends a chunk's list: page 0 cannot be listed. */
		if (!phys) {
			err = -EINVAL;
			goto undo;
		}
		err = __kho_preserve_pages(vm->pages[i], 1);
		if (err)
			goto undo;
		chunk->phys[used++] = phys;
	}
	preservation->total_pages = vm->nr_pages;
	if (vm->flags & VM_ALLOC)
		preservation->flags |= KHO_VMALLOC_ALLOC;
	if (vm->flags & VM_ALLOW_HUGE_VMAP)
		preservation->flags |= KHO_VMALLOC_HUGE_VMAP;
	kho_out_end();
	return 0;

undo:
	kho_vmalloc_undo(preservation, i);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - stop preserving a vmalloc() area
 * @preservation: what kho_preserve_vmalloc() filled in; cleared
 *
 * Return: 0; -ENOENT when @preservation does not describe a preserved
 * area of this kernel; -EBUSY once a kexec has frozen the handover (the
 * area stays preserved, and @preservation as it was).
 */
int kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	int err = kho_out_begin();

	if (err)
		return err;
	if (!preservation->first || !preservation->total_pages ||
	    preservation->order ||
	    !kho_mem_is_preserved(preservation->first, 0))
		err = -ENOENT;
	else if (kho_vmalloc_undo(preservation, preservation->total_pages))
		err = -ENOENT;
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/*
 * The number of blocks a chunk lists, in @nr: up to its first 0 entry, or
 * all of its entries. False when a non-zero entry follows a 0, or when the
 * chunk lists more than the @left blocks the descriptor has left.
 */
static bool kho_chunk_entries(const struct kho_vmalloc_chunk *chunk,
			      unsigned long left, unsigned int *nr)
{
	unsigned int i, n;

	for (n = 0; n < ARRAY_SIZE(chunk->phys) && chunk->phys[n]; n++)
		;
	for (i = n; i < ARRAY_SIZE(chunk->phys); i++) {
		if (chunk->phys[i])
			return false;
	}
	*nr = n;
	return n <= left;
}

/* Put back the blocks and chunk pages a failed restore had taken. */
static void kho_vmalloc_unrestore(struct page **pages, unsigned long n,
				  unsigned int order, struct list_head *chunks)
{
	struct page *page, *tmp;

	while (n) {
		n -= 1UL << order;
		kho_unrestore_block(pages[n], order);
	}
	list_for_each_entry_safe(page, tmp, chunks, lru) {
		list_del(&page->lru);
		kho_unrestore_block(page, 0);
	}
}

/**
 * kho_restore_vmalloc - map a vmalloc() area of the previous kernel again
 * @preservation: the descriptor kho_preserve_vmalloc() filled in there
 *
 * Checks the descriptor and every chunk page before it uses them, restores
 * every block the chain lists, each a preserved block of 2^order pages,
 * and maps their pages, in order, one by one, at a new address. The chain
 * of chunk pages is freed once the area is mapped.
 *
 * Return: the new mapping (free it with vfree()), or NULL when the
 * descriptor is not one this kernel can map (unknown flags, an order above
 * %MAX_PAGE_ORDER, a page count of 0 or not a multiple of 2^order; a chain
 * that loops, lists a page twice, lists more or fewer blocks than the page
 * count makes, or an entry after a 0 entry), when a chunk page or a block
 * it lists was not preserved, or when memory for the mapping ran short.
 * On failure, every page stays preserved as it was, so the caller can try
 * again; nothing is freed.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, n = 0, j;
	unsigned int order = preservation->order, nr, i;
	struct kho_vmalloc_chunk *chunk;
	u64 phys = preservation->first;
	struct page **pages, *page, *tmp;
	LIST_HEAD(chunks);
	void *ptr;

	if (preservation->flags & ~KHO_VMALLOC_FLAGS_MASK ||
	    order > MAX_PAGE_ORDER || !total || total > totalram_pages() ||
	    !IS_ALIGNED(total, 1UL << order))
		return NULL;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	/*
	 * A chain that loops, or lists a chunk page or a block twice, fails
	 * on the second restore of the same page: a block is restored once.
	 */
	while (phys) {
		cond_resched();
		page = kho_restore_block(phys, 0);
		if (!page)
			goto fail;
		list_add(&page->lru, &chunks);
		chunk = page_address(page);
		if (!kho_chunk_entries(chunk, (total - n) >> order, &nr))
			goto fail;
		for (i = 0; i < nr; i++) {
			page = kho_restore_block(chunk->phys[i], order);
			if (!page)
				goto fail;
			for (j = 0; j < (1UL << order); j++)
				pages[n++] = page + j;
		}
		phys = chunk->next;
	}
	if (n != total)
		goto fail;

	/* Mapped page by page: each has a reference of its own for vfree(). */
	ptr = vmap(pages, total, VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (!ptr)
		goto fail;
	list_for_each_entry_safe(page, tmp, &chunks, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	return ptr;

fail:
	kho_vmalloc_unrestore(pages, n, order, &chunks);
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);
