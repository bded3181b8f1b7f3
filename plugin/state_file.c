/* State kept across runs; see state_file.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "state_file.h"

#define SERIAL_FILE	"last-serial"
/*
 * Fixed width, so a save always covers the whole of the one before: the
 * settled serial, then the newest seen and the holes below it, padded.
 */
#define SERIAL_LINE_LEN	(21 + 26 + SEQ_HOLES_MAX * 42 + 1)

/* " MAX N F-L F-L ..." after the settled serial; 0 if it is not there. */
static int
parse_holes(const char *text, struct seq_holes *h)
{
	unsigned long first, last;
	int i, n, used;

	memset(h, 0, sizeof(*h));
	if (sscanf(text, " %lu %d%n", &h->max_seen, &n, &used) != 2 ||
	    n < 0 || n > SEQ_HOLES_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		int more;

		text += used;
		if (sscanf(text, " %lu-%lu%n", &first, &last, &more) != 2 ||
		    first > last || last > h->max_seen)
			return 0;
		h->first[i] = first;
		h->last[i] = last;
		used = more;
	}
	h->n = n;
	return 1;
}

unsigned long
state_load_serial(const char *data_dir, struct seq_holes *holes,
    int *holes_known)
{
	char path[4096], line[SERIAL_LINE_LEN + 1], *end;
	unsigned long serial;
	FILE *f;

	*holes_known = 0;
	if (snprintf(path, sizeof(path), "%s/%s", data_dir, SERIAL_FILE) >=
	    (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	serial = strtoul(line, &end, 10);
	if (end == line)
		return 0;
	*holes_known = parse_holes(end, holes) && holes->max_seen > serial;
	return serial;
}

struct serial_file {
	int	 fd;
	int	 sized;		/* cut to one line after the first save */
	char	 path[4096];
};


struct serial_file *
state_serial_open(const char *data_dir)
{
	struct serial_file *sf;

	if ((sf = calloc(1, sizeof(*sf))) == NULL)
		return NULL;
	if (snprintf(sf->path, sizeof(sf->path), "%s/%s", data_dir,
	    SERIAL_FILE) >= (int)sizeof(sf->path) ||
	    (sf->fd = open(sf->path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) == -1) {
		log_warn("cannot open %s: lost events will not be told "
		    "after a restart", sf->path);
		free(sf);
		return NULL;
	}
	return sf;
}

static void
format_line(char *line, unsigned long serial, const struct seq_holes *h)
{
	size_t n;
	int i;

	n = (size_t)snprintf(line, SERIAL_LINE_LEN + 1, "%020lu", serial);
	if (h != NULL && h->max_seen > serial) {
		n += (size_t)snprintf(line + n, SERIAL_LINE_LEN + 1 - n,
		    " %lu %d", h->max_seen, h->n);
		for (i = 0; i < h->n; i++)
			n += (size_t)snprintf(line + n, SERIAL_LINE_LEN + 1 - n,
			    " %lu-%lu", h->first[i], h->last[i]);
	}
	memset(line + n, ' ', SERIAL_LINE_LEN - 1 - n);
	line[SERIAL_LINE_LEN - 1] = '\n';
	line[SERIAL_LINE_LEN] = '\0';
}

void
state_serial_save(struct serial_file *sf, unsigned long serial,
    const struct seq_holes *holes)
{
	static struct ratelimit errors = RATELIMIT_INIT(60, 1);
	char line[SERIAL_LINE_LEN + 1];

	if (sf == NULL)
		return;
	format_line(line, serial, holes);
	if (pwrite(sf->fd, line, SERIAL_LINE_LEN, 0) != SERIAL_LINE_LEN ||
	    (!sf->sized && ftruncate(sf->fd, SERIAL_LINE_LEN) == -1)) {
		log_ratelimited(&errors, "cannot update %s: %s", sf->path,
		    strerror(errno));
		return;
	}
	sf->sized = 1;
}

void
state_serial_close(struct serial_file *sf)
{
	if (sf == NULL)
		return;
	close(sf->fd);
	free(sf);
}
