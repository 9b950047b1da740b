/*
 * evread: read key events from a Linux input event device (guest tool for sw-tests/hid.sh).
 *
 *   evread DEVICE TIMEOUT_MS COUNT
 *
 * Opens DEVICE (/dev/input/eventN), then prints one line per EV_KEY event, "CODE press" or
 * "CODE release", until COUNT such events were printed or TIMEOUT_MS milliseconds have passed
 * since the device was opened. Auto-repeat events (value 2; the input core's software repeat fires when the
 * slow simulation holds a key for longer than the repeat delay) are not printed but counted; a
 * final line "repeats N" reports them. Prints "ready" on stderr once the device is open, so
 * that a caller can start typing. Exit status: 0 if COUNT events were read, 1 on timeout,
 * 2 on bad usage or an I/O error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long parse_num(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "evread: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct input_event ev[16];
	long timeout_ms, want, got = 0, repeats = 0;
	long long deadline;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: evread DEVICE TIMEOUT_MS COUNT\n");
		return 2;
	}
	timeout_ms = parse_num(argv[2], "timeout");
	want = parse_num(argv[3], "count");
	if (timeout_ms > 3600000) {
		fprintf(stderr, "evread: timeout above one hour\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "evread: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	deadline = now_ms() + timeout_ms;
	fprintf(stderr, "ready\n");
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (got < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		long long left = deadline - now_ms();
		int r = left > 0 ? poll(&p, 1, (int)left) : 0;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "evread: poll: %s\n", strerror(errno));
			return 2;
		}
		if (r == 0) {
			printf("repeats %ld\n", repeats);
			fprintf(stderr, "evread: timeout after %ld of %ld events\n", got, want);
			return 1;
		}
		n = read(fd, ev, sizeof(ev));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fprintf(stderr, "evread: read: %s\n", strerror(errno));
			return 2;
		}
		if (n == 0) {
			fprintf(stderr, "evread: %s: end of file (not an event device?)\n", argv[1]);
			return 2;
		}
		if (n % (ssize_t)sizeof(ev[0])) {
			fprintf(stderr, "evread: short read of %zd bytes\n", n);
			return 2;
		}
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]) && got < want; i++) {
			if (ev[i].type != EV_KEY)
				continue;
			if (ev[i].value == 2) {
				repeats++;
				continue;
			}
			printf("%u %s\n", ev[i].code, ev[i].value ? "press" : "release");
			got++;
		}
	}
	printf("repeats %ld\n", repeats);
	close(fd);
	return 0;
}
