/* SPDX-License-Identifier: MIT */
/* The listening sockets of kite-sim (vhost-user and the time-travel calendar). */
#ifndef KITE_BRIDGE_UNIX_SOCKET_H
#define KITE_BRIDGE_UNIX_SOCKET_H

/* Listen on a Unix stream socket at PATH (a stale socket there is replaced, anything else is
 * left alone). The fd, or -1 (logged). */
int unix_listen(const char *path);

#endif
