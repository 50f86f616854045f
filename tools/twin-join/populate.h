/*
 * populate.h: a helper thread that makes memory resident before it is
 * used (madvise MADV_POPULATE_WRITE), so that the kernel's zeroing of the
 * links index's fresh pages runs beside the loading instead of inside it.
 * Only an optimization: where the kernel lacks it, or a request finds the
 * queue full, the pages are faulted in on first use as usual.
 */
#ifndef TWIN_JOIN_POPULATE_H
#define TWIN_JOIN_POPULATE_H

#include <stddef.h>

struct populate;

/*
 * Start the thread; NULL when it can't be started (nothing is lost), or
 * when DUMPKIT_THREADS=1 asks for one thread (handoff_threads()).
 */
struct populate *populate_start(void);
/*
 * Ask for addr[0..len) to be made resident.  The range must stay mapped
 * until populate_stop(), or be remapped to memory the caller owns.
 */
void	populate_add(struct populate *p, void *addr, size_t len);
/*
 * Stop the thread (ranges still queued are dropped: the caller is done
 * with the memory's first use) and free p.  NULL is fine.
 */
void	populate_stop(struct populate *p);

#endif
