/*
 * Healing gaps from auditd's log: a gap in the serials the plugin
 * received is first looked for in the log auditd wrote (log_scan.h); the
 * events found are written as ordinary documents marked
 * auditd.backfilled, and only what auditd never wrote is reported lost.
 *
 * Such an event may still arrive late from the live input: the serials
 * written from the log are remembered (a window of the latest
 * BACKFILL_REMEMBER) so that the late copy is dropped, not written twice.
 */
#ifndef AUDISP_ECS_BACKFILL_H
#define AUDISP_ECS_BACKFILL_H

#include <stddef.h>

#include "log_scan.h"
#include "seq_tracker.h"

#define BACKFILL_REMEMBER	65536	/* serials, a bitmap window */

struct backfill_options {
	int		 enabled;
	const char	*log_file;	/* auditd's log; NULL or "": off */
	long		 max_events;	/* serials looked for per gap */
	struct log_scan_limits limits;
};

struct backfilled_set {
	unsigned long	 base;		/* the window is base.. */
	unsigned char	 bits[BACKFILL_REMEMBER / 8];
};

void	backfilled_set_add(struct backfilled_set *, unsigned long serial);
int	backfilled_set_has(const struct backfilled_set *, unsigned long serial);

/* What the healing of one gap calls back. */
struct backfill_calls {
	/* A record of the gap from the log (no newline). */
	void	(*record)(void *ctx, const char *line, size_t len);
	/* Every record is in: complete the events. */
	void	(*done)(void *ctx);
	/* Serials nobody has: an audit-events-lost document. */
	void	(*lost)(void *ctx, const struct seq_gap *);
	void	 *ctx;
};

struct backfill_result {
	unsigned long	 serials;	/* of the gap that were found */
	unsigned long	 records;
	long long	 bytes;		/* of log read */
};

/* Heal one gap; what is not found goes to calls->lost. */
void	backfill_heal(const struct backfill_options *, const struct seq_gap *,
	    const struct backfill_calls *, struct backfill_result *);

#endif
