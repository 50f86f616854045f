/*
 * reading.h: what twin-join's reading thread does (see handoff.h): parse
 * the links of one -l file into link batches, and the records of one input
 * into record batches, each record with its compared key and the head of
 * that key's links in the index.  The main thread meanwhile fills the
 * index, or joins and writes.
 */
#ifndef TWIN_JOIN_READING_H
#define TWIN_JOIN_READING_H

#include <stddef.h>
#include <stdint.h>

#include "common/record.h"
#include "common/strbuf.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"

struct handoff;
struct source;
struct tlink;
struct twin_index;

/* Batches in circulation, for each handoff. */
#define READING_BATCHES	4

/* ==== links ==== */

#define LINK_BATCH	4096

/* A warning of the links reader, due before link number at of its batch. */
struct link_warning {
	size_t		 at;
	unsigned long	 line;
	size_t		 off;		/* of the message in text */
};

struct link_batch {
	struct link		 link[LINK_BATCH];
	size_t			 n;
	/* The links' strings (and the warnings'), which the links point at. */
	struct strbuf		 text;
	struct link_warning	*warn;
	size_t			 nwarn, walloc;
	/* In the last batch: 1 at the end of the file, -1 after an error. */
	int			 end;
};

struct link_reading {
	struct links_reader	*lr;
	struct link_batch	*cur;	/* being filled */
};

struct link_batch *link_batch_new(void);
void	link_batch_free(struct link_batch *b);
/*
 * For links_opts.warn, with the link_reading as its argument: keep the
 * warning in the batch being filled, to print in order.
 */
void	link_reading_warn(void *arg, unsigned long line, const char *msg);
/*
 * handoff_start()'s fill: one batch of links (arg: a struct link_reading
 * whose lr is open).  0 when it was the last.
 */
int	read_links(void *batch, void *arg);

/* ==== records ==== */

#define RECORD_BATCH		1024
/* A batch also ends past this many bytes of records, to bound memory. */
#define RECORD_BATCH_BYTES	((size_t)1 << 20)

enum record_state {
	RECORD_KEYED,		/* rec, key and hash set */
	RECORD_ROW,		/* the CSV path: cells, key and hash set */
	RECORD_PROBLEM,		/* the reader's rec.problem: reject it;
				   key and hash set when keyed */
	RECORD_NO_KEY		/* code and why say why: reject it */
};

struct record_item {
	enum record_state	 state;
	struct record		 rec;
	struct strbuf		 key;		/* compared key (KEYED) */
	uint32_t		 hash;
	const char		*code;
	struct strbuf		 why;
	/* A ROW: its cells, cell[first..] of the batch; its key. */
	size_t			 first;
	const char		*ks;
	size_t			 klen;
	/*
	 * A PROBLEM whose key can still be read (key_finder_rejected()):
	 * the record exists, so its key's links are no orphans.
	 */
	int			 keyed;
	/* KEYED, ROW or a keyed PROBLEM: the head of the key's links. */
	struct tlink		*head;
};

struct record_batch {
	struct record_item	 item[RECORD_BATCH];
	size_t			 n;
	/*
	 * The CSV path: the rows' bytes, and their cells (each row's nin
	 * input cells, then room for the nadd added ones).
	 */
	struct strbuf		 text;
	struct csv_cell		*cell;		/* pointing into text */
	size_t			 ncell, cell_alloc;
	/* In the last batch: 1 at the end of the input, -1 after an error. */
	int			 end;
};

struct record_reading {
	struct source		*src;
	struct twin_index	*ix;		/* looked up, never changed */
	struct key_finder	 kf;
	/* The CSV path (join_cells_ok()): the key's column, added cells. */
	int			 cells;
	size_t			 kcol, nadd;
};

struct record_batch *record_batch_new(void);
/*
 * After use: free what an unusually large record left behind, so that
 * one huge row doesn't stay allocated in every batch.
 */
void	record_batch_trim(struct record_batch *b);
void	record_batch_free(struct record_batch *b);
/*
 * handoff_start()'s fill: one batch of records (arg: a struct
 * record_reading with src open, kf set up).  0 when it was the last.
 */
int	read_records(void *batch, void *arg);

#endif
