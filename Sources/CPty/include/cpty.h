#ifndef ATMO_CPTY_H
#define ATMO_CPTY_H
#include <stddef.h>
/* Opens a pseudo-terminal master (O_RDWR | O_NOCTTY), unlocked, and writes its slave's path into name.
   Returns the master descriptor, or -1 with errno set. */
int cpty_open_master(char *name, size_t size);
#endif
