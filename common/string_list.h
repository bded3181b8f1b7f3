/*
 * A list of strings the list owns (configuration values: hosts, paths,
 * keys).  An empty list is all zeroes.
 */
#ifndef AUDISP_ECS_STRING_LIST_H
#define AUDISP_ECS_STRING_LIST_H

#include <stddef.h>

struct string_list {
	char	**items;
	size_t	  count;
};

/* Appends a copy of s; -1 when out of memory (the list is unchanged). */
int	string_list_add(struct string_list *, const char *s);
/* Frees every item and leaves the list empty. */
void	string_list_free(struct string_list *);

#endif
