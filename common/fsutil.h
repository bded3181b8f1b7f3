/* Small file-system helpers shared by the outputs. */
#ifndef AUDISP_ECS_FSUTIL_H
#define AUDISP_ECS_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: create dir and its missing parents with mode; -1 and errno. */
int	mkdir_p(const char *dir, mode_t mode);

#endif
