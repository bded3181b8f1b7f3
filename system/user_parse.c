/*
 * Parsing passwd, group and shadow lines; see user_parse.h.
 */
#include "config.h"

#include <string.h>

#include "../common/errbuf.h"
#include "user_parse.h"

#define MAX_FIELDS	9

/*
 * Cuts line at every ':' into at most MAX_FIELDS fields; the number found,
 * or MAX_FIELDS + 1 when there are more.
 */
static int
split_fields(char *line, char *fields[MAX_FIELDS])
{
	int n = 0;
	char *p = line, *colon;

	for (;;) {
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		fields[n++] = p;
		if ((colon = strchr(p, ':')) == NULL)
			return n;
		*colon = '\0';
		p = colon + 1;
	}
}

/* Lines that name no entry of their own. */
static int
not_an_entry(const char *line)
{
	return line[0] == '\0' || line[0] == '#' || line[0] == '+' ||
	    line[0] == '-';
}

static int
parse_id(const char *s, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0' || strlen(s) > 10)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > USER_ID_MAX)
		return -1;
	*out = v;
	return 0;
}

/* A name must be there and hold no control characters. */
static int
check_name(const char *name, char *err, size_t errlen)
{
	const unsigned char *p;

	if (*name == '\0') {
		seterr(err, errlen, "empty name");
		return -1;
	}
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f) {
			seterr(err, errlen, "control character in the name");
			return -1;
		}
	return 0;
}

int
passwd_parse(char *line, struct passwd_fields *pw, char *err, size_t errlen)
{
	char *f[MAX_FIELDS];
	int n;

	if (not_an_entry(line))
		return 1;
	if ((n = split_fields(line, f)) != 7) {
		seterr(err, errlen, "%d fields, want 7", n > MAX_FIELDS ?
		    MAX_FIELDS + 1 : n);
		return -1;
	}
	if (check_name(f[0], err, errlen) == -1)
		return -1;
	if (parse_id(f[2], &pw->uid) == -1) {
		seterr(err, errlen, "uid is not a number up to %lu",
		    USER_ID_MAX);
		return -1;
	}
	if (parse_id(f[3], &pw->gid) == -1) {
		seterr(err, errlen, "gid is not a number up to %lu",
		    USER_ID_MAX);
		return -1;
	}
	pw->name = f[0];
	pw->passwd = f[1];
	pw->gecos = f[4];
	pw->dir = f[5];
	pw->shell = f[6];
	return 0;
}

int
group_parse(char *line, struct group_fields *gr, char *err, size_t errlen)
{
	char *f[MAX_FIELDS];
	int n;

	if (not_an_entry(line))
		return 1;
	if ((n = split_fields(line, f)) != 4) {
		seterr(err, errlen, "%d fields, want 4", n);
		return -1;
	}
	if (check_name(f[0], err, errlen) == -1)
		return -1;
	if (parse_id(f[2], &gr->gid) == -1) {
		seterr(err, errlen, "gid is not a number up to %lu",
		    USER_ID_MAX);
		return -1;
	}
	gr->name = f[0];
	gr->members = f[3];
	return 0;
}

int
shadow_parse(char *line, struct shadow_fields *sp, char *err, size_t errlen)
{
	char *f[MAX_FIELDS];
	unsigned long days;
	int n;

	if (not_an_entry(line))
		return 1;
	/* Nine fields, but shadow(5) readers accept the short old form. */
	if ((n = split_fields(line, f)) < 3 || n > MAX_FIELDS) {
		seterr(err, errlen, "%d fields, want 3 to 9", n);
		return -1;
	}
	if (check_name(f[0], err, errlen) == -1)
		return -1;
	if (f[2][0] == '\0')
		sp->last_change = -1;
	else if (parse_id(f[2], &days) == -1 || days > 1000000UL) {
		seterr(err, errlen, "last change is not a number of days");
		return -1;
	} else
		sp->last_change = (long)days;
	sp->name = f[0];
	sp->passwd = f[1];
	return 0;
}

int
group_has_member(const char *members, const char *name)
{
	size_t len = strlen(name);
	const char *p = members, *comma;

	if (len == 0)
		return 0;
	for (;;) {
		comma = strchr(p, ',');
		if ((size_t)((comma != NULL ? comma : p + strlen(p)) - p) ==
		    len && strncmp(p, name, len) == 0)
			return 1;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}
