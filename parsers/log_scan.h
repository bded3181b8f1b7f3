/*
 * Finding records in auditd's own log by serial, to heal a gap in the
 * stream the plugin received (see reassembly.c's backfill).
 *
 * auditd writes every event to its log before it hands it to plugins, so
 * events its dispatcher dropped (a full plugin queue, a plugin restart)
 * or the kernel's multicast group dropped for us are still there.  The
 * files are read backwards from the end of the newest (path, then
 * path.1, path.2, ... as auditd rotates them), since a gap is nearly
 * always recent; the scan stops once it has passed the gap's first
 * serial, or passed max_age before the gap, or used its byte budget.
 */
#ifndef AUDISP_ECS_LOG_SCAN_H
#define AUDISP_ECS_LOG_SCAN_H

#include <stddef.h>

struct log_scan_limits {
	long long	 max_bytes;	/* read at most this much per scan */
	long long	 rate;		/* bytes per second; 0: no limit */
	long		 max_age;	/* seconds before the gap's time */
	int		 max_files;	/* path and this many rotated ones */
	size_t		 max_record_size;
	size_t		 chunk;		/* bytes per read; 0: 1 MiB */
};

/* A record of the gap, in log order; the line has no newline. */
typedef void log_scan_fn(void *ctx, const char *line, size_t len,
    unsigned long serial);

struct log_scan_result {
	unsigned long	 records;	/* handed to fn */
	long long	 bytes;		/* read */
	int		 complete;	/* the whole gap was searched */
};

/*
 * Hand every record with a serial in first..last to fn, oldest first.
 * sec: the time of the event right after the gap.  Returns 0, or -1
 * when not even path could be read (errno set).
 */
int	log_scan(const char *path, unsigned long first, unsigned long last,
	    unsigned long sec, const struct log_scan_limits *,
	    log_scan_fn *fn, void *ctx, struct log_scan_result *);

#endif
