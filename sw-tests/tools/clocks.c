// SPDX-License-Identifier: MIT
/*
 * clocks: the guest's clock, and the host's wall clock, with nanoseconds (guest tool for the
 * test harness's progress lines, sim/testlib/kite_test.sh, and sw-tests/mission.sh; busybox
 * date has no %N and /proc/uptime counts in 10 ms steps).
 *
 *   clocks              prints G, the guest's CLOCK_MONOTONIC in seconds
 *   clocks -w CTL       prints "G1 W G2": the guest's clock, then the host's wall clock asked
 *                       from kite-sim's control channel CTL (its `wall` command, the reply read
 *                       from CTL.reply), then the guest's clock again
 *
 * Under UML time-travel the guest's clock is simulated bus time; G1 and G2 bracket the time the
 * question took, so that a caller can leave it out of what it measures. Exit status: 0; 1 if the
 * control channel cannot be written or gives no answer within KITE_CTL_TIMEOUT seconds
 * (default 10); 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct timespec mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

static void print_ts(struct timespec ts, const char *sep)
{
	printf("%lld.%09ld%s", (long long)ts.tv_sec, ts.tv_nsec, sep);
}

/* The size of PATH, or 0 if it does not exist yet. */
static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_size;
}

/*
 * Find "ok TOKEN" in PATH from offset OFF on and copy the line before it (the command's reply)
 * to OUT. The file is opened anew each time: hostfs then looks it up again and sees its new
 * size. 1 found, 0 not yet.
 */
static int find_reply(const char *path, off_t off, const char *token, char *out, size_t outlen)
{
	static char buf[65536];
	char want[128], *line, *prev = NULL, *nl;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf) - 1, off);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	snprintf(want, sizeof(want), "ok %s", token);
	for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = 0;
		if (!strcmp(line, want) && prev) {
			snprintf(out, outlen, "%.*s", (int)outlen - 1, prev);
			return 1;
		}
		prev = line;
	}
	return 0;
}

/* The host's wall clock from the control channel CTL, as its text, into WALL. */
static int ask_wall(const char *ctl, char *wall, size_t wall_len)
{
	char reply_path[4096], cmd[256], token[64], reply[512], *end;
	struct timespec start = mono(), wait = { 0, 1000000 };
	const char *tmo = getenv("KITE_CTL_TIMEOUT");
	double limit = tmo ? atof(tmo) : 10;
	off_t off;
	int fd, len;

	if (snprintf(reply_path, sizeof(reply_path), "%s.reply", ctl) >= (int)sizeof(reply_path)) {
		fprintf(stderr, "clocks: path too long: %s\n", ctl);
		return 2;
	}
	snprintf(token, sizeof(token), "c%d-%lld%09ld", (int)getpid(), (long long)start.tv_sec,
		 start.tv_nsec);
	/* Replies come after what the file holds now: read from there. */
	off = file_size(reply_path);
	fd = open(ctl, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "clocks: cannot open the control channel %s: %s\n", ctl,
			strerror(errno));
		return 1;
	}
	/* One write(): never interleaved with another writer's lines. */
	len = snprintf(cmd, sizeof(cmd), "wall\nsync %s\n", token);
	if (write(fd, cmd, len) != len) {
		fprintf(stderr, "clocks: cannot write to %s: %s\n", ctl, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	for (;;) {
		struct timespec now;

		if (find_reply(reply_path, off, token, reply, sizeof(reply)))
			break;
		now = mono();
		if (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) * 1e-9 > limit) {
			fprintf(stderr, "clocks: no reply to 'wall' from %s within %g s\n", ctl, limit);
			return 1;
		}
		nanosleep(&wait, NULL);
		/* 1, 2, 4 ... 16 ms: the simulator looks at the channel every 1 to 10 ms. */
		if (wait.tv_nsec < 16000000)
			wait.tv_nsec *= 2;
	}
	if (strncmp(reply, "ok wall ", 8) || (strtod(reply + 8, &end), *end) ||
	    strlen(reply + 8) >= wall_len) {
		fprintf(stderr, "clocks: unexpected reply to 'wall': %s\n", reply);
		return 1;
	}
	memcpy(wall, reply + 8, strlen(reply + 8) + 1);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec g1;
	char wall[64];
	int rc;

	if (argc == 1) {
		print_ts(mono(), "\n");
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "-w")) {
		fprintf(stderr, "usage: clocks [-w CONTROL_CHANNEL]\n");
		return 2;
	}
	g1 = mono();
	rc = ask_wall(argv[2], wall, sizeof(wall));
	if (rc)
		return rc;
	print_ts(g1, " ");
	printf("%s ", wall);
	print_ts(mono(), "\n");
	return 0;
}
