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

/*
 * What to look for: serials first..last of gap, and the caller's tag for
 * them (a gap, or an incomplete event).
 */
struct backfill_want {
	struct seq_gap	 gap;
	int		 tag;
};

/* What the healing calls back. */
struct backfill_calls {
	/* A record of a wanted serial from the log (no newline). */
	void	(*record)(void *ctx, const char *line, size_t len);
	/* Every record is in: complete the events. */
	void	(*done)(void *ctx);
	/* Serials of the want tagged tag that the log does not have. */
	void	(*missing)(void *ctx, const struct seq_gap *, int tag);
	void	 *ctx;
};

struct backfill_result {
	unsigned long	 wanted;	/* serials looked for */
	unsigned long	 found;		/* of them, in the log */
	long long	 bytes;		/* of log read */
};

/*
 * Heal the wants (gaps and single events, any order) with as few reads of
 * the log as their spread allows; what is not found goes to missing.
 */
void	backfill_heal(const struct backfill_options *,
	    const struct backfill_want *, int n, const struct backfill_calls *,
	    struct backfill_result *);

#endif
