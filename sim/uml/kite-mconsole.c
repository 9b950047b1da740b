// SPDX-License-Identifier: GPL-2.0
/*
 * kite-mconsole: send one command to a User-Mode Linux management console and print the reply.
 *
 *   kite-mconsole SOCKET COMMAND...      e.g.  kite-mconsole build/cosim/x/uml/mconsole sysrq t
 *
 * scripts/cosim.sh boots the guest with umid=uml uml_dir=<run dir>, so the socket is
 * <run dir>/uml/mconsole; when a run hits its time limit the launcher asks for the guest's task
 * list (sysrq t) this way before killing it. The protocol is arch/um/drivers/mconsole.h
 * (version 2): one datagram request, replies until `more` is 0. sysrq runs in the guest's
 * interrupt context, so it answers even when no guest task can run.
 *
 * Exit status: 0 when the guest accepted the command, 1 when it answered with an error,
 * 2 on a usage, socket or timeout error.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define MCONSOLE_MAGIC 0xcafebabeu
#define MCONSOLE_VERSION 2
#define MCONSOLE_MAX_DATA 512
#define REPLY_TIMEOUT_S 10

struct mconsole_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

struct mconsole_reply {
	uint32_t err;
	uint32_t more;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

int main(int argc, char **argv)
{
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	struct sockaddr_un me = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	struct mconsole_request req = { .magic = MCONSOLE_MAGIC, .version = MCONSOLE_VERSION };
	struct mconsole_reply rep;
	size_t len = 0;
	int fd, i, err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SOCKET COMMAND...\n", argv[0]);
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(to.sun_path)) {
		fprintf(stderr, "kite-mconsole: socket path longer than %zu bytes: %s\n",
			sizeof(to.sun_path) - 1, argv[1]);
		return 2;
	}
	strcpy(to.sun_path, argv[1]);
	for (i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 1 >= MCONSOLE_MAX_DATA) {
			fprintf(stderr, "kite-mconsole: command longer than %d bytes\n",
				MCONSOLE_MAX_DATA - 1);
			return 2;
		}
		if (i > 2)
			req.data[len++] = ' ';
		memcpy(req.data + len, argv[i], n);
		len += n;
	}
	req.len = len;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("kite-mconsole: socket");
		return 2;
	}
	/* An address of only the family autobinds: the guest needs one to reply to. */
	if (bind(fd, (struct sockaddr *)&me, sizeof(sa_family_t)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("kite-mconsole: bind");
		close(fd);
		return 2;
	}
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "kite-mconsole: %s: %s\n", to.sun_path, strerror(errno));
		close(fd);
		return 2;
	}
	do {
		ssize_t n = recv(fd, &rep, sizeof(rep), 0);

		if (n < 0) {
			fprintf(stderr, "kite-mconsole: no reply from %s: %s\n", to.sun_path,
				errno == EAGAIN ? "timed out" : strerror(errno));
			close(fd);
			return 2;
		}
		if ((size_t)n < offsetof(struct mconsole_reply, data) || rep.len > MCONSOLE_MAX_DATA ||
		    (size_t)n < offsetof(struct mconsole_reply, data) + rep.len) {
			fprintf(stderr, "kite-mconsole: malformed reply (%zd bytes)\n", n);
			close(fd);
			return 2;
		}
		fwrite(rep.data, 1, strnlen(rep.data, rep.len), stdout);
		err |= rep.err;
	} while (rep.more);
	fputc('\n', stdout);
	close(fd);
	return err ? 1 : 0;
}
