/*
 * process.c: start-up safety for every tool: standard descriptors always
 * open, and fatal signals that clean up the temporaries before dying.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/output.h"
#include "common/process.h"
#include "common/progress.h"

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGTERM };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/*
 * A closed 0, 1 or 2 is reopened on /dev/null.  open() returns the lowest
 * free number and the lower ones are open by then, so it lands on fd.
 * Nothing can be reported without a working stderr, hence the bare exit.
 */
static void
open_std_fds(void)
{
	int fd, got;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (got != fd)
			_exit(EXIT_TROUBLE);
	}
}

/*
 * SA_RESETHAND | SA_NODEFER: by the time the handler runs, the signal's
 * action is the default again and it is not blocked, so raise() ends the
 * process the way the signal would have.
 */
static void
on_fatal_signal(int sig)
{
	int saved = errno;
	struct sigaction dfl;
	sigset_t set;

	progress_clear_signal();
	output_cleanup_signal();
	/*
	 * SA_RESETHAND already did this; do it again for runtimes that
	 * intercept signals (ThreadSanitizer delivers them from its own
	 * wrapper, where the flag is not honoured).
	 */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	(void)sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(sig);
	/* Not reached, unless something still holds the signal back. */
	errno = saved;
	_exit(128 + sig);
}

static void
take_fatal_signals(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (i = 0; i < NFATAL; i++) {
		/* nohup and friends ignore SIGHUP on purpose: keep that. */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		(void)sigaction(fatal_signals[i], &sa, NULL);
	}
}

void
process_start(char *argv0)
{
	open_std_fds();
	errors_init(argv0);
	take_fatal_signals();
}

void
process_block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NFATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	(void)pthread_sigmask(SIG_BLOCK, &set, old);
}

void
process_unblock(const sigset_t *old)
{
	(void)pthread_sigmask(SIG_SETMASK, old, NULL);
}
