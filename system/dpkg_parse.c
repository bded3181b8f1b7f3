/*
 * Parsing dpkg's status file; see dpkg_parse.h.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../common/errbuf.h"
#include "../common/log.h"
#include "dpkg_parse.h"
#include "sys_file.h"

/* The fields of the stanza being read: pointers into the text. */
struct stanza {
	const char	*package, *version, *arch, *status;
	const char	*description, *homepage, *size;
	size_t		 first_line;
	int		 bad;		/* a line did not parse: skipped */
};

struct parsing {
	const char	*origin, *info_dir;
	struct pkg_table *t;
	struct stanza	 s;
	int		 failed;
	int		 bad_lines;
};

static const struct {
	const char	*name;
	size_t		 offset;
} wanted[] = {
	{ "Package", offsetof(struct stanza, package) },
	{ "Version", offsetof(struct stanza, version) },
	{ "Architecture", offsetof(struct stanza, arch) },
	{ "Status", offsetof(struct stanza, status) },
	{ "Description", offsetof(struct stanza, description) },
	{ "Homepage", offsetof(struct stanza, homepage) },
	{ "Installed-Size", offsetof(struct stanza, size) },
};

static void
bad_line(struct parsing *ps, size_t lineno, const char *what)
{
	/* A few per file: one broken file must not flood syslog. */
	if (ps->bad_lines++ < 5)
		log_warnx("%s:%zu: %s", ps->origin, lineno, what);
}

/* "want ok installed" (also "hold ok installed"): the third word. */
static int
is_installed(const char *status)
{
	const char *p = strrchr(status, ' ');

	return p != NULL && strcmp(p + 1, "installed") == 0;
}

/* A name dpkg accepts: letters, digits, "+-.", not starting with "-.". */
static int
valid_name(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '-' || *s == '.' || strlen(s) > 255)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("+-.", *p) != NULL))
			return 0;
	return 1;
}

/* Installed-Size: KiB in decimal; anything else is unknown (0). */
static unsigned long long
parse_size(const char *s)
{
	unsigned long long v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 15)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	return v;
}

static long long
install_time(const char *info_dir, const char *name, const char *arch)
{
	char path[PATH_MAX];
	struct stat st;

	if (info_dir == NULL)
		return 0;
	/* Multi-Arch: same packages have NAME:ARCH.list. */
	if (arch != NULL && (size_t)snprintf(path, sizeof(path),
	    "%s/%s:%s.list", info_dir, name, arch) < sizeof(path) &&
	    stat(path, &st) == 0)
		return st.st_mtim.tv_sec;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.list", info_dir,
	    name) < sizeof(path) && stat(path, &st) == 0)
		return st.st_mtim.tv_sec;
	return 0;
}

static int
dup_opt(char **dst, const char *s)
{
	if (s == NULL)
		return 0;
	return (*dst = strdup(s)) == NULL ? -1 : 0;
}

/* The stanza read so far, as a package if it is one. */
static void
finish_stanza(struct parsing *ps)
{
	struct stanza *s = &ps->s;
	struct sys_package *p;

	if (s->first_line == 0 || ps->failed)
		goto out;
	if (s->bad) {
		bad_line(ps, s->first_line, "stanza skipped");
		goto out;
	}
	if (s->status == NULL || !is_installed(s->status))
		goto out;
	if (s->package == NULL || !valid_name(s->package) ||
	    s->version == NULL || *s->version == '\0') {
		bad_line(ps, s->first_line, "an installed package without a "
		    "valid Package or Version; skipped");
		goto out;
	}
	if ((p = pkg_table_add(ps->t)) == NULL) {
		ps->failed = 1;
		goto out;
	}
	p->type = "dpkg";
	p->size = parse_size(s->size);
	p->installtime = install_time(ps->info_dir, s->package, s->arch);
	if (dup_opt(&p->name, s->package) == -1 ||
	    dup_opt(&p->version, s->version) == -1 ||
	    dup_opt(&p->arch, s->arch) == -1 ||
	    dup_opt(&p->summary, s->description) == -1 ||
	    dup_opt(&p->url, s->homepage) == -1) {
		pkg_table_drop_last(ps->t);
		ps->failed = 1;
	}
out:
	memset(s, 0, sizeof(*s));
}

static void
status_line(void *arg, char *line, size_t lineno)
{
	struct parsing *ps = arg;
	struct stanza *s = &ps->s;
	char *colon, *value;
	size_t i, n;

	if (line == NULL) {
		bad_line(ps, lineno, "NUL byte in the line");
		s->bad = 1;
		return;
	}
	if (line[strspn(line, " \t")] == '\0') {
		finish_stanza(ps);
		return;
	}
	if (s->first_line == 0)
		s->first_line = lineno;
	/* A continuation (the long description, conffiles): not read. */
	if (line[0] == ' ' || line[0] == '\t')
		return;
	if ((colon = strchr(line, ':')) == NULL || colon == line) {
		bad_line(ps, lineno, "not a \"Field: value\" line");
		s->bad = 1;
		return;
	}
	*colon = '\0';
	value = colon + 1 + strspn(colon + 1, " \t");
	n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		value[--n] = '\0';
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (strcasecmp(line, wanted[i].name) == 0) {
			const char **slot = (const char **)(void *)
			    ((char *)s + wanted[i].offset);

			if (*slot != NULL) {
				bad_line(ps, lineno, "field given twice");
				s->bad = 1;
			}
			*slot = value;
			return;
		}
}

int
dpkg_status_parse(char *text, size_t len, const char *origin,
    const char *info_dir, struct pkg_table *t, char *err, size_t errlen)
{
	struct parsing ps;

	memset(&ps, 0, sizeof(ps));
	ps.origin = origin;
	ps.info_dir = info_dir;
	ps.t = t;
	sys_each_line(text, len, status_line, &ps);
	finish_stanza(&ps);
	if (ps.bad_lines > 5)
		log_warnx("%s: %d malformed lines or stanzas in all", origin,
		    ps.bad_lines);
	if (ps.failed) {
		seterr(err, errlen, "%s: out of memory, or more than %d "
		    "packages", origin, PKG_TABLE_MAX);
		return -1;
	}
	return 0;
}
