/*
 * fuzz_check_document(): the checks every written document must pass.
 *
 * json-c says whether the text is JSON, but it keeps the last of two
 * members with the same name without a word, so duplicate names are
 * looked for here, in the text, once json-c has accepted it.  The names
 * are compared as written: the writer escapes a given name always the
 * same way.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_DEPTH	64
#define MAX_NAMES	4096

struct name {
	const char	*p;
	size_t		 n;
	int		 depth;
};

struct scan {
	const char	*doc;
	size_t		 len;
	char		 kind[MAX_DEPTH];	/* '{' or '[' */
	int		 depth;
	struct name	 names[MAX_NAMES];
	size_t		 nnames;
};

static void
reject(const char *doc, size_t len, const char *why)
{
	fprintf(stderr, "fuzz: bad document (%s):\n%.*s\n", why,
	    len > 65536 ? 65536 : (int)len, doc);
	abort();
}

/* Past the string that starts at doc[i] (its opening quote). */
static size_t
string_end(const struct scan *s, size_t i)
{
	for (i++; i < s->len; i++) {
		if (s->doc[i] == '\\')
			i++;
		else if (s->doc[i] == '"')
			return i + 1;
	}
	return s->len;
}

/* The names of the object being closed are forgotten. */
static void
close_container(struct scan *s)
{
	while (s->nnames > 0 && s->names[s->nnames - 1].depth == s->depth)
		s->nnames--;
	s->depth--;
}

static void
add_name(struct scan *s, const char *p, size_t n)
{
	size_t i;

	for (i = s->nnames; i > 0 && s->names[i - 1].depth == s->depth; i--)
		if (s->names[i - 1].n == n &&
		    memcmp(s->names[i - 1].p, p, n) == 0) {
			fprintf(stderr, "fuzz: member %.*s twice\n", (int)n, p);
			reject(s->doc, s->len, "duplicate member name");
		}
	if (s->nnames == MAX_NAMES)
		reject(s->doc, s->len, "more member names than the check holds");
	s->names[s->nnames++] = (struct name){ p, n, s->depth };
}

static void
check_duplicates(struct scan *s)
{
	size_t i = 0, end;
	int want_name = 0;

	while (i < s->len) {
		switch (s->doc[i]) {
		case '{':
		case '[':
			if (s->depth + 1 == MAX_DEPTH)
				reject(s->doc, s->len, "nested too deep");
			s->kind[++s->depth] = s->doc[i];
			want_name = s->doc[i] == '{';
			i++;
			break;
		case '}':
		case ']':
			close_container(s);
			want_name = 0;
			i++;
			break;
		case ',':
			want_name = s->kind[s->depth] == '{';
			i++;
			break;
		case '"':
			end = string_end(s, i);
			if (want_name)
				add_name(s, s->doc + i + 1, end - i - 2);
			want_name = 0;
			i = end;
			break;
		default:
			i++;
			break;
		}
	}
}

void
fuzz_check_document(const char *doc, size_t len)
{
	static struct scan s;
	struct json_tokener *tok;
	json_object *root;
	size_t used;

	if ((tok = json_tokener_new()) == NULL)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, doc, (int)len);
	used = json_tokener_get_parse_end(tok);
	if (root == NULL)
		reject(doc, len, json_tokener_error_desc(
		    json_tokener_get_error(tok)));
	if (used != len)
		reject(doc, len, "text after the object");
	if (!json_object_is_type(root, json_type_object))
		reject(doc, len, "not an object");
	json_object_put(root);
	json_tokener_free(tok);
	s.depth = 0;
	s.nnames = 0;
	s.doc = doc;
	s.len = len;
	check_duplicates(&s);
}
