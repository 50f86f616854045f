/*
 * output.c: buffered output to stdout or, atomically, to a named file
 * (temporary in the same directory, fsync, rename), with optional gzip.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "common/errors.h"
#include "common/output.h"
#include "common/process.h"
#include "common/progress.h"

/* writer.c hands over chunks of this size (WRITER_CHUNK): keep them equal. */
#define OUTPUT_BUFSIZE	(256 * 1024)

struct output {
	int		 fd;
	char		*name;	/* the target, or "stdout", for messages */
	char		*path;	/* target path; NULL for stdout */
	char		*tmp;	/* temporary being written, or NULL */
	mode_t		 mode;	/* mode the committed file gets */
	uid_t		 uid;	/* the replaced file's owner, */
	gid_t		 gid;	/* and group, */
	int		 has_owner; /* when there was one */
	int		 staged; /* committed, waiting for output_publish() */
	pid_t		 pid;	/* process that created tmp */
	int		 is_stdout;
	int		 gzip;
	int		 wrote;	/* any byte accepted yet */
	int		 zdone;	/* gzip member finished, none begun */
	z_stream	 z;
	unsigned char	*zbuf;
	char		*buf;
	size_t		 len;
	struct output	*next;	/* outputs holding a temporary */
};

static struct output *stdout_handle;
/*
 * Outputs holding a temporary, uncommitted or staged.  The signal handler
 * reads this list (output_cleanup_signal()), so it changes only with the
 * fatal signals blocked (process_block()).
 */
static struct output *volatile pending;
static int hooks_set;
static int stdout_finished;
/* We set SIGPIPE to SIG_IGN ourselves (see take_sigpipe()). */
static int sigpipe_taken;

/* ==== cleanup ==== */

void
output_cleanup(void)
{
	struct output *o;
	sigset_t old;
	char *tmp;

	process_block(&old);
	/* A forked child must not remove its parent's temporaries. */
	for (o = pending; o != NULL; o = o->next)
		if (o->tmp != NULL && o->pid == getpid()) {
			tmp = o->tmp;
			o->tmp = NULL;
			unlink(tmp);
			free(tmp);
		}
	process_unblock(&old);
}

/*
 * From a signal handler: only unlink(2) and getpid(2), both async-signal-
 * safe, over a list that is never half-changed while the signal can come.
 */
void
output_cleanup_signal(void)
{
	struct output *o;
	pid_t me = getpid();

	for (o = pending; o != NULL; o = o->next)
		if (o->tmp != NULL && o->pid == me)
			(void)unlink(o->tmp);
}

static void
unlist(struct output *o)
{
	struct output *volatile *pp;
	sigset_t old;

	process_block(&old);
	for (pp = &pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	o->next = NULL;
	process_unblock(&old);
}

/*
 * With a temporary file open, a default SIGPIPE would kill the process
 * before it could remove it.  So we take SIGPIPE over (ignore it), and
 * on EPIPE remove the temporaries and then die of SIGPIPE as the default
 * action would have: to the parent, nothing differs.
 */
static void
take_sigpipe(void)
{
	struct sigaction sa;

	if (sigpipe_taken || sigaction(SIGPIPE, NULL, &sa) == -1)
		return;
	if (sa.sa_handler != SIG_DFL)
		return;
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGPIPE, &sa, NULL) == 0)
		sigpipe_taken = 1;
}

static void __attribute__((noreturn))
die_of_sigpipe(void)
{
	output_cleanup();
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	/* SIGPIPE blocked by the parent: still end quietly, as documented. */
	_exit(EXIT_TROUBLE);
}

/* ==== writing ==== */

static void
write_all(struct output *o, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;
	struct pollfd pfd;

	progress_before_write(o->fd, p, n);
	while (n > 0) {
		w = write(o->fd, s, n > (1U << 30) ? (1U << 30) : n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* Inherited a non-blocking descriptor: wait. */
				pfd.fd = o->fd;
				pfd.events = POLLOUT;
				(void)poll(&pfd, 1, -1);
				continue;
			}
			if (errno == EPIPE)
				die_of_sigpipe();
			die_errno("write error: %s", o->name);
		}
		if (w == 0) {
			errno = ENOSPC;
			die_errno("write error: %s", o->name);
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Compress o->buf (or finish the stream) into zbuf and write it out. */
static void
deflate_buf(struct output *o, int flush)
{
	int rc;

	o->z.next_in = (unsigned char *)o->buf;
	o->z.avail_in = (unsigned)o->len;
	do {
		o->z.next_out = o->zbuf;
		o->z.avail_out = OUTPUT_BUFSIZE;
		rc = deflate(&o->z, flush);
		if (rc == Z_STREAM_ERROR)
			die("write error: %s: zlib deflate failed", o->name);
		write_all(o, o->zbuf, OUTPUT_BUFSIZE - o->z.avail_out);
	} while (o->z.avail_out == 0 ||
	    (flush == Z_FINISH && rc != Z_STREAM_END));
	o->len = 0;
}

static void
flush_buf(struct output *o)
{
	if (o->gzip)
		deflate_buf(o, Z_NO_FLUSH);
	else if (o->len > 0)
		write_all(o, o->buf, o->len);
	o->len = 0;
}

void
output_write(struct output *o, const void *p, size_t n)
{
	const char *s = p;
	size_t room;

	if (n == 0)
		return;
	o->wrote = 1;
	o->zdone = 0;
	/*
	 * A big block goes straight out rather than through the buffer; so
	 * does every block to a terminal under a progress line: the writer's
	 * blocks end at a row, and the line is drawn only between rows.
	 */
	if (!o->gzip && ((o->len == 0 && n >= OUTPUT_BUFSIZE) ||
	    progress_whole_writes(o->fd))) {
		write_all(o, s, n);
		return;
	}
	while (n > 0) {
		room = OUTPUT_BUFSIZE - o->len;
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		s += room;
		n -= room;
		if (o->len == OUTPUT_BUFSIZE)
			flush_buf(o);
	}
}

void
output_write_sb(struct output *o, struct strbuf *sb)
{
	output_write(o, sb->buf, sb->len);
	strbuf_reset(sb);
}

/* ==== opening ==== */

static void
start_gzip(struct output *o)
{
	memset(&o->z, 0, sizeof(o->z));
	/* windowBits 15 + 16: a gzip header and trailer, as gzip(1) writes. */
	if (deflateInit2(&o->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		die("out of memory");
	o->zbuf = xmalloc(OUTPUT_BUFSIZE);
	o->gzip = 1;
}

static struct output *
new_output(int fd, const char *name, int flags)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->fd = fd;
	o->name = xstrdup(name);
	o->buf = xmalloc(OUTPUT_BUFSIZE);
	o->pid = getpid();
	if (flags & OUTPUT_GZIP)
		start_gzip(o);
	return o;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

struct output *
output_stdout(void)
{
	if (stdout_handle == NULL) {
		stdout_handle = new_output(STDOUT_FILENO, "stdout", 0);
		stdout_handle->is_stdout = 1;
	}
	return stdout_handle;
}

/* Write a device, FIFO or socket where it is: it can't be renamed over. */
static struct output *
open_direct(const char *path, int flags, int append)
{
	int fd;
	struct output *o;

	fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : 0));
	if (fd == -1)
		die_errno("cannot open %s", path);
	o = new_output(fd, path, flags);
	o->path = xstrdup(path);
	return o;
}

static mode_t
default_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

struct output *
output_open(const char *path, int flags)
{
	struct output *o;
	struct stat st;
	const char *base;
	char *tmp;
	size_t dirlen;
	int fd, has_owner = 0;
	mode_t mode;
	sigset_t old;

	if (path == NULL || strcmp(path, "-") == 0) {
		o = output_stdout();
		if ((flags & OUTPUT_GZIP) && !o->gzip && !o->wrote)
			start_gzip(o);
		return o;
	}
	if (*path == '\0')
		die("cannot create '': No such file or directory");
	if (ends_with(path, ".gz"))
		flags |= OUTPUT_GZIP;
	/*
	 * /dev/stdout and /dev/fd/N are links to whatever is open there (even
	 * a regular file, which we then append to rather than clobber), and
	 * nothing under /dev or /proc is ours to replace.
	 */
	if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0) {
		if (stat(path, &st) == 0)
			return open_direct(path, flags, S_ISREG(st.st_mode));
	}
	mode = default_mode();
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			die_errno("cannot create %s", path);
		}
		if (!S_ISREG(st.st_mode))
			return open_direct(path, flags, 0);
		mode = st.st_mode & 07777;
		has_owner = 1;
	}
	/*
	 * A symbolic link to a regular file: rename(2) would replace the link
	 * itself, so replace the file it points to and keep the link.
	 */
	{
		char *real = NULL;
		struct stat lst;

		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			real = realpath(path, NULL);
		if (real != NULL) {
			o = output_open(real, flags);
			free(o->name);
			o->name = xstrdup(path);
			free(real);
			return o;
		}
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (*base == '\0') {
		errno = EISDIR;
		die_errno("cannot create %s", path);
	}
	dirlen = (size_t)(base - path);
	/*
	 * ".NAME.PID.XXXXXX": the writer's pid lets a later run tell a temp
	 * left by a killed writer (SIGKILL can't be cleaned up after) from
	 * one that another live run is still writing.
	 */
	tmp = xmalloc(dirlen + strlen(base) + 40);
	memcpy(tmp, path, dirlen);
	sprintf(tmp + dirlen, ".%s.%ld.XXXXXX", base, (long)getpid());
	if (!hooks_set) {
		errors_on_die(output_cleanup);
		atexit(output_cleanup);
		hooks_set = 1;
	}
	/*
	 * Everything is allocated and listed before the temporary exists, so
	 * that running out of memory can never strand it.
	 */
	o = new_output(-1, path, flags);
	o->path = xstrdup(path);
	o->mode = mode;
	o->uid = st.st_uid;
	o->gid = st.st_gid;
	o->has_owner = has_owner;
	/* A signal between mkstemp() and the listing would strand it. */
	process_block(&old);
	fd = mkstemp(tmp);
	if (fd == -1) {
		process_unblock(&old);
		free(tmp);
		die_errno("cannot create %s", path);
	}
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	o->fd = fd;
	o->tmp = tmp;
	o->next = pending;
	pending = o;
	process_unblock(&old);
	take_sigpipe();
	return o;
}

/* ==== finishing ==== */

/* 1 when tmp is the temporary of an output this process still writes. */
static int
is_pending(const char *tmp)
{
	const struct output *o;

	for (o = pending; o != NULL; o = o->next)
		if (o->tmp != NULL && strcmp(o->tmp, tmp) == 0)
			return 1;
	return 0;
}

/*
 * Remove ".NAME.PID.XXXXXX" temps of path whose writer no longer runs: what
 * a run killed halfway (SIGKILL, power loss) left behind.  Best effort.
 * A candidate is spelt exactly as output_open() spells its temporaries
 * (path's directory part as given, then the name), so that is_pending()
 * recognises this process's own.
 */
static void
remove_stale_temps(const char *path)
{
	/*
	 * No allocation: this runs after a file is published, where running
	 * out of memory must not turn a finished run into a failed one.
	 */
	char dir[PATH_MAX], cand[PATH_MAX];
	const char *base = strrchr(path, '/');
	size_t blen, dirlen;
	DIR *d;
	struct dirent *e;

	base = base ? base + 1 : path;
	dirlen = (size_t)(base - path);
	if (dirlen >= sizeof(dir))
		return;
	if (dirlen == 0)
		strcpy(dir, ".");
	else {
		memcpy(dir, path, dirlen);
		dir[dirlen] = '\0';
	}
	blen = strlen(base);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *p;
		char *end;
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    n[blen + 1] != '.')
			continue;
		p = n + blen + 2;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (end == p || errno != 0 || pid <= 0 || *end != '.' ||
		    strlen(end + 1) != 6)
			continue;
		if (pid == (long)getpid() ||
		    (kill((pid_t)pid, 0) == -1 && errno == ESRCH)) {
			if (snprintf(cand, sizeof(cand), "%.*s%s", (int)dirlen,
			    path, n) >= (int)sizeof(cand))
				continue;
			/* Our own pid here is a stale file from an old run. */
			if (pid != (long)getpid() || !is_pending(cand))
				(void)unlink(cand);
		}
	}
	closedir(d);
}

static void
free_output(struct output *o)
{
	if (o == stdout_handle)
		stdout_handle = NULL;
	if (o->gzip)
		deflateEnd(&o->z);
	free(o->zbuf);
	free(o->buf);
	free(o->name);
	free(o->path);
	free(o->tmp);
	free(o);
}

/* Everything buffered (and the gzip trailer) out to the descriptor. */
static void
drain(struct output *o)
{
	if (o->gzip && o->zdone)
		return;
	if (o->gzip)
		deflate_buf(o, Z_FINISH);
	else
		flush_buf(o);
}

/*
 * Give the temporary the replaced file's owner and group where this process
 * may (root may; a user may pick one of their groups), before fchmod():
 * chown can clear set-id bits.  Failing that, the file is the writer's, as
 * with any new file.
 */
static void
keep_owner(struct output *o)
{
	struct stat st;

	if (!o->has_owner || fstat(o->fd, &st) == -1)
		return;
	if (st.st_uid == o->uid && st.st_gid == o->gid)
		return;
	if (fchown(o->fd, o->uid, o->gid) == -1 && st.st_gid != o->gid)
		(void)fchown(o->fd, (uid_t)-1, o->gid);
}

void
output_commit(struct output *o)
{
	if (o == NULL)
		return;
	if (o->is_stdout) {
		/*
		 * Several writers may share stdout; it stays open until
		 * output_finish().  A finished gzip stream is reset so that
		 * later bytes form a new gzip member, which gunzip reads on.
		 */
		drain(o);
		if (o->gzip && !o->zdone) {
			deflateReset(&o->z);
			o->zdone = 1;
		}
		return;
	}
	drain(o);
	if (o->tmp == NULL) {
		/* Written directly: a device or FIFO has nothing to sync. */
		if (close(o->fd) == -1 && errno != EINTR)
			die_errno("write error: %s", o->name);
		free_output(o);
		return;
	}
	/* The data must be on disk before the name points at it. */
	if (fsync(o->fd) == -1)
		die_errno("write error: %s", o->name);
	keep_owner(o);
	if (fchmod(o->fd, o->mode) == -1)
		die_errno("cannot set the mode of %s", o->name);
	if (close(o->fd) == -1 && errno != EINTR)
		die_errno("write error: %s", o->name);
	o->fd = -1;
	o->staged = 1;
	/* Staged outputs wait for the others: hold no buffers meanwhile. */
	if (o->gzip)
		deflateEnd(&o->z);
	o->gzip = 0;
	free(o->zbuf);
	o->zbuf = NULL;
	free(o->buf);
	o->buf = NULL;
}

/*
 * Staged outputs in the order they were committed (pending is newest
 * first), renamed one after another: every temporary is complete by now,
 * so only a failing rename(2) can leave some files new and others old.
 */
void
output_publish(void)
{
	struct output *o, *first;
	sigset_t old;

	for (;;) {
		first = NULL;
		for (o = pending; o != NULL; o = o->next)
			if (o->staged && o->tmp != NULL &&
			    o->pid == getpid())
				first = o;
		if (first == NULL)
			break;
		o = first;
		if (rename(o->tmp, o->path) == -1)
			die_errno("cannot replace %s", o->name);
		process_block(&old);
		free(o->tmp);
		o->tmp = NULL;
		process_unblock(&old);
		remove_stale_temps(o->path);
		unlist(o);
		free_output(o);
	}
}

void
output_abort(struct output *o)
{
	if (o == NULL)
		return;
	if (o->is_stdout) {
		/* What was already written can't be taken back. */
		o->len = 0;
		return;
	}
	if (o->fd != -1)
		close(o->fd);
	if (o->tmp != NULL) {
		unlink(o->tmp);
		unlist(o);
	}
	free_output(o);
}

void
output_finish(void)
{
	if (stdout_finished)
		return;
	stdout_finished = 1;
	if (stdout_handle != NULL) {
		drain(stdout_handle);
		free_output(stdout_handle);
	}
	/* Whatever went through stdio (help, a tool's printf) counts too. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			die_of_sigpipe();
		die_errno("write error: stdout");
	}
	/* NFS and friends report a failed write only at close. */
	if (close(STDOUT_FILENO) == -1 && errno != EBADF && errno != EINTR)
		die_errno("write error: stdout");
	/* Named files last: stdout failing above leaves them all as they were. */
	output_publish();
}
