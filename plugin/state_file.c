/* State kept across runs; see state_file.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/log.h"
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

void
state_save_serial(const char *data_dir, unsigned long serial)
{
	static struct ratelimit errors = RATELIMIT_INIT(60, 1);
	char path[4096], tmp[4200];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", data_dir, SERIAL_FILE) >=
	    (int)sizeof(path))
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "we")) == NULL) {
		log_ratelimited(&errors, "cannot write %s: %s", tmp,
		    strerror(errno));
		return;
	}
	fprintf(f, "%lu\n", serial);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		log_ratelimited(&errors, "cannot update %s: %s", path,
		    strerror(errno));
}
