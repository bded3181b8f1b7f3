/* Names for SYSCALL record numbers; see syscall_names.h. */
#include "config.h"

#include <libaudit.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_names.h"

#define NAMES_CACHED	1024	/* syscall numbers below this are cached */

/* One arch at a time is the common case: cache the last one seen. */
struct arch_cache {
	char		 arch_hex[20];
	int		 machine;
	const char	*name;
	const char	*syscalls[NAMES_CACHED];
	unsigned char	 known[NAMES_CACHED];
};

static struct arch_cache cache = { .machine = -1 };

static struct arch_cache *
arch_lookup(const char *arch_hex)
{
	unsigned long elf;

	if (strcmp(cache.arch_hex, arch_hex) == 0)
		return cache.machine >= 0 ? &cache : NULL;
	memset(&cache, 0, sizeof(cache));
	strncpy(cache.arch_hex, arch_hex, sizeof(cache.arch_hex) - 1);
	elf = strtoul(arch_hex, NULL, 16);
	cache.machine = audit_elf_to_machine((unsigned int)elf);
	if (cache.machine < 0)
		return NULL;
	cache.name = audit_machine_to_name(cache.machine);
	return &cache;
}

const char *
arch_name(const char *arch_hex)
{
	struct arch_cache *c = arch_lookup(arch_hex);

	return c != NULL ? c->name : NULL;
}

const char *
syscall_name(const char *arch_hex, const char *number)
{
	struct arch_cache *c = arch_lookup(arch_hex);
	char *end;
	long nr = strtol(number, &end, 10);

	if (c == NULL || *end != '\0' || nr < 0)
		return NULL;
	if (nr >= NAMES_CACHED)
		return audit_syscall_to_name((int)nr, c->machine);
	if (!c->known[nr]) {
		c->syscalls[nr] = audit_syscall_to_name((int)nr, c->machine);
		c->known[nr] = 1;
	}
	return c->syscalls[nr];
}

const char *
exit_errno_name(const char *exit)
{
	char *end;
	long v;

	if (exit == NULL || exit[0] != '-')
		return NULL;
	v = strtol(exit, &end, 10);
	if (*end != '\0' || v >= 0 || v < -4095)
		return NULL;
	return strerrorname_np((int)-v);
}
