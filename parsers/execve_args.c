/* Rebuilding argv from EXECVE records; see execve_args.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "execve_args.h"

void
execve_args_init(struct execve_args *a)
{
	memset(a, 0, sizeof(*a));
	a->argc = -1;
	a->split_index = (size_t)-1;
}

static int
grow_argv(struct execve_args *a, struct arena *arena, size_t index)
{
	struct sv *argv;
	size_t cap;

	if (index < a->cap)
		return 0;
	cap = a->cap ? a->cap : 16;
	while (cap <= index)
		cap *= 2;
	if ((argv = arena_alloc(arena, cap * sizeof(*argv))) == NULL)
		return -1;
	if (a->count > 0)
		memcpy(argv, a->argv, a->count * sizeof(*argv));
	memset(argv + a->count, 0, (cap - a->count) * sizeof(*argv));
	a->argv = argv;
	a->cap = cap;
	return 0;
}

static int
set_arg(struct execve_args *a, struct arena *arena, size_t index, struct sv v)
{
	if (index >= EXECVE_MAX_ARGS)
		return 0;
	if (grow_argv(a, arena, index) == -1)
		return -1;
	/* An argument the kernel printed as "(null)" is still an argument. */
	a->argv[index] = v.p != NULL ? v : (struct sv){ "", 0 };
	if (index + 1 > a->count)
		a->count = index + 1;
	return 0;
}

static int
append_piece(struct execve_args *a, struct arena *arena, struct sv piece)
{
	char *buf;
	size_t cap;

	if (piece.p == NULL)
		piece = (struct sv){ "", 0 };
	if (a->split_len + piece.n > a->split_cap) {
		cap = a->split_cap ? a->split_cap : 256;
		while (cap < a->split_len + piece.n)
			cap *= 2;
		if ((buf = arena_alloc(arena, cap)) == NULL)
			return -1;
		if (a->split_len > 0)
			memcpy(buf, a->split_buf, a->split_len);
		a->split_buf = buf;
		a->split_cap = cap;
	}
	/* An empty first piece: there may be no buffer to copy into yet. */
	if (piece.n > 0)
		memcpy(a->split_buf + a->split_len, piece.p, piece.n);
	a->split_len += piece.n;
	return set_arg(a, arena, a->split_index,
	    (struct sv){ a->split_buf, a->split_len });
}

static int
start_split(struct execve_args *a, struct arena *arena, size_t index,
    const char *raw)
{
	char *end;
	unsigned long total;

	execve_args_finish(a);
	errno = 0;
	total = strtoul(raw, &end, 10);
	if (errno != 0 || *end != '\0')
		total = 0;
	/* MAX_ARG_STRLEN is 128 KiB; a bigger claim is not trusted. */
	if (total > 131072)
		total = 131072;
	a->split_index = index;
	a->split_len = 0;
	a->split_cap = 0;
	a->split_buf = NULL;
	if (total > 0 && (a->split_buf = arena_alloc(arena, total)) != NULL)
		a->split_cap = total;
	return set_arg(a, arena, index, (struct sv){ "", 0 });
}

void
execve_args_finish(struct execve_args *a)
{
	a->split_buf = NULL;
	a->split_len = 0;
	a->split_cap = 0;
	a->split_index = (size_t)-1;
}

/* Parses "aN", "aN_len" or "aN[i]": 0 = plain, 1 = len, 2 = piece, -1 = no. */
static int
parse_arg_name(const char *name, size_t *index)
{
	char *end;
	unsigned long n;

	if (name[0] != 'a' || name[1] < '0' || name[1] > '9')
		return -1;
	n = strtoul(name + 1, &end, 10);
	*index = n;
	if (*end == '\0')
		return 0;
	if (strcmp(end, "_len") == 0)
		return 1;
	if (*end == '[')
		return 2;
	return -1;
}

int
execve_args_field(struct execve_args *a, struct arena *arena,
    const char *name, const char *raw)
{
	size_t index;

	a->present = 1;
	if (strcmp(name, "argc") == 0) {
		a->argc = strtol(raw, NULL, 10);
		return 0;
	}
	switch (parse_arg_name(name, &index)) {
	case 0:
		execve_args_finish(a);
		return set_arg(a, arena, index, audit_value_decode(raw, arena));
	case 1:
		return start_split(a, arena, index, raw);
	case 2:
		if (index != a->split_index &&
		    start_split(a, arena, index, "0") == -1)
			return -1;
		return append_piece(a, arena, audit_value_decode(raw, arena));
	default:
		return 1;
	}
}
