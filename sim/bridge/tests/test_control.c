// SPDX-License-Identifier: MIT
/*
 * Unit tests of kite-sim's USB devices and control channel (sim/bridge/control.c): the device
 * spec and command parsers, commands against the mock model with the real usbdev attachments,
 * the FIFO and regular-file channels, and (given the path of kite-sim built around the mock)
 * the kite-sim process: options, commands before the frontend connects, idle CPU, counters.
 *
 * Usage: test_control [-t PATTERN] [-v] [KITE_SIM_MOCK]; reports through sim/testlib/kite_test.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "kite_test.h"
#include "log.h"
#include "mock_model.h"

static const char *sim_bin;

/*
 * Fail the current test; returns 1. A reason of several lines (a reply file, kite-sim's log) is
 * printed in full, indented, before the FAIL line, which gets its first line.
 */
static int failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int failf(const char *fmt, ...)
{
	char reason[2048], *nl;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nl = strchr(reason, '\n');
	if (!nl) {
		kt_fail("%s", reason);
		return 1;
	}
	for (char *line = reason, *end; *line; line = end) {
		end = line + strcspn(line, "\n");
		printf("  %.*s\n", (int)(end - line), line);
		if (*end)
			end++;
	}
	kt_fail("%.*s (in full above)", (int)(nl - reason), reason);
	return 1;
}

/* A check that fails the current test and returns from the test function at once. */
#define CHECK(cond, ...) do { if (!(cond)) { failf(__VA_ARGS__); return; } } while (0)

static int mem_rd(void *ctx, uint64_t a, void *b, size_t l) { (void)ctx; (void)a; memset(b, 0, l); return 0; }
static int mem_wr(void *ctx, uint64_t a, const void *b, size_t l) { (void)ctx; (void)a; (void)b; (void)l; return 0; }

static struct kite_model *mock(enum kite_attach a)
{
	struct kite_model_config cfg = { .attach = a };
	struct kite_mem_ops ops = { mem_rd, mem_wr, NULL };

	return kite_model_create(&cfg, &ops);
}

static char tmpdir[64];

static void mk_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/kite-ctl-XXXXXX", base && strlen(base) < 40 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
}

static void rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static void tpath(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", tmpdir, name);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, cap - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? (size_t)n : 0;
}

/* ------------------------------------------------------------------ parsers */

static void t_parse_device_good(void *arg)
{
	struct ctl_dev_spec s;
	char err[256];

	(void)arg;
	CHECK(!ctl_parse_device("gzero", &s, err, sizeof(err)) && s.kind == CTL_DEV_GZERO &&
	      s.gz.pattern == 0 && !s.gz.intr, "gzero: %s", err);
	CHECK(!ctl_parse_device("gzero:pattern=1,intr=1,loopback=1,iso_mps=512", &s, err, sizeof(err)),
	      "gzero with options: %s", err);
	CHECK(s.gz.pattern == 1 && s.gz.intr && s.gz.loopback_first && s.gz.iso_mps == 512,
	      "gzero options not applied");
	CHECK(!ctl_parse_device("kbd:ls=1", &s, err, sizeof(err)) && s.kind == CTL_DEV_KBD &&
	      s.kbd.low_speed, "kbd:ls=1: %s", err);
	CHECK(!ctl_parse_device("msc:blocks=0x80", &s, err, sizeof(err)) && s.kind == CTL_DEV_MSC &&
	      s.msc.blocks == 128, "msc:blocks=0x80: %s", err);
	CHECK(!ctl_parse_device("none", &s, err, sizeof(err)) && s.kind == CTL_DEV_NONE, "none: %s", err);
}

static void t_parse_device_bad(void *arg)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "foo", "unknown device 'foo'" },
		{ "", "unknown device ''" },
		{ "gzero:", "empty option list" },
		{ "gzero:pattern=3", "bad value '3' for pattern" },
		{ "gzero:pattern=-1", "bad value '-1' for pattern" },
		{ "gzero:pattern=1x", "bad value '1x'" },
		{ "gzero:intr=2", "bad value '2' for intr" },
		{ "gzero:iso_mps=1024", "bad value '1024' for iso_mps" },
		{ "gzero:bogus=1", "gzero has no option 'bogus'" },
		{ "gzero:pattern", "not key=value" },
		{ "gzero:=1", "not key=value" },
		{ "gzero:pattern=", "not key=value" },
		{ "gzero:pattern=1,,intr=1", "empty option" },
		{ "gzero:pattern=1,", "empty option" },
		{ "kbd:blocks=1", "kbd has no option 'blocks'" },
		{ "msc:blocks=0", "at least 1" },
		{ "msc:blocks=4194305", "bad value" },
		{ "none:x=1", "none takes no options" },
	};
	struct ctl_dev_spec s;
	char err[256];

	(void)arg;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		CHECK(ctl_parse_device(cases[i].in, &s, err, sizeof(err)) == -1, "'%s' accepted", cases[i].in);
		CHECK(strstr(err, cases[i].want), "'%s': error '%s', want '%s'", cases[i].in, err, cases[i].want);
	}
}

static void t_parse_port_arg(void *arg)
{
	struct ctl_dev_spec s;
	unsigned int port = 99;
	char err[256];
	enum kite_attach a;

	(void)arg;
	CHECK(!ctl_parse_port_arg("0=gzero", &port, &s, err, sizeof(err)) && port == 0 &&
	      s.kind == CTL_DEV_GZERO, "0=gzero: %s", err);
	CHECK(!ctl_parse_port_arg("14=kbd:ls=1", &port, &s, err, sizeof(err)) && port == 14 &&
	      s.kind == CTL_DEV_KBD && s.kbd.low_speed, "14=kbd:ls=1: %s", err);
	static const char *const bad[] = { "=gzero", "x=gzero", "15=gzero", "0", "0=", "-1=gzero",
					   "0=gzero:pattern=9", "99999999999999999999=gzero" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		CHECK(ctl_parse_port_arg(bad[i], &port, &s, err, sizeof(err)) == -1 && err[0],
		      "'%s' accepted (or no message)", bad[i]);
	}
	CHECK(!ctl_parse_attach("utmi", &a) && a == KITE_ATTACH_UTMI, "utmi");
	CHECK(!ctl_parse_attach("line", &a) && a == KITE_ATTACH_LINE, "line");
	CHECK(ctl_parse_attach("usb", &a) == -1 && ctl_parse_attach("", &a) == -1, "bad attach accepted");
}

/* ------------------------------------------------------------------ commands */

/* Run one command; check the result and that the reply starts with want (returns 1 if not). */
static int cmd(struct ctl_ports *p, struct ctl_stats *st, const char *line, int want_rc,
	       const char *want)
{
	char rep[512];
	int rc;

	rep[0] = 0;
	rc = ctl_execute(p, st, line, rep, sizeof(rep));
	if (rc != want_rc)
		return failf("'%s': rc %d want %d (reply '%s')", line, rc, want_rc, rep);
	if (want && strncmp(rep, want, strlen(want)))
		return failf("'%s': reply '%s', want '%s...'", line, rep, want);
	return 0;
}
#define CMD(...) do { if (cmd(__VA_ARGS__)) return; } while (0)

/* `wall` answers the host's clock: between two readings taken around it, with nanoseconds. */
static void wall_cmd(struct ctl_ports *p, struct ctl_stats *st)
{
	struct timespec t0, t1;
	char rep[512], *end;
	double w;

	clock_gettime(CLOCK_REALTIME, &t0);
	CHECK(ctl_execute(p, st, "wall", rep, sizeof(rep)) == 1, "wall: '%s'", rep);
	clock_gettime(CLOCK_REALTIME, &t1);
	CHECK(!strncmp(rep, "ok wall ", 8), "wall: '%s'", rep);
	w = strtod(rep + 8, &end);
	CHECK(!*end && strlen(rep + 8) > 10 && rep[strlen(rep) - 10] == '.', "wall: '%s'", rep);
	CHECK(w >= t0.tv_sec + t0.tv_nsec * 1e-9 - 1e-6 && w <= t1.tv_sec + t1.tv_nsec * 1e-9 + 1e-6,
	      "wall %s outside %lld.%09ld..%lld.%09ld", rep + 8, (long long)t0.tv_sec, t0.tv_nsec,
	      (long long)t1.tv_sec, t1.tv_nsec);
}

/* UTMI linestate the device shows to an idle host (FS J = 1, LS J = 2, nothing = SE0 0). */
static unsigned int utmi_linestate(struct kite_model *m, unsigned int port)
{
	struct kite_port_backend b;
	struct kite_utmi_host h = { .xcvrselect = 1, .termselect = 1 };
	struct kite_utmi_phy ph = { 0 };

	if (!mock_model_port(m, port, &b) || !b.utmi)
		return 99;
	for (int i = 0; i < 8; i++)
		b.utmi(b.ctx, &h, &ph);
	return ph.linestate;
}

static void t_cmd_plug_unplug(void *arg)
{
	struct kite_model *m = mock(KITE_ATTACH_UTMI);
	struct ctl_ports p;
	struct ctl_stats st = { 0 };

	(void)arg;
	CHECK(m, "mock model");
	ctl_ports_init(&p, m, KITE_ATTACH_UTMI);
	do {   /* cmd() and failf() fail the test; stop at the first failure */
		if (cmd(&p, &st, "plug 0 gzero", 1, "ok plug 0 gzero") ||
		    cmd(&p, &st, "  plug   1   kbd:ls=1  \r", 1, "ok plug   1   kbd:ls=1"))
			break;
		if (!mock_model_port(m, 0, NULL) || !p.line_changed) {
			failf("no backend on port 0 / line_changed not set");
			break;
		}
		if (utmi_linestate(m, 0) != 1 || utmi_linestate(m, 1) != 2) {
			failf("linestate port0 %u (want FS J 1), port1 %u (want LS J 2)", utmi_linestate(m, 0),
			      utmi_linestate(m, 1));
			break;
		}
		if (cmd(&p, &st, "plug 0 msc", -1, "error plug 0 msc: port 0 already has a device (gzero)") ||
		    cmd(&p, &st, "plug 2 gzero", -1, "error plug 2 gzero: port 2 does not exist on this controller") ||
		    cmd(&p, &st, "plug 15 gzero", -1, "error plug 15 gzero: bad port number") ||
		    cmd(&p, &st, "plug 0", -1, "error plug 0: usage: plug N DEVICE") ||
		    cmd(&p, &st, "plug x gzero", -1, "error plug x gzero: bad port number 'x'") ||
		    cmd(&p, &st, "plug 0 gzero:pattern=7", -1, "error plug 0 gzero:pattern=7: gzero: bad value") ||
		    cmd(&p, &st, "unplug 0", 1, "ok unplug 0"))
			break;
		if (utmi_linestate(m, 0) != 0 || !mock_model_port(m, 0, NULL)) {
			failf("after unplug: linestate %u (want SE0), backend kept %d", utmi_linestate(m, 0),
			      mock_model_port(m, 0, NULL));
			break;
		}
		if (cmd(&p, &st, "unplug 0", -1, "error unplug 0: port 0 has no device") ||
		    cmd(&p, &st, "unplug", -1, "error unplug: usage") ||
		    cmd(&p, &st, "plug 0 none", 1, "ok plug 0 none") ||
		    cmd(&p, &st, "plug 0 gzero:pattern=1", 1, "ok") ||
		    cmd(&p, &st, "unplug 1", 1, "ok"))
			break;
		if (utmi_linestate(m, 0) != 1 || utmi_linestate(m, 1) != 0) {
			failf("after replug: linestate %u/%u", utmi_linestate(m, 0), utmi_linestate(m, 1));
			break;
		}
		if (st.plugs != 4 || st.unplugs != 2 || st.errors != 8 || st.commands != 14)
			failf("stats plugs %llu unplugs %llu errors %llu commands %llu", (unsigned long long)st.plugs,
			      (unsigned long long)st.unplugs, (unsigned long long)st.errors,
			      (unsigned long long)st.commands);
	} while (0);
	ctl_ports_fini(&p);
	CHECK(!mock_model_port(m, 0, NULL), "fini left the backend attached");
	kite_model_destroy(m);
}

static void t_cmd_line_attach(void *arg)
{
	struct kite_model *m = mock(KITE_ATTACH_LINE);
	struct ctl_ports p;
	struct ctl_stats st = { 0 };
	struct kite_port_backend b;
	struct kite_line_host h = { .pulldown = 1 };
	struct kite_line_bus bus = { 9, 9 };

	(void)arg;
	CHECK(m && mock_model_attach(m) == KITE_ATTACH_LINE, "mock model");
	ctl_ports_init(&p, m, KITE_ATTACH_LINE);
	CMD(&p, &st, "plug 1 gzero", 1, "ok");
	CHECK(mock_model_port(m, 1, &b) && b.line && !b.utmi, "port 1 has no line backend");
	for (int i = 0; i < 4; i++)
		b.line(b.ctx, &h, &bus);
	CHECK(bus.dp == 1 && bus.dm == 0, "FS device on the line: dp %u dm %u (want J: 1 0)", bus.dp, bus.dm);
	CMD(&p, &st, "unplug 1", 1, "ok");
	for (int i = 0; i < 4; i++)
		b.line(b.ctx, &h, &bus);
	CHECK(bus.dp == 0 && bus.dm == 0, "after unplug: dp %u dm %u (want SE0)", bus.dp, bus.dm);
	ctl_ports_fini(&p);
	kite_model_destroy(m);
}

static void t_cmd_fault_type_sync(void *arg)
{
	struct kite_model *m = mock(KITE_ATTACH_UTMI);
	struct ctl_ports p;
	struct ctl_stats st = { 0 };

	(void)arg;
	CHECK(m, "mock model");
	ctl_ports_init(&p, m, KITE_ATTACH_UTMI);
	CMD(&p, &st, "plug 0 gzero", 1, "ok");
	CMD(&p, &st, "plug 1 kbd", 1, "ok");
	p.line_changed = false;
	CMD(&p, &st, "fault 0 0x81 nak 3", 1, "ok fault 0 0x81 nak 3");
	CHECK(p.dev[0]->ep[1][1].fault[USBDEV_FAULT_NAK] == 3 && p.line_changed, "NAK count not set on EP1 IN");
	CMD(&p, &st, "fault 0 0x02 stall 1", 1, "ok");
	CHECK(p.dev[0]->ep[0][2].halted, "EP2 OUT not halted");
	CMD(&p, &st, "fault 0 2 none 0", 1, "ok");
	CHECK(!p.dev[0]->ep[0][2].halted, "EP2 OUT still halted after none");
	CMD(&p, &st, "fault 0 0x81 disconnect 2", 1, "ok");
	CHECK(p.dev[0]->ep[1][1].disc_armed, "disconnect not armed");
	CMD(&p, &st, "fault 0 0x81 bogus 1", -1, "error fault 0 0x81 bogus 1: unknown fault 'bogus'");
	CMD(&p, &st, "fault 0 0x91 nak 1", -1, "error fault 0 0x91 nak 1: bad endpoint address");
	CMD(&p, &st, "fault 0 0x100 nak 1", -1, "error fault 0 0x100 nak 1: bad endpoint address");
	CMD(&p, &st, "fault 0 0x81 nak -1", -1, "error fault 0 0x81 nak -1: bad count");
	CMD(&p, &st, "fault 0 0x81 nak", -1, "error fault 0 0x81 nak: usage: fault N EP FAULT COUNT");
	CMD(&p, &st, "fault 3 0x81 nak 1", -1, "error fault 3 0x81 nak 1: port 3 has no device");

	unsigned int before = usbdev_kbd_pending(p.dev[1]);

	CMD(&p, &st, "type 1 Hi there\\n", 1, "ok type 1 Hi there\\n");
	/* 9 characters, a press and a release report each */
	CHECK(usbdev_kbd_pending(p.dev[1]) == before + 18, "kbd pending %u, want %u",
	      usbdev_kbd_pending(p.dev[1]), before + 18);
	CMD(&p, &st, "type 1 a\\sb", 1, "ok");
	CMD(&p, &st, "type 0 abc", -1, "error type 0 abc: port 0 has a gzero, not a kbd");
	CMD(&p, &st, "type 2 abc", -1, "error type 2 abc: port 2 has no device");
	CMD(&p, &st, "type 1", -1, "error type 1: usage: type N TEXT");
	CMD(&p, &st, "type 1 a\\q", -1, "error type 1 a\\q: unknown escape");
	CMD(&p, &st, "type 1 ab\\", -1, "error type 1 ab\\: text ends with a lone backslash");
	CMD(&p, &st, "type 1 caf\xc3\xa9", -1, "error type 1 caf");
	CMD(&p, &st, "type 1 a b c d e f g h i", 1, "ok");

	CMD(&p, &st, "sync tok-42", 1, "ok tok-42");
	CMD(&p, &st, "counters", -1, "error counters: no counters in this simulator");
	CMD(&p, &st, "sync", -1, "error sync: usage: sync TOKEN");
	CMD(&p, &st, "wall 1", -1, "error wall 1: usage: wall");
	wall_cmd(&p, &st);
	CMD(&p, &st, "sync a b", -1, "error sync a b: usage");
	CMD(&p, &st, "frobnicate 1", -1, "error frobnicate 1: unknown command 'frobnicate'");
	CMD(&p, &st, "plug 0 gzero 1 2 3 4 5", -1, "error plug 0 gzero 1 2 3 4 5: too many arguments");
	CMD(&p, &st, "", 0, NULL);
	CMD(&p, &st, "   \t ", 0, NULL);
	CMD(&p, &st, "# a comment", 0, NULL);
	CHECK(st.faults == 4 && st.types == 3 && st.syncs == 1, "stats faults %llu types %llu syncs %llu",
	      (unsigned long long)st.faults, (unsigned long long)st.types, (unsigned long long)st.syncs);
	ctl_ports_fini(&p);
	kite_model_destroy(m);
}

/* ------------------------------------------------------------------ channel */

static int wr(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

static void t_chan_fifo(void *arg)
{
	struct kite_model *m = mock(KITE_ATTACH_UTMI);
	struct ctl_ports p;
	struct ctl_chan c;
	char path[128], rpath[128], buf[4096], longline[3000];
	struct stat sb;
	int w, n1, n2, n3, n4, n5;

	(void)arg;
	CHECK(m, "mock model");
	mk_tmpdir();
	tpath(path, sizeof(path), "ctl");
	tpath(rpath, sizeof(rpath), "ctl.reply");
	ctl_ports_init(&p, m, KITE_ATTACH_UTMI);
	CHECK(!ctl_open(&c, path, NULL), "ctl_open: %s", kb_log_last);
	CHECK(!stat(path, &sb) && S_ISFIFO(sb.st_mode), "%s is not a FIFO", path);
	CHECK(ctl_poll_fd(&c) >= 0, "no poll fd for a FIFO");
	CHECK(ctl_poll(&c, &p) == 0, "commands from an empty FIFO");
	w = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "open the FIFO for writing: %s", strerror(errno));
	/* a command split across writes, two in one write */
	CHECK(!wr(w, "plug 0 gz"), "write");
	n1 = ctl_poll(&c, &p);
	CHECK(!wr(w, "ero\nunplug 0\nsync one\n"), "write");
	n2 = ctl_poll(&c, &p);
	close(w);
	/* the last writer went away: no EOF (our own writer), nothing to read */
	n3 = ctl_poll(&c, &p);
	w = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "reopen the FIFO for writing: %s", strerror(errno));
	memset(longline, 'x', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = 0;
	CHECK(!wr(w, longline) && write(w, "sync a\0b\n", 9) == 9 && !wr(w, "bogus\n\nsync two\n"), "write");
	n4 = ctl_poll(&c, &p);
	n5 = ctl_poll(&c, &p);
	close(w);
	read_file(rpath, buf, sizeof(buf));
	ctl_close(&c);
	ctl_ports_fini(&p);
	kite_model_destroy(m);
	rm_tmpdir();
	CHECK(n1 == 0 && n2 == 3 && n3 == 0 && n4 == 4 && n5 == 0, "handled %d %d %d %d %d, want 0 3 0 4 0",
	      n1, n2, n3, n4, n5);
	CHECK(!strcmp(buf, "ok plug 0 gzero\nok unplug 0\nok one\nerror command line too long\n"
		      "error NUL byte in command line\nerror bogus: unknown command 'bogus' (plug, unplug, "
		      "fault, type, sync, counters, wall)\nok two\n"), "reply file:\n%s", buf);
	CHECK(c.st.commands == 7 && c.st.errors == 3, "stats commands %llu errors %llu",
	      (unsigned long long)c.st.commands, (unsigned long long)c.st.errors);
}

static void t_chan_regular_file(void *arg)
{
	struct kite_model *m = mock(KITE_ATTACH_UTMI);
	struct ctl_ports p;
	struct ctl_chan c;
	char path[128], rpath[128], buf[4096];
	int w, n1, n2, n3, n4;

	(void)arg;
	CHECK(m, "mock model");
	mk_tmpdir();
	tpath(path, sizeof(path), "cmds");
	tpath(rpath, sizeof(rpath), "replies");
	w = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	CHECK(w >= 0, "create %s", path);
	ctl_ports_init(&p, m, KITE_ATTACH_UTMI);
	CHECK(!ctl_open(&c, path, rpath), "ctl_open: %s", kb_log_last);
	CHECK(ctl_poll_fd(&c) == -1, "a regular file must not be polled");
	CHECK(!wr(w, "plug 1 kbd\nsync a\ntype 1 x"), "write");
	n1 = ctl_poll(&c, &p);
	CHECK(!wr(w, "y\n"), "write");
	n2 = ctl_poll(&c, &p);
	n3 = ctl_poll(&c, &p);
	/* truncated by its writer: read from the start again */
	CHECK(!ftruncate(w, 0) && !wr(w, "sync b\n"), "truncate");
	n4 = ctl_poll(&c, &p);
	close(w);
	read_file(rpath, buf, sizeof(buf));
	ctl_close(&c);
	ctl_ports_fini(&p);
	kite_model_destroy(m);
	rm_tmpdir();
	CHECK(n1 == 2 && n2 == 1 && n3 == 0 && n4 == 1, "handled %d %d %d %d, want 2 1 0 1", n1, n2, n3, n4);
	CHECK(!strcmp(buf, "ok plug 1 kbd\nok a\nok type 1 xy\nok b\n"), "reply file:\n%s", buf);
}

static void t_chan_open_errors(void *arg)
{
	struct ctl_chan c;
	char path[128], rpath[160];
	int rc1, rc2, rc3;

	(void)arg;
	mk_tmpdir();
	rc1 = ctl_open(&c, tmpdir, NULL);                 /* a directory */
	tpath(path, sizeof(path), "nodir/ctl");
	rc2 = ctl_open(&c, path, NULL);                   /* cannot mkfifo */
	tpath(path, sizeof(path), "ctl");
	snprintf(rpath, sizeof(rpath), "%s/nodir/reply", tmpdir);
	rc3 = ctl_open(&c, path, rpath);                  /* reply file cannot be created */
	rm_tmpdir();
	CHECK(rc1 == -1 && rc2 == -1 && rc3 == -1, "ctl_open accepted a bad path: %d %d %d", rc1, rc2, rc3);
	CHECK(c.fd == -1 && c.dummy_fd == -1 && c.reply_fd == -1, "fds left open after a failed open");
}

/* ------------------------------------------------------------------ the kite-sim process */

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Exit status of pid within ms, or -1 (then it is killed). */
static int wait_exit(pid_t pid, int ms)
{
	int status;

	for (int i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static bool wait_for(const char *path, const char *text, int ms)
{
	char buf[8192];

	for (int i = 0; i < ms / 10; i++) {
		read_file(path, buf, sizeof(buf));
		if (strstr(buf, text))
			return true;
		usleep(10000);
	}
	return false;
}

static double cpu_s(pid_t pid)
{
	char path[64], buf[1024], *s;
	unsigned long ut = 0, st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	read_file(path, buf, sizeof(buf));
	s = strrchr(buf, ')');
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void t_process_options(void *arg)
{
	static const struct { const char *a, *b, *c, *want; } bad[] = {
		{ "--port", "0=foo", NULL, "bad value for --port: unknown device 'foo'" },
		{ "--attach", "usb", NULL, "bad value for --attach: usb" },
		{ "--port", "0=gzero", "0=kbd", "--port 0 given twice" },
		{ "--port", "5=gzero", NULL, "port 5 does not exist on this controller" },
		{ "--control-reply", "/x", NULL, "usage" },
	};
	char sock[128], log[128], buf[4096];

	(void)arg;
	if (!sim_bin) {
		kt_fail("no kite-sim binary given (usage: test_control KITE_SIM_MOCK)");
		return;
	}
	mk_tmpdir();
	tpath(sock, sizeof(sock), "s");
	tpath(log, sizeof(log), "log");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { (char *)sim_bin, "--socket", sock, (char *)bad[i].a, (char *)bad[i].b,
				 bad[i].c ? "--port" : NULL, (char *)bad[i].c, NULL };
		int rc = wait_exit(spawn(argv, log), 5000);

		read_file(log, buf, sizeof(buf));
		if (rc != 2 || !strstr(buf, bad[i].want)) {
			rm_tmpdir();
			CHECK(0, "%s %s: exit %d, want 2 with '%s'; output: %s", bad[i].a, bad[i].b, rc,
			      bad[i].want, buf);
		}
	}
	rm_tmpdir();
}

static void t_process_control(void *arg)
{
	char sock[128], log[128], ctl[128], rep[160], buf[8192];
	char *argv[] = { (char *)sim_bin, "--socket", sock, "--attach", "line", "--port", "0=gzero:pattern=1",
			 "--control", ctl, NULL };
	pid_t pid;
	int w, rc;
	double cpu0, cpu1;
	bool up, r1, r2;

	(void)arg;
	if (!sim_bin) {
		kt_fail("no kite-sim binary given (usage: test_control KITE_SIM_MOCK)");
		return;
	}
	mk_tmpdir();
	tpath(sock, sizeof(sock), "s");
	tpath(log, sizeof(log), "log");
	tpath(ctl, sizeof(ctl), "ctl");
	snprintf(rep, sizeof(rep), "%s.reply", ctl);
	pid = spawn(argv, log);
	up = wait_for(log, "listening on", 5000);
	w = up ? open(ctl, O_WRONLY | O_NONBLOCK) : -1;
	/* no frontend connected yet: commands are served anyway */
	r1 = w >= 0 && !wr(w, "unplug 0\nplug 0 gzero\nplug 1 kbd\nplug 1 msc:blocks=64\nfault 1 0x81 stall 1\n"
			     "type 1 hello\\n\ncounters\nbogus\nsync t1\n") && wait_for(rep, "ok t1\n", 5000);
	if (w >= 0)
		close(w);
	/* the writer is gone: the loop must not spin on EOF */
	usleep(200000);
	cpu0 = cpu_s(pid);
	usleep(500000);
	cpu1 = cpu_s(pid);
	w = open(ctl, O_WRONLY | O_NONBLOCK);
	r2 = w >= 0 && !wr(w, "sync t2\n") && wait_for(rep, "ok t2\n", 5000);
	if (w >= 0)
		close(w);
	kill(pid, SIGTERM);
	rc = wait_exit(pid, 5000);
	read_file(rep, buf, sizeof(buf));
	char replies[8192];

	memcpy(replies, buf, sizeof(buf));
	read_file(log, buf, sizeof(buf));
	rm_tmpdir();
	CHECK(up, "kite-sim did not start: %s", buf);
	CHECK(r1 && r2, "no reply to sync t1 (%d) / t2 (%d); replies:\n%s\nlog:\n%s", r1, r2, replies, buf);
	CHECK(!strcmp(replies, "ok unplug 0\nok plug 0 gzero\nok plug 1 kbd\nerror plug 1 msc:blocks=64: port 1 "
		      "already has a device (kbd): unplug it first\nok fault 1 0x81 stall 1\nok type 1 hello\\n\n"
		      "ok counters mmio_reads=0 mmio_writes=0 irqs=0 irq_resends=0\n"
		      "error bogus: unknown command 'bogus' (plug, unplug, fault, type, sync, counters, "
		      "wall)\n"
		      "ok t1\nok t2\n"),
	      "replies:\n%s", replies);
	CHECK(cpu0 >= 0 && cpu1 - cpu0 < 0.25, "kite-sim used %.2f s CPU in 0.5 s idle", cpu1 - cpu0);
	CHECK(rc == 0, "exit status %d after SIGTERM; log:\n%s", rc, buf);
	CHECK(strstr(buf, "port 0: gzero attached (line)"), "no attach message; log:\n%s", buf);
	CHECK(strstr(buf, "ctl_commands=10 ctl_errors=2 ctl_plugs=2 ctl_unplugs=1 ctl_faults=1 ctl_types=1 "
		      "ctl_syncs=2"), "stats line lacks the control counters; log:\n%s", buf);
}

static const struct kt_case tests[] = {
	{ "ctl-parse-device", t_parse_device_good },
	{ "ctl-parse-device-bad", t_parse_device_bad },
	{ "ctl-parse-port-attach", t_parse_port_arg },
	{ "ctl-cmd-plug-unplug-utmi", t_cmd_plug_unplug },
	{ "ctl-cmd-plug-unplug-line", t_cmd_line_attach },
	{ "ctl-cmd-fault-type-sync", t_cmd_fault_type_sync },
	{ "ctl-chan-fifo", t_chan_fifo },
	{ "ctl-chan-regular-file", t_chan_regular_file },
	{ "ctl-chan-open-errors", t_chan_open_errors },
	{ "ctl-sim-bad-options", t_process_options },
	{ "ctl-sim-control", t_process_control },
};

int main(int argc, char **argv)
{
	kt_init(&argc, argv);
	kb_log_quiet = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			kb_log_quiet = 0;
		else
			sim_bin = argv[i];
	}
	kt_run(tests, KT_ARRAY_SIZE(tests), NULL);
	return kt_finish();
}
