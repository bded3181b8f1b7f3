/* The rule key table; see rule_keys.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "rule_keys.h"

/* Keys of one rule are joined by this byte (as in ecs_document.c). */
#define KEY_SEPARATOR	'\x01'
#define FIELD_COUNT	5

struct rule_keys {
	struct rule_info *entries;	/* sorted by key */
	size_t		 count;
	char		*text;		/* the fields point into it */
};

static int	parse_line(char *line, size_t len, struct rule_info *,
		    char *why, size_t whylen);
static int	entry_cmp(const void *, const void *);
static int	check_duplicates(const struct rule_keys *, const char *name,
		    char *err, size_t errlen);

/*
 * Splits one line into its five fields in place.  Returns 0, or -1 with
 * what is wrong in why.
 */
static int
parse_line(char *line, size_t len, struct rule_info *ri, char *why,
    size_t whylen)
{
	const char **fields[FIELD_COUNT] = {
		&ri->key, &ri->ruleset, &ri->id, &ri->name, &ri->reference
	};
	static const char *const names[FIELD_COUNT] = {
		"key", "ruleset", "rule id", "rule name", "reference"
	};
	size_t limit, flen, i, n = 0;
	char *p = line, *end = line + len, *tab;

	for (i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			seterr(why, whylen, "control byte 0x%02x at column %zu",
			    (unsigned char)line[i], i + 1);
			return -1;
		}
	}
	for (;;) {
		if ((tab = memchr(p, '\t', (size_t)(end - p))) == NULL)
			tab = end;
		flen = (size_t)(tab - p);
		limit = n == 0 ? RULE_KEYS_MAX_KEY : RULE_KEYS_MAX_FIELD;
		if (flen == 0) {
			seterr(why, whylen, "empty %s", names[n]);
			return -1;
		}
		if (flen > limit) {
			seterr(why, whylen, "%s longer than %zu bytes",
			    names[n], limit);
			return -1;
		}
		*tab = '\0';
		*fields[n++] = p;
		if (tab == end || n == FIELD_COUNT)
			break;
		p = tab + 1;
	}
	if (n < FIELD_COUNT) {
		seterr(why, whylen, "%zu field(s), want %d separated by tabs: "
		    "key, ruleset, rule id, rule name, reference", n,
		    FIELD_COUNT);
		return -1;
	}
	if (tab != end) {
		seterr(why, whylen, "more than %d fields", FIELD_COUNT);
		return -1;
	}
	if (memchr(ri->key, ' ', strlen(ri->key)) != NULL) {
		seterr(why, whylen, "key '%s' has a space (audit keys "
		    "cannot)", ri->key);
		return -1;
	}
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rule_info *)a)->key,
	    ((const struct rule_info *)b)->key);
}

static int
check_duplicates(const struct rule_keys *t, const char *name, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 1; i < t->count; i++) {
		if (strcmp(t->entries[i - 1].key, t->entries[i].key) == 0) {
			seterr(err, errlen, "%s: key '%s' is listed twice",
			    name, t->entries[i].key);
			return -1;
		}
	}
	return 0;
}

struct rule_keys *
rule_keys_parse(const char *text, size_t len, const char *name, char *err,
    size_t errlen)
{
	struct rule_keys *t;
	struct rule_info *grown;
	char why[160], *line, *end, *nl;
	size_t cap = 0, lineno = 0, llen;

	if (len > (size_t)RULE_KEYS_MAX_FILE) {
		seterr(err, errlen, "%s: larger than %ld bytes", name,
		    RULE_KEYS_MAX_FILE);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		seterr(err, errlen, "%s: has a NUL byte: not a text file",
		    name);
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->text = malloc(len + 1)) == NULL) {
		free(t);
		seterr(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	for (line = t->text, end = t->text + len; line < end; line = nl + 1) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		llen = (size_t)(nl - line);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		*nl = '\0';
		if (llen == 0 || line[0] == '#')
			continue;
		line[llen] = '\0';
		if (t->count == RULE_KEYS_MAX_ENTRIES) {
			seterr(err, errlen, "%s:%zu: more than %d keys", name,
			    lineno, RULE_KEYS_MAX_ENTRIES);
			goto fail;
		}
		if (t->count == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(t->entries, cap *
			    sizeof(*grown))) == NULL) {
				seterr(err, errlen, "%s: out of memory", name);
				goto fail;
			}
			t->entries = grown;
		}
		if (parse_line(line, llen, &t->entries[t->count], why,
		    sizeof(why)) == -1) {
			seterr(err, errlen, "%s:%zu: %s", name, lineno, why);
			goto fail;
		}
		t->count++;
	}
	if (t->count > 0)
		qsort(t->entries, t->count, sizeof(t->entries[0]), entry_cmp);
	if (check_duplicates(t, name, err, errlen) == -1)
		goto fail;
	return t;
fail:
	rule_keys_free(t);
	return NULL;
}

struct rule_keys *
rule_keys_load(const char *path, char *err, size_t errlen)
{
	struct rule_keys *t = NULL;
	struct stat st;
	char *text = NULL;
	ssize_t got;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > RULE_KEYS_MAX_FILE) {
		seterr(err, errlen, "%s: larger than %ld bytes", path,
		    RULE_KEYS_MAX_FILE);
		goto out;
	}
	/* One byte more than allowed: a file that grew is caught below. */
	if ((text = malloc((size_t)RULE_KEYS_MAX_FILE + 1)) == NULL) {
		seterr(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (len <= (size_t)RULE_KEYS_MAX_FILE) {
		got = read(fd, text + len, (size_t)RULE_KEYS_MAX_FILE + 1 - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	t = rule_keys_parse(text, len, path, err, errlen);
out:
	free(text);
	close(fd);
	return t;
}

void
rule_keys_free(struct rule_keys *t)
{
	if (t == NULL)
		return;
	free(t->entries);
	free(t->text);
	free(t);
}

size_t
rule_keys_count(const struct rule_keys *t)
{
	return t != NULL ? t->count : 0;
}

const struct rule_info *
rule_keys_find(const struct rule_keys *t, const char *key, size_t n)
{
	size_t lo = 0, hi, mid;
	int c;

	/* (a NUL inside would end the comparison early) */
	if (t == NULL || n == 0 || n > RULE_KEYS_MAX_KEY ||
	    memchr(key, '\0', n) != NULL)
		return NULL;
	hi = t->count;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(key, t->entries[mid].key, n);
		if (c == 0 && t->entries[mid].key[n] != '\0')
			c = -1;		/* key is a proper prefix: smaller */
		if (c == 0)
			return &t->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
rule_keys_write(const struct rule_keys *t, struct jw *w, const char *keys,
    size_t n)
{
	const struct rule_info *ri = NULL;
	const char *p, *end, *sep, *eq;

	if (t == NULL || t->count == 0 || keys == NULL || n == 0)
		return;
	p = keys;
	end = keys + n;
	if (memchr(p, KEY_SEPARATOR, n) == NULL &&
	    (eq = memchr(p, '=', n)) != NULL)
		p = eq + 1;
	while (p < end && ri == NULL) {
		if ((sep = memchr(p, KEY_SEPARATOR, (size_t)(end - p))) == NULL)
			sep = end;
		ri = rule_keys_find(t, p, (size_t)(sep - p));
		p = sep + 1;
	}
	if (ri == NULL)
		return;
	jw_object_open(w, "rule");
	jw_cstring(w, "ruleset", ri->ruleset);
	jw_cstring(w, "id", ri->id);
	jw_cstring(w, "name", ri->name);
	jw_cstring(w, "reference", ri->reference);
	jw_object_close(w);
}
