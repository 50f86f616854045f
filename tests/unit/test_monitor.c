/* test_monitor.c: the status-line text and the UNKNOWN line of a fatal error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/monitor.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

/*
 * Run die(msg) in a child in monitoring mode; return what its stdout got
 * (the caller frees it) and its exit status in *status.
 */
static char *
die_in_child(const char *msg, int *status)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[256];
	ssize_t n;
	int fd[2], ws;
	pid_t pid;

	if (pipe(fd) == -1)
		abort();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		/* The message on stderr is not what is tested here. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(99);
		monitor_start("TEST");
		die("%s", msg);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd[0]);
	waitpid(pid, &ws, 0);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	return strbuf_detach(&sb, NULL);
}

int
main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;
	int status;

	errors_init("monitor-test");

	monitor_text(&sb, "a|b\nc\td\x7f" "\xd0\x96", 10);
	is_str(sb.buf, "a/b c d \xd0\x96", "| becomes /, control bytes a "
	    "space, UTF-8 kept");
	strbuf_release(&sb);

	out = die_in_child("f.csv:2: bad | value\nnext", &status);
	is_str(out, "TEST UNKNOWN - f.csv:2: bad / value next\n",
	    "a fatal error is one UNKNOWN line on stdout");
	is_int(status, EXIT_UNKNOWN, "and exit 3");
	free(out);
	return tap_done();
}
