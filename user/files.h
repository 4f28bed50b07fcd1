/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * files.h - files oslab writes for the user (-o, --json, --perfetto).
 */
#ifndef OSLAB_FILES_H
#define OSLAB_FILES_H

#include <stdio.h>

/*
 * fopen() with the invoking user's rights when oslab runs through sudo, so
 * the file belongs to that user and root never writes where they could not.
 * Prints one "oslab: ..." line and returns NULL on failure.
 */
FILE *fopen_as_user(const char *path, const char *mode);

#endif
