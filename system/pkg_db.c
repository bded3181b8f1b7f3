/*
 * The package table; see pkg_db.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pkg_db.h"

static void
pkg_clear(struct sys_package *p)
{
	free(p->name);
	free(p->version);
	free(p->release);
	free(p->arch);
	free(p->summary);
	free(p->url);
	free(p->license);
	memset(p, 0, sizeof(*p));
}

struct sys_package *
pkg_table_add(struct pkg_table *t)
{
	struct sys_package *p;
	size_t want;

	if (t->n == t->cap) {
		if (t->cap >= PKG_TABLE_MAX)
			return NULL;
		want = t->cap ? t->cap * 2 : 256;
		if ((p = realloc(t->pkgs, want * sizeof(*p))) == NULL)
			return NULL;
		t->pkgs = p;
		t->cap = want;
	}
	p = &t->pkgs[t->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

void
pkg_table_drop_last(struct pkg_table *t)
{
	if (t->n > 0)
		pkg_clear(&t->pkgs[--t->n]);
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

int
pkg_key_cmp(const struct sys_package *a, const struct sys_package *b)
{
	int c = strcmp(or_empty(a->name), or_empty(b->name));

	return c != 0 ? c : strcmp(or_empty(a->arch), or_empty(b->arch));
}

static int
qsort_cmp(const void *a, const void *b)
{
	return pkg_key_cmp(a, b);
}

void
pkg_table_sort(struct pkg_table *t)
{
	size_t i, n;

	if (t->n < 2)
		return;
	qsort(t->pkgs, t->n, sizeof(*t->pkgs), qsort_cmp);
	for (i = 1, n = 1; i < t->n; i++) {
		if (pkg_key_cmp(&t->pkgs[i], &t->pkgs[n - 1]) == 0)
			pkg_clear(&t->pkgs[i]);
		else
			t->pkgs[n++] = t->pkgs[i];
	}
	t->n = n;
}

void
pkg_table_free(struct pkg_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		pkg_clear(&t->pkgs[i]);
	free(t->pkgs);
	memset(t, 0, sizeof(*t));
}

static int
differ(const char *a, const char *b)
{
	return strcmp(or_empty(a), or_empty(b)) != 0;
}

int
pkg_differs(const struct sys_package *a, const struct sys_package *b)
{
	return differ(a->version, b->version) ||
	    differ(a->release, b->release) ||
	    differ(a->summary, b->summary) || differ(a->url, b->url) ||
	    differ(a->license, b->license) || a->size != b->size ||
	    differ(a->type, b->type);
}

const char *
pkg_type_static(const char *s)
{
	if (strcmp(s, "dpkg") == 0)
		return "dpkg";
	if (strcmp(s, "rpm") == 0)
		return "rpm";
	return NULL;
}
