/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * elfsym.h - symbols of ELF files through libelf: naming a traced program's
 * globals (the lock report) and finding libc's functions (--ulocks).
 */
#ifndef OSLAB_ELFSYM_H
#define OSLAB_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The global of the ELF file at path that holds run-time address addr,
 * given where the kernel loaded the program's text (mm->start_code):
 * "name" or "name+off" into buf; false when none does. */
bool elf_symbolize(const char *path, uint64_t start_code, uint64_t addr, char *buf, size_t len);

/* The file offset of function name in the ELF file at path, as a uprobe
 * wants it; of its default version when the library has several
 * (pthread_cond_wait@@GLIBC_2.3.2, not @GLIBC_2.2.5).  -1 when absent. */
long elf_func_offset(const char *path, const char *name);

#endif
