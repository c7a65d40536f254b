// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of /dev/liveupdate that need no kexec: opening the device,
 * creating sessions, the size rules of the ioctl structures, errors of
 * each command, and what preserving a memfd allows and refuses.
 *
 * The kernel must be booted with liveupdate=on (and KHO enabled); when
 * /dev/liveupdate does not exist every test is skipped.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/liveupdate.h>

#include "../kselftest_harness.h"

#define LUO_DEVICE	"/dev/liveupdate"
#define MEMFD_SIZE	(16 * 1024)

/* The binary layout of the uAPI: these sizes must never change. */
static_assert(sizeof(struct liveupdate_ioctl_create_session) == 72,
	      "create_session layout");
static_assert(sizeof(struct liveupdate_ioctl_retrieve_session) == 72,
	      "retrieve_session layout");
static_assert(sizeof(struct liveupdate_session_preserve_fd) == 16,
	      "preserve_fd layout");
static_assert(sizeof(struct liveupdate_session_retrieve_fd) == 16,
	      "retrieve_fd layout");
static_assert(sizeof(struct liveupdate_session_finish) == 8,
	      "finish layout");
static_assert(sizeof(struct liveupdate_session_get_name) == 72,
	      "get_name layout");
static_assert(offsetof(struct liveupdate_ioctl_create_session, name) == 8,
	      "create_session name offset");
static_assert(offsetof(struct liveupdate_session_preserve_fd, token) == 8,
	      "preserve_fd token offset");
static_assert(offsetof(struct liveupdate_session_retrieve_fd, token) == 8,
	      "retrieve_fd token offset");
static_assert(offsetof(struct liveupdate_session_get_name, name) == 8,
	      "get_name name offset");

/* A structure followed by bytes the kernel does not know about. */
struct create_session_ext {
	struct liveupdate_ioctl_create_session arg;
	__u8 tail[8];
};

struct get_name_ext {
	struct liveupdate_session_get_name arg;
	__u8 tail[8];
};

/* The result of a system call, or -errno: one EXPECT_EQ() checks both. */
static long sys_ret(long ret)
{
	return ret < 0 ? -errno : ret;
}

static int luo_ioctl(int fd, unsigned long cmd, void *arg)
{
	return sys_ret(ioctl(fd, cmd, arg));
}

static void set_name(__u8 *dst, const char *name)
{
	snprintf((char *)dst, LIVEUPDATE_SESSION_NAME_LENGTH, "%s", name);
}

static int create_session(int dev, const char *name, int *sfd)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};
	int ret;

	set_name(arg.name, name);
	ret = luo_ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg);
	if (!ret)
		*sfd = arg.fd;
	return ret;
}

static int get_name(int sfd, char *name)
{
	struct liveupdate_session_get_name arg = { .size = sizeof(arg) };
	int ret;

	memset(arg.name, 0xa5, sizeof(arg.name));
	ret = luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &arg);
	if (!ret)
		memcpy(name, arg.name, sizeof(arg.name));
	return ret;
}

static int preserve_fd(int sfd, int fd, __u64 token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg),
		.fd = fd,
		.token = token,
	};

	return luo_ioctl(sfd, LIVEUPDATE_SESSION_PRESERVE_FD, &arg);
}

static int retrieve_fd(int sfd, __u64 token, int *fd)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg),
		.fd = -1,
		.token = token,
	};
	int ret;

	ret = luo_ioctl(sfd, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg);
	if (!ret)
		*fd = arg.fd;
	return ret;
}

static int finish(int sfd, __u32 reserved)
{
	struct liveupdate_session_finish arg = {
		.size = sizeof(arg),
		.reserved = reserved,
	};

	return luo_ioctl(sfd, LIVEUPDATE_SESSION_FINISH, &arg);
}

/* A memfd of @size bytes, every byte written. Returns -1 on failure. */
static int make_memfd(size_t size, unsigned int flags)
{
	char buf[4096];
	size_t off;
	int fd;

	fd = memfd_create("luo-test", flags);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, size) < 0)
		goto err;
	memset(buf, 0x5a, sizeof(buf));
	for (off = 0; off < size; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf))
			goto err;
	return fd;
err:
	close(fd);
	return -1;
}

FIXTURE(liveupdate) {
	int dev;
};

FIXTURE_SETUP(liveupdate)
{
	self->dev = open(LUO_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->dev < 0 && errno == ENOENT)
		SKIP(return, "%s missing: liveupdate=on not given, or CONFIG_LIVEUPDATE off",
		     LUO_DEVICE);
	ASSERT_LE(0, self->dev)
		TH_LOG("open %s: %s", LUO_DEVICE, strerror(errno));
}

FIXTURE_TEARDOWN(liveupdate)
{
	if (self->dev >= 0)
		close(self->dev);
}

/* Only one open file of the device at a time. */
TEST_F(liveupdate, open_exclusive)
{
	int fd;

	fd = sys_ret(open(LUO_DEVICE, O_RDWR));
	EXPECT_EQ(-EBUSY, fd);
	if (fd >= 0)
		close(fd);

	ASSERT_EQ(0, close(self->dev));
	self->dev = open(LUO_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev) TH_LOG("reopen: %s", strerror(errno));
}

TEST_F(liveupdate, create_session)
{
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int sfd, sfd2, sfd3;
	int flags;

	ASSERT_EQ(0, create_session(self->dev, "create-a", &sfd));
	ASSERT_LE(0, sfd);
	flags = fcntl(sfd, F_GETFD);
	ASSERT_LE(0, flags);
	EXPECT_TRUE(flags & FD_CLOEXEC);

	ASSERT_EQ(0, get_name(sfd, name));
	EXPECT_STREQ("create-a", name);

	EXPECT_EQ(-EEXIST, create_session(self->dev, "create-a", &sfd2));

	ASSERT_EQ(0, create_session(self->dev, "create-b", &sfd2));
	ASSERT_EQ(0, create_session(self->dev, "create-c", &sfd3));
	EXPECT_NE(sfd2, sfd3);
	ASSERT_EQ(0, get_name(sfd2, name));
	EXPECT_STREQ("create-b", name);
	ASSERT_EQ(0, get_name(sfd3, name));
	EXPECT_STREQ("create-c", name);

	close(sfd3);
	close(sfd2);
	close(sfd);
}

TEST_F(liveupdate, session_names)
{
	struct liveupdate_ioctl_create_session arg;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	char longest[LIVEUPDATE_SESSION_NAME_LENGTH];
	int sfd;

	/* Empty name. */
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.fd = -1;
	EXPECT_EQ(-EINVAL, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg));

	/* All 64 bytes used, no room for the NUL. */
	memset(arg.name, 'n', sizeof(arg.name));
	EXPECT_EQ(-EINVAL, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg));

	/* The longest name that fits: 63 characters and the NUL. */
	memset(longest, 'l', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	ASSERT_EQ(0, create_session(self->dev, longest, &sfd));
	ASSERT_EQ(0, get_name(sfd, name));
	EXPECT_EQ(0, memcmp(longest, name, sizeof(longest)));
	close(sfd);
}

TEST_F(liveupdate, create_session_size)
{
	struct liveupdate_ioctl_create_session arg;
	struct create_session_ext ext;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	const __u32 small[] = { 0, 4, 8, sizeof(arg) - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		memset(&arg, 0, sizeof(arg));
		arg.size = small[i];
		arg.fd = -1;
		set_name(arg.name, "size-small");
		EXPECT_EQ(-EINVAL, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg))
			TH_LOG("size %u", small[i]);
	}

	/* A larger structure with a non-zero byte the kernel does not know. */
	memset(&ext, 0, sizeof(ext));
	ext.arg.size = sizeof(ext);
	ext.arg.fd = -1;
	set_name(ext.arg.name, "size-ext");
	ext.tail[7] = 1;
	EXPECT_EQ(-E2BIG, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &ext));

	/* The same with a zero tail works. */
	ext.tail[7] = 0;
	ASSERT_EQ(0, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &ext));
	ASSERT_LE(0, ext.arg.fd);
	ASSERT_EQ(0, get_name(ext.arg.fd, name));
	EXPECT_STREQ("size-ext", name);
	close(ext.arg.fd);
}

TEST_F(liveupdate, get_name_size)
{
	struct liveupdate_session_get_name arg;
	struct get_name_ext ext;
	const __u32 small[] = { 0, 4, 8, sizeof(arg) - 1 };
	unsigned int i;
	int sfd;

	ASSERT_EQ(0, create_session(self->dev, "get-name-size", &sfd));

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		memset(&arg, 0, sizeof(arg));
		arg.size = small[i];
		EXPECT_EQ(-EINVAL, luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &arg))
			TH_LOG("size %u", small[i]);
	}

	memset(&ext, 0, sizeof(ext));
	ext.arg.size = sizeof(ext);
	ext.tail[0] = 0xff;
	EXPECT_EQ(-E2BIG, luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &ext));

	memset(&ext, 0, sizeof(ext));
	ext.arg.size = sizeof(ext);
	ASSERT_EQ(0, luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &ext));
	EXPECT_STREQ("get-name-size", (char *)ext.arg.name);
	close(sfd);
}

TEST_F(liveupdate, reserved_not_zero)
{
	struct liveupdate_session_get_name arg;
	int sfd;

	ASSERT_EQ(0, create_session(self->dev, "reserved", &sfd));

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.reserved = 1;
	EXPECT_EQ(-EINVAL, luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &arg));
	arg.reserved = 0x80000000;
	EXPECT_EQ(-EINVAL, luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &arg));

	EXPECT_EQ(-EINVAL, finish(sfd, 1));
	close(sfd);
}

TEST_F(liveupdate, unknown_ioctl)
{
	__u8 buf[128];
	int sfd;

	memset(buf, 0, sizeof(buf));
	*(__u32 *)buf = sizeof(buf);

	EXPECT_EQ(-ENOTTY, luo_ioctl(self->dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x10), buf));
	EXPECT_EQ(-ENOTTY, luo_ioctl(self->dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x02), buf));
	/* Session commands are not commands of the device. */
	EXPECT_EQ(-ENOTTY, luo_ioctl(self->dev, LIVEUPDATE_SESSION_GET_NAME, buf));

	ASSERT_EQ(0, create_session(self->dev, "unknown-ioctl", &sfd));
	EXPECT_EQ(-ENOTTY, luo_ioctl(sfd, _IO(LIVEUPDATE_IOCTL_TYPE, 0x50), buf));
	EXPECT_EQ(-ENOTTY, luo_ioctl(sfd, _IO(LIVEUPDATE_IOCTL_TYPE, 0x44), buf));
	/* Device commands are not commands of a session. */
	EXPECT_EQ(-ENOTTY, luo_ioctl(sfd, LIVEUPDATE_IOCTL_CREATE_SESSION, buf));
	close(sfd);
}

TEST_F(liveupdate, preserve_fd)
{
	int sfd, memfd, memfd2, empty, nullfd;

	ASSERT_EQ(0, create_session(self->dev, "preserve", &sfd));
	memfd = make_memfd(MEMFD_SIZE, 0);
	ASSERT_LE(0, memfd);
	memfd2 = make_memfd(MEMFD_SIZE, 0);
	ASSERT_LE(0, memfd2);

	ASSERT_EQ(0, preserve_fd(sfd, memfd, 1));
	/* Another file under a token the session already uses. */
	EXPECT_EQ(-EEXIST, preserve_fd(sfd, memfd2, 1));
	/* The same file under a second token. */
	EXPECT_EQ(-EBUSY, preserve_fd(sfd, memfd, 2));
	/* The token is still free for another file after both refusals. */
	EXPECT_EQ(0, preserve_fd(sfd, memfd2, 2));

	/* No handler for a character device. */
	nullfd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, nullfd);
	EXPECT_EQ(-ENOENT, preserve_fd(sfd, nullfd, 3));
	close(nullfd);

	/* A descriptor that is not open (it was just closed). */
	EXPECT_EQ(-EBADF, preserve_fd(sfd, nullfd, 4));

	/* An empty memfd. */
	empty = memfd_create("luo-empty", 0);
	ASSERT_LE(0, empty);
	EXPECT_EQ(0, preserve_fd(sfd, empty, 5));

	close(empty);
	close(memfd2);
	close(memfd);
	close(sfd);
}

TEST_F(liveupdate, preserve_hugetlb)
{
	int sfd, fd;

	fd = memfd_create("luo-huge", MFD_HUGETLB);
	if (fd < 0)
		SKIP(return, "no hugetlb memfd: %s", strerror(errno));
	ASSERT_EQ(0, create_session(self->dev, "preserve-huge", &sfd));
	EXPECT_EQ(-ENOENT, preserve_fd(sfd, fd, 1));
	close(sfd);
	close(fd);
}

/* A preserved memfd keeps its size until it is unpreserved. */
TEST_F(liveupdate, preserved_memfd_size)
{
	static char buf[4096];
	int sfd, memfd;

	ASSERT_EQ(0, create_session(self->dev, "memfd-size", &sfd));
	memfd = make_memfd(MEMFD_SIZE, 0);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, preserve_fd(sfd, memfd, 1));

	EXPECT_EQ(-EPERM, sys_ret(ftruncate(memfd, MEMFD_SIZE / 2)));
	EXPECT_EQ(-EPERM, sys_ret(ftruncate(memfd, MEMFD_SIZE * 2)));
	EXPECT_EQ(-EPERM, sys_ret(fallocate(memfd, 0, MEMFD_SIZE, 4096)));

	/* The contents may still change. */
	memset(buf, 0x3c, sizeof(buf));
	ASSERT_EQ(0, lseek(memfd, 0, SEEK_SET));
	EXPECT_EQ((long)sizeof(buf), sys_ret(write(memfd, buf, sizeof(buf))));
	EXPECT_EQ((long)sizeof(buf),
		  sys_ret(pwrite(memfd, buf, sizeof(buf), MEMFD_SIZE - sizeof(buf))));

	/* Closing the session unpreserves the file. */
	close(sfd);
	EXPECT_EQ(0, sys_ret(ftruncate(memfd, MEMFD_SIZE / 2)));
	EXPECT_EQ(0, sys_ret(ftruncate(memfd, MEMFD_SIZE * 2)));
	close(memfd);
}

/* In the first kernel there is nothing to retrieve or to finish. */
TEST_F(liveupdate, outgoing_session)
{
	struct liveupdate_ioctl_retrieve_session arg;
	int sfd, memfd, fd = -1;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.fd = -1;
	set_name(arg.name, "no-such-session");
	EXPECT_EQ(-ENOENT, luo_ioctl(self->dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg));

	ASSERT_EQ(0, create_session(self->dev, "outgoing", &sfd));
	memfd = make_memfd(MEMFD_SIZE, 0);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, preserve_fd(sfd, memfd, 7));

	EXPECT_EQ(-ENOENT, retrieve_fd(sfd, 7, &fd));
	EXPECT_EQ(-ENOENT, retrieve_fd(sfd, 8, &fd));
	EXPECT_EQ(-EINVAL, finish(sfd, 0));
	if (fd >= 0)
		close(fd);

	close(memfd);
	close(sfd);
}

/* A session outlives the device file; its name is freed when it closes. */
TEST_F(liveupdate, session_lifetime)
{
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int sfd, memfd;

	ASSERT_EQ(0, create_session(self->dev, "lifetime", &sfd));
	ASSERT_EQ(0, close(self->dev));
	self->dev = -1;

	ASSERT_EQ(0, get_name(sfd, name));
	EXPECT_STREQ("lifetime", name);
	memfd = make_memfd(MEMFD_SIZE, 0);
	ASSERT_LE(0, memfd);
	EXPECT_EQ(0, preserve_fd(sfd, memfd, 1));
	close(memfd);

	ASSERT_EQ(0, close(sfd));
	self->dev = open(LUO_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev) TH_LOG("reopen: %s", strerror(errno));
	ASSERT_EQ(0, create_session(self->dev, "lifetime", &sfd));
	ASSERT_EQ(0, get_name(sfd, name));
	EXPECT_STREQ("lifetime", name);
	close(sfd);
}

TEST_HARNESS_MAIN
