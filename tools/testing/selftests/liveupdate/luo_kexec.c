// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_kexec - keep memfds in live update sessions across a kexec, and
 * check them in the next kernel.
 *
 *   luo_kexec preserve [--seed N] SPEC...   before the kexec
 *   luo_kexec verify   [--seed N] [--preserved FILE] SPEC...
 *                                           after it, with the same SPECs
 *
 * A SPEC is one session:
 *
 *   NAME=SIZE[,SIZE...]  a session with one memfd of each SIZE (bytes, or
 *                        with a K, M or G suffix; 0 is allowed)
 *   NAME=                a session without files
 *   -NAME                a session with one 4 KiB memfd that is closed
 *                        before the kexec, so the next kernel must not have it
 *
 * For a handover that the next kernel must refuse in part (damaged on
 * purpose, see luo_corrupt= in Documentation/admin-guide/mm/liveupdate.rst),
 * NAME and each SIZE may be followed by ":ERRNO" (ENOENT, EINVAL,
 * EOPNOTSUPP, ...), which preserve ignores:
 *
 *   NAME:ERRNO=...       RETRIEVE_SESSION must fail with ERRNO
 *   SIZE:ERRNO           RETRIEVE_FD of that file must fail with ERRNO, and
 *                        a second time the same way; the session must
 *                        still finish
 *
 * File i (counted from 1) of the session at position s (counted from 0)
 * among the SPECs has token 1000 * i + s. Its contents come from a
 * pseudo-random stream seeded by the seed, the session name and the token;
 * in files of three pages or more the second page is never written, so it
 * must read back as zeros. The file position is left at a third of the
 * size.
 *
 * preserve creates the sessions, prints one line per file with a checksum
 * of its contents, and leaves a child process holding the session file
 * descriptors so that they are still preserved when the machine kexecs.
 * verify retrieves everything, compares it with what preserve wrote, prints
 * one KTAP line per check and ends with "LUO_TEST: PASS" or
 * "LUO_TEST: FAIL (<k> checks failed)". Lines meant for the test harness
 * start with "LUO_TEST: ". With --preserved FILE, KHO's accounting of the
 * preserved memory of the previous kernel (debugfs kho/in/preserved),
 * verify also prints, for each session it finishes, how many preserved
 * blocks the FINISH restored: "LUO_TEST: finish NAME released N blocks".
 *
 * Exit status: 0 on success, 1 on failure, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/liveupdate.h>

#include "../kselftest.h"	/* __printf(), ARRAY_SIZE() */

#define LUO_DEVICE	"/dev/liveupdate"
#define PAGE_BYTES	4096ULL
#define CHUNK_BYTES	(1024UL * 1024)
#define MAX_SESSIONS	999		/* the session index must stay below 1000 */
#define DROPPED_BYTES	PAGE_BYTES
#define DEFAULT_SEED	1

#define FNV64_OFFSET	0xcbf29ce484222325ULL
#define FNV64_PRIME	0x100000001b3ULL

struct luo_file {
	uint64_t size;
	uint64_t token;
	int expect;		/* errno RETRIEVE_FD must fail with, or 0 */
	int fd;
};

struct luo_spec {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	int expect;		/* errno RETRIEVE_SESSION must fail with, or 0 */
	bool dropped;
	unsigned int nr_files;
	struct luo_file *files;
	int sfd;
};

static const char *prog = "luo_kexec";
static uint64_t seed = DEFAULT_SEED;
/* KHO's in/preserved, for the blocks each FINISH releases; or NULL. */
static const char *preserved_path;
static struct luo_spec *specs;
static unsigned int nr_specs;

/* Two chunk buffers: what was read from a file and what it should hold. */
static unsigned char *got_buf, *want_buf;

static unsigned int nr_checks, nr_failed;

static void __printf(1, 2) usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr,
		"usage: %s preserve [--seed N] SPEC...\n"
		"       %s verify   [--seed N] [--preserved FILE] SPEC...\n"
		"SPEC:  NAME=SIZE[,SIZE...]  session with one memfd per SIZE (K/M/G suffixes, 0 allowed)\n"
		"       NAME=                session without files\n"
		"       -NAME                session closed before the kexec: must be gone after it\n"
		"       NAME:ERRNO=...       verify: RETRIEVE_SESSION must fail with ERRNO\n"
		"       ...=SIZE:ERRNO,...   verify: RETRIEVE_FD of that file must fail with ERRNO\n"
		"--preserved FILE            verify: KHO's debugfs in/preserved, to print the\n"
		"                            blocks each FINISH releases\n",
		prog, prog);
	exit(2);
}

/* Print why preserve cannot go on, and stop. */
static void __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	printf("LUO_TEST: preserve failed: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

/*
 * One KTAP test line. @subject and @test describe the check; when it
 * failed, the rest of the arguments say why.
 */
static bool __printf(4, 5)
check(bool ok, const char *subject, const char *test, const char *fmt, ...)
{
	va_list ap;

	nr_checks++;
	if (ok) {
		printf("ok %u %s: %s\n", nr_checks, subject, test);
		return true;
	}
	nr_failed++;
	printf("not ok %u %s: %s # ", nr_checks, subject, test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

/* What a call that returned @ret (an fd, 0 or -errno) did, for a KTAP line. */
static const char *ret_str(int ret)
{
	return ret >= 0 ? "it succeeded" : strerror(-ret);
}

/* The errnos a SPEC may expect, by name. */
static const struct {
	const char *name;
	int err;
} errno_names[] = {
	{ "ENOENT", ENOENT },
	{ "EINVAL", EINVAL },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EBUSY", EBUSY },
	{ "ENOMEM", ENOMEM },
	{ "EIO", EIO },
};

static const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return "an errno";
}

static bool parse_errno(const char *s, int *err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (!strcmp(errno_names[i].name, s)) {
			*err = errno_names[i].err;
			return true;
		}
	}
	return false;
}

/* Checksum of the file contents, as printed by both stages. */
static uint64_t fnv1a(uint64_t hash, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= p[i];
		hash *= FNV64_PRIME;
	}
	return hash;
}

/*
 * The contents of a file: a byte stream of xorshift64* outputs, started
 * from a state derived from the seed, the session name and the token.
 */
struct pattern {
	uint64_t state;
	uint64_t word;
	unsigned int left;	/* bytes of @word not handed out yet */
};

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void pattern_init(struct pattern *p, const char *name, uint64_t token)
{
	uint64_t h = fnv1a(FNV64_OFFSET, (const unsigned char *)name, strlen(name));

	p->state = mix64(seed ^ mix64(h ^ mix64(token)));
	if (!p->state)
		p->state = 1;
	p->left = 0;
}

static uint64_t pattern_next(struct pattern *p)
{
	uint64_t x = p->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	p->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void pattern_fill(struct pattern *p, unsigned char *dst, size_t len)
{
	uint64_t w;

	while (len && p->left) {
		*dst++ = p->word;
		p->word >>= 8;
		p->left--;
		len--;
	}
	while (len >= sizeof(w)) {
		w = pattern_next(p);
		memcpy(dst, &w, sizeof(w));
		dst += sizeof(w);
		len -= sizeof(w);
	}
	if (len) {
		p->word = pattern_next(p);
		p->left = sizeof(w);
		while (len--) {
			*dst++ = p->word;
			p->word >>= 8;
			p->left--;
		}
	}
}

/* Files of three pages or more have their second page left as a hole. */
static bool has_hole(uint64_t size)
{
	return size >= 3 * PAGE_BYTES;
}

/*
 * The expected contents of [@off, @off + @len) of a file of @size bytes,
 * the pattern continuing from where the previous chunk stopped.
 */
static void expected_chunk(struct pattern *p, uint64_t size, uint64_t off,
			   unsigned char *dst, size_t len)
{
	uint64_t start, end;

	pattern_fill(p, dst, len);
	if (!has_hole(size))
		return;
	start = off > PAGE_BYTES ? off : PAGE_BYTES;
	end = off + len < 2 * PAGE_BYTES ? off + len : 2 * PAGE_BYTES;
	if (start < end)
		memset(dst + (start - off), 0, end - start);
}

static int pwrite_all(int fd, const unsigned char *p, size_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes; -ENODATA if the file ends first. */
static int pread_all(int fd, unsigned char *p, size_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ENODATA;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Give a memfd its size and contents, the hole excepted, in large writes. */
static int fill_file(int fd, const char *name, uint64_t token, uint64_t size)
{
	struct pattern p;
	uint64_t off;
	size_t len;
	int ret;

	if (ftruncate(fd, size) < 0)
		return -errno;
	pattern_init(&p, name, token);
	for (off = 0; off < size; off += len) {
		len = size - off < CHUNK_BYTES ? size - off : CHUNK_BYTES;
		expected_chunk(&p, size, off, want_buf, len);
		if (has_hole(size) && off < 2 * PAGE_BYTES) {
			/* Write around the hole; the chunk always covers it. */
			ret = pwrite_all(fd, want_buf, PAGE_BYTES - off, off);
			if (!ret)
				ret = pwrite_all(fd, want_buf + (2 * PAGE_BYTES - off),
						 len - (2 * PAGE_BYTES - off), 2 * PAGE_BYTES);
		} else {
			ret = pwrite_all(fd, want_buf, len, off);
		}
		if (ret)
			return ret;
	}
	return 0;
}

struct read_result {
	int error;		/* 0, or -errno of the read that failed */
	uint64_t sum;		/* FNV-1a of what was read */
	bool match;		/* every byte is what preserve wrote */
	uint64_t bad_off;	/* first byte that differs, if !match */
	bool hole_zero;		/* the hole reads as zeros */
};

/* Read a whole file in chunks and compare it with its expected contents. */
static void read_file(int fd, const char *name, uint64_t token, uint64_t size,
		      struct read_result *res)
{
	struct pattern p;
	uint64_t off, i;
	size_t len;

	memset(res, 0, sizeof(*res));
	res->sum = FNV64_OFFSET;
	res->match = true;
	res->hole_zero = true;
	pattern_init(&p, name, token);
	for (off = 0; off < size; off += len) {
		len = size - off < CHUNK_BYTES ? size - off : CHUNK_BYTES;
		res->error = pread_all(fd, got_buf, len, off);
		if (res->error)
			return;
		expected_chunk(&p, size, off, want_buf, len);
		res->sum = fnv1a(res->sum, got_buf, len);
		if (res->match && memcmp(got_buf, want_buf, len)) {
			for (i = 0; got_buf[i] == want_buf[i]; i++)
				;
			res->match = false;
			res->bad_off = off + i;
		}
		if (has_hole(size) && off < 2 * PAGE_BYTES) {
			for (i = PAGE_BYTES - off; i < 2 * PAGE_BYTES - off; i++)
				if (got_buf[i])
					res->hole_zero = false;
		}
	}
}

/* Parse a size: decimal digits and an optional K, M or G suffix. */
static bool parse_size(const char *s, uint64_t *size)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end || v > (unsigned long long)(INT64_MAX >> shift))
		return false;
	*size = (uint64_t)v << shift;
	return true;
}

static void parse_spec(const char *arg, struct luo_spec *spec, unsigned int index)
{
	const char *eq, *sizes, *p, *colon;
	size_t len;
	char *item, *copy, *save, *err;
	unsigned int i;

	spec->sfd = -1;
	if (arg[0] == '-') {
		spec->dropped = true;
		arg++;
		if (strchr(arg, '='))
			usage("\"-%s\": a dropped session has no files", arg);
		len = strlen(arg);
		sizes = NULL;
	} else {
		eq = strchr(arg, '=');
		if (!eq)
			usage("\"%s\": SPEC needs NAME=, NAME=SIZE,... or -NAME", arg);
		len = eq - arg;
		sizes = eq + 1;
		colon = memchr(arg, ':', len);
		if (colon) {
			copy = strndup(colon + 1, eq - colon - 1);
			if (!copy)
				usage("out of memory");
			if (!parse_errno(copy, &spec->expect))
				usage("\"%s\": unknown errno \"%s\"", arg, copy);
			free(copy);
			len = colon - arg;
		}
	}
	if (!len || len >= LIVEUPDATE_SESSION_NAME_LENGTH)
		usage("session name of %zu bytes: must be 1 to %d", len,
		      LIVEUPDATE_SESSION_NAME_LENGTH - 1);
	memcpy(spec->name, arg, len);
	spec->name[len] = '\0';

	for (i = 0; i < index; i++)
		if (!strcmp(specs[i].name, spec->name))
			usage("session \"%s\" given twice", spec->name);

	if (spec->dropped) {
		spec->nr_files = 1;
	} else if (*sizes) {
		spec->nr_files = 1;
		for (p = sizes; *p; p++)
			spec->nr_files += *p == ',';
	}
	if (!spec->nr_files)
		return;
	spec->files = calloc(spec->nr_files, sizeof(*spec->files));
	if (!spec->files)
		usage("out of memory");
	for (i = 0; i < spec->nr_files; i++) {
		spec->files[i].token = 1000ULL * (i + 1) + index;
		spec->files[i].fd = -1;
	}
	if (spec->dropped) {
		spec->files[0].size = DROPPED_BYTES;
		return;
	}

	copy = strdup(sizes);
	if (!copy)
		usage("out of memory");
	/* strsep() rather than strtok(): empty items must not be skipped. */
	save = copy;
	for (i = 0; (item = strsep(&save, ",")); i++) {
		err = strchr(item, ':');
		if (err) {
			*err++ = '\0';
			if (!parse_errno(err, &spec->files[i].expect))
				usage("\"%s\": unknown errno \"%s\"", spec->name, err);
		}
		if (!parse_size(item, &spec->files[i].size))
			usage("\"%s\": bad size \"%s\"", spec->name, item);
	}
	free(copy);
}

static void parse_args(int argc, char **argv)
{
	const char *val;
	char *end;
	int i;

	specs = calloc(argc, sizeof(*specs));
	if (!specs)
		usage("out of memory");
	for (i = 2; i < argc; i++) {
		val = NULL;
		if (!strcmp(argv[i], "--seed")) {
			if (++i == argc)
				usage("--seed needs a value");
			val = argv[i];
		} else if (!strncmp(argv[i], "--seed=", 7)) {
			val = argv[i] + 7;
		} else if (!strcmp(argv[i], "--preserved")) {
			if (++i == argc)
				usage("--preserved needs a file");
			preserved_path = argv[i];
			continue;
		} else if (!strncmp(argv[i], "--", 2)) {
			usage("unknown option \"%s\"", argv[i]);
		}
		if (val) {
			errno = 0;
			seed = strtoull(val, &end, 0);
			if (errno || !*val || *end || *val == '-')
				usage("bad seed \"%s\"", val);
			continue;
		}
		if (nr_specs == MAX_SESSIONS)
			usage("at most %d sessions", MAX_SESSIONS);
		parse_spec(argv[i], &specs[nr_specs], nr_specs);
		nr_specs++;
	}
	if (!nr_specs)
		usage("no SPEC given");
}

static int luo_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int create_session(int dev, const char *name)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};
	int ret;

	snprintf((char *)arg.name, sizeof(arg.name), "%s", name);
	ret = luo_ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg);
	return ret ? ret : arg.fd;
}

static int retrieve_session(int dev, const char *name)
{
	struct liveupdate_ioctl_retrieve_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};
	int ret;

	snprintf((char *)arg.name, sizeof(arg.name), "%s", name);
	ret = luo_ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg);
	return ret ? ret : arg.fd;
}

static int preserve_fd(int sfd, int fd, uint64_t token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg),
		.fd = fd,
		.token = token,
	};

	return luo_ioctl(sfd, LIVEUPDATE_SESSION_PRESERVE_FD, &arg);
}

static int retrieve_fd(int sfd, uint64_t token)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg),
		.fd = -1,
		.token = token,
	};
	int ret;

	ret = luo_ioctl(sfd, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg);
	return ret ? ret : arg.fd;
}

static int get_name(int sfd, char *name)
{
	struct liveupdate_session_get_name arg = { .size = sizeof(arg) };
	int ret;

	ret = luo_ioctl(sfd, LIVEUPDATE_SESSION_GET_NAME, &arg);
	if (!ret)
		memcpy(name, arg.name, sizeof(arg.name));
	return ret;
}

static int finish_session(int sfd)
{
	struct liveupdate_session_finish arg = { .size = sizeof(arg) };

	return luo_ioctl(sfd, LIVEUPDATE_SESSION_FINISH, &arg);
}

/* Create, fill and preserve @file of @spec, and print its checksum. */
static void preserve_file(struct luo_spec *spec, struct luo_file *file)
{
	struct read_result res;
	char memfd_name[96];
	int fd, ret;

	snprintf(memfd_name, sizeof(memfd_name), "luo-%s-%" PRIu64, spec->name, file->token);
	fd = memfd_create(memfd_name, MFD_CLOEXEC);
	if (fd < 0)
		fail("%s token %" PRIu64 ": memfd_create: %s", spec->name, file->token,
		     strerror(errno));
	ret = fill_file(fd, spec->name, file->token, file->size);
	if (ret)
		fail("%s token %" PRIu64 ": writing %" PRIu64 " bytes: %s", spec->name,
		     file->token, file->size, strerror(-ret));
	if (lseek(fd, file->size / 3, SEEK_SET) < 0)
		fail("%s token %" PRIu64 ": lseek: %s", spec->name, file->token,
		     strerror(errno));
	ret = preserve_fd(spec->sfd, fd, file->token);
	if (ret)
		fail("%s token %" PRIu64 ": PRESERVE_FD: %s", spec->name, file->token,
		     strerror(-ret));

	read_file(fd, spec->name, file->token, file->size, &res);
	if (res.error)
		fail("%s token %" PRIu64 ": reading back: %s", spec->name, file->token,
		     strerror(-res.error));
	if (!res.match || !res.hole_zero)
		fail("%s token %" PRIu64 ": reads back wrong at byte %" PRIu64, spec->name,
		     file->token, res.bad_off);
	/* A dropped session's file has no counterpart in verify: no line. */
	if (!spec->dropped)
		printf("LUO_TEST: preserved %s token %" PRIu64 " size %" PRIu64
		       " sum %016" PRIx64 "\n", spec->name, file->token, file->size, res.sum);

	/* From now on the session holds the file. */
	close(fd);
}

/* Keep the session fds open in a detached child, which never returns. */
static void hold_sessions(int ready)
{
	int null;
	char c = 1;

	free(got_buf);
	free(want_buf);
	setsid();
	signal(SIGHUP, SIG_IGN);
	if (chdir("/") < 0)
		_exit(1);
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		_exit(1);
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	if (null > STDERR_FILENO)
		close(null);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	close(ready);
	for (;;)
		pause();
}

static int do_preserve(void)
{
	unsigned int s, i, held = 0;
	int dev, ready[2];
	pid_t pid;
	char c;

	dev = open(LUO_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		fail("open %s: %s", LUO_DEVICE, strerror(errno));

	for (s = 0; s < nr_specs; s++) {
		struct luo_spec *spec = &specs[s];

		spec->sfd = create_session(dev, spec->name);
		if (spec->sfd < 0)
			fail("%s: CREATE_SESSION: %s", spec->name, strerror(-spec->sfd));
		for (i = 0; i < spec->nr_files; i++)
			preserve_file(spec, &spec->files[i]);
	}

	/* Sessions outlive the device file; dropped ones end here. */
	close(dev);
	for (s = 0; s < nr_specs; s++) {
		if (!specs[s].dropped) {
			held++;
			continue;
		}
		close(specs[s].sfd);
		specs[s].sfd = -1;
		printf("LUO_TEST: dropped %s\n", specs[s].name);
	}

	if (pipe(ready) < 0)
		fail("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		close(ready[0]);
		hold_sessions(ready[1]);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		fail("the child holding the sessions died");
	printf("LUO_TEST: holding %u sessions in pid %d\n", held, (int)pid);
	return 0;
}

/*
 * A file the next kernel must refuse: RETRIEVE_FD fails with what the SPEC
 * says, and so does a second try (nothing of it was used up).
 */
static void verify_refused_file(struct luo_spec *spec, struct luo_file *file,
				const char *subject)
{
	const char *name = errno_name(file->expect);
	char test[96];
	int fd;

	fd = retrieve_fd(spec->sfd, file->token);
	snprintf(test, sizeof(test), "retrieve fd fails with %s", name);
	check(fd == -file->expect, subject, test, "%s", ret_str(fd));
	if (fd >= 0)
		close(fd);
	fd = retrieve_fd(spec->sfd, file->token);
	snprintf(test, sizeof(test), "a second retrieve fd fails with %s", name);
	check(fd == -file->expect, subject, test, "%s", ret_str(fd));
	if (fd >= 0)
		close(fd);
}

static void verify_file(struct luo_spec *spec, struct luo_file *file)
{
	struct read_result res;
	char subject[128];
	struct stat st;
	off_t pos;
	int fd;

	snprintf(subject, sizeof(subject), "%s token %" PRIu64, spec->name, file->token);
	if (file->expect) {
		verify_refused_file(spec, file, subject);
		return;
	}
	fd = retrieve_fd(spec->sfd, file->token);
	if (!check(fd >= 0, subject, "retrieve fd", "%s", strerror(-fd)))
		return;
	file->fd = fd;

	if (fstat(fd, &st) < 0)
		st.st_size = -1;
	check((uint64_t)st.st_size == file->size, subject, "size",
	      "size %lld, expected %" PRIu64, (long long)st.st_size, file->size);

	pos = lseek(fd, 0, SEEK_CUR);
	check(pos >= 0 && (uint64_t)pos == file->size / 3, subject, "file position",
	      "position %lld, expected %" PRIu64, (long long)pos, file->size / 3);

	read_file(fd, spec->name, file->token, file->size, &res);
	if (check(!res.error, subject, "read", "%s", strerror(-res.error))) {
		check(res.match, subject, "contents", "first wrong byte at %" PRIu64,
		      res.bad_off);
		if (has_hole(file->size))
			check(res.hole_zero, subject, "hole reads zeros",
			      "non-zero byte in bytes %llu..%llu", PAGE_BYTES,
			      2 * PAGE_BYTES - 1);
		printf("LUO_TEST: verified %s token %" PRIu64 " size %lld sum %016" PRIx64 "\n",
		       spec->name, file->token, (long long)st.st_size, res.sum);
	}

	fd = retrieve_fd(spec->sfd, file->token);
	check(fd == -ENOENT, subject, "second retrieve fails with ENOENT", "%s",
	      ret_str(fd));
	if (fd >= 0)
		close(fd);
}

/* restored_blocks of KHO's in/preserved (--preserved), or -1. */
static long long restored_blocks(void)
{
	char key[64];
	long long v;
	FILE *f;

	f = fopen(preserved_path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "restored_blocks")) {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	return -1;
}

/* FINISH, and with --preserved how many preserved blocks it restored. */
static void finish_verified(struct luo_spec *spec)
{
	long long before = -1, after = -1;
	int ret;

	if (preserved_path)
		before = restored_blocks();
	ret = finish_session(spec->sfd);
	if (preserved_path)
		after = restored_blocks();
	check(!ret, spec->name, "finish", "%s", strerror(-ret));
	if (preserved_path &&
	    check(before >= 0 && after >= 0, spec->name,
		  "KHO's accounting is readable around the finish",
		  "cannot read restored_blocks from %s", preserved_path))
		printf("LUO_TEST: finish %s released %lld blocks\n", spec->name,
		       after - before);
}

static void verify_session(int dev, struct luo_spec *spec)
{
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	char test[96];
	unsigned int i;
	int ret;

	spec->sfd = retrieve_session(dev, spec->name);
	if (spec->dropped) {
		check(spec->sfd == -ENOENT, spec->name,
		      "session closed before the kexec is gone", "%s", ret_str(spec->sfd));
		if (spec->sfd >= 0)
			close(spec->sfd);
		return;
	}
	if (spec->expect) {
		snprintf(test, sizeof(test), "retrieve session fails with %s",
			 errno_name(spec->expect));
		check(spec->sfd == -spec->expect, spec->name, test, "%s",
		      ret_str(spec->sfd));
		if (spec->sfd >= 0)
			close(spec->sfd);
		return;
	}
	if (!check(spec->sfd >= 0, spec->name, "retrieve session", "%s",
		   strerror(-spec->sfd)))
		return;

	ret = get_name(spec->sfd, name);
	if (check(!ret, spec->name, "GET_NAME", "%s", strerror(-ret)))
		check(!strncmp(name, spec->name, sizeof(name)), spec->name,
		      "GET_NAME returns the name", "got \"%.*s\"", (int)sizeof(name), name);

	for (i = 0; i < spec->nr_files; i++)
		verify_file(spec, &spec->files[i]);

	finish_verified(spec);

	for (i = 0; i < spec->nr_files; i++)
		if (spec->files[i].fd >= 0)
			close(spec->files[i].fd);
	close(spec->sfd);
}

static int do_verify(void)
{
	unsigned int s;
	int dev;

	printf("KTAP version 1\n");
	dev = open(LUO_DEVICE, O_RDWR | O_CLOEXEC);
	if (check(dev >= 0, LUO_DEVICE, "open", "%s", strerror(errno))) {
		for (s = 0; s < nr_specs; s++)
			verify_session(dev, &specs[s]);
		close(dev);
	}

	printf("1..%u\n", nr_checks);
	if (nr_failed) {
		printf("LUO_TEST: FAIL (%u checks failed)\n", nr_failed);
		return 1;
	}
	printf("LUO_TEST: PASS\n");
	return 0;
}

int main(int argc, char **argv)
{
	bool preserve;

	if (argc > 0 && argv[0][0])
		prog = argv[0];
	if (argc < 2)
		usage(NULL);
	if (!strcmp(argv[1], "preserve"))
		preserve = true;
	else if (!strcmp(argv[1], "verify"))
		preserve = false;
	else
		usage("unknown command \"%s\"", argv[1]);
	parse_args(argc, argv);

	got_buf = malloc(CHUNK_BYTES);
	want_buf = malloc(CHUNK_BYTES);
	if (!got_buf || !want_buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	return preserve ? do_preserve() : do_verify();
}
