/* State kept across runs; see state_file.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/atomic_file.h"
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
	char path[4096], line[32];
	int n;

	if (snprintf(path, sizeof(path), "%s/%s", data_dir, SERIAL_FILE) >=
	    (int)sizeof(path))
		return;
	n = snprintf(line, sizeof(line), "%lu\n", serial);
	if (atomic_replace(path, line, (size_t)n, 0640) == -1)
		log_ratelimited(&errors, "cannot update %s: %s", path,
		    strerror(errno));
}
