// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "elfsym.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static Elf *elf_open(const char *path, int *fd)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	return elf_begin(*fd, ELF_C_READ, NULL);
}

static void elf_close(Elf *e, int fd)
{
	elf_end(e);
	if (fd >= 0)
		close(fd);
}

/* Where the kernel's start_code points in the file: the lowest executable
 * segment's address (fs/binfmt_elf.c computes it the same way). */
static bool text_vaddr(Elf *e, uint64_t *vaddr)
{
	size_t n;
	GElf_Phdr ph;
	bool found = false;

	if (elf_getphdrnum(e, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(e, i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (!found || ph.p_vaddr < *vaddr)
			*vaddr = ph.p_vaddr;
		found = true;
	}
	return found;
}

static bool lookup(Elf *e, uint64_t vaddr, char *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			uint64_t size;
			const char *name;

			if (!gelf_getsym(d, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
				continue;
			size = sym.st_size ? sym.st_size : 1;
			if (vaddr < sym.st_value || vaddr >= sym.st_value + size)
				continue;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			if (vaddr == sym.st_value)
				snprintf(buf, len, "%s", name);
			else
				snprintf(buf, len, "%s+%llu", name,
					 (unsigned long long)(vaddr - sym.st_value));
			return true;
		}
	}
	return false;
}

bool elf_symbolize(const char *path, uint64_t start_code, uint64_t addr, char *buf, size_t len)
{
	uint64_t text = 0;
	bool ok = false;
	int fd = -1;
	Elf *e;

	if (!path[0] || !start_code)
		return false;
	e = elf_open(path, &fd);
	if (e && text_vaddr(e, &text) && start_code >= text)
		ok = lookup(e, addr - (start_code - text), buf, len);
	elf_close(e, fd);
	return ok;
}


#define VERSYM_HIDDEN 0x8000	/* a non-default version: name@VER, not name@@VER */

long elf_func_offset(const char *path, const char *name)
{
	Elf_Data *syms = NULL, *versyms = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh, symsh = { 0 };
	long off = -1;
	int fd = -1;
	Elf *e = elf_open(path, &fd);

	while (e && (scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_DYNSYM) {
			syms = elf_getdata(scn, NULL);
			symsh = sh;
		} else if (sh.sh_type == SHT_GNU_versym) {
			versyms = elf_getdata(scn, NULL);
		}
	}
	for (size_t i = 0; syms && symsh.sh_entsize && i < symsh.sh_size / symsh.sh_entsize; i++) {
		GElf_Versym vs = 0;
		GElf_Shdr in;
		GElf_Sym sym;
		const char *n;

		if (!gelf_getsym(syms, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    !sym.st_value)
			continue;
		n = elf_strptr(e, symsh.sh_link, sym.st_name);
		if (!n || strcmp(n, name))
			continue;
		if (versyms && gelf_getversym(versyms, i, &vs) && (vs & VERSYM_HIDDEN))
			continue;
		if (!gelf_getshdr(elf_getscn(e, sym.st_shndx), &in))
			continue;
		off = sym.st_value - in.sh_addr + in.sh_offset;
		break;
	}
	elf_close(e, fd);
	return off;
}
