/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Live Update Orchestrator (LUO): the interface of /dev/liveupdate.
 *
 * Programs keep file descriptors across a kexec by placing them in named
 * sessions; the next kernel hands the sessions and their files back.
 */
#ifndef _UAPI_LIVEUPDATE_H
#define _UAPI_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: Live update ioctl interface
 *
 * /dev/liveupdate is the control device of the Live Update Orchestrator. It
 * can be open in one place at a time: a second open() fails with EBUSY
 * until the first file is released.
 *
 * On the device, LIVEUPDATE_IOCTL_CREATE_SESSION makes a new, named,
 * outgoing session and returns a file descriptor for it, and
 * LIVEUPDATE_IOCTL_RETRIEVE_SESSION returns a file descriptor for a
 * session that the previous kernel handed over. On a session file
 * descriptor, LIVEUPDATE_SESSION_PRESERVE_FD adds a file to an outgoing
 * session under a token chosen by the caller, LIVEUPDATE_SESSION_RETRIEVE_FD
 * gives back the file that was preserved under a token before the kexec,
 * LIVEUPDATE_SESSION_FINISH tells the kernel that the caller is done with
 * an incoming session, and LIVEUPDATE_SESSION_GET_NAME reports the name of
 * the session.
 *
 * An outgoing session is kept for the next kernel as long as its file
 * descriptor is open, even once /dev/liveupdate itself is closed. Closing
 * the last descriptor of a session before the kexec drops the session and
 * stops preserving its files.
 *
 * Every command is _IO(LIVEUPDATE_IOCTL_TYPE, nr) and its argument points
 * to a structure whose first member, @size, holds the size of the
 * structure as the caller knows it. This lets the structures grow: the
 * kernel accepts a larger structure when all the bytes past the end of
 * the one it knows are zero, and fails with E2BIG otherwise; it accepts a
 * smaller one as long as it still holds every member the command needs.
 *
 * Errors that have the same meaning for every command:
 *
 *  - ENOTTY: the command number is not known on this file.
 *  - E2BIG: a byte past the end of the structure the kernel knows is not
 *    zero.
 *  - EOPNOTSUPP: a member has a value that this kernel does not support.
 *  - EINVAL: a member is wrong, for example @size is too small for the
 *    command, a name is empty or not terminated, or a reserved member is
 *    not zero.
 *  - ENOENT: there is no such session or token.
 *  - ENOMEM: the kernel is out of memory.
 *  - EOVERFLOW: a computation on the given values would overflow.
 *
 * Commands also return errors of their own, listed with each structure.
 */

/* The ioctl type of /dev/liveupdate and of session file descriptors. */
#define LIVEUPDATE_IOCTL_TYPE		0xBA

/* Length of a session name, including its terminating NUL byte. */
#define LIVEUPDATE_SESSION_NAME_LENGTH	64

/* Command numbers on /dev/liveupdate. */
enum {
	LIVEUPDATE_CMD_BASE = 0x00,
	LIVEUPDATE_CMD_CREATE_SESSION = LIVEUPDATE_CMD_BASE,
	LIVEUPDATE_CMD_RETRIEVE_SESSION = 0x01
};

/* Command numbers on a session file descriptor. */
enum {
	LIVEUPDATE_CMD_SESSION_BASE = 0x40,
	LIVEUPDATE_CMD_SESSION_PRESERVE_FD = LIVEUPDATE_CMD_SESSION_BASE,
	LIVEUPDATE_CMD_SESSION_RETRIEVE_FD = 0x41,
	LIVEUPDATE_CMD_SESSION_FINISH = 0x42,
	LIVEUPDATE_CMD_SESSION_GET_NAME = 0x43
};

/**
 * struct liveupdate_ioctl_create_session - LIVEUPDATE_IOCTL_CREATE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_create_session) as the caller
 *        knows it.
 * @fd:   Output: a new file descriptor of the session, with FD_CLOEXEC set.
 * @name: Input: the name of the session, NUL-terminated, at least one
 *        character and at most LIVEUPDATE_SESSION_NAME_LENGTH - 1. The
 *        next kernel looks the session up by this name.
 *
 * Create an outgoing session on /dev/liveupdate. Fails with EEXIST when a
 * session of this name already exists, and with EINVAL when @name is empty
 * or has no NUL byte.
 */
struct liveupdate_ioctl_create_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION)

/**
 * struct liveupdate_ioctl_retrieve_session - LIVEUPDATE_IOCTL_RETRIEVE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_retrieve_session) as the caller
 *        knows it.
 * @fd:   Output: a new file descriptor of the session, with FD_CLOEXEC set.
 * @name: Input: the NUL-terminated name the session was created with
 *        before the kexec.
 *
 * Take a session that the previous kernel handed over, on /dev/liveupdate.
 * Fails with ENOENT when no incoming session has this name.
 */
struct liveupdate_ioctl_retrieve_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION)

/**
 * struct liveupdate_session_preserve_fd - LIVEUPDATE_SESSION_PRESERVE_FD
 * @size:  sizeof(struct liveupdate_session_preserve_fd) as the caller
 *         knows it.
 * @fd:    Input: the file descriptor of the file to keep across the kexec.
 * @token: Input: a value chosen by the caller, unique within the session,
 *         that names the file in LIVEUPDATE_SESSION_RETRIEVE_FD after the
 *         kexec.
 *
 * Add a file to an outgoing session. The session holds a reference to the
 * file until it is closed or the machine kexecs. Fails with EBADF when @fd
 * is not open, ENOENT when no handler can preserve this kind of file,
 * EEXIST when @token is already used in the session and EBUSY when the
 * file is already preserved. While a file is preserved its handler may
 * refuse changes it cannot carry over; a memfd, for example, keeps its
 * size.
 */
struct liveupdate_session_preserve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_PRESERVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD)

/**
 * struct liveupdate_session_retrieve_fd - LIVEUPDATE_SESSION_RETRIEVE_FD
 * @size:  sizeof(struct liveupdate_session_retrieve_fd) as the caller
 *         knows it.
 * @fd:    Output: a new file descriptor of the restored file.
 * @token: Input: the token the file was preserved with before the kexec.
 *
 * Take a file back from an incoming session. Each file can be taken once:
 * fails with ENOENT when the session came from this kernel, when no file
 * has @token or when it was already retrieved.
 */
struct liveupdate_session_retrieve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_RETRIEVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_RETRIEVE_FD)

/**
 * struct liveupdate_session_finish - LIVEUPDATE_SESSION_FINISH
 * @size:     sizeof(struct liveupdate_session_finish) as the caller knows it.
 * @reserved: Must be zero.
 *
 * Tell the kernel that the caller is done with an incoming session: the
 * kernel lets go of what it still kept for the session, and files that were
 * not retrieved are lost. Fails with EINVAL on an outgoing session.
 */
struct liveupdate_session_finish {
	__u32	size;
	__u32	reserved;
};

#define LIVEUPDATE_SESSION_FINISH \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_FINISH)

/**
 * struct liveupdate_session_get_name - LIVEUPDATE_SESSION_GET_NAME
 * @size:     sizeof(struct liveupdate_session_get_name) as the caller knows
 *            it.
 * @reserved: Must be zero.
 * @name:     Output: the name of the session, NUL-terminated.
 *
 * Report the name of a session, outgoing or incoming.
 */
struct liveupdate_session_get_name {
	__u32	size;
	__u32	reserved;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_SESSION_GET_NAME \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME)

#endif /* _UAPI_LIVEUPDATE_H */
