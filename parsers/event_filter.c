/* drop_event filters; see event_filter.h. */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event_filter.h"

int
id_list_add(struct id_list *l, unsigned long id)
{
	unsigned long *items;

	if ((items = realloc(l->items, (l->count + 1) * sizeof(*items))) ==
	    NULL)
		return -1;
	items[l->count++] = id;
	l->items = items;
	return 0;
}

struct filter_rule *
event_filter_add_rule(struct event_filter *f)
{
	struct filter_rule *rules;

	if ((rules = realloc(f->rules, (f->count + 1) * sizeof(*rules))) ==
	    NULL)
		return NULL;
	f->rules = rules;
	memset(&rules[f->count], 0, sizeof(rules[0]));
	rules[f->count].success = -1;
	return &rules[f->count++];
}

void
event_filter_free(struct event_filter *f)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		string_list_free(&f->rules[i].keys);
		string_list_free(&f->rules[i].record_types);
		string_list_free(&f->rules[i].executables);
		free(f->rules[i].uids.items);
		free(f->rules[i].auids.items);
	}
	free(f->rules);
	memset(f, 0, sizeof(*f));
}

static int
copy_strings(struct string_list *dst, const struct string_list *src)
{
	size_t i;

	for (i = 0; i < src->count; i++)
		if (string_list_add(dst, src->items[i]) == -1)
			return -1;
	return 0;
}

static int
copy_ids(struct id_list *dst, const struct id_list *src)
{
	size_t i;

	for (i = 0; i < src->count; i++)
		if (id_list_add(dst, src->items[i]) == -1)
			return -1;
	return 0;
}

int
event_filter_copy(struct event_filter *dst, const struct event_filter *src)
{
	const struct filter_rule *from;
	struct filter_rule *to;
	size_t i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; src != NULL && i < src->count; i++) {
		from = &src->rules[i];
		if ((to = event_filter_add_rule(dst)) == NULL ||
		    copy_strings(&to->keys, &from->keys) == -1 ||
		    copy_strings(&to->record_types, &from->record_types) == -1 ||
		    copy_strings(&to->executables, &from->executables) == -1 ||
		    copy_ids(&to->uids, &from->uids) == -1 ||
		    copy_ids(&to->auids, &from->auids) == -1) {
			event_filter_free(dst);
			return -1;
		}
		to->success = from->success;
	}
	return 0;
}

/* Is one of the event's rule keys (joined by 0x01) in the list? */
static int
match_keys(const struct string_list *l, struct sv key)
{
	const char *p = key.p, *end, *sep;
	size_t i, n;

	if (p == NULL)
		return 0;
	end = p + key.n;
	while (p < end) {
		sep = memchr(p, '\x01', (size_t)(end - p));
		n = (size_t)((sep != NULL ? sep : end) - p);
		for (i = 0; i < l->count; i++)
			if (strlen(l->items[i]) == n &&
			    memcmp(l->items[i], p, n) == 0)
				return 1;
		p = sep != NULL ? sep + 1 : end;
	}
	return 0;
}

static int
match_type(const struct string_list *l, const char *type)
{
	size_t i;

	for (i = 0; type != NULL && i < l->count; i++)
		if (strcasecmp(l->items[i], type) == 0)
			return 1;
	return 0;
}

static int
match_exe(const struct string_list *l, struct sv exe)
{
	char path[4096];
	size_t i;

	if (exe.p == NULL || exe.n >= sizeof(path))
		return 0;
	memcpy(path, exe.p, exe.n);
	path[exe.n] = '\0';
	for (i = 0; i < l->count; i++)
		if (fnmatch(l->items[i], path, 0) == 0)
			return 1;
	return 0;
}

static int
match_id(const struct id_list *l, const char *id)
{
	char *end;
	unsigned long v;
	size_t i;

	if (id == NULL)
		return 0;
	v = strtoul(id, &end, 10);
	if (*end != '\0')
		return 0;
	for (i = 0; i < l->count; i++)
		if (l->items[i] == v)
			return 1;
	return 0;
}

static int
rule_matches(const struct filter_rule *r, const struct audit_event *ev)
{
	if (r->keys.count > 0 && !match_keys(&r->keys, ev->key))
		return 0;
	if (r->record_types.count > 0 &&
	    !match_type(&r->record_types, ev->type_name))
		return 0;
	if (r->executables.count > 0 && !match_exe(&r->executables, ev->exe))
		return 0;
	if (r->uids.count > 0 && !match_id(&r->uids, ev->ids.id[ID_UID]))
		return 0;
	if (r->auids.count > 0 && !match_id(&r->auids, ev->ids.id[ID_AUID]))
		return 0;
	if (r->success >= 0 && (ev->result == NULL ||
	    (strcmp(ev->result, "success") == 0) != r->success))
		return 0;
	return 1;
}

int
event_filter_match(const struct event_filter *f, const struct audit_event *ev)
{
	size_t i;

	for (i = 0; f != NULL && i < f->count; i++)
		if (rule_matches(&f->rules[i], ev))
			return 1;
	return 0;
}
