/*
 * errors.c: the one place that prints fatal messages and exits, so every
 * tool's messages look alike and temporary files are cleaned up first.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/hints.h"
#include "common/secrets.h"
#include "common/strbuf.h"

const char *progname = "dumpkit";

#define MAX_HOOKS 4
static void (*die_hooks[MAX_HOOKS])(void);
static int ndie_hooks;

void
errors_init(char *argv0)
{
	char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	if (slash != NULL && slash[1] != '\0')
		memmove(argv0, slash + 1, strlen(slash + 1) + 1);
	progname = argv0;
}

void
errors_on_die(void (*hook)(void))
{
	if (ndie_hooks < MAX_HOOKS)
		die_hooks[ndie_hooks++] = hook;
}

/*
 * One fatal error per process: a tool with a reading thread (twin-join) can
 * fail in two threads at once, and two messages or two exit()s must not
 * race.  The first thread to fail takes the lock for good; another one
 * blocks here until exit() ends the process.  Hooks that call die() again
 * run in the thread that holds it.
 */
static pthread_mutex_t fatal_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*fatal_report)(const char *msg);
static int fatal_status = EXIT_TROUBLE;
static _Atomic int fatal_taken;
static pthread_t fatal_owner;

static void
fatal_begin(void)
{
	if (atomic_load(&fatal_taken) &&
	    pthread_equal(fatal_owner, pthread_self()))
		return;
	pthread_mutex_lock(&fatal_lock);
	fatal_owner = pthread_self();
	atomic_store(&fatal_taken, 1);
}

static void __attribute__((noreturn))
run_hooks_and_exit(void)
{
	/* Hooks may call die() themselves; run each at most once. */
	while (ndie_hooks > 0)
		die_hooks[--ndie_hooks]();
	exit(fatal_status);
}

void
errors_on_fatal(void (*report)(const char *msg), int status)
{
	fatal_report = report;
	fatal_status = status;
}

int
errors_fatal_status(const char *msg)
{
	void (*report)(const char *) = fatal_report;

	/* Once: a report that fails and dies must not recurse. */
	fatal_report = NULL;
	if (report != NULL)
		report(msg);
	return fatal_status;
}

/*
 * Looked at only when a message is printed, so the normal path pays
 * nothing; a message without a credential (nearly all of them, "out of
 * memory" too) is printed from its own buffer, no copy made.
 */
const char *
errors_masked(const char *msg, size_t len, struct strbuf *sb)
{
	if (!secrets_has_credentials(msg, len))
		return msg;
	strbuf_reset(sb);
	secrets_mask_url(sb, msg, len, NULL, 0);
	return sb->buf;
}

static void (*message_hook)(void);

void
errors_on_message(void (*hook)(void))
{
	message_hook = hook;
}

static void
vmessage_at(const char *file, unsigned long line, unsigned long col,
    const char *fmt, va_list ap, const char *suffix)
{
	/* Build the line first so it reaches stderr in one write. */
	char buf[4096];
	struct strbuf sb = STRBUF_INIT;
	const char *shown;
	int n;
	size_t len;

	n = snprintf(buf, sizeof(buf), "%s: ", progname);
	len = n > 0 ? (size_t)n : 0;
	if (file != NULL && len < sizeof(buf)) {
		if (line > 0 && col > 0)
			n = snprintf(buf + len, sizeof(buf) - len,
			    "%s:%lu:%lu: ", file, line, col);
		else if (line > 0)
			n = snprintf(buf + len, sizeof(buf) - len, "%s:%lu: ",
			    file, line);
		else
			n = snprintf(buf + len, sizeof(buf) - len, "%s: ",
			    file);
		if (n > 0)
			len += (size_t)n;
	}
	if (len < sizeof(buf)) {
		n = vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
		if (n > 0)
			len += (size_t)n;
	}
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	if (suffix != NULL) {
		n = snprintf(buf + len, sizeof(buf) - len, ": %s", suffix);
		if (n > 0)
			len += (size_t)n;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
	}
	buf[len] = '\0';
	/* A message may quote a link or a cell: no credential on stderr. */
	shown = errors_masked(buf, len, &sb);
	fflush(stdout);
	if (message_hook != NULL)
		message_hook();
	fprintf(stderr, "%s\n", shown);
	/* A fatal message (the thread that took the lock) is reported too. */
	if (atomic_load(&fatal_taken) &&
	    pthread_equal(fatal_owner, pthread_self()))
		(void)errors_fatal_status(shown + strlen(progname) + 2);
	strbuf_release(&sb);
}

static void
vmessage(const char *file, unsigned long line, const char *fmt, va_list ap,
    const char *suffix)
{
	vmessage_at(file, line, 0, fmt, ap, suffix);
}

/* One const char * after line: a message already formatted. */
static void
message_plain(const char *file, unsigned long line, ...)
{
	va_list ap;

	va_start(ap, line);
	vmessage(file, line, "%s", ap, NULL);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fatal_begin();
	va_start(ap, fmt);
	vmessage(NULL, 0, fmt, ap, NULL);
	va_end(ap);
	run_hooks_and_exit();
}

void
die_errno(const char *fmt, ...)
{
	va_list ap;
	const char *err = strerror(errno);

	fatal_begin();
	va_start(ap, fmt);
	vmessage(NULL, 0, fmt, ap, err);
	va_end(ap);
	run_hooks_and_exit();
}

void
data_error(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	fatal_begin();
	va_start(ap, fmt);
	vmessage(file ? file : "-", line, fmt, ap, NULL);
	va_end(ap);
	run_hooks_and_exit();
}

void
data_error_at(const char *file, unsigned long line, unsigned long col,
    const char *fmt, ...)
{
	va_list ap;

	fatal_begin();
	va_start(ap, fmt);
	vmessage_at(file ? file : "-", line, col, fmt, ap, NULL);
	va_end(ap);
	run_hooks_and_exit();
}

static _Atomic int quiet;

/* ==== the warning cap ==== */

#define WARN_KINDS	64
#define WARN_KEY	48

static struct warn_kind {
	char			 key[WARN_KEY];
	char			 first[64];	/* the first message, for the summary */
	unsigned long long	 n;
} warn_kinds[WARN_KINDS];
static int nwarn_kinds;
static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;

/* At exit: one line per kind that had warnings left unprinted. */
static void
warn_summary(void)
{
	int i;

	if (atomic_load(&quiet))
		return;
	for (i = 0; i < nwarn_kinds; i++)
		if (warn_kinds[i].n > WARN_CAP)
			fprintf(stderr, "%s: %llu more warning%s like \"%s\" "
			    "not shown (-q silences them)\n", progname,
			    warn_kinds[i].n - WARN_CAP,
			    warn_kinds[i].n - WARN_CAP == 1 ? "" : "s",
			    warn_kinds[i].first);
}

/*
 * Count a warning of fmt whose text is msg; 1 when it is to be printed.
 * The first message of a kind is kept, cut to fit, for the summary.
 */
static int
warn_counted(const char *fmt, const char *msg)
{
	char key[WARN_KEY];
	const char *src = fmt;
	struct strbuf sb = STRBUF_INIT;
	struct warn_kind *k = NULL;
	size_t n;
	int i, print;

	if (fmt[0] == '%' && fmt[1] == 's')
		src = msg;
	n = strcspn(src, "0123456789\"':");
	if (n == 0)
		n = strlen(src);
	if (n >= sizeof(key))
		n = sizeof(key) - 1;
	memcpy(key, src, n);
	key[n] = '\0';
	pthread_mutex_lock(&warn_lock);
	for (i = 0; i < nwarn_kinds; i++)
		if (strcmp(warn_kinds[i].key, key) == 0) {
			k = &warn_kinds[i];
			break;
		}
	if (k == NULL && nwarn_kinds < WARN_KINDS) {
		if (nwarn_kinds == 0)
			atexit(warn_summary);
		k = &warn_kinds[nwarn_kinds++];
		memcpy(k->key, key, n + 1);
		/* Masked before it is cut: a cut must not free a secret. */
		msg = errors_masked(msg, strlen(msg), &sb);
		n = strlen(msg);
		if (n >= sizeof(k->first)) {
			n = sizeof(k->first) - 4;
			memcpy(k->first + n, "...", 4);
		} else
			k->first[n] = '\0';
		memcpy(k->first, msg, n);
	}
	print = k == NULL || ++k->n <= WARN_CAP;
	pthread_mutex_unlock(&warn_lock);
	strbuf_release(&sb);
	return print;
}

/* A warning: counted, then printed unless over the cap. */
static void
vwarn(const char *file, unsigned long line, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (warn_counted(fmt, msg))
		message_plain(file, line, msg);
}

void
errors_quiet(int on)
{
	atomic_store(&quiet, on);
}

int
read_error_set(struct read_error *e, const char *file, unsigned long line,
    unsigned long col, const char *fmt, ...)
{
	va_list ap;

	e->file = file;
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/* An empty message would read as "no error". */
	if (e->msg[0] == '\0')
		snprintf(e->msg, sizeof(e->msg), "unknown error");
	return -1;
}

void
read_error_copy(struct read_error *e, const struct read_error *src)
{
	if (e != src)
		*e = *src;
}

int
read_error_isset(const struct read_error *e)
{
	return e->msg[0] != '\0';
}

void
read_error_die(const struct read_error *e)
{
	/* Invalid UTF-8 is most often a CP1251 export: say so. */
	data_error_at(e->file, e->line, e->col, "%s%s",
	    read_error_isset(e) ? e->msg : "unknown error",
	    hint_encoding(e->msg));
}

void
warnx(const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&quiet))
		return;
	va_start(ap, fmt);
	vwarn(NULL, 0, fmt, ap);
	va_end(ap);
}

void
data_warn(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&quiet))
		return;
	va_start(ap, fmt);
	vwarn(file ? file : "-", line, fmt, ap);
	va_end(ap);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die("out of memory");
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
xgrow(void *p, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc;

	if (need <= n)
		return p;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > ((size_t)-1 / 2) / size)
			die("out of memory");
		n *= 2;
	}
	*alloc = n;
	return xrealloc(p, n * size);
}
