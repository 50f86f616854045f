/*
 * fuzz_csv.c: libFuzzer target for the input layer and CSV reader (gzip,
 * BOM, sniffing, quoting, ragged rows).  The data reaches input_open()
 * through a memfd so the real file path is exercised.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/csvio.h"
#include "common/input.h"
#include "common/record.h"
#include "common/strbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct csv_opts co = CSV_OPTS_DEFAULT;
	struct csv_write_opts wo = CSV_WRITE_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	struct input *in;
	char path[64];
	size_t i;
	int fd;

	fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	co.max_record = 1 << 20;
	if (size > 0 && data[0] == 'N')
		co.no_header = 1;
	in = input_open(path, &io, NULL);
	if (in == NULL) {	/* refused (UTF-16 text, ...): not a crash */
		close(fd);
		return 0;
	}
	r = csv_reader_new(in, &co);
	while (csv_reader_next(r, &rec) == 1) {
		for (i = 0; i < rec.nfields; i++)
			csv_write_cell(&sb, rec.fields[i].value.u.str,
			    rec.fields[i].value.len, &wo);
		strbuf_reset(&sb);
	}
	csv_reader_free(r);
	input_close(in);
	close(fd);
	record_release(&rec);
	strbuf_release(&sb);
	return 0;
}
