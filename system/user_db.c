/*
 * Reading passwd, group and shadow into a user table; see user_db.h.
 */
#include "config.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/errbuf.h"
#include "../common/log.h"
#include "sys_file.h"
#include "user_db.h"
#include "user_parse.h"

#define USER_FILE_MAX	(64u * 1024 * 1024)

static const char *const pw_type_names[PW_TYPE_COUNT] = {
	[PW_SHADOW] = "shadow_password",
	[PW_DISABLED] = "password_disabled",
	[PW_NONE] = "no_password",
	[PW_CRYPT] = "crypt_password",
};

const char *
pw_type_name(int t)
{
	return t > PW_UNKNOWN && t < PW_TYPE_COUNT ? pw_type_names[t] : NULL;
}

int
pw_type_from_name(const char *name)
{
	int t;

	for (t = PW_UNKNOWN + 1; t < PW_TYPE_COUNT; t++)
		if (strcmp(pw_type_names[t], name) == 0)
			return t;
	return -1;
}

void
sys_user_clear(struct sys_user *u)
{
	size_t i;

	free(u->name);
	free(u->gecos);
	free(u->dir);
	free(u->shell);
	for (i = 0; i < u->ngroups; i++)
		free(u->groups[i].name);
	free(u->groups);
	memset(u, 0, sizeof(*u));
}

void
sys_group_clear(struct sys_group *g)
{
	free(g->name);
	free(g->members);
	memset(g, 0, sizeof(*g));
}

void
user_table_free(struct user_table *t)
{
	size_t i;

	for (i = 0; i < t->nusers; i++)
		sys_user_clear(&t->users[i]);
	for (i = 0; i < t->ngroups; i++)
		sys_group_clear(&t->groups[i]);
	free(t->users);
	free(t->groups);
	memset(t, 0, sizeof(*t));
}

static int
user_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sys_user *)a)->name,
	    ((const struct sys_user *)b)->name);
}

static int
group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sys_group *)a)->name,
	    ((const struct sys_group *)b)->name);
}

/* The first entry of a name wins, as getpwnam(3) finds it. */
void
user_table_sort(struct user_table *t)
{
	size_t i, n;

	/* qsort is not stable: the file order is in the entries' position. */
	if (t->nusers > 1) {
		qsort(t->users, t->nusers, sizeof(*t->users), user_cmp);
		for (i = 1, n = 1; i < t->nusers; i++) {
			if (strcmp(t->users[i].name, t->users[n - 1].name) == 0)
				sys_user_clear(&t->users[i]);
			else
				t->users[n++] = t->users[i];
		}
		t->nusers = n;
	}
	if (t->ngroups > 1) {
		qsort(t->groups, t->ngroups, sizeof(*t->groups), group_cmp);
		for (i = 1, n = 1; i < t->ngroups; i++) {
			if (strcmp(t->groups[i].name,
			    t->groups[n - 1].name) == 0)
				sys_group_clear(&t->groups[i]);
			else
				t->groups[n++] = t->groups[i];
		}
		t->ngroups = n;
	}
}

const struct sys_user *
user_table_find_user(const struct user_table *t, const char *name)
{
	struct sys_user key = { .name = (char *)name };

	return t->nusers == 0 ? NULL : bsearch(&key, t->users, t->nusers,
	    sizeof(*t->users), user_cmp);
}

const struct sys_group *
user_table_find_group(const struct user_table *t, const char *name)
{
	struct sys_group key = { .name = (char *)name };

	return t->ngroups == 0 ? NULL : bsearch(&key, t->groups, t->ngroups,
	    sizeof(*t->groups), group_cmp);
}

/* What a line-by-line reader of one file shares with its callback. */
struct reading {
	const char	*path;
	struct user_table *t;
	const struct user_sources *src;
	size_t		 cap;
	int		 failed;	/* out of memory or too many entries */
	int		 bad_lines;
};

static void
bad_line(struct reading *r, size_t lineno, const char *what)
{
	/* Log a few per file: one broken file must not flood syslog. */
	if (r->bad_lines++ < 5)
		log_warnx("%s:%zu: %s; line skipped", r->path, lineno, what);
}

static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t want;

	if (n < *cap)
		return 0;
	if (n >= USER_TABLE_MAX)
		return -1;
	want = *cap ? *cap * 2 : 64;
	if ((p = realloc(*arr, want * size)) == NULL)
		return -1;
	*arr = p;
	*cap = want;
	return 0;
}

/* The keyed digest of a password hash, in hex; "" if it cannot be made. */
static void
password_digest(const struct user_sources *src, const char *name,
    const char *hash, char out[PW_DIGEST_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	size_t nlen = strlen(name), hlen = strlen(hash);
	unsigned char *msg;

	out[0] = '\0';
	/* The name too: two users with one hash must not look alike. */
	if ((msg = malloc(nlen + 1 + hlen)) == NULL)
		return;
	memcpy(msg, name, nlen);
	msg[nlen] = ':';
	memcpy(msg + nlen + 1, hash, hlen);
	if (HMAC(EVP_sha256(), src->key, (int)src->keylen, msg,
	    nlen + 1 + hlen, md, &mdlen) != NULL && mdlen * 2 <= PW_DIGEST_HEX) {
		for (i = 0; i < mdlen; i++) {
			out[2 * i] = hex[md[i] >> 4];
			out[2 * i + 1] = hex[md[i] & 0xf];
		}
		out[2 * mdlen] = '\0';
	}
	explicit_bzero(msg, nlen + 1 + hlen);
	free(msg);
	explicit_bzero(md, sizeof(md));
}

/*
 * What a password field says: empty is no password, "!" or "*" first is
 * a locked or disabled one, anything else a hash (of type otherwise).
 */
static void
note_password(struct sys_user *u, const char *hash, int otherwise,
    const struct user_sources *src)
{
	if (hash[0] == '\0')
		u->pw_type = PW_NONE;
	else if (hash[0] == '!' || hash[0] == '*')
		u->pw_type = PW_DISABLED;
	else
		u->pw_type = otherwise;
	password_digest(src, u->name, hash, u->pw_digest);
}

static void
passwd_line(void *arg, char *line, size_t lineno)
{
	struct reading *r = arg;
	struct passwd_fields pw;
	struct sys_user *u;
	char err[128];

	if (r->failed)
		return;
	if (line == NULL) {
		bad_line(r, lineno, "NUL byte in the line");
		return;
	}
	switch (passwd_parse(line, &pw, err, sizeof(err))) {
	case 1:
		return;
	case -1:
		bad_line(r, lineno, err);
		return;
	}
	if (grow((void **)&r->t->users, &r->cap, r->t->nusers,
	    sizeof(*r->t->users)) == -1) {
		r->failed = 1;
		return;
	}
	u = &r->t->users[r->t->nusers];
	memset(u, 0, sizeof(*u));
	u->uid = pw.uid;
	u->gid = pw.gid;
	u->pw_last_change = -1;
	if ((u->name = strdup(pw.name)) == NULL ||
	    (u->gecos = strdup(pw.gecos)) == NULL ||
	    (u->dir = strdup(pw.dir)) == NULL ||
	    (u->shell = strdup(pw.shell)) == NULL) {
		sys_user_clear(u);
		r->failed = 1;
		return;
	}
	r->t->nusers++;
	if (r->src->shadow == NULL)
		u->pw_type = PW_UNKNOWN;
	else if (strcmp(pw.passwd, "x") == 0)
		u->pw_type = PW_SHADOW;	/* until shadow says more */
	else
		note_password(u, pw.passwd, PW_CRYPT, r->src);
}

static void
group_line(void *arg, char *line, size_t lineno)
{
	struct reading *r = arg;
	struct group_fields gr;
	struct sys_group *g;
	char err[128];

	if (r->failed)
		return;
	if (line == NULL) {
		bad_line(r, lineno, "NUL byte in the line");
		return;
	}
	switch (group_parse(line, &gr, err, sizeof(err))) {
	case 1:
		return;
	case -1:
		bad_line(r, lineno, err);
		return;
	}
	if (grow((void **)&r->t->groups, &r->cap, r->t->ngroups,
	    sizeof(*r->t->groups)) == -1) {
		r->failed = 1;
		return;
	}
	g = &r->t->groups[r->t->ngroups];
	memset(g, 0, sizeof(*g));
	g->gid = gr.gid;
	if ((g->name = strdup(gr.name)) == NULL ||
	    (g->members = strdup(gr.members)) == NULL) {
		sys_group_clear(g);
		r->failed = 1;
		return;
	}
	r->t->ngroups++;
}

static void
shadow_line(void *arg, char *line, size_t lineno)
{
	struct reading *r = arg;
	struct shadow_fields sp;
	struct sys_user *u;
	char err[128];

	if (line == NULL) {
		bad_line(r, lineno, "NUL byte in the line");
		return;
	}
	switch (shadow_parse(line, &sp, err, sizeof(err))) {
	case 1:
		return;
	case -1:
		bad_line(r, lineno, err);
		return;
	}
	u = (struct sys_user *)user_table_find_user(r->t, sp.name);
	/* Only where passwd says "x" is the shadow entry the password. */
	if (u == NULL || u->pw_type != PW_SHADOW || u->pw_digest[0] != '\0')
		return;
	note_password(u, sp.passwd, PW_SHADOW, r->src);
	u->pw_last_change = sp.last_change;
}

/* Adds a group to u's list unless its gid is there already. */
static int
add_membership(struct sys_user *u, const struct sys_group *g)
{
	struct group_ref *p;
	size_t i;

	for (i = 0; i < u->ngroups; i++)
		if (u->groups[i].gid == g->gid)
			return 0;
	if (u->ngroups >= 65536)	/* NGROUPS_MAX */
		return 0;
	if ((p = realloc(u->groups, (u->ngroups + 1) * sizeof(*p))) == NULL)
		return -1;
	u->groups = p;
	if ((p[u->ngroups].name = strdup(g->name)) == NULL)
		return -1;
	p[u->ngroups++].gid = g->gid;
	return 0;
}

static int
gid_cmp(const void *a, const void *b)
{
	const struct sys_group *x = *(const struct sys_group *const *)a;
	const struct sys_group *y = *(const struct sys_group *const *)b;

	return x->gid < y->gid ? -1 : x->gid > y->gid;
}

/* Each user's groups: the primary one first, then those naming it. */
static int
link_memberships(struct user_table *t)
{
	struct sys_group **by_gid, key, *kp = &key, **found;
	size_t i;
	char *members, *name, *save;
	struct sys_user *u;
	int rc = -1;

	if (t->ngroups == 0)
		return 0;
	if ((by_gid = calloc(t->ngroups, sizeof(*by_gid))) == NULL)
		return -1;
	for (i = 0; i < t->ngroups; i++)
		by_gid[i] = &t->groups[i];
	qsort(by_gid, t->ngroups, sizeof(*by_gid), gid_cmp);
	for (i = 0; i < t->nusers; i++) {
		key.gid = t->users[i].gid;
		found = bsearch(&kp, by_gid, t->ngroups, sizeof(*by_gid),
		    gid_cmp);
		/* Several groups may share a gid: take the first by name. */
		while (found != NULL && found > by_gid &&
		    found[-1]->gid == key.gid)
			found--;
		if (found != NULL && add_membership(&t->users[i], *found) == -1)
			goto out;
	}
	for (i = 0; i < t->ngroups; i++) {
		if ((members = strdup(t->groups[i].members)) == NULL)
			goto out;
		for (name = strtok_r(members, ",", &save); name != NULL;
		    name = strtok_r(NULL, ",", &save)) {
			u = (struct sys_user *)user_table_find_user(t, name);
			if (u != NULL &&
			    add_membership(u, &t->groups[i]) == -1) {
				free(members);
				goto out;
			}
		}
		free(members);
	}
	rc = 0;
out:
	free(by_gid);
	return rc;
}

/* Reads one file with fn; 0, 1 (absent), or -1 with err set. */
static int
read_lines(const char *path, void (*fn)(void *, char *, size_t),
    struct reading *r, int wipe, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = sys_read_file(path, USER_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	r->path = path;
	r->cap = 0;
	r->bad_lines = 0;
	sys_each_line(text, len, fn, r);
	if (r->bad_lines > 5)
		log_warnx("%s: %d malformed lines skipped in all", path,
		    r->bad_lines);
	/* Password hashes do not stay in freed memory. */
	if (wipe)
		explicit_bzero(text, len);
	free(text);
	return 0;
}

int
user_table_read(const struct user_sources *src, struct user_table *t,
    char *err, size_t errlen)
{
	struct reading r = { NULL, t, src, 0, 0, 0 };
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = read_lines(src->passwd, passwd_line, &r, 1, err,
	    errlen)) == 1)
		seterr(err, errlen, "%s: no such file", src->passwd);
	if (rc != 0)
		goto fail;
	if ((rc = read_lines(src->group, group_line, &r, 0, err,
	    errlen)) == 1)
		seterr(err, errlen, "%s: no such file", src->group);
	if (rc != 0)
		goto fail;
	if (r.failed) {
		seterr(err, errlen, "out of memory, or more than %d entries",
		    USER_TABLE_MAX);
		goto fail;
	}
	user_table_sort(t);
	/* Without shadow the types stay as passwd says; that is logged. */
	if (src->shadow != NULL && read_lines(src->shadow, shadow_line, &r, 1,
	    err, errlen) == -1)
		log_warnx("password changes not seen: %s", err);
	if (link_memberships(t) == -1) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	user_table_free(t);
	return -1;
}
