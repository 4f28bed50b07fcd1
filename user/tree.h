/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tree.h - the traced processes as a ps/pstree-style table: children under
 * their parent, with how each was created and how it ended.
 */
#ifndef OSLAB_TREE_H
#define OSLAB_TREE_H

#include <stdio.h>

#include "procs.h"

void tree_print(FILE *f, const struct procs *p);

#endif
