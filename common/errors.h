/*
 * errors.h: exit codes, fatal messages, the readers' error value, and
 * checked allocation.
 *
 * Only a tool decides to exit.  Code in common/ reports problems by return
 * value (a reader keeps them in a struct read_error), except:
 *   - out of memory: xmalloc() and friends, arena, strbuf, and a table
 *     that outgrows its index type (strmap: "too many distinct ids");
 *   - output failures: output_*, record_writer and rejects_* write errors,
 *     and a failed write of --help or --version (cli.c);
 *   - the functions whose job is to exit, called by a tool when it has
 *     decided to: die(), die_errno(), data_error(), data_error_at(),
 *     read_error_die(), source_die(), usage(), usage_error(), version(),
 *     and rejects_add() without --rejects (the first bad record is then
 *     a data error, DESIGN.md section 4).
 * Each of these exits 2 (3 in a monitoring mode, 0 for --help and
 * --version) through die() or its hooks, so
 * the hooks registered with errors_on_die() remove temporary outputs.
 */
#ifndef DUMPKIT_ERRORS_H
#define DUMPKIT_ERRORS_H

#include <stddef.h>

#define EXIT_CHECK	1	/* the condition a tool's check reports */
#define EXIT_TROUBLE	2	/* usage, input, output or memory trouble */
#define EXIT_UNKNOWN	3	/* monitoring modes: UNKNOWN (trouble) */

/* The tool's name, used as the prefix of every message ("twin-join"). */
extern const char *progname;

/*
 * Set progname from argv[0] (its basename).  Call first in main().  The
 * basename is also moved to the front of argv[0] itself, so that getopt's
 * own messages ("unrecognized option") begin "tool:" like ours.
 */
void	errors_init(char *argv0);

/*
 * Register a function that die() runs before exiting, so that temporary
 * output files are removed.  At most a few hooks; output.c uses one.
 */
void	errors_on_die(void (*hook)(void));

/* "tool: msg" on stderr, then exit(EXIT_TROUBLE). */
void	die(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* "tool: msg: strerror(errno)" on stderr, then exit(EXIT_TROUBLE). */
void	die_errno(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/*
 * A data error: "tool: FILE:LINE: msg" (": LINE" left out when line is 0),
 * then exit(EXIT_TROUBLE).
 */
void	data_error(const char *file, unsigned long line, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 3, 4)));

/*
 * A data error at a column: "tool: FILE:LINE:COL: msg" (COL left out when
 * 0), then exit(EXIT_TROUBLE).  JSON errors use it.
 */
void	data_error_at(const char *file, unsigned long line, unsigned long col,
	    const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 4, 5)));

/*
 * Monitoring mode (spectator-expire --warn/--crit): every fatal message
 * (die(), data_error(), usage_error(), ...) is also handed to report, which
 * prints the plugin's one status line on stdout, and the process exits with
 * status (3, UNKNOWN) instead of EXIT_TROUBLE.
 */
void	errors_on_fatal(void (*report)(const char *msg), int status);
/*
 * For a fatal path outside errors.c (usage_error()): hand msg (without the
 * "tool: " prefix) to the reporter and return the exit status to use.
 */
int	errors_fatal_status(const char *msg);

/*
 * hook runs before any message is written to stderr (the progress line
 * erases itself).  One hook; NULL removes it.
 */
void	errors_on_message(void (*hook)(void));

/* on: warnx() and data_warn() print nothing (-q); errors still print. */
void	errors_quiet(int on);

/*
 * Warnings are capped per kind (DESIGN.md section 5): the first
 * WARN_CAP of a kind print, the rest are counted, and one line per kind
 * ("tool: N more warnings like ...") is printed at exit.  A kind is the
 * format string, or for a format that starts "%s" the message up to its
 * first digit, quote or colon.
 */
#define WARN_CAP	10

/*
 * A reader's problem: what and where.  Every reader (input, csv, json,
 * links, source) keeps one, as SQLite keeps one per handle, and a tool
 * prints it with read_error_die(), so that all reader errors look alike:
 * "tool: FILE:LINE:COL: problem", LINE and COL left out when 0.
 * file is borrowed from the reader that set the error (its input's name)
 * and lives as long as that reader; NULL means "-".  msg is "" while
 * there is no error.
 */
struct read_error {
	const char	*file;
	unsigned long	 line;		/* 0: not known (open, gzip, close) */
	unsigned long	 col;		/* bytes, 1-based; 0: not known */
	char		 msg[512];
};

/* Set e (file borrowed, see above); returns -1 for "return fail(...)". */
int	read_error_set(struct read_error *e, const char *file,
	    unsigned long line, unsigned long col, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Copy src into e (a wrapping reader taking its inner reader's error). */
void	read_error_copy(struct read_error *e, const struct read_error *src);
/* 1 when e holds an error. */
int	read_error_isset(const struct read_error *e);
/*
 * Print e as "tool: FILE:LINE:COL: problem" on stderr and exit 2 (through
 * die(), so temporary outputs are removed).  An unset e says "unknown
 * error".
 */
void	read_error_die(const struct read_error *e) __attribute__((noreturn));

struct strbuf;

/*
 * msg[0..len) as a message may show it (DESIGN.md section 4): msg itself
 * when it holds no credential, else a copy in sb (reset first) with the
 * values of its _cpKey= and credential parameters (apikey=, token=, key=
 * ...) masked, as secrets_mask_url() masks them.  Every message printed
 * by the functions here, and by usage_error(), goes through it.
 */
const char *errors_masked(const char *msg, size_t len, struct strbuf *sb);

/* "tool: msg" on stderr; the run goes on. */
void	warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "tool: FILE:LINE: msg" on stderr; the run goes on. */
void	data_warn(const char *file, unsigned long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Allocation that never returns NULL: out of memory is die(). */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Grow *p (of *alloc elements of size) to hold at least need elements. */
void	*xgrow(void *p, size_t *alloc, size_t need, size_t size);

#endif
