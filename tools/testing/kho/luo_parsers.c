// SPDX-License-Identifier: GPL-2.0-only
/*
 * The files of the Live Update Orchestrator (kernel/liveupdate/luo_*.c),
 * which take in the sessions of an incoming handover, built for user space
 * as one unit over the stand-ins of include/luo_sim.h, next to the KHO unit
 * (kho_parsers.c) whose API they call. They are the kernel's files,
 * unchanged. The KHO calls that hand memory to LUO are wrapped, so that
 * luo_sim.c can check what LUO does with it.
 */
#include <luo_sim.h>
#include "sim.h"

/* Every folio LUO restores must be freed by the end (luo_sim.c). */
static struct folio *sim_luo_restore_folio(phys_addr_t phys)
{
	struct folio *folio = kho_restore_folio(phys);

	if (folio)
		sim_luo_restored(folio);
	return folio;
}

static void sim_luo_restore_free(void *mem)
{
	kho_restore_free(mem);
	if (mem)
		sim_luo_freed(mem);
}

static void *sim_luo_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	void *ptr = kho_restore_vmalloc(preservation);

	if (ptr)
		sim_luo_vmalloc_restored(ptr, preservation->total_pages);
	return ptr;
}

#define kho_retrieve_subtree sim_retrieve_subtree
#define kho_restore_folio sim_luo_restore_folio
#define kho_restore_free sim_luo_restore_free
#define kho_restore_vmalloc sim_luo_restore_vmalloc

#undef pr_fmt
#include "../../../kernel/liveupdate/luo_file.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/luo_session.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/luo_core.c"
#undef pr_fmt
#include "../../../kernel/liveupdate/luo_memfd.c"

/* Back to the state of a kernel that has not booted yet. */
void sim_luo_reset_parsers(void)
{
	SIM_FAIL_IF(luo_lock.held);
	luo_param = false;
	luo_frozen = false;
	INIT_LIST_HEAD(&luo_handlers);
	INIT_LIST_HEAD(&luo_files);
	INIT_LIST_HEAD(&luo_out_sessions);
	INIT_LIST_HEAD(&luo_in_sessions);
	luo_ser_header = NULL;
	luo_liveupdate_num = 0;
	luo_fdt_out = NULL;
	atomic_set(&luo_dev_busy, 0);
}

/*
 * The initcalls of LUO, in the order of a boot with liveupdate=@on and
 * kho=on: the core (device_initcall), the memfd handler (late_initcall),
 * the report of sessions waiting (late_initcall_sync).
 */
void sim_luo_initcalls(bool on)
{
	luo_param = on;
	sim_kho_enable();
	luo_init();
	memfd_luo_init();
	luo_late_report();
}

/* What debugfs liveupdate/in and out show. */
void sim_luo_show(void)
{
	struct seq_file m = { .private = (void *)1UL };

	luo_debugfs_show(&m, NULL);
	m.private = NULL;
	luo_debugfs_show(&m, NULL);
}

/*
 * The names of the incoming sessions, LUO_SESSION_NAME_LENGTH bytes each,
 * as userspace knows them: the kernel offers no list, but the userspace
 * of a live update made them.
 */
unsigned int sim_luo_in_names(char *names, unsigned int max)
{
	struct luo_session *s;
	unsigned int n = 0;

	guard(mutex)(&luo_lock);
	list_for_each_entry(s, &luo_in_sessions, list) {
		if (n == max)
			break;
		memcpy(names + n++ * LUO_SESSION_NAME_LENGTH, s->name,
		       LUO_SESSION_NAME_LENGTH);
	}
	return n;
}

/* The tokens of the files of the session of an fd, in its order. */
unsigned int sim_luo_tokens(struct file *session, u64 *tokens,
			    unsigned int max)
{
	struct luo_session *s = session->private_data;
	struct luo_file *lf;
	unsigned int n = 0;

	guard(mutex)(&luo_lock);
	list_for_each_entry(lf, &s->files, list) {
		if (n == max)
			break;
		tokens[n++] = lf->token;
	}
	return n;
}

/* Every incoming session finished, every file with it, no lock held. */
bool sim_luo_idle(void)
{
	return list_empty(&luo_in_sessions) && list_empty(&luo_files) &&
	       !luo_lock.held;
}
