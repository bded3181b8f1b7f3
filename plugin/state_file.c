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
/*
 * Fixed width, so a save always covers the whole of the one before: the
 * settled serial (20 digits), a blank, the mark in hex, blanks, newline.
 */
#define SERIAL_LINE_LEN	(21 + 2 * SEQ_MARK_MAX + 1)

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The hex after the serial, up to a blank; 0 when it is not a mark. */
static size_t
parse_mark(const char *hex, unsigned char *mark)
{
	size_t n = 0;
	int hi, lo;

	while (*hex == ' ')
		hex++;
	while (n < SEQ_MARK_MAX && (hi = hex_value(hex[0])) != -1 &&
	    (lo = hex_value(hex[1])) != -1) {
		mark[n++] = (unsigned char)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}

unsigned long
state_load_serial(const char *data_dir, unsigned char *mark, size_t *mark_len)
{
	char path[4096], line[SERIAL_LINE_LEN + 1], *end;
	unsigned long serial;
	FILE *f;

	*mark_len = 0;
	if (snprintf(path, sizeof(path), "%s/%s", data_dir, SERIAL_FILE) >=
	    (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	serial = strtoul(line, &end, 10);
	if (end == line)
		return 0;
	*mark_len = parse_mark(end, mark);
	/* A mark that does not agree with its line is not used. */
	if (*mark_len > 0 && seq_mark_settled(mark, *mark_len) != serial)
		*mark_len = 0;
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
format_line(char *line, unsigned long serial, const unsigned char *mark,
    size_t mark_len)
{
	static const char digits[] = "0123456789abcdef";
	size_t n, i;

	n = (size_t)snprintf(line, SERIAL_LINE_LEN + 1, "%020lu ", serial);
	for (i = 0; i < mark_len && i < SEQ_MARK_MAX; i++) {
		line[n++] = digits[mark[i] >> 4];
		line[n++] = digits[mark[i] & 0xf];
	}
	memset(line + n, ' ', SERIAL_LINE_LEN - 1 - n);
	line[SERIAL_LINE_LEN - 1] = '\n';
	line[SERIAL_LINE_LEN] = '\0';
}

void
state_serial_save(struct serial_file *sf, unsigned long serial,
    const unsigned char *mark, size_t mark_len)
{
	static struct ratelimit errors = RATELIMIT_INIT(60, 1);
	char line[SERIAL_LINE_LEN + 1];

	if (sf == NULL)
		return;
	format_line(line, serial, mark, mark_len);
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
	unsigned char spooled[SEQ_MARK_MAX], saved_mark[SEQ_MARK_MAX];
	size_t len = 0, saved_len;
	unsigned long saved = state_load_serial(cfg->data_dir, saved_mark,
	    &saved_len);

	if (cfg->logstash != NULL || cfg->elasticsearch != NULL)
		len = spool_last_mark(cfg->spool.path, spooled,
		    sizeof(spooled));
	if (len > 0 && seq_mark_settled(spooled, len) >= saved &&
	    reassembly_resume_mark(r, spooled, len) == 0) {
		log_info("resuming after audit serial %lu, and those the "
		    "spool's last record names", seq_mark_settled(spooled, len));
		return;
	}
	if (saved_len > 0 && reassembly_resume_mark(r, saved_mark,
	    saved_len) == 0) {
		log_info("resuming after audit serial %lu, and the ones stored "
		    "after it", saved);
		return;
	}
	if (saved > 0) {
		log_info("resuming after audit serial %lu", saved);
		reassembly_resume_serials(r, saved);
	}
}
