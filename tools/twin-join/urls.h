/*
 * urls.h: twin-join urls (urls.c), the Twins API search requests for the
 * keys of partner records; main() hands it argv when argv[1] is "urls".
 */
#ifndef TWIN_JOIN_URLS_H
#define TWIN_JOIN_URLS_H

/* argv[0] is "urls"; returns the exit status (errors exit by themselves). */
int	twin_urls_main(int argc, char *argv[]);

#endif
