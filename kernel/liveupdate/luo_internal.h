/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Live Update Orchestrator inside: files (luo_file.c), below sessions
 * (luo_session.c), below the device, the handover and the reboot path
 * (luo_core.c). Above the KHO core, which it uses through
 * <linux/kexec_handover.h> only.
 */
#ifndef _KERNEL_LIVEUPDATE_LUO_INTERNAL_H
#define _KERNEL_LIVEUPDATE_LUO_INTERNAL_H

#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct file;
struct seq_file;

/*
 * luo_lock serializes everything of LUO: the handlers, the sessions and
 * their files, and the reboot path. Handler operations run under it.
 */
extern struct mutex luo_lock;

/* liveupdate= as the command line gave it. */
extern bool luo_param;

/*
 * Set on the kexec reboot path once the sessions are handed over: from
 * then on nothing changes them (a closed session fd does not unpreserve).
 */
extern bool luo_frozen;

/**
 * struct luo_file - one file of a session
 * @list:            in the session's list of files
 * @all:             in the list of every outgoing file (to refuse one
 *                   file in two places)
 * @fh:              its handler; for an incoming file, found at retrieve
 * @file:            outgoing: the file (a reference is held)
 * @token:           the token userspace gave it, unique in its session
 * @serialized_data: the handler's handle of the file in the handover
 * @private_data:    the handler's own
 * @compatible:      incoming: the handler named by the handover
 * @incoming:        handed over by the previous kernel
 * @retrieved:       incoming: userspace took it back
 * @frozen:          outgoing: its handler froze it for the kexec
 */
struct luo_file {
	struct list_head list;
	struct list_head all;
	struct liveupdate_file_handler *fh;
	struct file *file;
	u64 token;
	u64 serialized_data;
	void *private_data;
	char compatible[LUO_FILE_COMPAT_LENGTH];
	bool incoming;
	bool retrieved;
	bool frozen;
};

/**
 * struct luo_session - a session
 * @name:     its name, unique among outgoing and waiting incoming sessions
 * @list:     in luo_out_sessions or luo_in_sessions
 * @files:    its files (struct luo_file)
 * @nr_files: how many
 * @incoming: handed over by the previous kernel
 * @held:     incoming: a session fd is open on it
 * @finished: incoming: FINISH was done; off every list
 * @ser:      outgoing, while handed over: its block of struct luo_file_ser
 */
struct luo_session {
	char name[LUO_SESSION_NAME_LENGTH];
	struct list_head list;
	struct list_head files;
	unsigned long nr_files;
	bool incoming;
	bool held;
	bool finished;
	struct luo_file_ser *ser;
};

/* luo_file.c: files and their handlers. luo_lock held. */
bool luo_compatible_ok(const char *compatible);
int luo_file_preserve(struct file *file, u64 token, struct luo_file **out);
void luo_file_unpreserve(struct luo_file *lf);
int luo_file_freeze(struct luo_file *lf);
void luo_file_unfreeze(struct luo_file *lf);
struct luo_file *luo_file_incoming(const struct luo_file_ser *ser);
int luo_file_retrieve(struct luo_file *lf, struct file **filep);
void luo_file_finish(struct luo_file *lf);

/* luo_session.c: sessions and their fds. luo_lock held unless said. */
int luo_ucopy(void *karg, size_t ksize, size_t minsz, void __user *uarg,
	      u32 *usize);
int luo_ucopy_out(void __user *uarg, u32 usize, const void *karg, size_t ksize);
int luo_session_create(const char *name);	/* takes luo_lock */
int luo_session_retrieve(const char *name);	/* takes luo_lock */
int luo_session_serialize(u64 *header_phys);
void luo_session_unserialize(void);
int __init luo_session_deserialize(u64 header_phys);
void luo_session_show(struct seq_file *m, bool incoming);
unsigned long luo_session_count(bool incoming);

#if IS_ENABLED(CONFIG_KUNIT)
/* luo_session.c, for its KUnit tests. luo_lock held. */
struct luo_session *luo_session_new(const char *name);
void luo_session_free_out(struct luo_session *s);
int luo_session_add_file(struct luo_session *s, struct file *file, u64 token);
int luo_session_load(u64 header_phys, struct list_head *sessions);
void luo_session_finish_in(struct luo_session *s);

/* luo_memfd.c, for its KUnit tests. */
int memfd_luo_check(u64 phys, const struct memfd_luo_ser *ser);
int memfd_luo_check_folios(u64 phys, const struct memfd_luo_ser *ser,
			   const struct memfd_luo_folio_ser *folios);
#endif

#endif /* _KERNEL_LIVEUPDATE_LUO_INTERNAL_H */
