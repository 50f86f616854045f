/*
 * testutil.h: helpers several unit tests share: run a function in a child
 * with its stdout and stderr captured, and gzip a buffer in memory.
 * Include after tap.h.
 */
#ifndef DUMPKIT_TESTUTIL_H
#define DUMPKIT_TESTUTIL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "common/strbuf.h"

/* What the last in_child() wrote: stdout (outlen bytes) and stderr. */
static char outbuf[1 << 21], errbuf[8192];
static size_t outlen;

/* Read up to size - 1 bytes of path into buf, NUL-terminated. */
static void __attribute__((unused))
file_to_buf(const char *path, char *buf, size_t size, size_t *len)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, size - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
}

/*
 * Run fn(arg) in a child whose stdout goes to a file (or to out_path, e.g.
 * /dev/full) and stderr to a file; return its wait status, with what it
 * wrote in outbuf/outlen and errbuf.
 */
static int __attribute__((unused))
in_child(void (*fn)(const char *), const char *arg, const char *out_path)
{
	char outp[] = "/tmp/dumpkit-test.out.XXXXXX";
	char errp[] = "/tmp/dumpkit-test.err.XXXXXX";
	int ofd, efd, status;
	pid_t pid;

	ofd = mkstemp(outp);
	efd = mkstemp(errp);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (out_path != NULL) {
			close(ofd);
			ofd = open(out_path, O_WRONLY);
		}
		dup2(ofd, 1);
		dup2(efd, 2);
		fn(arg);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	close(ofd);
	close(efd);
	file_to_buf(outp, outbuf, sizeof(outbuf), &outlen);
	file_to_buf(errp, errbuf, sizeof(errbuf), NULL);
	unlink(outp);
	unlink(errp);
	return status;
}

/* Append data[0..len) gzip-compressed to out. */
static void __attribute__((unused))
gz(struct strbuf *out, const void *data, size_t len)
{
	z_stream z;
	unsigned char chunk[16384];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		strbuf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	deflateEnd(&z);
}

#endif
