/* SPDX-License-Identifier: MIT */
/*
 * kite-sim's USB side and control channel (docs/bridge.md, "USB devices and the control
 * channel"): the device models on the controller's root ports (--attach, --port) and a text
 * command channel (--control) through which a test plugs, unplugs, injects faults and types.
 */
#ifndef KITE_BRIDGE_CONTROL_H
#define KITE_BRIDGE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kite_model.h"
#include "usbdev.h"

#define CTL_MAX_PORTS 15        /* CAP.NUM_PORTS is at most 15 */
#define CTL_LINE_MAX 1024       /* longest command line, newline included */

enum ctl_dev_kind { CTL_DEV_NONE = 0, CTL_DEV_GZERO, CTL_DEV_KBD, CTL_DEV_MSC };

/* A device as written on the command line: `gzero:pattern=1,intr=1`, `kbd:ls=1`, `msc`, `none`. */
struct ctl_dev_spec {
	enum ctl_dev_kind kind;
	struct usbdev_gzero_opts gz;
	struct usbdev_kbd_opts kbd;
	struct usbdev_msc_opts msc;
};

/* Parsers: 0, or -1 with a message in err (no trailing newline). */
int ctl_parse_device(const char *s, struct ctl_dev_spec *spec, char *err, size_t errlen);
/* `N=DEVICE[:opt=val,...]` (the --port option). */
int ctl_parse_port_arg(const char *s, unsigned int *port, struct ctl_dev_spec *spec, char *err,
		       size_t errlen);
/* `utmi` or `line` (the --attach option). */
int ctl_parse_attach(const char *s, enum kite_attach *a);
const char *ctl_dev_kind_name(enum ctl_dev_kind k);

/* The root ports' far ends. A port gets its usbdev_port (the backend) at its first plug and
 * keeps it; unplug detaches (pull-up off) and destroys the device. */
struct ctl_ports {
	struct kite_model *m;
	enum kite_attach attach;
	struct usbdev_port *port[CTL_MAX_PORTS];
	struct usbdev *dev[CTL_MAX_PORTS];
	enum ctl_dev_kind kind[CTL_MAX_PORTS];
	bool line_changed;      /* set by plug/unplug/fault: the loop runs the clock for a while */
	/* `counters`: writes the bridge's counters as `key=value ...` (NULL: no counters). */
	void (*counters)(void *arg, char *buf, size_t len);
	void *counters_arg;
};

void ctl_ports_init(struct ctl_ports *p, struct kite_model *m, enum kite_attach attach);
int ctl_ports_plug(struct ctl_ports *p, unsigned int port, const struct ctl_dev_spec *spec,
		   char *err, size_t errlen);
int ctl_ports_unplug(struct ctl_ports *p, unsigned int port, char *err, size_t errlen);
/* Detach every backend from the model and free ports and devices (before kite_model_destroy). */
void ctl_ports_fini(struct ctl_ports *p);

struct ctl_stats {
	uint64_t commands, errors, plugs, unplugs, faults, types, syncs;
};

/*
 * Execute one command line (no newline). The reply line (no newline) goes to reply:
 * `ok TOKEN` for sync, `ok counters key=value...` for counters, `ok wall SECONDS.NANOSECONDS`
 * (the host's CLOCK_REALTIME) for wall, `ok <command>` for the others,
 * `error <command>: <why>`.
 * Returns 1 ok, 0 for an empty or comment line (no reply), -1 error.
 */
int ctl_execute(struct ctl_ports *p, struct ctl_stats *st, const char *line, char *reply,
		size_t replylen);

/* The channel: a FIFO (created if PATH does not exist) or a regular file that is tailed. */
struct ctl_chan {
	int fd;                 /* FIFO read end (non-blocking) or the regular file */
	int dummy_fd;           /* FIFO: our own write end, so that the read end never sees EOF */
	bool is_fifo;
	off_t off;              /* regular file: bytes consumed */
	int reply_fd;           /* O_APPEND; one write() per reply line */
	char line[CTL_LINE_MAX];
	size_t len;
	bool overlong, nul;     /* the current line is too long / holds a NUL byte */
	bool write_failed;
	struct ctl_stats st;
};

/* 0, or -1 after logging why. reply_path NULL: PATH.reply. The reply file is truncated. */
int ctl_open(struct ctl_chan *c, const char *path, const char *reply_path);
/* Read what is available without blocking, execute every complete line, reply. Returns the
 * number of commands executed. */
int ctl_poll(struct ctl_chan *c, struct ctl_ports *p);
/* The fd to add to poll() for a FIFO, else -1 (a regular file is always readable). */
int ctl_poll_fd(const struct ctl_chan *c);
void ctl_close(struct ctl_chan *c);

#endif
