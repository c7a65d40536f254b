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
 * Undo a preservation: the first @done pages listed in the chain of @desc,
 * then the chain itself. Returns the first error of an unpreserve.
 */
static int kho_vmalloc_undo(struct kho_vmalloc *desc, unsigned long done)
{
	struct kho_vmalloc_chunk *chunk;
	u64 phys = desc->first;
	unsigned long i;
	int err, ret = 0;

	while (phys) {
		chunk = phys_to_virt(phys);
		for (i = 0; i < chunk->nr && done; i++, done--) {
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

/**
 * kho_preserve_vmalloc - preserve a vmalloc() area across kexec
 * @ptr: start of the area, as vmalloc() returned it
 * @preservation: filled in; store it in your own preserved data
 *
 * Every page of the area is preserved, plus a chain of pages listing them
 * (see &struct kho_vmalloc). The next kernel maps the same pages again with
 * kho_restore_vmalloc().
 *
 * Return: 0; -EINVAL when @ptr is not the start of a vmalloc() area;
 * -EOPNOTSUPP for huge-page mappings or when KHO is off; -ENOMEM; or as
 * kho_preserve_pages() (-EBUSY once a kexec has frozen the handover). On
 * failure nothing stays preserved.
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct kho_vmalloc_chunk *chunk = NULL, *new;
	struct vm_struct *vm = find_vm_area(ptr);
	unsigned int i;
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

	BUILD_BUG_ON(sizeof(*chunk) > PAGE_SIZE);
	for (i = 0; i < vm->nr_pages; i++) {
		cond_resched();
		if (!chunk || chunk->nr == KHO_VMALLOC_CHUNK_ENTRIES) {
			new = (void *)get_zeroed_page(GFP_KERNEL);
			if (!new) {
				err = -ENOMEM;
				goto undo;
			}
			err = __kho_preserve_pages(virt_to_page(new), 1);
			if (err) {
				free_page((unsigned long)new);
				goto undo;
			}
			if (chunk)
				chunk->next = virt_to_phys(new);
			else
				preservation->first = virt_to_phys(new);
			chunk = new;
		}
		err = __kho_preserve_pages(vm->pages[i], 1);
		if (err)
			goto undo;
		chunk->phys[chunk->nr++] = page_to_phys(vm->pages[i]);
	}
	preservation->total_pages = vm->nr_pages;
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
	    !kho_mem_is_preserved(preservation->first, 0))
		err = -ENOENT;
	else if (kho_vmalloc_undo(preservation, preservation->total_pages))
		err = -ENOENT;
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/**
 * kho_restore_vmalloc - map a vmalloc() area of the previous kernel again
 * @preservation: the descriptor kho_preserve_vmalloc() filled in there
 *
 * Restores every page of the area and maps them, in order, at a new
 * address. The chain of list pages is freed once the area is mapped.
 *
 * Return: the new mapping (free it with vfree()), or NULL when the
 * descriptor or a page it lists was not preserved, or when memory for
 * the mapping ran short. On failure, every page stays preserved as it
 * was, so the caller can try again; nothing is freed.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, n = 0, i;
	struct kho_vmalloc_chunk *chunk;
	struct page **pages, *page, *tmp;
	u64 phys = preservation->first;
	LIST_HEAD(chunks);
	void *ptr;

	if (!total || total > totalram_pages() || preservation->order ||
	    preservation->flags)
		return NULL;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	/*
	 * A chain that loops, or lists a page twice, fails on the second
	 * restore of the same page: a block is restored once.
	 */
	while (phys) {
		cond_resched();
		page = kho_restore_pages(phys, 1);
		if (!page)
			goto fail;
		list_add(&page->lru, &chunks);
		chunk = page_address(page);
		if (chunk->nr > KHO_VMALLOC_CHUNK_ENTRIES ||
		    chunk->nr > total - n)
			goto fail;
		for (i = 0; i < chunk->nr; i++) {
			pages[n] = kho_restore_pages(chunk->phys[i], 1);
			if (!pages[n])
				goto fail;
			n++;
		}
		phys = chunk->next;
	}
	if (n != total)
		goto fail;

	ptr = vmap(pages, total, VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (!ptr)
		goto fail;
	list_for_each_entry_safe(page, tmp, &chunks, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	return ptr;

fail:
	while (n--)
		kho_unrestore_page(pages[n]);
	list_for_each_entry_safe(page, tmp, &chunks, lru) {
		list_del(&page->lru);
		kho_unrestore_page(page);
	}
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);
