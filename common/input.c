/*
 * input.c: open a path or "-" and hand out decompressed, UTF-8 bytes
 * (gzip by magic bytes through zlib, a UTF-8 BOM dropped, iconv on request).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include "common/errors.h"
#include "common/hints.h"
#include "common/input.h"

/*
 * Raw reads are large so that a gzip or plain file costs few system calls;
 * the peek window is what format and delimiter sniffing look at.
 */
#define RAW_SIZE	(256 * 1024)
#define CONV_SIZE	(64 * 1024)
#define PEEK_SIZE	4096
/* The pending buffer holds the peek window plus room for one more fill. */
#define PEND_SIZE	(2 * PEEK_SIZE)
/* Reads smaller than this go through the pending buffer (iconv needs room). */
#define SMALL_READ	64

enum utf16_mode {
	UTF16_NONE,	/* not the BOM-deciding "UTF-16" */
	UTF16_UNDECIDED,
	UTF16_DECIDED
};

struct input {
	char		*name;
	int		 fd;
	int		 close_fd;	/* not stdin */
	int		 failed;	/* an error was reported; stay failed */
	int		 ended;		/* input_end(): the file is closed */
	struct read_error err;		/* file: name, line 0 */
	/*
	 * Read by --progress, which runs in the main thread while a tool's
	 * reading thread (twin-join) may be the one reading: atomic, relaxed.
	 */
	_Atomic uint64_t raw_bytes;
	uint64_t	 raw_size;

	/* Raw bytes read from fd and not yet consumed. */
	unsigned char	*raw;
	size_t		 raw_pos, raw_len;
	int		 raw_eof;

	/* gzip */
	int		 gzip;
	z_stream	 z;
	int		 z_inited;
	int		 z_member_done;	/* between members: EOF here is clean */
	int		 z_eof;

	/* iconv: decompressed bytes waiting for conversion */
	char		*enc;		/* the encoding's name, for messages */
	iconv_t		 cd;
	int		 conv;
	enum utf16_mode	 utf16;
	int		 raw_bom_checked;	/* utf8_bom_refused() ran */
	char		*cbuf;
	size_t		 c_pos, c_len;
	int		 c_eof;		/* the decompressed stream ended */
	int		 c_flushed;	/* iconv's final shift state written */
	uint64_t	 c_offset;	/* decompressed bytes converted so far */

	/* Converted bytes handed out by peek but not yet read. */
	char		*pend;
	size_t		 pend_pos, pend_len;
	int		 bom_checked;
	int		 eof;		/* the whole chain is exhausted */
};

static char open_err[512];

static int
set_error(struct input *in, const char *fmt, const char *arg)
{
	read_error_set(&in->err, in->name, 0, 0, fmt, arg);
	in->failed = 1;
	return -1;
}

/*
 * After an error, bytes already produced by this call are still good: hand
 * them out; in->failed makes the next call return the error.
 */
static ssize_t
partial(struct input *in, size_t produced)
{
	in->failed = 1;
	return produced > 0 ? (ssize_t)produced : -1;
}

/* ==== raw bytes ==== */

/*
 * read() that retries on EINTR and counts bytes for --progress.  A
 * descriptor handed over non-blocking (O_NONBLOCK on a shared pipe) says
 * EAGAIN when no data is there yet: wait for it, as a blocking read would.
 */
static ssize_t
raw_read(struct input *in, void *buf, size_t n)
{
	ssize_t got;
	struct pollfd pfd;

	for (;;) {
		got = read(in->fd, buf, n);
		if (got >= 0 || (errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			break;
		if (errno != EINTR) {
			pfd.fd = in->fd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		}
	}
	if (got > 0)
		atomic_store_explicit(&in->raw_bytes, atomic_load_explicit(
		    &in->raw_bytes, memory_order_relaxed) + (uint64_t)got,
		    memory_order_relaxed);
	else if (got == -1)
		set_error(in, "%s", strerror(errno));
	return got;
}

/* Refill in->raw when it is empty.  Returns 1, 0 at end of file, -1. */
static int
raw_fill(struct input *in)
{
	ssize_t got;

	if (in->raw_pos < in->raw_len)
		return 1;
	if (in->raw_eof)
		return 0;
	in->raw_pos = in->raw_len = 0;
	got = raw_read(in, in->raw, RAW_SIZE);
	if (got == -1)
		return -1;
	if (got == 0) {
		in->raw_eof = 1;
		return 0;
	}
	in->raw_len = (size_t)got;
	return 1;
}

/* ==== decompressed bytes ==== */

static ssize_t
gzip_read(struct input *in, char *buf, size_t n)
{
	int rc;

	if (in->z_eof)
		return 0;
	if (n > UINT32_MAX)		/* zlib counts in uInt */
		n = UINT32_MAX;
	in->z.next_out = (unsigned char *)buf;
	in->z.avail_out = (uInt)n;
	for (;;) {
		if (in->raw_pos == in->raw_len) {
			/* Hand out what we have before blocking on more. */
			if (in->z.avail_out < n)
				break;
			rc = raw_fill(in);
			if (rc == -1)
				return partial(in, n - in->z.avail_out);
			if (rc == 0) {
				if (in->z_member_done) {
					in->z_eof = 1;
					break;
				}
				set_error(in, "%s", "truncated gzip data");
				return partial(in, n - in->z.avail_out);
			}
		}
		if (in->z_member_done) {
			/* Another member follows (cat a.gz b.gz). */
			if (inflateReset(&in->z) != Z_OK)
				return set_error(in, "corrupt gzip data: %s",
				    "cannot reset zlib");
			in->z_member_done = 0;
		}
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
		rc = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		if (rc == Z_STREAM_END)
			in->z_member_done = 1;
		else if (rc == Z_BUF_ERROR) {
			/* No progress possible: needs more input. */
			if (in->raw_pos < in->raw_len && in->z.avail_out > 0) {
				set_error(in, "corrupt gzip data: %s",
				    "no progress");
				return partial(in, n - in->z.avail_out);
			}
		} else if (rc != Z_OK) {
			set_error(in, "corrupt gzip data: %s",
			    in->z.msg != NULL ? in->z.msg : zError(rc));
			return partial(in, n - in->z.avail_out);
		}
		if (in->z.avail_out == 0)
			break;
	}
	return (ssize_t)(n - in->z.avail_out);
}

/* Decompressed bytes: plain ones straight from fd, or through zlib. */
static ssize_t
plain_read(struct input *in, char *buf, size_t n)
{
	size_t k;

	if (in->failed)
		return -1;
	if (in->gzip)
		return gzip_read(in, buf, n);
	if (in->raw_pos < in->raw_len) {
		k = in->raw_len - in->raw_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		return (ssize_t)k;
	}
	if (in->raw_eof)
		return 0;
	return raw_read(in, buf, n);
}

/* ==== converted bytes ==== */

/* Refill the conversion input, keeping an incomplete sequence at its end. */
static int
conv_fill(struct input *in)
{
	ssize_t got;

	if (in->c_pos > 0) {
		memmove(in->cbuf, in->cbuf + in->c_pos, in->c_len - in->c_pos);
		in->c_len -= in->c_pos;
		in->c_pos = 0;
	}
	got = plain_read(in, in->cbuf + in->c_len, CONV_SIZE - in->c_len);
	if (got == -1)
		return -1;
	if (got == 0)
		in->c_eof = 1;
	in->c_len += (size_t)got;
	return 0;
}

/*
 * "UTF-16" without a BOM is big-endian to iconv, but files without one come
 * from Windows tools that write little-endian, so we pick the byte order
 * ourselves; the BOM itself becomes U+FEFF, which the UTF-8 BOM check drops.
 */
static int
utf16_decide(struct input *in)
{
	const unsigned char *b;
	const char *name = "UTF-16LE";

	while (in->c_len - in->c_pos < 2 && !in->c_eof)
		if (conv_fill(in) == -1)
			return -1;
	b = (const unsigned char *)in->cbuf + in->c_pos;
	if (in->c_len - in->c_pos >= 2 && b[0] == 0xfe && b[1] == 0xff)
		name = "UTF-16BE";
	iconv_close(in->cd);
	in->cd = iconv_open("UTF-8", name);
	if (in->cd == (iconv_t)-1)
		return set_error(in, "cannot convert from %s", name);
	in->utf16 = UTF16_DECIDED;
	return 0;
}

/*
 * A UTF-8 BOM under --encoding (cp1251, ...) says the file is UTF-8: read
 * as the named encoding its text would come out garbled and its first
 * column misnamed ("п»їid"), so it is an error, not a guess.
 */
static int
utf8_bom_refused(struct input *in)
{
	in->raw_bom_checked = 1;
	if (in->utf16 != UTF16_NONE)
		return 0;
	while (in->c_len - in->c_pos < 3 && !in->c_eof)
		if (conv_fill(in) == -1)
			return -1;
	if (in->c_len - in->c_pos < 3 ||
	    memcmp(in->cbuf + in->c_pos, "\xef\xbb\xbf", 3) != 0)
		return 0;
	read_error_set(&in->err, in->name, 0, 0, "starts with a UTF-8 byte "
	    "order mark, but --encoding %s says it is not UTF-8 (drop "
	    "--encoding)", in->enc);
	in->failed = 1;
	return -1;
}

static ssize_t
conv_read(struct input *in, char *buf, size_t n)
{
	char *ip, *op;
	size_t il, ol, r;

	if (!in->raw_bom_checked && utf8_bom_refused(in) == -1)
		return -1;
	if (in->utf16 == UTF16_UNDECIDED && utf16_decide(in) == -1)
		return -1;
	op = buf;
	ol = n;
	for (;;) {
		if (in->c_pos == in->c_len) {
			/* Hand out what we have before blocking on more. */
			if (op > buf)
				break;
			if (in->c_eof) {
				/* Let a stateful encoding finish its output. */
				if (!in->c_flushed) {
					in->c_flushed = 1;
					iconv(in->cd, NULL, NULL, &op, &ol);
				}
				break;
			}
			if (conv_fill(in) == -1)
				return partial(in, (size_t)(op - buf));
			continue;
		}
		ip = in->cbuf + in->c_pos;
		il = in->c_len - in->c_pos;
		r = iconv(in->cd, &ip, &il, &op, &ol);
		in->c_offset += (uint64_t)(ip - (in->cbuf + in->c_pos));
		in->c_pos = (size_t)(ip - in->cbuf);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			break;
		if (errno == EILSEQ) {
			read_error_set(&in->err, in->name, 0, 0,
			    "invalid %s data at byte %llu", in->enc,
			    (unsigned long long)in->c_offset);
			return partial(in, (size_t)(op - buf));
		}
		if (errno != EINVAL) {
			set_error(in, "%s", strerror(errno));
			return partial(in, (size_t)(op - buf));
		}
		/* An incomplete sequence at the end: more input finishes it. */
		if (op > buf)
			break;
		if (in->c_eof) {
			read_error_set(&in->err, in->name, 0, 0,
			    "incomplete %s sequence at end of input", in->enc);
			in->failed = 1;
			return -1;
		}
		if (conv_fill(in) == -1)
			return -1;
	}
	return (ssize_t)(op - buf);
}

/* The bottom of the chain: converted (or plain) bytes into buf. */
static ssize_t
chain_read(struct input *in, char *buf, size_t n)
{
	ssize_t got;

	if (in->failed)
		return -1;
	if (in->eof)
		return 0;
	got = in->conv ? conv_read(in, buf, n) : plain_read(in, buf, n);
	if (got == 0)
		in->eof = 1;
	return got;
}

/* ==== pending (peeked) bytes ==== */

/*
 * Fill the pending buffer to at least want bytes (or end of input).  The
 * first fill drops a UTF-8 BOM, whatever produced it.
 */
static int
pend_fill(struct input *in, size_t want)
{
	ssize_t got;

	if (in->pend_pos > 0) {
		memmove(in->pend, in->pend + in->pend_pos,
		    in->pend_len - in->pend_pos);
		in->pend_len -= in->pend_pos;
		in->pend_pos = 0;
	}
	for (;;) {
		while (in->pend_len - in->pend_pos < want && !in->eof) {
			got = chain_read(in, in->pend + in->pend_len,
			    PEND_SIZE - in->pend_len);
			/*
			 * Good bytes before an error are handed out first;
			 * the error stays and ends the next read.
			 */
			if (got == -1 && in->pend_len == in->pend_pos)
				return -1;
			if (got == -1)
				break;
			in->pend_len += (size_t)got;
		}
		if (in->bom_checked)
			return 0;
		in->bom_checked = 1;
		if (in->pend_len >= 3 &&
		    memcmp(in->pend, "\xef\xbb\xbf", 3) == 0)
			in->pend_pos = 3;
	}
}

/* 1 when buf holds a newline after its first non-blank byte. */
static int
has_content_line(const char *buf, size_t n)
{
	size_t i = 0;

	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	return i < n && memchr(buf + i, '\n', n - i) != NULL;
}

/* ==== the API ==== */

static int
is_utf8_name(const char *e)
{
	return strcasecmp(e, "utf-8") == 0 || strcasecmp(e, "utf8") == 0;
}

static int
is_utf16_name(const char *e)
{
	return strcasecmp(e, "utf-16") == 0 || strcasecmp(e, "utf16") == 0;
}

/* Set up iconv for o->encoding.  Returns 0, or -1 with open_err set. */
static int
setup_encoding(struct input *in, const char *enc)
{
	if (enc == NULL || *enc == '\0' || is_utf8_name(enc))
		return 0;
	in->cd = iconv_open("UTF-8", is_utf16_name(enc) ? "UTF-16LE" : enc);
	if (in->cd == (iconv_t)-1) {
		snprintf(open_err, sizeof(open_err), "unknown encoding: %s",
		    enc);
		return -1;
	}
	in->conv = 1;
	in->enc = xstrdup(enc);
	in->utf16 = is_utf16_name(enc) ? UTF16_UNDECIDED : UTF16_NONE;
	in->cbuf = xmalloc(CONV_SIZE);
	return 0;
}

/* Read the first raw bytes and look for the gzip magic. */
static int
detect_gzip(struct input *in)
{
	ssize_t got;

	while (in->raw_len < HINT_RAW_BYTES && !in->raw_eof) {
		got = raw_read(in, in->raw + in->raw_len,
		    RAW_SIZE - in->raw_len);
		if (got == -1)
			return -1;
		if (got == 0)
			in->raw_eof = 1;
		in->raw_len += (size_t)got;
	}
	if (in->raw_len < 2 || in->raw[0] != 0x1f || in->raw[1] != 0x8b)
		return 0;
	memset(&in->z, 0, sizeof(in->z));
	if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
		set_error(in, "%s", "cannot initialize zlib");
		return -1;
	}
	in->z_inited = 1;
	in->gzip = 1;
	return 0;
}

struct input *
input_open(const char *path, const struct input_opts *o, const char **err)
{
	struct input *in;
	struct stat st;
	int stdin_ = path == NULL || strcmp(path, "-") == 0;

	in = xcalloc(1, sizeof(*in));
	in->cd = (iconv_t)-1;
	in->name = xstrdup(stdin_ ? "-" : path);
	if (stdin_)
		in->fd = STDIN_FILENO;
	else {
		do
			in->fd = open(path, O_RDONLY | O_CLOEXEC);
		while (in->fd == -1 && errno == EINTR);
		if (in->fd == -1) {
			snprintf(open_err, sizeof(open_err), "%s",
			    strerror(errno));
			goto fail;
		}
		in->close_fd = 1;
	}
	if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
		in->raw_size = (uint64_t)st.st_size;
	if (setup_encoding(in, o != NULL ? o->encoding : NULL) == -1)
		goto fail;
	in->raw = xmalloc(RAW_SIZE);
	in->pend = xmalloc(PEND_SIZE);
	if (detect_gzip(in) == -1) {
		snprintf(open_err, sizeof(open_err), "%s", in->err.msg);
		goto fail;
	}
	/* xz, zip, UTF-16 read as UTF-8: say what it is and the fix. */
	if (!in->gzip && hint_raw(in->raw, in->raw_len, in->name,
	    o != NULL && o->encoding != NULL, open_err, sizeof(open_err)) != NULL)
		goto fail;
	return in;
fail:
	if (err != NULL)
		*err = open_err;
	input_close(in);
	return NULL;
}

const char *
input_name(const struct input *in)
{
	return in->name;
}

ssize_t
input_read(struct input *in, char *buf, size_t n)
{
	size_t k;

	/* After input_end() the descriptor may belong to another file. */
	if (in->ended)
		return in->failed ? -1 : 0;
	if (n == 0)
		return 0;
	/*
	 * The first read looks for a BOM; a tiny one goes through the pending
	 * buffer so that iconv always has room for a whole character.
	 */
	if (!in->bom_checked || (in->pend_pos == in->pend_len &&
	    n < SMALL_READ && !in->eof))
		if (pend_fill(in, in->bom_checked ? 1 : 3) == -1)
			return -1;
	if (in->pend_pos < in->pend_len) {
		k = in->pend_len - in->pend_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->pend + in->pend_pos, k);
		in->pend_pos += k;
		return (ssize_t)k;
	}
	/* Nothing pending: read straight into the caller's buffer. */
	return chain_read(in, buf, n);
}

int
input_peek(struct input *in, const char **p, size_t *n)
{
	size_t avail, before;

	if (in->ended) {
		*p = "";
		*n = 0;
		return in->failed ? -1 : 0;
	}
	/*
	 * Wait only for the first line that has something in it (or 4 KiB,
	 * or the end): enough to sniff the format and a CSV header, without
	 * stalling a live pipe (tail -f | tool) until 4 KiB have arrived.
	 */
	avail = in->pend_len - in->pend_pos;
	while (!in->bom_checked || (avail < PEEK_SIZE && !in->eof &&
	    !has_content_line(in->pend + in->pend_pos, avail))) {
		before = avail;
		if (pend_fill(in, avail + 1) == -1)
			return -1;
		avail = in->pend_len - in->pend_pos;
		if (avail <= before && in->bom_checked)
			break;	/* an error is pending: hand out what we have */
	}
	*p = in->pend + in->pend_pos;
	*n = in->pend_len - in->pend_pos;
	if (*n > PEEK_SIZE)
		*n = PEEK_SIZE;
	return 0;
}

const char *
input_error(const struct input *in)
{
	return in->err.msg;
}

const struct read_error *
input_err(const struct input *in)
{
	return &in->err;
}

int
input_end(struct input *in)
{
	if (in->ended)
		return in->failed ? -1 : 0;
	in->ended = 1;
	if (in->close_fd) {
		in->close_fd = 0;
		if (close(in->fd) == -1)
			return set_error(in, "%s", strerror(errno));
	}
	return in->failed ? -1 : 0;
}

int
input_is_gzip(const struct input *in)
{
	return in->gzip;
}

uint64_t
input_raw_bytes(const struct input *in)
{
	return atomic_load_explicit(&in->raw_bytes, memory_order_relaxed);
}

uint64_t
input_raw_size(const struct input *in)
{
	return in->raw_size;
}

int
input_close(struct input *in)
{
	int rc = 0;

	if (in == NULL)
		return 0;
	if (in->close_fd && close(in->fd) == -1)
		rc = -1;
	if (in->z_inited)
		inflateEnd(&in->z);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->cbuf);
	free(in->enc);
	free(in->raw);
	free(in->pend);
	free(in->name);
	free(in);
	return rc;
}
