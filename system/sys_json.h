/*
 * The datasets' state files: reading one, and the strings in them.  A string the JSON writer would
 * escape (it is not UTF-8) would not read back the same, and the next
 * start would see a change that is none: such a string is written as
 * {"hex": "..."} instead, and read back byte for byte.
 */
#ifndef AUDISP_ECS_SYS_JSON_H
#define AUDISP_ECS_SYS_JSON_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "../common/json_writer.h"

void	sys_json_write_str(struct jw *, const char *key, const char *s);
/*
 * The string v holds (either form) in *out (free() it); 0, or -1 with
 * *why saying what is wrong (not a string, NUL inside, bad hex, memory).
 */
int	sys_json_read_str(json_object *v, char **out, const char **why);
/*
 * text[0..len) as one strict JSON document (UTF-8 checked): its root, to
 * be put by the caller, or NULL with what is wrong in err.
 */
json_object *sys_json_parse(const char *text, size_t len, char *err,
	    size_t errlen);

/* The integer at key of o, within min..max; 0, or -1 when it is not. */
int	sys_json_get_int(json_object *o, const char *key, long long min,
	    long long max, long long *out);
/*
 * What every table's state file starts with: its version (must be
 * version), when the full state was last sent, and the array named
 * array_key (into *arr).  0, or -1 with what is wrong in err.
 */
int	sys_json_state_header(json_object *root, long long version,
	    const char *array_key, time_t *state_sent, json_object **arr,
	    char *err, size_t errlen);

#endif
