/* test_process.c: closed standard descriptors and fatal signals at start-up. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/output.h"
#include "common/process.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/test_process.XXXXXX";

/* Entries of dir other than "." and "..". */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/*
 * In a child with fds 0, 1 and 2 closed: after process_start() each must be
 * /dev/null, and an output opened next must not take one of their numbers.
 * The child reports a bit mask of failures through a pipe on fd >= 3.
 */
static void
test_closed_fds(void)
{
	int p[2], st, fd;
	unsigned char bad = 0xff;
	char out[80];
	pid_t pid;

	if (pipe(p) == -1 || p[0] < 3 || p[1] < 3) {
		ok(0, "pipe above fd 2");
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct stat null, s;
		struct output *o;
		char name[] = "test_process";
		char target[64];
		unsigned char res = 0;

		close(p[0]);
		close(0);
		close(1);
		close(2);
		process_start(name);
		stat("/dev/null", &null);
		for (fd = 0; fd <= 2; fd++)
			if (fstat(fd, &s) == -1 || s.st_rdev != null.st_rdev ||
			    !S_ISCHR(s.st_mode))
				res |= 1u << fd;
		snprintf(target, sizeof(target), "%s/out", dir);
		o = output_open(target, 0);
		output_write(o, "x", 1);
		output_commit(o);
		output_publish();
		if (write(p[1], &res, 1) != 1)
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &bad, 1) != 1)
		bad = 0xff;
	close(p[0]);
	waitpid(pid, &st, 0);
	is_int(bad, 0, "closed 0, 1, 2: each reopened on /dev/null");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "closed fds: child exit 0");
	snprintf(out, sizeof(out), "%s/out", dir);
	unlink(out);
}

/* The child's status within 10 s: 1, or 0 when it is still alive. */
static int
reaped(pid_t pid, int *st)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, st, WNOHANG) == pid)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * A child with an uncommitted and a committed (staged) output is killed by
 * sig: it must die of sig with no temporary left and no target made.
 */
static void
signalled(int sig, const char *name)
{
	char target[64], msg[128];
	int p[2], st;
	pid_t pid;
	char c;

	if (pipe(p) == -1) {
		ok(0, "pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		char argv0[] = "test_process";
		struct output *a, *b;

		close(p[0]);
		/*
		 * A signal ignored on entry stays ignored (nohup), and a
		 * background job of a non-interactive shell ignores SIGINT:
		 * this child tests the handler, so it starts from the default.
		 */
		signal(sig, SIG_DFL);
		process_start(argv0);
		snprintf(target, sizeof(target), "%s/a", dir);
		a = output_open(target, 0);
		snprintf(target, sizeof(target), "%s/b", dir);
		b = output_open(target, 0);
		output_write(a, "a\n", 2);
		output_commit(a);
		output_write(b, "b\n", 2);
		if (write(p[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		ok(0, "child ready");
	close(p[0]);
	snprintf(msg, sizeof(msg), "%s: two temporaries while running", name);
	is_int(entries(), 2, "%s", msg);
	kill(pid, sig);
	if (!reaped(pid, &st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	snprintf(msg, sizeof(msg), "%s: dies of the signal (status %d)", name,
	    128 + sig);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s", msg);
	snprintf(msg, sizeof(msg), "%s: every temporary removed", name);
	is_int(entries(), 0, "%s", msg);
}

int
main(void)
{
	errors_init("tproc");
	if (mkdtemp(dir) == NULL)
		return 2;
	test_closed_fds();
	signalled(SIGTERM, "SIGTERM");
	signalled(SIGINT, "SIGINT");
	signalled(SIGHUP, "SIGHUP");
	rmdir(dir);
	return tap_done();
}
