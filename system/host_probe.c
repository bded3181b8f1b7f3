/*
 * Looking at the host; see host_probe.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_probe.h"
#include "sys_file.h"

#define MAX_ADDRESSES	256	/* more interfaces than this are not listed */

long long
host_parse_btime(const char *text)
{
	const char *p = text;
	long long v;
	char *end;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "btime ", 6) == 0) {
			errno = 0;
			v = strtoll(p + 6, &end, 10);
			if (errno == 0 && end != p + 6 &&
			    (*end == '\n' || *end == '\0') && v > 0)
				return v;
			return -1;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

void
host_format_mac(const unsigned char *addr, size_t len, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	out[0] = '\0';
	if (size < len * 3)
		return;
	for (i = 0; i < len; i++) {
		if (i > 0)
			out[o++] = '-';
		out[o++] = hex[addr[i] >> 4];
		out[o++] = hex[addr[i] & 0xf];
	}
	out[o] = '\0';
}

static void
probe_boot(struct host_facts *f)
{
	struct timespec up;
	char *text, err[128];
	size_t len;

	if (sys_read_file("/proc/stat", 1u << 20, &text, &len, err,
	    sizeof(err)) == 0) {
		if ((f->boottime = host_parse_btime(text)) < 0)
			f->boottime = 0;
		free(text);
	}
	if (clock_gettime(CLOCK_BOOTTIME, &up) == 0)
		f->uptime_ns = (long long)up.tv_sec * 1000000000LL + up.tv_nsec;
}

static void
probe_timezone(struct host_facts *f)
{
	time_t now = time(NULL);
	struct tm tm;

	tzset();
	if (localtime_r(&now, &tm) == NULL)
		return;
	snprintf(f->tz_name, sizeof(f->tz_name), "%s",
	    tm.tm_zone != NULL ? tm.tm_zone : "");
	f->tz_offset_sec = tm.tm_gmtoff;
}

static int
already(const struct string_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

static int
add_unique(struct string_list *l, const char *s)
{
	if (s[0] == '\0' || already(l, s) || l->count >= MAX_ADDRESSES)
		return 0;
	return string_list_add(l, s);
}

/* family: AF_INET, then AF_INET6 (Auditbeat lists IPv4 first). */
static int
probe_addresses(struct host_facts *f, const struct ifaddrs *all, int family)
{
	const struct ifaddrs *ifa;
	char text[INET6_ADDRSTRLEN + 1], mac[3 * 32];
	const void *addr;

	for (ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || (ifa->ifa_flags & IFF_LOOPBACK))
			continue;
		if (ifa->ifa_addr->sa_family == AF_PACKET && family == AF_INET) {
			const struct sockaddr_ll *ll =
			    (const struct sockaddr_ll *)ifa->ifa_addr;

			if (ll->sll_halen == 0 || ll->sll_halen > 8)
				continue;
			host_format_mac(ll->sll_addr, ll->sll_halen, mac,
			    sizeof(mac));
			if (add_unique(&f->macs, mac) == -1)
				return -1;
			continue;
		}
		if (ifa->ifa_addr->sa_family != family)
			continue;
		addr = family == AF_INET ?
		    (const void *)&((const struct sockaddr_in *)
		    ifa->ifa_addr)->sin_addr :
		    (const void *)&((const struct sockaddr_in6 *)
		    ifa->ifa_addr)->sin6_addr;
		if (inet_ntop(family, addr, text, sizeof(text)) != NULL &&
		    add_unique(&f->ips, text) == -1)
			return -1;
	}
	return 0;
}

int
host_probe(struct host_facts *f)
{
	struct ifaddrs *all;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	host_info_load(&f->info, NULL);
	probe_boot(f);
	probe_timezone(f);
	if (getifaddrs(&all) == 0) {
		rc = probe_addresses(f, all, AF_INET) == -1 ||
		    probe_addresses(f, all, AF_INET6) == -1 ? -1 : 0;
		freeifaddrs(all);
	}
	if (rc == -1)
		host_facts_free(f);
	return rc;
}

void
host_facts_free(struct host_facts *f)
{
	string_list_free(&f->ips);
	string_list_free(&f->macs);
}
