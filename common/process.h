/*
 * process.h: what every tool's main() does before anything else, so that a
 * closed descriptor or a signal can never cost a user a file.
 *
 * process_start() (first thing in main, before any file is opened):
 *   - descriptors 0, 1 and 2, when closed, are opened on /dev/null: else
 *     the first file a tool opens (an output's temporary, the --state
 *     file) would take the number and be read as stdin, or receive stdout
 *     or stderr;
 *   - SIGINT, SIGTERM and SIGHUP (unless the parent ignores them, as nohup
 *     does) remove every uncommitted output temporary, with async-signal-
 *     safe calls only, and then end the process by the same signal, so its
 *     parent sees status 128+signal;
 *   - errors_init(argv0).
 */
#ifndef DUMPKIT_PROCESS_H
#define DUMPKIT_PROCESS_H

#include <signal.h>

void	process_start(char *argv0);

/*
 * Block the signals process_start() handles in the calling thread, saving
 * the old mask in *old; process_unblock() restores it.  A thread created in
 * between inherits the block, so the handler always runs in the main
 * thread, never beside it (twin-join wraps pthread_create in these).
 * output.c also holds them blocked while it changes its list of
 * temporaries.
 */
void	process_block(sigset_t *old);
void	process_unblock(const sigset_t *old);

#endif
