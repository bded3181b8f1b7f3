/*
 * Decoding of audit field values as the kernel and auditd write them.
 *
 * A value that may hold arbitrary bytes (names, paths, comm, exe, proctitle,
 * arguments, keys) is written either in double quotes when it is plain
 * printable text, or as upper-case hex of the raw bytes otherwise.  "(null)"
 * and "?" mean "no value".
 */
#ifndef AUDISP_ECS_AUDIT_VALUE_H
#define AUDISP_ECS_AUDIT_VALUE_H

#include <stddef.h>

#include "../common/sv.h"
#include "arena.h"

/*
 * Decode a value that may be quoted or hex-encoded.  Hex is decoded into the
 * arena; otherwise the result points into raw.  Returns SV_NULL for "(null)",
 * "?" and NULL input.
 */
struct sv	audit_value_decode(const char *raw, struct arena *);
/* Plain values: strips surrounding quotes only; "(null)" and "?" are absent. */
struct sv	audit_value_plain(const char *raw);
/* Decode hex digits into out (size n/2); -1 if s is not even-length hex. */
int		hex_decode(const char *s, size_t n, unsigned char *out);
int		is_hex_string(const char *s, size_t n);

#endif
