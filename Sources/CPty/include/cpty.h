#ifndef ATMO_CPTY_H
#define ATMO_CPTY_H
#include <stddef.h>
/* Opens a pseudo-terminal master (O_RDWR | O_NOCTTY), unlocked, and writes its slave's path into name.
   Returns the master descriptor, or -1 with errno set. */
int cpty_open_master(char *name, size_t size);

#include <spawn.h>
/* Adds a file action that closes every descriptor from `from` up in the child (glibc's
   posix_spawn_file_actions_addclosefrom_np, which the Glibc module does not show). Returns 0 or an errno. */
int cpty_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);
#endif
