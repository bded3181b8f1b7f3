/* State kept across runs; see state_file.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../outputs/spool.h"
#include "../parsers/reassembly.h"
#include "conf.h"
#include "state_file.h"

#define SERIAL_FILE	"last-serial"

unsigned long
state_load_serial(const char *data_dir)
{
	char path[4096];
	unsigned long serial = 0;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", data_dir, SERIAL_FILE) >=
	    (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return 0;
	if (fscanf(f, "%lu", &serial) != 1)
		serial = 0;
	fclose(f);
	return serial;
}

struct serial_file {
	int	 fd;
	int	 sized;		/* cut to one line after the first save */
	char	 path[4096];
};

/* Fixed width, so a save always covers the whole of the one before. */
#define SERIAL_LINE_LEN	21	/* 20 digits and a newline */

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

void
state_serial_save(struct serial_file *sf, unsigned long serial)
{
	static struct ratelimit errors = RATELIMIT_INIT(60, 1);
	char line[SERIAL_LINE_LEN + 1];

	if (sf == NULL)
		return;
	snprintf(line, sizeof(line), "%020lu\n", serial);
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

void
state_resume_serials(const struct config *cfg, struct reassembly *r)
{
	unsigned char mark[SEQ_MARK_MAX];
	unsigned long saved = state_load_serial(cfg->data_dir);
	size_t len = 0;

	if (cfg->logstash != NULL || cfg->elasticsearch != NULL)
		len = spool_last_mark(cfg->spool.path, mark, sizeof(mark));
	if (len > 0 && seq_mark_settled(mark, len) >= saved &&
	    reassembly_resume_mark(r, mark, len) == 0) {
		log_debug("serials: every one up to %lu settled, and those "
		    "the spool's last record names (%s)",
		    seq_mark_settled(mark, len), cfg->spool.path);
		return;
	}
	if (saved > 0)
		reassembly_resume_serials(r, saved);
}
