/*
 * fuzz_csvdiff.c: differential libFuzzer target: csvio's splitter and
 * libcsv (tests/unit/csvref.h) must read the same bytes into identical
 * rows, start lines and error positions.  The first byte picks the
 * delimiter; the rest is the CSV, reaching input_open() through a memfd.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/unit/csvref.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { ',', ';', '\t', '|', ' ', 'x', 0xd0 };
	struct strbuf ours = STRBUF_INIT, ref = STRBUF_INIT, bytes = STRBUF_INIT;
	char path[64];
	int fd, delim;

	if (size == 0)
		return 0;
	delim = delims[data[0] % (sizeof(delims) / sizeof(delims[0]))];
	fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/*
	 * The input layer may refuse the bytes (UTF-16, a truncated gzip
	 * stream): nothing to compare.
	 */
	if (csvref_render_ours(path, delim, &ours, &bytes) == -1)
		goto out;
	csvref_render(bytes.buf, bytes.len, delim, &ref);
	if (ours.len != ref.len || memcmp(ours.buf, ref.buf, ref.len) != 0) {
		fprintf(stderr, "csvio:\n%s\nlibcsv:\n%s\n", ours.buf, ref.buf);
		abort();
	}
out:
	close(fd);
	strbuf_release(&ours);
	strbuf_release(&ref);
	strbuf_release(&bytes);
	return 0;
}
