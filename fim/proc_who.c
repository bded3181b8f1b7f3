/*
 * The process behind a fanotify event, read from /proc while it may still
 * be there; see fim_who.h.  Small reads of small files, no allocation:
 * this runs on the watcher thread for every event not answered by its
 * cache.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fim_who.h"
#include "../common/procfs.h"

void
fim_who_clear(struct fim_who *who)
{
	memset(who, 0, sizeof(*who));
	who->uid = who->gid = who->auid = who->session = -1;
}

static long
read_number(long pid, const char *what)
{
	char buf[32], *end;
	long v;

	if (procfs_read("/proc", pid, what, buf, sizeof(buf)) <= 0)
		return -1;
	v = strtol(buf, &end, 10);
	return end == buf ? -1 : v;
}

/* The real ids: the first number on the "Uid:" and "Gid:" lines. */
static void
read_ids(long pid, struct fim_who *who)
{
	char buf[2048], *line;

	if (procfs_read("/proc", pid, "status", buf, sizeof(buf)) <= 0)
		return;
	if ((line = strstr(buf, "\nUid:")) != NULL)
		who->uid = strtol(line + 5, NULL, 10);
	if ((line = strstr(buf, "\nGid:")) != NULL)
		who->gid = strtol(line + 5, NULL, 10);
}

void
proc_who_read(long pid, long now_ms, struct fim_who *who)
{
	char path[64];
	ssize_t n;

	fim_who_clear(who);
	who->pid = pid;
	who->at_ms = now_ms;
	who->source = WHO_SOURCE_FANOTIFY;
	snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
	n = readlink(path, who->executable, sizeof(who->executable));
	if (n < 0 || (size_t)n >= sizeof(who->executable))
		n = 0;
	who->executable[n] = '\0';
	if (procfs_read("/proc", pid, "comm", who->name,
	    sizeof(who->name)) > 0)
		who->name[strcspn(who->name, "\n")] = '\0';
	read_ids(pid, who);
	who->auid = read_number(pid, "loginuid");
	who->session = read_number(pid, "sessionid");
}
