/*
 * What the fuzz targets share: a quiet log, a private scratch directory,
 * and a cursor over the input for targets whose input has a few fields
 * before the bytes under test.
 *
 * Every target is one LLVMFuzzerTestOneInput(); libFuzzer calls it for
 * each input, in one process, so a target must leave nothing behind
 * (files, descriptors, memory) that would make the next input behave
 * differently.
 */
#ifndef AUDISP_ECS_FUZZ_HARNESS_H
#define AUDISP_ECS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Once per process: log messages are formatted (their arguments are part
 * of what is tested) but go nowhere, not to syslog; stdin reads
 * /dev/null and stdout is discarded (unless FUZZ_STDOUT is set), so a
 * target that prints or reads a path such as /dev/stdin neither floods
 * the terminal nor blocks.
 */
void	 fuzz_init(void);

/*
 * A directory of this process's own under $FUZZ_TMPDIR, /dev/shm or /tmp
 * (the first that works), removed at exit.  Aborts when none can be made.
 */
const char *fuzz_scratch_dir(void);
/* Removes everything inside dir (not dir itself), recursively. */
void	 fuzz_empty_dir(const char *dir);
/* Writes n bytes to path (created 0600, truncated); aborts on failure. */
void	 fuzz_write_file(const char *path, const void *data, size_t n);

/* The input, consumed front to back. */
struct fuzz_cursor {
	const uint8_t	*p;
	size_t		 n;
};

/* The next byte, or 0 once the input is used up. */
uint8_t	 fuzz_byte(struct fuzz_cursor *);
/*
 * The bytes up to the next occurrence of sep (which is consumed too), or
 * the rest of the input when sep does not occur.
 */
size_t	 fuzz_until(struct fuzz_cursor *, const char *sep, const uint8_t **out);

/*
 * A document the plugin writes must be what Elasticsearch takes: one
 * JSON object (json-c, UTF-8 checked), no member name twice in an
 * object (Elasticsearch refuses a document with a duplicate field).
 * Aborts, printing the document and what is wrong, when it is not.
 */
void	 fuzz_check_document(const char *doc, size_t len);

#endif
