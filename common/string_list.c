/* Lists of owned strings; see string_list.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "string_list.h"

int
string_list_add(struct string_list *l, const char *s)
{
	char **items, *copy;

	if ((copy = strdup(s)) == NULL)
		return -1;
	if ((items = realloc(l->items, (l->count + 1) * sizeof(*items))) ==
	    NULL) {
		free(copy);
		return -1;
	}
	items[l->count++] = copy;
	l->items = items;
	return 0;
}

void
string_list_free(struct string_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}
