/*
 * faultinject.c: an LD_PRELOAD shim that makes read, write, fsync, rename,
 * malloc or close fail on demand, so tests can prove every tool exits 2 with one line
 * and leaves -o FILE intact when the machine under it fails.
 *
 *	DUMPKIT_FAULT="write:3"        the 3rd write() fails with ENOSPC
 *	DUMPKIT_FAULT="read:1+:EIO"    every read() from the 1st on fails, EIO
 *	DUMPKIT_FAULT="malloc:40,fsync:1"
 *
 * Calls are counted per function from process start.  malloc covers malloc,
 * calloc and realloc.  Default errors: read EIO, write ENOSPC, fsync EIO,
 * rename EXDEV, malloc ENOMEM, close EIO (close counts descriptors above
 * 2 only, and releases the descriptor as Linux does).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum fault_fn { F_READ, F_WRITE, F_FSYNC, F_RENAME, F_MALLOC, F_CLOSE,
	F_COUNT };

static const char *const fn_names[F_COUNT] = {
	"read", "write", "fsync", "rename", "malloc", "close"
};
static const int fn_errno[F_COUNT] = { EIO, ENOSPC, EIO, EXDEV, ENOMEM, EIO };

struct fault {
	unsigned long	at;	/* 0: no fault for this function */
	int		onward;	/* fail every call from at on */
	int		err;
	unsigned long	calls;
};

static struct fault faults[F_COUNT];
static int configured;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static int
errno_by_name(const char *s, size_t n)
{
	static const struct { const char *name; int err; } names[] = {
		{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EXDEV", EXDEV },
		{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EPIPE", EPIPE },
		{ "EINTR", EINTR }, { "EAGAIN", EAGAIN }, { "EROFS", EROFS },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    memcmp(names[i].name, s, n) == 0)
			return names[i].err;
	return 0;
}

/* Parse DUMPKIT_FAULT by hand: no malloc, no stdio (we may be inside malloc). */
static void
configure(void)
{
	const char *p = getenv("DUMPKIT_FAULT");
	int i;

	configured = 1;
	while (p != NULL && *p != '\0') {
		const char *colon = strchr(p, ':');
		const char *end = strchr(p, ',');
		unsigned long n = 0;

		if (end == NULL)
			end = p + strlen(p);
		if (colon == NULL || colon > end)
			break;
		for (i = 0; i < F_COUNT; i++)
			if (strlen(fn_names[i]) == (size_t)(colon - p) &&
			    memcmp(fn_names[i], p, (size_t)(colon - p)) == 0)
				break;
		p = colon + 1;
		while (p < end && *p >= '0' && *p <= '9')
			n = n * 10 + (unsigned long)(*p++ - '0');
		if (i < F_COUNT) {
			faults[i].at = n;
			faults[i].err = fn_errno[i];
			if (p < end && *p == '+') {
				faults[i].onward = 1;
				p++;
			}
			if (p < end && *p == ':') {
				int e = errno_by_name(p + 1,
				    (size_t)(end - p - 1));

				if (e)
					faults[i].err = e;
			}
		}
		p = *end ? end + 1 : end;
	}
}

/* 1 when this call of fn is to fail (errno is then set). */
static int
should_fail(enum fault_fn fn)
{
	struct fault *f = &faults[fn];

	if (!configured)
		configure();
	if (f->at == 0)
		return 0;
	f->calls++;
	if (f->calls == f->at || (f->onward && f->calls > f->at)) {
		errno = f->err;
		return 1;
	}
	return 0;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);

	if (should_fail(F_READ))
		return -1;
	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT,
		    "read");
	return real(fd, buf, n);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	/* stderr stays usable, so the tool can say what went wrong. */
	if (fd != 2 && should_fail(F_WRITE))
		return -1;
	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(
		    RTLD_NEXT, "write");
	return real(fd, buf, n);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (should_fail(F_FSYNC))
		return -1;
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (should_fail(F_RENAME))
		return -1;
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "rename");
	return real(from, to);
}

void *
malloc(size_t n)
{
	if (should_fail(F_MALLOC))
		return NULL;
	return __libc_malloc(n);
}

void *
calloc(size_t nmemb, size_t size)
{
	if (should_fail(F_MALLOC))
		return NULL;
	return __libc_calloc(nmemb, size);
}

void *
realloc(void *p, size_t n)
{
	if (should_fail(F_MALLOC))
		return NULL;
	return __libc_realloc(p, n);
}

/*
 * close() of a descriptor above 2: the descriptor is released either way,
 * as Linux does after an EIO from close(), and the error is reported.
 */
int
close(int fd)
{
	static int (*real)(int);
	int fail = fd > 2 && should_fail(F_CLOSE);
	int rc;

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	rc = real(fd);
	if (fail && rc == 0) {
		errno = faults[F_CLOSE].err;
		return -1;
	}
	return rc;
}
