/*
 * lock.c: one spectator-expire run at a time per --state file, so two
 * overlapping cron runs can't both read the old state and alert twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/strbuf.h"
#include "tools/spectator-expire/spectator.h"

/*
 * The lock is "STATE.lock" beside the state file, not the state file
 * itself: every run replaces the state by rename(2), and a lock on the
 * replaced inode would no longer exclude the next run.  The file stays
 * (removing a lock file races with a run about to take it); the kernel
 * drops the lock when the process ends, however it ends.
 */
int
state_lock(const char *path, int nowait)
{
	struct strbuf sb = STRBUF_INIT;
	int fd;

	strbuf_addf(&sb, "%s.lock", path);
	fd = open(sb.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	/* No directory: the state itself can't be made either; say so. */
	if (fd == -1 && errno == ENOENT)
		die_errno("cannot create %s", path);
	if (fd == -1)
		die_errno("cannot create %s", sb.buf);
	while (flock(fd, LOCK_EX | (nowait ? LOCK_NB : 0)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			die("--state %s: another run holds its lock %s (without "
			    "--no-wait, wait for it)", path, sb.buf);
		die_errno("--state %s: cannot lock %s", path, sb.buf);
	}
	strbuf_release(&sb);
	return fd;
}
