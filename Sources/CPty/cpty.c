#define _GNU_SOURCE
#define _XOPEN_SOURCE 600
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpty.h"

int cpty_open_master(char *name, size_t size) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { int saved = errno; close(fd); errno = saved; return -1; }
    const char *slave = ptsname(fd);
    if (slave == NULL || strlen(slave) + 1 > size) { close(fd); errno = ENAMETOOLONG; return -1; }
    strcpy(name, slave);
    return fd;
}

int cpty_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
