/* test_output.c: buffered stdout, atomic named files, gzip, write errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "common/errors.h"
#include "common/output.h"
#include "tests/unit/tap.h"
#include "tests/unit/testutil.h"

static char dir[] = "/tmp/test_output.XXXXXX";

static char *
path(const char *name)
{
	static char buf[2][512];
	static int k;

	k = !k;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void
put_file(const char *p, const char *s)
{
	FILE *fp = fopen(p, "w");

	fputs(s, fp);
	fclose(fp);
}

/* The file's bytes (NUL-terminated), or NULL; *n gets the length. */
static char *
get_file(const char *p, size_t *n)
{
	static char buf[1 << 16];
	FILE *fp = fopen(p, "r");
	size_t len;

	if (fp == NULL)
		return NULL;
	len = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[len] = '\0';
	if (n != NULL)
		*n = len;
	return buf;
}

/* Entries of dir whose name starts with ".": leftover temporaries. */
static int
temps_left(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

#define EXITED(st, code) (WIFEXITED(st) && WEXITSTATUS(st) == (code))

/* ==== children ==== */

static void
child_stdout(const char *arg)
{
	struct output *o = output_stdout();
	struct strbuf sb = STRBUF_INIT;

	output_write(o, "a,b\n", 4);
	strbuf_addstr(&sb, arg);
	output_write_sb(o, &sb);
	if (sb.len != 0)
		_exit(98);
	strbuf_release(&sb);
	output_finish();
	exit(0);
}

static void
child_stdout_gzip(const char *arg)
{
	struct output *o = output_open("-", OUTPUT_GZIP);

	output_write(o, arg, strlen(arg));
	output_finish();
	exit(0);
}

static void
child_big_stdout(const char *arg)
{
	struct output *o = output_stdout();
	int i;

	(void)arg;
	for (i = 0; i < 100000; i++)
		output_write(o, "0123456789abcdef\n", 17);
	output_finish();
	exit(0);
}

static void
child_named(const char *arg)
{
	struct output *o = output_open(arg, 0);

	output_write(o, "data\n", 5);
	output_commit(o);
	output_publish();
	exit(0);
}

static void
child_named_big(const char *arg)
{
	struct output *o = output_open(arg, 0);
	int i;

	for (i = 0; i < 100000; i++)
		output_write(o, "0123456789abcdef\n", 17);
	output_commit(o);
	output_publish();
	exit(0);
}

static void
child_die(const char *arg)
{
	struct output *o = output_open(arg, 0);

	output_write(o, "partial\n", 8);
	die("boom");
}

static void
child_exit(const char *arg)
{
	struct output *o = output_open(arg, 0);

	output_write(o, "partial\n", 8);
	exit(1);
}

/* EPIPE with SIGPIPE ignored by the "parent", and a temporary pending. */
static void
child_epipe(const char *arg)
{
	int fds[2];
	struct output *o, *named;
	int i;

	signal(SIGPIPE, SIG_IGN);
	if (pipe(fds) == -1)
		_exit(97);
	close(fds[0]);
	dup2(fds[1], 1);
	close(fds[1]);
	named = output_open(arg, 0);
	output_write(named, "x", 1);
	o = output_stdout();
	for (i = 0; i < 100000; i++)
		output_write(o, "0123456789abcdef\n", 17);
	output_finish();
	exit(0);
}

/* Two outputs of one target, committed in turn: the second must land. */
static void
child_same_target(const char *arg)
{
	struct output *a = output_open(arg, 0), *b = output_open(arg, 0);

	output_write(a, "first\n", 6);
	output_write(b, "second\n", 7);
	output_commit(a);
	output_commit(b);
	output_publish();
	exit(0);
}

/* The same with a name relative to the working directory. */
static void
child_same_relative(const char *arg)
{
	if (chdir(dir) == -1)
		_exit(97);
	child_same_target(arg);
}

/* Two outputs, the first committed, then a failure: neither may land. */
static void
child_two_then_die(const char *arg)
{
	struct output *a = output_open(path("a.txt"), 0);
	struct output *b = output_open(path("b.txt"), 0);

	(void)arg;
	output_write(a, "new a\n", 6);
	output_commit(a);
	output_write(b, "new b\n", 6);
	die("boom");
}

/* ==== tests ==== */

static void
test_same_target(void)
{
	int st;

	/*
	 * The stale-temp sweep after the first rename must know the second
	 * temporary as this run's own, however the path was written.
	 */
	st = in_child(child_same_target, path("same.txt"), NULL);
	ok(EXITED(st, 0), "same target, absolute path: exit 0");
	is_str(errbuf, "", "same target, absolute path: quiet");
	is_str(get_file(path("same.txt"), NULL), "second\n",
	    "same target, absolute path: the later commit lands last");
	st = in_child(child_same_relative, "rel.txt", NULL);
	ok(EXITED(st, 0), "same target, relative path: exit 0");
	is_str(errbuf, "", "same target, relative path: quiet");
	is_str(get_file(path("rel.txt"), NULL), "second\n",
	    "same target, relative path: the later commit lands last");
	is_int(temps_left(), 0, "same target: no temporary left");
	unlink(path("same.txt"));
	unlink(path("rel.txt"));
}

static void
test_all_or_nothing(void)
{
	int st;

	put_file(path("a.txt"), "old a\n");
	put_file(path("b.txt"), "old b\n");
	st = in_child(child_two_then_die, NULL, NULL);
	ok(EXITED(st, 2), "commit then die: exit 2");
	is_str(get_file(path("a.txt"), NULL), "old a\n",
	    "commit then die: the committed output is not published");
	is_str(get_file(path("b.txt"), NULL), "old b\n",
	    "commit then die: the other output is left as it was");
	is_int(temps_left(), 0, "commit then die: no temporary left");
	unlink(path("a.txt"));
	unlink(path("b.txt"));
}

/* Root replacing another user's file keeps its owner, group and mode. */
static void
test_owner(void)
{
	struct output *o;
	struct stat st;

	if (geteuid() != 0) {
		ok(1, "# skip owner: needs root");
		ok(1, "# skip owner: needs root");
		return;
	}
	put_file(path("owned.txt"), "old\n");
	if (chown(path("owned.txt"), 65534, 65534) == -1)
		ok(0, "chown");
	chmod(path("owned.txt"), 0640);
	o = output_open(path("owned.txt"), 0);
	output_write(o, "new\n", 4);
	output_commit(o);
	output_publish();
	stat(path("owned.txt"), &st);
	ok(st.st_uid == 65534 && st.st_gid == 65534,
	    "owner: 65534:65534 stays 65534:65534");
	is_int(st.st_mode & 07777, 0640, "owner: mode 0640 kept");
	unlink(path("owned.txt"));
}

static void
test_stdout(void)
{
	int st;

	st = in_child(child_stdout, "1,2\n", NULL);
	ok(EXITED(st, 0), "stdout: exit 0");
	is_str(outbuf, "a,b\n1,2\n", "stdout: bytes written in order");
	is_str(errbuf, "", "stdout: quiet");

	st = in_child(child_big_stdout, NULL, NULL);
	ok(EXITED(st, 0), "stdout: big write exit 0");
	is_int(outlen, 1700000, "stdout: big write: every byte arrives");
	ok(memcmp(outbuf, "0123456789abcdef\n0123", 21) == 0 &&
	    memcmp(outbuf + 1700000 - 18, "\n0123456789abcdef\n", 18) == 0,
	    "stdout: big write: bytes in order");

	st = in_child(child_big_stdout, NULL, "/dev/full");
	ok(EXITED(st, 2), "/dev/full: exit 2");
	is_str(errbuf, "tout: write error: stdout: No space left on device\n",
	    "/dev/full: one-line message");

	st = in_child(child_stdout, "x\n", "/dev/full");
	ok(EXITED(st, 2), "/dev/full: small output fails at output_finish");
	is_str(errbuf, "tout: write error: stdout: No space left on device\n",
	    "/dev/full: small output message");

	st = in_child(child_named, "/dev/full", NULL);
	ok(EXITED(st, 2), "-o /dev/full: exit 2");
	is_str(errbuf, "tout: write error: /dev/full: No space left on "
	    "device\n", "-o /dev/full: message names the file");

	st = in_child(child_epipe, path("epipe.csv"), NULL);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
	    "EPIPE with SIGPIPE ignored: dies of SIGPIPE");
	is_str(errbuf, "", "EPIPE: no message");
	is_int(temps_left(), 0, "EPIPE: temporary removed");
	ok(access(path("epipe.csv"), F_OK) == -1, "EPIPE: no target made");
}

static void
test_stdout_gzip(void)
{
	char gzp[] = "/tmp/test_output.gz.XXXXXX";
	char buf[256];
	gzFile gz;
	int st, n, fd;

	st = in_child(child_stdout_gzip, "hello gzip\n", NULL);
	ok(EXITED(st, 0), "stdout gzip: exit 0");
	ok(outlen > 18 && (unsigned char)outbuf[0] == 0x1f &&
	    (unsigned char)outbuf[1] == 0x8b, "stdout gzip: gzip magic");
	fd = mkstemp(gzp);
	if (write(fd, outbuf, outlen) != (ssize_t)outlen)
		ok(0, "write temp");
	close(fd);
	gz = gzopen(gzp, "rb");
	n = gzread(gz, buf, sizeof(buf) - 1);
	gzclose(gz);
	unlink(gzp);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "hello gzip\n", "stdout gzip: gunzips to the input");
}

static void
test_named(void)
{
	struct output *o;
	struct stat st;
	char *s;
	size_t n;
	int i, ok_big;

	umask(022);
	o = output_open(path("new.csv"), 0);
	output_write(o, "a,b\n", 4);
	ok(access(path("new.csv"), F_OK) == -1,
	    "named: target not there before commit");
	is_int(temps_left(), 1, "named: one temporary in the same directory");
	output_commit(o);
	output_publish();
	is_str(get_file(path("new.csv"), NULL), "a,b\n", "named: committed");
	stat(path("new.csv"), &st);
	is_int(st.st_mode & 07777, 0644, "named: new file gets 0666 & ~umask");
	is_int(temps_left(), 0, "named: no temporary left");

	put_file(path("old.csv"), "old content\n");
	chmod(path("old.csv"), 0640);
	o = output_open(path("old.csv"), 0);
	output_write(o, "new content\n", 12);
	is_str(get_file(path("old.csv"), NULL), "old content\n",
	    "replace: old content until commit");
	output_commit(o);
	output_publish();
	is_str(get_file(path("old.csv"), NULL), "new content\n",
	    "replace: new content after commit");
	stat(path("old.csv"), &st);
	is_int(st.st_mode & 07777, 0640, "replace: keeps the old mode");

	o = output_open(path("old.csv"), 0);
	for (i = 0; i < 100000; i++)
		output_write(o, "junk junk\n", 10);
	output_abort(o);
	is_str(get_file(path("old.csv"), NULL), "new content\n",
	    "abort: old file byte-identical");
	is_int(temps_left(), 0, "abort: temporary removed");

	/* NULL is fine (a crash fails the program) and touches no file. */
	output_abort(NULL);
	output_commit(NULL);
	is_str(get_file(path("old.csv"), NULL), "new content\n",
	    "abort/commit of NULL: old file untouched");
	is_int(temps_left(), 0, "abort/commit of NULL: no temporary");

	o = output_open(path("empty.csv"), 0);
	output_commit(o);
	output_publish();
	s = get_file(path("empty.csv"), &n);
	ok(s != NULL && n == 0, "named: empty output is an empty file");

	/* Large output through the buffer, and a block larger than it. */
	o = output_open(path("big.txt"), 0);
	for (i = 0; i < 50000; i++)
		output_write(o, "0123456789\n", 11);
	{
		static char block[600000];

		memset(block, 'z', sizeof(block));
		output_write(o, block, sizeof(block));
	}
	output_write(o, "end\n", 4);
	output_commit(o);
	output_publish();
	stat(path("big.txt"), &st);
	is_int(st.st_size, 50000 * 11 + 600000 + 4, "big: every byte arrives");
	{
		FILE *fp = fopen(path("big.txt"), "r");
		char line[32];

		ok_big = 1;
		for (i = 0; i < 50000; i++)
			if (fgets(line, sizeof(line), fp) == NULL ||
			    strcmp(line, "0123456789\n") != 0)
				ok_big = 0;
		fseek(fp, -5, SEEK_END);
		if (fgets(line, sizeof(line), fp) == NULL ||
		    strcmp(line, "zend\n") != 0)
			ok_big = 0;
		fclose(fp);
	}
	ok(ok_big, "big: bytes in order");
}

static void
test_special(void)
{
	struct output *o;
	struct stat st;
	char buf[64];
	ssize_t n;
	int rfd;

	o = output_open("/dev/null", 0);
	output_write(o, "gone\n", 5);
	output_commit(o);
	output_publish();
	ok(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
	    "/dev/null: still a device");
	is_int(temps_left(), 0, "/dev/null: no temporary");

	mkfifo(path("fifo"), 0600);
	rfd = open(path("fifo"), O_RDONLY | O_NONBLOCK);
	o = output_open(path("fifo"), 0);
	output_write(o, "through fifo\n", 13);
	output_commit(o);
	output_publish();
	n = read(rfd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(rfd);
	is_str(buf, "through fifo\n", "fifo: written directly");
	ok(stat(path("fifo"), &st) == 0 && S_ISFIFO(st.st_mode),
	    "fifo: still a fifo");
	is_int(temps_left(), 0, "fifo: no temporary");
	unlink(path("fifo"));

	put_file(path("real.csv"), "old\n");
	symlink("real.csv", path("link.csv"));
	o = output_open(path("link.csv"), 0);
	output_write(o, "via link\n", 9);
	output_commit(o);
	output_publish();
	ok(lstat(path("link.csv"), &st) == 0 && S_ISLNK(st.st_mode),
	    "symlink: the link stays a link");
	is_str(get_file(path("real.csv"), NULL), "via link\n",
	    "symlink: the file it points to is replaced");
	is_int(temps_left(), 0, "symlink: no temporary");
}

static void
test_gzip(void)
{
	struct output *o;
	gzFile gz;
	char buf[4096];
	int n, i, good;

	o = output_open(path("out.ndjson.gz"), 0);
	output_write(o, "{\"a\":1}\n", 8);
	output_commit(o);
	output_publish();
	gz = gzopen(path("out.ndjson.gz"), "rb");
	n = gzread(gz, buf, sizeof(buf) - 1);
	gzclose(gz);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "{\"a\":1}\n", "gzip by name: gunzips to the input");
	n = 0;
	{
		size_t len;
		char *raw = get_file(path("out.ndjson.gz"), &len);

		ok(len > 2 && (unsigned char)raw[0] == 0x1f &&
		    (unsigned char)raw[1] == 0x8b, "gzip by name: magic bytes");
	}

	o = output_open(path("flag.csv"), OUTPUT_GZIP);
	for (i = 0; i < 200000; i++)
		output_write(o, "line of text 0123456789\n", 24);
	output_commit(o);
	output_publish();
	gz = gzopen(path("flag.csv"), "rb");
	good = 1;
	for (i = 0; i < 200000; i++)
		if (gzgets(gz, buf, sizeof(buf)) == NULL ||
		    strcmp(buf, "line of text 0123456789\n") != 0)
			good = 0;
	if (gzread(gz, buf, 1) != 0)
		good = 0;
	gzclose(gz);
	ok(good, "gzip by flag: 4.8 MB over many buffers gunzip intact");

	o = output_open(path("empty.gz"), 0);
	output_commit(o);
	output_publish();
	gz = gzopen(path("empty.gz"), "rb");
	n = gzread(gz, buf, sizeof(buf));
	gzclose(gz);
	is_int(n, 0, "gzip: empty output is a valid empty gzip file");
	{
		size_t len;

		get_file(path("empty.gz"), &len);
		is_int(len, 20, "gzip: empty member is 20 bytes");
	}
}

static void
test_failures(void)
{
	int st;

	put_file(path("keep.csv"), "keep me\n");
	st = in_child(child_die, path("keep.csv"), NULL);
	ok(EXITED(st, 2), "die: exit 2");
	is_str(errbuf, "tout: boom\n", "die: its message");
	is_str(get_file(path("keep.csv"), NULL), "keep me\n",
	    "die: target intact");
	is_int(temps_left(), 0, "die: temporary removed");

	st = in_child(child_exit, path("keep.csv"), NULL);
	ok(EXITED(st, 1), "exit without commit: status kept");
	is_str(get_file(path("keep.csv"), NULL), "keep me\n",
	    "exit without commit: target intact");
	is_int(temps_left(), 0, "exit without commit: temporary removed");

	st = in_child(child_named, path("no/such/dir.csv"), NULL);
	ok(EXITED(st, 2), "missing directory: exit 2");
	{
		char want[600];

		snprintf(want, sizeof(want), "tout: cannot create %s: No such "
		    "file or directory\n", path("no/such/dir.csv"));
		is_str(errbuf, want, "missing directory: message");
		mkdir(path("adir"), 0755);
		st = in_child(child_named, path("adir"), NULL);
		ok(EXITED(st, 2), "directory target: exit 2");
		snprintf(want, sizeof(want), "tout: cannot create %s: Is a "
		    "directory\n", path("adir"));
		is_str(errbuf, want, "directory target: message");
		rmdir(path("adir"));
	}

	st = in_child(child_named_big, path("big2.csv"), NULL);
	ok(EXITED(st, 0), "child commit of a big file");
	{
		struct stat sb;

		stat(path("big2.csv"), &sb);
		is_int(sb.st_size, 1700000, "child commit: all bytes");
	}
	is_int(temps_left(), 0, "no temporaries at the end");
}

static void
cleanup_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlink(path(e->d_name));
	closedir(d);
	rmdir(dir);
}

int
main(void)
{
	errors_init("tout");
	if (mkdtemp(dir) == NULL)
		return 2;
	test_named();
	test_same_target();
	test_all_or_nothing();
	test_owner();
	test_special();
	test_gzip();
	test_failures();
	test_stdout();
	test_stdout_gzip();
	cleanup_dir();
	return tap_done();
}
