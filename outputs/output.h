/*
 * The output interface: where finished documents go.
 *
 * An output receives batches of documents (each one JSON line ending in
 * '\n') on the output thread only.  write_batch returns 0 once the whole
 * batch is stored, or -1 after logging why; the caller retries the same
 * batch later, so an output must tolerate seeing it again.
 */
#ifndef AUDISP_ECS_OUTPUT_H
#define AUDISP_ECS_OUTPUT_H

#include <stddef.h>

struct output {
	const char	*name;
	int		(*write_batch)(struct output *, const char *buf,
			    size_t len, size_t ndocs);
	void		(*close)(struct output *);
	void		*state;
};

struct file_output_config;

/* Returns NULL after logging why. */
struct output	*output_file_open(const struct file_output_config *);
/* Standard output, e.g. for replay without a configured output. */
struct output	*output_stdout_open(void);
void		 output_close(struct output *);

#endif
