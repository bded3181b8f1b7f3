/*
 * What the host dataset knows of the machine at one look: names and
 * versions (common/host_info.h, read afresh), boot time, uptime, time
 * zone, and the addresses of its interfaces other than loopback.
 */
#ifndef AUDISP_ECS_HOST_PROBE_H
#define AUDISP_ECS_HOST_PROBE_H

#include "../common/host_info.h"
#include "../common/string_list.h"

struct host_facts {
	struct host_info info;
	long long	 boottime;	/* seconds since 1970, 0 unknown */
	long long	 uptime_ns;
	char		 tz_name[64];
	long		 tz_offset_sec;
	struct string_list ips;		/* IPv4 first, then IPv6 */
	struct string_list macs;	/* "AA-BB-CC-DD-EE-FF" */
};

/* Fills f (free with host_facts_free); 0, or -1 when out of memory. */
int	host_probe(struct host_facts *f);
void	host_facts_free(struct host_facts *f);
/*
 * The boot time from the text of /proc/stat (its "btime N" line), or -1
 * when there is none that parses.
 */
long long host_parse_btime(const char *text);
/* A hardware address as ECS writes it; "" for an empty one. */
void	host_format_mac(const unsigned char *addr, size_t len, char *out,
	    size_t size);

#endif
