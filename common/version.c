/*
 * version.c: the one version string every tool's --version prints.  The
 * Makefile defines DUMPKIT_VERSION for this file alone (from git describe,
 * else the VERSION file), so a new commit recompiles one object, not all.
 */
#include "common/cli.h"

#ifndef DUMPKIT_VERSION
#error "DUMPKIT_VERSION comes from the Makefile (VERSION file or git describe)"
#endif

const char dumpkit_version[] = DUMPKIT_VERSION;
