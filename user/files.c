// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "files.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"

FILE *fopen_as_user(const char *path, const char *mode)
{
	uid_t uid;
	gid_t gid;
	bool drop = spawn_invoking_user(&uid, &gid);
	FILE *f;
	int err;

	if (drop && (setegid(gid) || seteuid(uid))) {
		fprintf(stderr, "oslab: failed to become uid %u to write '%s': %s\n", uid, path,
			strerror(errno));
		setegid(0);
		return NULL;
	}
	char m[8];

	/* "e": O_CLOEXEC, so the traced command never inherits our files */
	snprintf(m, sizeof(m), "%se", mode);
	f = fopen(path, m);
	err = errno;
	if (drop && (seteuid(0) || setegid(0))) {
		fprintf(stderr, "oslab: failed to regain root after writing '%s'\n", path);
		if (f)
			fclose(f);
		return NULL;
	}
	if (!f)
		fprintf(stderr, "oslab: failed to open '%s' for writing: %s\n", path, strerror(err));
	return f;
}
