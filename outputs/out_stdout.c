/* Standard output as an output (replay without a configured output). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "../common/log.h"
#include "output.h"

static int
stdout_write_batch(struct output *o, const char *buf, size_t len, size_t ndocs)
{
	(void)o;
	(void)ndocs;
	if (write_all(STDOUT_FILENO, buf, len) == -1) {
		log_warn("stdout: write failed");
		return -1;
	}
	return 0;
}

static void
stdout_close(struct output *o)
{
	free(o);
}

struct output *
output_stdout_open(void)
{
	struct output *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->name = "stdout";
	o->write_batch = stdout_write_batch;
	o->close = stdout_close;
	return o;
}
