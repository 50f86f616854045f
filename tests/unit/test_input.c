/*
 * test_input.c: input_open/read/peek over plain and gzip files, stdin
 * pipes, BOMs and iconv encodings, and the errors each can give.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/errors.h"
#include "common/input.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"
#include "tests/unit/testutil.h"

static char tmpdir[256];
static char *made[64];
static int nmade;

/* Write data to a new file in tmpdir and return its path. */
static const char *
put(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	made[nmade++] = xstrdup(path);
	return made[nmade - 1];
}

/*
 * Read all of path (NULL: stdin) with reads of chunk bytes into out.
 * Returns the last input_read() result (0 or -1); *err gets the error.
 */
static int
slurp(const char *path, const char *enc, size_t chunk, struct strbuf *out,
    const char **err)
{
	struct input_opts o = INPUT_OPTS_DEFAULT;
	struct input *in;
	static char msg[512];
	char *buf;
	ssize_t n;

	o.encoding = enc;
	strbuf_reset(out);
	*err = NULL;
	in = input_open(path, &o, err);
	if (in == NULL)
		return -2;
	buf = xmalloc(chunk);
	while ((n = input_read(in, buf, chunk)) > 0)
		strbuf_add(out, buf, (size_t)n);
	if (n == -1) {
		snprintf(msg, sizeof(msg), "%s", input_error(in));
		*err = msg;
	}
	free(buf);
	input_close(in);
	return (int)n;
}

/* Run slurp() on stdin fed by a child process writing data to a pipe. */
static int
slurp_pipe(const void *data, size_t len, const char *enc, struct strbuf *out,
    const char **err)
{
	int fds[2], saved, rc, status;
	pid_t pid;

	if (pipe(fds) == -1 || (saved = dup(0)) == -1)
		exit(1);
	pid = fork();
	if (pid == 0) {
		const char *p = data;
		ssize_t w;

		close(fds[0]);
		/* Small writes, so the reader sees short reads. */
		while (len > 0) {
			w = write(fds[1], p, len < 1000 ? len : 1000);
			if (w <= 0)
				_exit(1);
			p += w;
			len -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	rc = slurp("-", enc, 65536, out, err);
	dup2(saved, 0);
	close(saved);
	waitpid(pid, &status, 0);
	return rc;
}

static void
test_plain(void)
{
	struct strbuf sb = STRBUF_INIT, big = STRBUF_INIT;
	struct input *in;
	const char *path, *err, *p;
	char buf[100];
	size_t n, i;

	path = put("plain.txt", "hello\nworld\n", 12);
	is_int(slurp(path, NULL, 4096, &sb, &err), 0, "plain: read to the end");
	is_str(sb.buf, "hello\nworld\n", "plain: bytes unchanged");
	is_int(slurp(path, NULL, 1, &sb, &err), 0, "plain: 1-byte reads");
	is_str(sb.buf, "hello\nworld\n", "plain: 1-byte reads see everything");

	in = input_open(path, NULL, &err);
	ok(in != NULL, "plain: open with NULL opts");
	is_str(input_name(in), path, "plain: name is the path");
	is_int(input_is_gzip(in), 0, "plain: not gzip");
	is_int(input_raw_size(in), 12, "plain: raw size is the file size");
	ok(input_peek(in, &p, &n) == 0 && n == 12 &&
	    memcmp(p, "hello\nworld\n", 12) == 0, "plain: peek sees all");
	is_int(input_read(in, buf, 5), 5, "plain: read after peek");
	ok(memcmp(buf, "hello", 5) == 0, "plain: peek consumed nothing");
	ok(input_peek(in, &p, &n) == 0 && n == 7 && memcmp(p, "\nworld\n", 7)
	    == 0, "plain: peek after a read starts at the read position");
	is_int(input_read(in, buf, sizeof(buf)), 7, "plain: rest");
	is_int(input_read(in, buf, sizeof(buf)), 0, "plain: then end");
	is_int(input_read(in, buf, sizeof(buf)), 0, "plain: end stays end");
	is_int(input_raw_bytes(in), 12, "plain: raw bytes counted");
	is_int(input_close(in), 0, "plain: close");
	is_int(input_close(NULL), 0, "close(NULL) is fine");

	/* Peek is 4096 bytes of a longer input, and consumes nothing. */
	for (i = 0; i < 300000; i++)
		strbuf_addch(&big, (char)('a' + i % 26));
	path = put("big.txt", big.buf, big.len);
	in = input_open(path, NULL, &err);
	ok(input_peek(in, &p, &n) == 0 && n == 4096 &&
	    memcmp(p, big.buf, 4096) == 0, "peek: 4096 bytes of a big file");
	input_close(in);
	is_int(slurp(path, NULL, 65536, &sb, &err), 0, "big: read");
	ok(sb.len == big.len && memcmp(sb.buf, big.buf, big.len) == 0,
	    "big: content equal across raw buffer refills");

	in = input_open(put("empty.txt", "", 0), NULL, &err);
	ok(input_peek(in, &p, &n) == 0 && n == 0, "empty: peek sees nothing");
	is_int(input_read(in, buf, sizeof(buf)), 0, "empty: read is end");
	input_close(in);

	/* input_end(): the file is closed at the end, once; reads stay 0. */
	in = input_open(put("end.txt", "x\n", 2), NULL, &err);
	is_int(input_read(in, buf, sizeof(buf)), 2, "end: the data");
	is_int(input_read(in, buf, sizeof(buf)), 0, "end: then the end");
	is_int(input_end(in), 0, "input_end: closed without error");
	is_int(input_end(in), 0, "input_end: twice is fine");
	is_int(input_read(in, buf, sizeof(buf)), 0,
	    "after input_end: reads are the end, not another file's data");
	is_str(input_error(in), "", "no error");
	is_int(input_close(in), 0, "close after input_end");

	ok(input_open("/nonexistent/x", NULL, &err) == NULL,
	    "missing file: open fails");
	is_str(err, "No such file or directory", "missing file: strerror");
	ok(input_open(tmpdir, NULL, &err) == NULL, "directory: open fails");
	is_str(err, "Is a directory", "directory: strerror");
	strbuf_release(&sb);
	strbuf_release(&big);
}

static void
test_bom(void)
{
	struct strbuf sb = STRBUF_INIT, z = STRBUF_INIT;
	struct input *in;
	const char *err, *p, *path;
	size_t n;

	path = put("bom.txt", "\xef\xbb\xbf" "a,b\n", 7);
	slurp(path, NULL, 4096, &sb, &err);
	is_str(sb.buf, "a,b\n", "bom: dropped");
	slurp(path, NULL, 1, &sb, &err);
	is_str(sb.buf, "a,b\n", "bom: dropped with 1-byte reads");
	in = input_open(path, NULL, &err);
	ok(input_peek(in, &p, &n) == 0 && n == 4 && memcmp(p, "a,b\n", 4) ==
	    0, "bom: peek does not show it");
	input_close(in);
	slurp(put("bomonly.txt", "\xef\xbb\xbf", 3), NULL, 4096, &sb, &err);
	is_int(sb.len, 0, "bom only: empty");
	slurp(put("bom2.txt", "x\xef\xbb\xbf", 4), NULL, 4096, &sb, &err);
	is_str(sb.buf, "x\xef\xbb\xbf", "bom: kept when not leading");
	gz(&z, "\xef\xbb\xbf" "gz\n", 6);
	slurp(put("bom.gz", z.buf, z.len), NULL, 4096, &sb, &err);
	is_str(sb.buf, "gz\n", "bom: dropped inside gzip");
	strbuf_release(&sb);
	strbuf_release(&z);
}

static void
test_gzip(void)
{
	struct strbuf sb = STRBUF_INIT, z = STRBUF_INIT, big = STRBUF_INIT;
	struct input *in;
	const char *err, *path;
	uint32_t x = 12345;
	size_t i;
	char buf[64];

	gz(&z, "one\ntwo\n", 8);
	path = put("a.gz", z.buf, z.len);
	in = input_open(path, NULL, &err);
	is_int(input_is_gzip(in), 1, "gzip: detected by magic");
	is_int(input_raw_size(in), z.len, "gzip: raw size is compressed");
	is_int(input_read(in, buf, sizeof(buf)), 8, "gzip: inflated");
	is_int(input_read(in, buf, sizeof(buf)), 0, "gzip: end");
	is_int(input_raw_bytes(in), z.len, "gzip: raw bytes compressed");
	input_close(in);

	/* cat a.gz b.gz */
	gz(&z, "three\n", 6);
	path = put("ab.gz", z.buf, z.len);
	is_int(slurp(path, NULL, 4096, &sb, &err), 0, "multi-member: read");
	is_str(sb.buf, "one\ntwo\nthree\n", "multi-member: both members");
	is_int(slurp(path, NULL, 1, &sb, &err), 0, "multi-member: tiny reads");
	is_str(sb.buf, "one\ntwo\nthree\n", "multi-member: tiny reads equal");

	is_int(slurp_pipe(z.buf, z.len, NULL, &sb, &err), 0, "gzip on stdin");
	is_str(sb.buf, "one\ntwo\nthree\n", "gzip on stdin: inflated");
	is_int(slurp_pipe("plain\n", 6, NULL, &sb, &err), 0, "plain on stdin");
	is_str(sb.buf, "plain\n", "plain on stdin: unchanged");

	/* Truncated: the first member cut short. */
	path = put("trunc.gz", z.buf, 20);
	is_int(slurp(path, NULL, 4096, &sb, &err), -1, "truncated: error");
	is_str(err, "truncated gzip data", "truncated: message");
	is_int(slurp_pipe(z.buf, z.len - 3, NULL, &sb, &err), -1,
	    "truncated on stdin: error");
	is_str(err, "truncated gzip data", "truncated on stdin: message");

	/* A damaged CRC, and damaged compressed data. */
	strbuf_reset(&z);
	gz(&z, "one\ntwo\n", 8);
	z.buf[z.len - 6] ^= 0x55;
	is_int(slurp(put("crc.gz", z.buf, z.len), NULL, 4096, &sb, &err), -1,
	    "bad crc: error");
	is_str(err, "corrupt gzip data: incorrect data check",
	    "bad crc: zlib's message");
	z.buf[z.len - 6] ^= 0x55;
	memcpy(z.buf + z.len, "xyz", 3);
	is_int(slurp(put("junk.gz", z.buf, z.len + 3), NULL, 4096, &sb, &err),
	    -1, "trailing garbage: error");
	is_str(err, "corrupt gzip data: incorrect header check",
	    "trailing garbage: message");

	/* Bigger than one raw buffer once compressed: pseudo-random text. */
	for (i = 0; i < 2000000; i++) {
		x = x * 1103515245 + 12345;
		strbuf_addch(&big, (char)('!' + (x >> 16) % 90));
	}
	strbuf_reset(&z);
	gz(&z, big.buf, big.len);
	ok(z.len > 256 * 1024, "big gzip: more than one raw read");
	path = put("big.gz", z.buf, z.len);
	is_int(slurp(path, NULL, 100000, &sb, &err), 0, "big gzip: read");
	ok(sb.len == big.len && memcmp(sb.buf, big.buf, big.len) == 0,
	    "big gzip: content equal");
	is_int(slurp_pipe(z.buf, z.len, NULL, &sb, &err), 0,
	    "big gzip on stdin: read");
	ok(sb.len == big.len && memcmp(sb.buf, big.buf, big.len) == 0,
	    "big gzip on stdin: content equal");
	strbuf_release(&sb);
	strbuf_release(&z);
	strbuf_release(&big);
}

/*
 * A live pipe: peek must return once the first line is there, not wait for
 * 4 KiB or EOF (tail -f | tool).  alarm() turns a hang into a failure.
 */
static void
test_peek_live_pipe(void)
{
	int fds[2];
	char path[64];
	struct input *in;
	const char *p;
	size_t n = 0;

	if (pipe(fds) == -1 || write(fds[1], "id,name\n1,", 10) != 10) {
		ok(0, "pipe for the live-pipe test");
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	alarm(5);
	in = input_open(path, NULL, NULL);
	ok(in != NULL && input_peek(in, &p, &n) == 0,
	    "peek on a live pipe returns after the first line");
	alarm(0);
	is_int(n, 10, "peek hands out what has arrived");
	input_close(in);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Standard input handed over non-blocking, with the data still to come:
 * read as a blocking pipe would be, not "Resource temporarily unavailable".
 */
static void
test_nonblocking_stdin(void)
{
	int fds[2], saved, st;
	struct input *in;
	char buf[64];
	ssize_t got = -1;
	size_t n = 0;
	pid_t pid;

	if (pipe(fds) == -1 || (saved = dup(0)) == -1) {
		ok(0, "pipe for the non-blocking test");
		return;
	}
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		usleep(200000);
		if (write(fds[1], "id\n1\n", 5) != 5)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	alarm(5);
	in = input_open("-", NULL, NULL);
	while (in != NULL && (got = input_read(in, buf + n,
	    sizeof(buf) - 1 - n)) > 0)
		n += (size_t)got;
	buf[n] = '\0';
	alarm(0);
	ok(in != NULL && got == 0, "non-blocking stdin: read to the end");
	is_str(buf, "id\n1\n", "non-blocking stdin: waits for the data");
	input_close(in);
	waitpid(pid, &st, 0);
	dup2(saved, 0);
	close(saved);
}

static void
test_encoding(void)
{
	struct strbuf sb = STRBUF_INIT, z = STRBUF_INIT;
	const char *err, *path;
	static const char cp1251[] = "\xcf\xf0\xe8\xe2\xe5\xf2,\xec\xe8\xf0\n";
	static const char want[] = "Привет,мир\n";

	path = put("cp1251.txt", cp1251, sizeof(cp1251) - 1);
	is_int(slurp(path, "cp1251", 4096, &sb, &err), 0, "cp1251: read");
	is_str(sb.buf, want, "cp1251: converted to UTF-8");
	slurp(path, "windows-1251", 4096, &sb, &err);
	is_str(sb.buf, want, "windows-1251: same");
	slurp(path, "CP1251", 1, &sb, &err);
	is_str(sb.buf, want, "cp1251: 1-byte reads");
	gz(&z, cp1251, sizeof(cp1251) - 1);
	slurp(put("cp1251.gz", z.buf, z.len), "cp1251", 4096, &sb, &err);
	is_str(sb.buf, want, "cp1251 inside gzip");
	slurp_pipe(cp1251, sizeof(cp1251) - 1, "cp1251", &sb, &err);
	is_str(sb.buf, want, "cp1251 on stdin");
	is_int(slurp(put("cp1251bad.txt", "ab\x98", 3), "cp1251", 4096, &sb,
	    &err), -1, "cp1251: unmapped byte is an error");
	is_str(err, "invalid cp1251 data at byte 2", "cp1251: error names offset");
	is_str(sb.buf, "ab", "cp1251: bytes before the error are read first");

	slurp(put("latin1.txt", "caf\xe9\n", 5), "latin1", 4096, &sb, &err);
	is_str(sb.buf, "café\n", "latin1: converted");

	path = put("u16bom.txt", "\xff\xfe" "a\0,\0\x1f\x04\n\0", 10);
	is_int(slurp(path, "utf-16", 4096, &sb, &err), 0, "utf-16 LE BOM");
	is_str(sb.buf, "a,П\n", "utf-16 LE BOM: converted, BOM dropped");
	slurp(path, "UTF-16LE", 4096, &sb, &err);
	is_str(sb.buf, "a,П\n", "utf-16le with BOM: BOM dropped");
	slurp(path, "utf-16", 1, &sb, &err);
	is_str(sb.buf, "a,П\n", "utf-16: 1-byte reads");
	path = put("u16be.txt", "\xfe\xff\0a\0,\x04\x1f\0\n", 10);
	slurp(path, "utf-16", 4096, &sb, &err);
	is_str(sb.buf, "a,П\n", "utf-16 BE BOM: byte order from the BOM");
	path = put("u16nobom.txt", "a\0,\0\x1f\x04\n\0", 8);
	slurp(path, "utf16", 4096, &sb, &err);
	is_str(sb.buf, "a,П\n", "utf-16 without BOM: little-endian");
	path = put("u16be2.txt", "\0a\0,\x04\x1f\0\n", 8);
	slurp(path, "utf-16be", 4096, &sb, &err);
	is_str(sb.buf, "a,П\n", "utf-16be: converted");
	is_int(slurp(put("u16odd.txt", "a\0b", 3), "utf-16le", 4096, &sb,
	    &err), -1, "utf-16: odd byte count is an error");
	is_str(err, "incomplete utf-16le sequence at end of input",
	    "utf-16: incomplete sequence message");

	slurp(put("u8.txt", "x\xff\n", 3), "UTF-8", 4096, &sb, &err);
	is_str(sb.buf, "x\xff\n", "utf-8: no conversion (readers validate)");
	slurp(put("u8b.txt", "y\n", 2), "utf8", 4096, &sb, &err);
	is_str(sb.buf, "y\n", "utf8: accepted as a name");

	is_int(slurp(path, "koi9", 4096, &sb, &err), -2,
	    "unknown encoding: open fails");
	is_str(err, "unknown encoding: koi9", "unknown encoding: message");
	strbuf_release(&sb);
	strbuf_release(&z);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	int i;

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_input.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_plain();
	test_bom();
	test_gzip();
	test_encoding();
	test_peek_live_pipe();
	test_nonblocking_stdin();
	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		free(made[i]);
	}
	rmdir(tmpdir);
	return tap_done();
}
