// SPDX-License-Identifier: MIT
#include "calendar.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "unix_socket.h"

void cal_init(struct calendar *c)
{
	memset(c, 0, sizeof(*c));
	c->listen_fd = c->fd = -1;
	c->req = UINT64_MAX;
	/* 2026-01-01 00:00:00 UTC: the guest's date is the same in every run */
	c->tod_base = 1767225600ull * 1000000000ull;
}

int cal_listen(struct calendar *c, const char *path)
{
	c->listen_fd = unix_listen(path);
	return c->listen_fd < 0 ? -1 : 0;
}

int cal_accept(struct calendar *c)
{
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		kb_log("time-travel: accept failed: %s", strerror(errno));
		return -1;
	}
	c->fd = fd;
	close(c->listen_fd);
	c->listen_fd = -1;
	return 0;
}

static int cal_read(struct calendar *c, struct cal_msg *m)
{
	uint8_t *p = (uint8_t *)m;
	size_t got = 0;

	while (got < sizeof(*m)) {
		ssize_t n = read(c->fd, p + got, sizeof(*m) - got);

		if (n < 0 && errno == EINTR)
			continue;
		/* a guest that exits with our last ACK unread resets the connection */
		if ((n == 0 || (n < 0 && errno == ECONNRESET)) && got == 0)
			return 1;
		if (n <= 0) {
			kb_log("time-travel: the guest's socket failed in a message (%zu of %zu bytes)",
			       got, sizeof(*m));
			return -1;
		}
		got += (size_t)n;
	}
	c->st.messages++;
	return 0;
}

static int cal_write(struct calendar *c, uint32_t op, uint32_t seq, uint64_t time)
{
	struct cal_msg m = { .op = op, .seq = seq, .time = time };
	const uint8_t *p = (const uint8_t *)&m;
	size_t done = 0;

	while (done < sizeof(m)) {
		ssize_t n = send(c->fd, p + done, sizeof(m) - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			kb_log("time-travel: cannot write to the guest: %s", strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* One message from the guest (not an ACK): answer it. */
static int cal_handle(struct calendar *c, const struct cal_msg *m)
{
	uint64_t answer = 0;

	switch (m->op) {
	case CAL_START:
		if (c->started) {
			kb_log("time-travel: a second START");
			return -1;
		}
		c->started = true;
		kb_log("time-travel: guest connected (id %lld)", (long long)m->time);
		break;
	case CAL_REQUEST:
		c->st.requests++;
		c->req = m->time;
		break;
	case CAL_WAIT:
		c->st.waits++;
		if (c->waiting) {
			kb_log("time-travel: WAIT while already waiting");
			return -1;
		}
		c->waiting = true;
		break;
	case CAL_GET:
		c->st.gets++;
		answer = c->now;
		break;
	case CAL_GET_TOD:
		answer = c->tod_base + c->now;
		break;
	case CAL_UPDATE:
		c->st.updates++;
		if (m->time > c->now) {
			/* the guest never runs ahead without FREE_UNTIL; tolerate it, but keep order */
			if (c->on_update)
				c->on_update(c->arg, m->time);
			c->now = m->time;
		}
		break;
	default:
		kb_log("time-travel: unexpected message op %u (seq %u, time %llu)", m->op, m->seq,
		       (unsigned long long)m->time);
		return -1;
	}
	return cal_write(c, CAL_ACK, m->seq, answer);
}

int cal_serve(struct calendar *c)
{
	struct cal_msg m;
	int rc = cal_read(c, &m);

	if (rc)
		return rc;
	if (m.op == CAL_ACK) {
		kb_log("time-travel: an ACK (seq %u) for nothing the calendar sent", m.seq);
		return -1;
	}
	return cal_handle(c, &m);
}

int cal_run(struct calendar *c, uint64_t t)
{
	uint32_t seq = ++c->seq;
	struct cal_msg m;

	if (!c->waiting) {
		kb_log("time-travel: internal error: RUN for a guest that is not waiting");
		return -1;
	}
	if (t < c->now)
		t = c->now;
	c->now = t;
	c->waiting = false;
	c->req = UINT64_MAX;
	c->st.runs++;
	if (cal_write(c, CAL_RUN, seq, t))
		return -1;
	/* The guest answers its own pending requests in order; serve them until our ACK. */
	for (;;) {
		int rc = cal_read(c, &m);

		if (rc) {
			if (rc == 1)
				kb_log("time-travel: the guest closed the socket before acknowledging RUN");
			return -1;
		}
		if (m.op == CAL_ACK) {
			if (m.seq != seq) {
				kb_log("time-travel: ACK seq %u for RUN seq %u", m.seq, seq);
				return -1;
			}
			return 0;
		}
		if (cal_handle(c, &m))
			return -1;
	}
}

void cal_close(struct calendar *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	c->fd = c->listen_fd = -1;
}
