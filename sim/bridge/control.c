// SPDX-License-Identifier: MIT
/* kite-sim's USB devices and control channel: see control.h and docs/bridge.md. */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int errf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Decimal or 0x hex, whole string, <= max. */
static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return (errno || *end || *out > max) ? -1 : 0;
}

const char *ctl_dev_kind_name(enum ctl_dev_kind k)
{
	switch (k) {
	case CTL_DEV_NONE: return "none";
	case CTL_DEV_GZERO: return "gzero";
	case CTL_DEV_KBD: return "kbd";
	case CTL_DEV_MSC: return "msc";
	}
	return "?";
}

int ctl_parse_attach(const char *s, enum kite_attach *a)
{
	if (!strcmp(s, "utmi"))
		*a = KITE_ATTACH_UTMI;
	else if (!strcmp(s, "line"))
		*a = KITE_ATTACH_LINE;
	else
		return -1;
	return 0;
}

/* One `key=val` of a device spec. */
static int device_opt(struct ctl_dev_spec *spec, const char *key, const char *val, char *err,
		      size_t errlen)
{
	unsigned long v;
	const char *dev = ctl_dev_kind_name(spec->kind);

#define NUM(max) do { \
		if (parse_num(val, (max), &v)) \
			return errf(err, errlen, "%s: bad value '%s' for %s (0..%lu)", dev, val, key, \
				    (unsigned long)(max)); \
	} while (0)

	switch (spec->kind) {
	case CTL_DEV_GZERO:
		if (!strcmp(key, "pattern")) {
			NUM(2);
			spec->gz.pattern = (unsigned int)v;
		} else if (!strcmp(key, "intr")) {
			NUM(1);
			spec->gz.intr = v;
		} else if (!strcmp(key, "loopback")) {
			NUM(1);
			spec->gz.loopback_first = v;
		} else if (!strcmp(key, "iso_mps")) {
			NUM(1023);
			spec->gz.iso_mps = (unsigned int)v;
		} else {
			return errf(err, errlen, "gzero has no option '%s' (pattern, intr, loopback, iso_mps)", key);
		}
		return 0;
	case CTL_DEV_KBD:
		if (!strcmp(key, "ls")) {
			NUM(1);
			spec->kbd.low_speed = v;
		} else {
			return errf(err, errlen, "kbd has no option '%s' (ls)", key);
		}
		return 0;
	case CTL_DEV_MSC:
		if (!strcmp(key, "blocks")) {
			NUM(4194304);
			if (v == 0)
				return errf(err, errlen, "msc: blocks must be at least 1");
			spec->msc.blocks = (unsigned int)v;
		} else {
			return errf(err, errlen, "msc has no option '%s' (blocks)", key);
		}
		return 0;
	case CTL_DEV_NONE:
		break;
	}
#undef NUM
	return errf(err, errlen, "%s takes no options", dev);
}

int ctl_parse_device(const char *s, struct ctl_dev_spec *spec, char *err, size_t errlen)
{
	char buf[CTL_LINE_MAX];
	char *opts, *item, *save = NULL;
	size_t n = strlen(s);

	memset(spec, 0, sizeof(*spec));
	if (n >= sizeof(buf))
		return errf(err, errlen, "device spec too long");
	memcpy(buf, s, n + 1);
	opts = strchr(buf, ':');
	if (opts)
		*opts++ = 0;
	if (!strcmp(buf, "gzero"))
		spec->kind = CTL_DEV_GZERO;
	else if (!strcmp(buf, "kbd"))
		spec->kind = CTL_DEV_KBD;
	else if (!strcmp(buf, "msc"))
		spec->kind = CTL_DEV_MSC;
	else if (!strcmp(buf, "none"))
		spec->kind = CTL_DEV_NONE;
	else
		return errf(err, errlen, "unknown device '%s' (gzero, kbd, msc, none)", buf);
	if (!opts)
		return 0;
	if (!*opts)
		return errf(err, errlen, "empty option list after '%s:'", buf);
	/* strtok_r would merge empty items (a,,b): check them first. */
	if (strstr(opts, ",,") || opts[strlen(opts) - 1] == ',' || opts[0] == ',')
		return errf(err, errlen, "empty option in '%s'", opts);
	for (item = strtok_r(opts, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		if (!eq || eq == item || !eq[1])
			return errf(err, errlen, "option '%s' is not key=value", item);
		*eq = 0;
		if (device_opt(spec, item, eq + 1, err, errlen))
			return -1;
	}
	return 0;
}

int ctl_parse_port_arg(const char *s, unsigned int *port, struct ctl_dev_spec *spec, char *err,
		       size_t errlen)
{
	const char *eq = strchr(s, '=');
	char num[16];
	unsigned long v;

	if (!eq || eq == s || (size_t)(eq - s) >= sizeof(num))
		return errf(err, errlen, "'%s' is not N=DEVICE[:opt=val,...]", s);
	memcpy(num, s, (size_t)(eq - s));
	num[eq - s] = 0;
	if (parse_num(num, CTL_MAX_PORTS - 1, &v))
		return errf(err, errlen, "bad port number '%s' (0..%d)", num, CTL_MAX_PORTS - 1);
	*port = (unsigned int)v;
	return ctl_parse_device(eq + 1, spec, err, errlen);
}

/* ---------------------------------------------------------------- ports */

void ctl_ports_init(struct ctl_ports *p, struct kite_model *m, enum kite_attach attach)
{
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->attach = attach;
}

static struct usbdev *dev_create(const struct ctl_dev_spec *spec)
{
	switch (spec->kind) {
	case CTL_DEV_GZERO: return usbdev_gzero_create(&spec->gz);
	case CTL_DEV_KBD: return usbdev_kbd_create(&spec->kbd);
	case CTL_DEV_MSC: return usbdev_msc_create(&spec->msc);
	case CTL_DEV_NONE: break;
	}
	return NULL;
}

int ctl_ports_plug(struct ctl_ports *p, unsigned int port, const struct ctl_dev_spec *spec,
		   char *err, size_t errlen)
{
	struct usbdev *d;

	if (port >= CTL_MAX_PORTS)
		return errf(err, errlen, "port %u does not exist (0..%d)", port, CTL_MAX_PORTS - 1);
	if (p->dev[port])
		return errf(err, errlen, "port %u already has a device (%s): unplug it first", port,
			    ctl_dev_kind_name(p->kind[port]));
	if (spec->kind == CTL_DEV_NONE)
		return 0;
	if (!p->port[port]) {
		struct usbdev_port *up = usbdev_port_create(p->attach, NULL);
		struct kite_port_backend b;

		if (!up)
			return errf(err, errlen, "cannot create the port attachment");
		b = usbdev_port_backend(up);
		if (kite_model_set_port(p->m, port, &b)) {
			usbdev_port_destroy(up);
			return errf(err, errlen, "port %u does not exist on this controller", port);
		}
		p->port[port] = up;
	}
	d = dev_create(spec);
	if (!d)
		return errf(err, errlen, "cannot create the %s device", ctl_dev_kind_name(spec->kind));
	if (usbdev_attach(p->port[port], d)) {
		usbdev_destroy(d);
		return errf(err, errlen, "cannot attach the %s device", ctl_dev_kind_name(spec->kind));
	}
	p->dev[port] = d;
	p->kind[port] = spec->kind;
	p->line_changed = true;
	return 0;
}

int ctl_ports_unplug(struct ctl_ports *p, unsigned int port, char *err, size_t errlen)
{
	if (port >= CTL_MAX_PORTS)
		return errf(err, errlen, "port %u does not exist (0..%d)", port, CTL_MAX_PORTS - 1);
	if (!p->dev[port])
		return errf(err, errlen, "port %u has no device", port);
	usbdev_detach(p->port[port]);
	usbdev_destroy(p->dev[port]);
	p->dev[port] = NULL;
	p->kind[port] = CTL_DEV_NONE;
	p->line_changed = true;
	return 0;
}

void ctl_ports_fini(struct ctl_ports *p)
{
	for (unsigned int i = 0; i < CTL_MAX_PORTS; i++) {
		if (p->port[i]) {
			kite_model_set_port(p->m, i, NULL);
			usbdev_detach(p->port[i]);
			usbdev_port_destroy(p->port[i]);
			p->port[i] = NULL;
		}
		if (p->dev[i]) {
			usbdev_destroy(p->dev[i]);
			p->dev[i] = NULL;
		}
	}
}

/* ---------------------------------------------------------------- commands */

#define MAX_ARGS 6

/* Split on blanks; *rest[i] points at argument i in the original line (for `type`). */
static int split(char *buf, char **argv, const char **rest, const char *orig)
{
	int n = 0;
	char *s = buf;

	while (n < MAX_ARGS) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		rest[n] = orig + (s - buf);
		argv[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = 0;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	return *s ? MAX_ARGS + 1 : n;
}

/* TEXT of `type`: C escapes \n \r \t \b \e \\ decoded. */
static int unescape(const char *in, char *out, size_t cap, char *err, size_t errlen)
{
	size_t o = 0;

	for (; *in; in++) {
		char ch = *in;

		if (ch == '\\') {
			switch (*++in) {
			case 'n': ch = '\n'; break;
			case 'r': ch = '\r'; break;
			case 't': ch = '\t'; break;
			case 'b': ch = '\b'; break;
			case 'e': ch = 0x1b; break;
			case 's': ch = ' '; break;
			case '\\': ch = '\\'; break;
			case 0: return errf(err, errlen, "text ends with a lone backslash");
			default: return errf(err, errlen, "unknown escape '\\%c' (\\n \\r \\t \\b \\e \\s \\\\)", *in);
			}
		}
		if (o + 1 >= cap)
			return errf(err, errlen, "text too long");
		out[o++] = ch;
	}
	out[o] = 0;
	if (!o)
		return errf(err, errlen, "empty text");
	return 0;
}

static int port_arg(const char *s, unsigned long *port, char *err, size_t errlen)
{
	if (parse_num(s, CTL_MAX_PORTS - 1, port))
		return errf(err, errlen, "bad port number '%s' (0..%d)", s, CTL_MAX_PORTS - 1);
	return 0;
}

static int fault_by_name(const char *s, enum usbdev_fault *f)
{
	for (int i = 0; i < USBDEV_FAULT_COUNT; i++) {
		if (!strcmp(s, usbdev_fault_name((enum usbdev_fault)i))) {
			*f = (enum usbdev_fault)i;
			return 0;
		}
	}
	return -1;
}

/* 0 ok, -1 error with err set. */
static int run_cmd(struct ctl_ports *p, struct ctl_stats *st, int argc, char **argv,
		   const char **rest, char *info, size_t infolen, char *err, size_t errlen)
{
	const char *cmd = argv[0];
	unsigned long port;

	if (!strcmp(cmd, "counters")) {
		if (argc != 1)
			return errf(err, errlen, "usage: counters");
		if (!p->counters)
			return errf(err, errlen, "no counters in this simulator");
		p->counters(p->counters_arg, info, infolen);
		return 0;
	}
	if (!strcmp(cmd, "wall")) {
		struct timespec ts;

		if (argc != 1)
			return errf(err, errlen, "usage: wall");
		/* The host's clock, for a guest whose own clock is simulated (progress lines). */
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(info, infolen, "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
		return 0;
	}
	if (!strcmp(cmd, "sync")) {
		if (argc != 2)
			return errf(err, errlen, "usage: sync TOKEN");
		st->syncs++;
		return 0;
	}
	if (!strcmp(cmd, "plug")) {
		struct ctl_dev_spec spec;

		if (argc != 3)
			return errf(err, errlen, "usage: plug N DEVICE[:opt=val,...]");
		if (port_arg(argv[1], &port, err, errlen) || ctl_parse_device(argv[2], &spec, err, errlen))
			return -1;
		if (ctl_ports_plug(p, (unsigned int)port, &spec, err, errlen))
			return -1;
		st->plugs++;
		return 0;
	}
	if (!strcmp(cmd, "unplug")) {
		if (argc != 2)
			return errf(err, errlen, "usage: unplug N");
		if (port_arg(argv[1], &port, err, errlen) ||
		    ctl_ports_unplug(p, (unsigned int)port, err, errlen))
			return -1;
		st->unplugs++;
		return 0;
	}
	if (!strcmp(cmd, "fault")) {
		unsigned long ep, count;
		enum usbdev_fault f;

		if (argc != 5)
			return errf(err, errlen, "usage: fault N EP FAULT COUNT");
		if (port_arg(argv[1], &port, err, errlen))
			return -1;
		if (parse_num(argv[2], 0xff, &ep) || (ep & 0x70))
			return errf(err, errlen, "bad endpoint address '%s' (like 0x81, 0x02, 0)", argv[2]);
		if (fault_by_name(argv[3], &f))
			return errf(err, errlen, "unknown fault '%s' (nak, stall, silent, crc, stuff, "
				    "babble, toggle, disconnect, none)", argv[3]);
		if (parse_num(argv[4], 1000000, &count))
			return errf(err, errlen, "bad count '%s' (0..1000000)", argv[4]);
		if (!p->dev[port])
			return errf(err, errlen, "port %lu has no device", port);
		if (usbdev_fault(p->dev[port], (unsigned int)ep, f, (unsigned int)count))
			return errf(err, errlen, "the %s device rejected the fault on endpoint 0x%02lx",
				    ctl_dev_kind_name(p->kind[port]), ep);
		p->line_changed = true;
		st->faults++;
		return 0;
	}
	if (!strcmp(cmd, "type")) {
		char text[CTL_LINE_MAX];
		int rc;

		if (argc < 3)
			return errf(err, errlen, "usage: type N TEXT");
		if (port_arg(argv[1], &port, err, errlen))
			return -1;
		if (!p->dev[port])
			return errf(err, errlen, "port %lu has no device", port);
		if (p->kind[port] != CTL_DEV_KBD)
			return errf(err, errlen, "port %lu has a %s, not a kbd", port,
				    ctl_dev_kind_name(p->kind[port]));
		if (unescape(rest[2], text, sizeof(text), err, errlen))
			return -1;
		rc = usbdev_kbd_type(p->dev[port], text);
		if (rc < 0)
			return errf(err, errlen, "the text has a character the keyboard has no key for");
		st->types++;
		return 0;
	}
	return errf(err, errlen,
		    "unknown command '%s' (plug, unplug, fault, type, sync, counters, wall)", cmd);
}

int ctl_execute(struct ctl_ports *p, struct ctl_stats *st, const char *line, char *reply,
		size_t replylen)
{
	char buf[CTL_LINE_MAX], err[256], info[256] = "";
	char *argv[MAX_ARGS];
	const char *rest[MAX_ARGS];
	size_t n;
	int argc;

	while (*line == ' ' || *line == '\t')
		line++;
	n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		n--;
	if (!n || line[0] == '#')
		return 0;
	st->commands++;
	if (n >= sizeof(buf)) {
		st->errors++;
		snprintf(reply, replylen, "error command too long");
		return -1;
	}
	memcpy(buf, line, n);
	buf[n] = 0;
	char orig[CTL_LINE_MAX];

	memcpy(orig, buf, n + 1);
	argc = split(buf, argv, rest, orig);
	if (argc > MAX_ARGS && strcmp(argv[0], "type")) {
		st->errors++;
		snprintf(reply, replylen, "error %.200s: too many arguments", orig);
		return -1;
	}
	if (run_cmd(p, st, argc > MAX_ARGS ? MAX_ARGS : argc, argv, rest, info, sizeof(info), err,
		    sizeof(err))) {
		st->errors++;
		snprintf(reply, replylen, "error %.200s: %s", orig, err);
		return -1;
	}
	if (!strcmp(argv[0], "sync"))
		snprintf(reply, replylen, "ok %.200s", argv[1]);
	else if (info[0])
		snprintf(reply, replylen, "ok %.40s %.250s", orig, info);
	else
		snprintf(reply, replylen, "ok %.200s", orig);
	return 1;
}

/* ---------------------------------------------------------------- channel */

int ctl_open(struct ctl_chan *c, const char *path, const char *reply_path)
{
	struct stat st;
	char rp[4096];

	memset(c, 0, sizeof(*c));
	c->fd = c->dummy_fd = c->reply_fd = -1;
	if (!reply_path) {
		if (snprintf(rp, sizeof(rp), "%s.reply", path) >= (int)sizeof(rp)) {
			kb_log("control: path too long: %s", path);
			return -1;
		}
		reply_path = rp;
	}
	if (stat(path, &st)) {
		if (errno != ENOENT || mkfifo(path, 0600)) {
			kb_log("control: cannot create the FIFO %s: %s", path, strerror(errno));
			return -1;
		}
		st.st_mode = S_IFIFO;
	}
	if (S_ISFIFO(st.st_mode)) {
		c->is_fifo = true;
		c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		/* Our own writer: the read end never reports EOF when the last client closes. */
		if (c->fd >= 0)
			c->dummy_fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (c->fd < 0 || c->dummy_fd < 0) {
			kb_log("control: cannot open the FIFO %s: %s", path, strerror(errno));
			ctl_close(c);
			return -1;
		}
	} else if (S_ISREG(st.st_mode)) {
		c->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			kb_log("control: cannot open %s: %s", path, strerror(errno));
			return -1;
		}
	} else {
		kb_log("control: %s is neither a FIFO nor a regular file", path);
		return -1;
	}
	c->reply_fd = open(reply_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (c->reply_fd < 0) {
		kb_log("control: cannot create the reply file %s: %s", reply_path, strerror(errno));
		ctl_close(c);
		return -1;
	}
	return 0;
}

void ctl_close(struct ctl_chan *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->dummy_fd >= 0)
		close(c->dummy_fd);
	if (c->reply_fd >= 0)
		close(c->reply_fd);
	c->fd = c->dummy_fd = c->reply_fd = -1;
}

int ctl_poll_fd(const struct ctl_chan *c)
{
	return c->is_fifo ? c->fd : -1;
}

static void reply(struct ctl_chan *c, const char *s)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s\n", s);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1, done = 0;

	buf[len - 1] = '\n';
	while (done < len) {
		ssize_t w = write(c->reply_fd, buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!c->write_failed)
				kb_log("control: cannot write the reply: %s", strerror(errno));
			c->write_failed = true;
			return;
		}
		done += (size_t)w;
	}
}

static int end_of_line(struct ctl_chan *c, struct ctl_ports *p)
{
	char out[512];
	int rc;

	c->line[c->len] = 0;
	if (c->overlong || c->nul) {
		c->st.commands++;
		c->st.errors++;
		snprintf(out, sizeof(out), "error %s", c->overlong ? "command line too long" :
			 "NUL byte in command line");
		rc = -1;
	} else {
		rc = ctl_execute(p, &c->st, c->line, out, sizeof(out));
	}
	c->len = 0;
	c->overlong = c->nul = false;
	if (rc == 0)
		return 0;
	kb_log("control: %s", out);
	reply(c, out);
	return 1;
}

int ctl_poll(struct ctl_chan *c, struct ctl_ports *p)
{
	char chunk[4096];
	int handled = 0;

	if (c->fd < 0)
		return 0;
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = c->is_fifo ? read(c->fd, chunk, sizeof(chunk))
				       : pread(c->fd, chunk, sizeof(chunk), c->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A regular file that shrank (truncated by its writer): start over. */
			if (!c->is_fifo && n == 0) {
				struct stat st;

				if (!fstat(c->fd, &st) && st.st_size < c->off) {
					c->off = 0;
					c->len = 0;
					c->overlong = c->nul = false;
					continue;
				}
			}
			break;
		}
		c->off += n;
		for (ssize_t i = 0; i < n; i++) {
			char ch = chunk[i];

			if (ch == '\n') {
				handled += end_of_line(c, p);
			} else if (c->len + 1 >= sizeof(c->line)) {
				c->overlong = true;
			} else {
				if (!ch)
					c->nul = true;
				c->line[c->len++] = ch;
			}
		}
		if ((size_t)n < sizeof(chunk))
			break;
	}
	return handled;
}
