/*
 * Finding audit events that never arrived.
 *
 * The kernel numbers audit events one by one (per boot), so a serial that
 * never shows up is an event lost on the way: the kernel's backlog
 * overflowed, auditd dropped it, or it was lost before it reached us.
 * Events do not arrive in serial order (auparse completes them as their
 * records end), so a missing serial is only declared lost once it has been
 * missing for a while: SEQ_LOST_AFTER seconds for live input, or once a
 * serial SEQ_WINDOW past it arrives (replay has no clock); a gap is always
 * reported whole, as one range.  A serial more
 * than SEQ_NEW_STREAM away from what was seen starts a new stream (a
 * reboot, or another log) rather than declaring a huge loss.
 * Serials of auditd's own records (DAEMON_*) come from auditd, not the
 * kernel, and are not fed in.  A gap still open when a new stream starts is
 * reported first.
 */
#ifndef AUDISP_ECS_SEQ_TRACKER_H
#define AUDISP_ECS_SEQ_TRACKER_H

#include <stddef.h>
#include <time.h>

#define SEQ_WINDOW	4096		/* serials held while waiting */
#define SEQ_LOST_AFTER	5		/* seconds a gap may stay open */
#define SEQ_NEW_STREAM	100000		/* this far back: a new stream */

struct seq_gap {
	unsigned long	first;
	unsigned long	last;
	/* The time of the event right after the gap: the document's time. */
	unsigned long	sec;
	unsigned int	msec;
};

/*
 * Serials base+1 .. base+SEQ_WINDOW: seen or not, and when; a ring indexed
 * by serial % SEQ_WINDOW, so settling a serial costs no copying.
 */
struct seq_slot {
	unsigned long	 sec;
	unsigned short	 msec;
	unsigned char	 seen;
};

struct seq_tracker {
	int		 started;
	unsigned long	 base;		/* every serial <= base is settled */
	unsigned long	 max_seen;
	struct seq_slot	 window[SEQ_WINDOW];
	time_t		 gap_since;	/* when the oldest gap opened */
	unsigned long long lost;	/* events declared lost, in all */
};

void	seq_tracker_init(struct seq_tracker *);
/*
 * An event arrived.  Returns 1 and fills gap when a gap had to be settled
 * first; then call again with the same serial, until it returns 0.
 */
int	seq_tracker_seen(struct seq_tracker *, unsigned long serial,
	    unsigned long sec, unsigned int msec, time_t now,
	    struct seq_gap *gap);
/*
 * Continue a stream from a previous run that had settled everything up to
 * base (events lost while we were not running then show up as a gap).
 */
void	seq_tracker_resume(struct seq_tracker *, unsigned long base, time_t now);
/*
 * A mark: what the tracker knows, in a few bytes to store with the
 * documents (a spool record), so that a restart knows exactly which
 * serials were stored: every serial up to the settled one, and which of
 * those above it were seen (a bit each).  After a SIGKILL only the serials
 * whose documents never reached the store are reported lost.  The bytes
 * (little endian): version 1, settled (8), the newest seen event's
 * seconds (4) and milliseconds (2), the count of bits (2), the bits for
 * settled+1 onwards.  SEQ_MARK_MAX is the largest.
 */
#define SEQ_MARK_MAX	(17 + SEQ_WINDOW / 8)
/* The mark of the tracker now into buf; its length, 0 if not started. */
size_t	seq_tracker_mark(const struct seq_tracker *,
	    unsigned char buf[SEQ_MARK_MAX]);
/* The settled serial of a mark; 0 when it is not a well-formed mark. */
unsigned long seq_mark_settled(const unsigned char *mark, size_t len);
/*
 * Continue from a previous run's mark (read back from disk: checked
 * whole); the serials it saw count as seen, with the newest one's time.
 * -1 (the tracker untouched) when it is not a well-formed mark.
 */
int	seq_tracker_resume_mark(struct seq_tracker *,
	    const unsigned char *mark, size_t len, time_t now);
/* Every serial up to this is settled (seen or reported); 0 if none yet. */
unsigned long seq_tracker_settled(const struct seq_tracker *);
/* The clock moved on (live input): a gap open too long is lost. */
int	seq_tracker_tick(struct seq_tracker *, time_t now, struct seq_gap *);
/* End of input: every gap below the newest serial is lost. */
int	seq_tracker_flush(struct seq_tracker *, struct seq_gap *);

#endif
