/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The handover format of the Live Update Orchestrator (LUO): what one
 * kernel hands the next about the sessions and files userspace preserved.
 * Both kernels may be different releases: every layout and constant here
 * is ABI, and a receiving kernel checks each of them before use.
 *
 * See Documentation/core-api/liveupdate.rst.
 */
#ifndef _LINUX_KHO_ABI_LUO_H
#define _LINUX_KHO_ABI_LUO_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>

/**
 * DOC: LUO handover format
 *
 * All LUO state hangs off one KHO subtree, ``LUO``: an FDT of at most one
 * page whose root is compatible with ``luo-v1`` and has a u64
 * ``liveupdate-number`` (live updates since the cold boot). Its child node
 * ``luo-session``, compatible with ``luo-session-v2``, has a u64
 * ``luo-session-header``: the physical address of a preserved block that
 * starts with &struct luo_session_header_ser, followed in the same block by
 * as many &struct luo_session_ser as it counts.
 *
 * A session lists its files in another preserved block, an array of
 * &struct luo_file_ser. Each file names the handler that preserved it and
 * carries the handler's own handle (``data``): for ``memfd-v1`` the
 * physical address of a &struct memfd_luo_ser.
 *
 * Every structure is packed and in the byte order of the machine.
 */

#define LUO_FDT_SIZE			4096
#define LUO_FDT_KHO_ENTRY_NAME		"LUO"
#define LUO_FDT_COMPATIBLE		"luo-v1"
#define LUO_FDT_LIVEUPDATE_NUM		"liveupdate-number"

#define LUO_FDT_SESSION_NODE_NAME	"luo-session"
#define LUO_FDT_SESSION_COMPATIBLE	"luo-session-v2"
#define LUO_FDT_SESSION_HEADER		"luo-session-header"

/* Longest session name, with its NUL (the uAPI's, too). */
#define LUO_SESSION_NAME_LENGTH		64
/* Longest file handler compatible, with its NUL. */
#define LUO_FILE_COMPAT_LENGTH		48

/**
 * struct luo_file_set_ser - the files of one session
 * @files: physical address of a preserved block of @count
 *         &struct luo_file_ser; 0 when @count is 0
 * @count: number of files
 */
struct luo_file_set_ser {
	__u64 files;
	__u64 count;
} __packed;

/**
 * struct luo_file_ser - one preserved file
 * @compatible: the handler that preserved it, NUL-terminated
 * @data:       the handler's handle of the file
 * @token:      the token userspace gave it, unique in its session
 */
struct luo_file_ser {
	char compatible[LUO_FILE_COMPAT_LENGTH];
	__u64 data;
	__u64 token;
} __packed;

/**
 * struct luo_session_ser - one preserved session
 * @name:         its name, NUL-terminated, not empty, unique
 * @file_set_ser: its files
 */
struct luo_session_ser {
	char name[LUO_SESSION_NAME_LENGTH];
	struct luo_file_set_ser file_set_ser;
} __packed;

/**
 * struct luo_session_header_ser - the sessions handed over
 * @count: number of &struct luo_session_ser that follow it
 */
struct luo_session_header_ser {
	__u64 count;
} __packed;

/**
 * DOC: memfd-v1
 *
 * A memfd is handed over as a &struct memfd_luo_ser in a preserved block:
 * its size, its file position and the list of its folios, an array of
 * &struct memfd_luo_folio_ser in a preserved vmalloc() area
 * (&struct kho_vmalloc). Each folio is preserved at its own order and
 * lands at the same page offset of the file in the next kernel. Offsets
 * without a folio read back as zeros.
 */

#define MEMFD_LUO_FH_COMPATIBLE		"memfd-v1"

#define MEMFD_LUO_FOLIO_DIRTY		0x1	/* holds user data */
#define MEMFD_LUO_FOLIO_UPTODATE	0x2
#define MEMFD_LUO_FOLIO_FLAGS_MASK	0x3

/**
 * struct memfd_luo_folio_ser - one folio of a memfd
 * @pfn:   page frame number of the folio's first page
 * @flags: MEMFD_LUO_FOLIO_*
 * @index: page offset of the folio in the file
 */
struct memfd_luo_folio_ser {
	__u64 pfn:52;
	__u64 flags:12;
	__u64 index;
} __packed;

/**
 * struct memfd_luo_ser - a preserved memfd
 * @pos:       file position
 * @size:      file size in bytes (i_size)
 * @nr_folios: number of entries in @folios
 * @folios:    the array of &struct memfd_luo_folio_ser
 */
struct memfd_luo_ser {
	__u64 pos;
	__u64 size;
	__u64 nr_folios;
	struct kho_vmalloc folios;
} __packed;

static_assert(sizeof(struct luo_file_set_ser) == 16);
static_assert(sizeof(struct luo_file_ser) == 64);
static_assert(sizeof(struct luo_session_ser) == 80);
static_assert(sizeof(struct luo_session_header_ser) == 8);
static_assert(sizeof(struct memfd_luo_folio_ser) == 16);
static_assert(sizeof(struct memfd_luo_ser) == 40);

#endif /* _LINUX_KHO_ABI_LUO_H */
