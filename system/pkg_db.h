/*
 * The installed packages as the package dataset compares them: from
 * dpkg's status file (dpkg_parse.c) and, where an RPM database exists,
 * from "rpm -qa" (rpm_list.c), sorted by name and architecture.
 */
#ifndef AUDISP_ECS_PKG_DB_H
#define AUDISP_ECS_PKG_DB_H

#include <stddef.h>

/* More packages than this in one source is an error, not an allocation. */
#define PKG_TABLE_MAX	500000

struct sys_package {
	char		*name, *version, *release, *arch;
	char		*summary, *url, *license;
	const char	*type;		/* "dpkg" or "rpm" (static) */
	unsigned long long size;	/* as the source says: KiB for dpkg,
					   bytes for rpm; 0 unknown */
	long long	 installtime;	/* seconds since 1970, 0 unknown */
};

struct pkg_table {
	struct sys_package *pkgs;
	size_t		 n, cap;
};

/* Appends a zeroed entry; NULL when out of memory or PKG_TABLE_MAX. */
struct sys_package *pkg_table_add(struct pkg_table *);
/* Drops the last entry (one pkg_table_add gave, being filled). */
void	 pkg_table_drop_last(struct pkg_table *);
/* Sorts by name, then architecture; later duplicates dropped. */
void	 pkg_table_sort(struct pkg_table *);
void	 pkg_table_free(struct pkg_table *);
/* a and b name the same package (name and architecture): 0, else order. */
int	 pkg_key_cmp(const struct sys_package *a, const struct sys_package *b);
/* Anything beyond the key differs. */
int	 pkg_differs(const struct sys_package *a, const struct sys_package *b);
/* "dpkg" or "rpm" as a static string, NULL for anything else. */
const char *pkg_type_static(const char *);

#endif
