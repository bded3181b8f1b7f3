/*
 * A string view: bytes that are not necessarily NUL-terminated, such as a
 * decoded audit value or one document inside a batch.  p == NULL means
 * absent, which is not the same as empty.
 */
#ifndef AUDISP_ECS_SV_H
#define AUDISP_ECS_SV_H

#include <stddef.h>
#include <string.h>

struct sv {
	const char	*p;
	size_t		 n;
};

#define SV_NULL		((struct sv){ NULL, 0 })
#define sv_present(s)	((s).p != NULL)

static inline struct sv
sv_from(const char *s)
{
	struct sv v = { s, s != NULL ? strlen(s) : 0 };

	return v;
}

/* Nonzero when a is present and holds exactly the text s. */
static inline int
sv_eq(struct sv a, const char *s)
{
	size_t n = strlen(s);

	return a.p != NULL && a.n == n && memcmp(a.p, s, n) == 0;
}

#endif
