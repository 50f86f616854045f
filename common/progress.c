/* progress.c: the --progress status line (stub). */
#include "common/progress.h"

void
progress_start(int force)
{
	(void)force;
}

void
progress_input(struct input *in)
{
	(void)in;
}

void
progress_tick(uint64_t records)
{
	(void)records;
}

void
progress_end(void)
{
}
