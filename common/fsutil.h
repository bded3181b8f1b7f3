/* Small file-system helpers. */
#ifndef AUDISP_ECS_FSUTIL_H
#define AUDISP_ECS_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: create dir and its missing parents with mode; -1 and errno. */
int	mkdir_p(const char *dir, mode_t mode);
/* write(2) all of buf, across EINTR and short writes; -1 with errno set. */
int	write_all(int fd, const void *buf, size_t len);

#endif
