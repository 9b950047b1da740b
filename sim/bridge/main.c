// SPDX-License-Identifier: MIT
/*
 * kite-sim: the kite RTL model behind a vhost-user virtio_pcidev backend for UML's virt-pci.
 * See docs/bridge.md.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "calendar.h"
#include "control.h"
#include "kite_model.h"
#include "log.h"
#include "pcidev.h"
#include "simtime.h"
#include "unix_socket.h"
#include "vhost_user.h"

/* Bus cycles run after a plug/unplug/fault command (about 200 us at 96 MHz: well past the
 * port's 2.5 us connect/disconnect debounce). */
#define CTL_LINE_CYCLES 20000

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kite-sim --socket PATH [--waves FILE.fst] [--vendor ID] [--device ID]\n"
		"                [--stats] [--ready-fd N] [--batch CYCLES] [--spin-us US]\n"
		"                [--mem-latency CYCLES] [--attach utmi|line]\n"
		"                [--port N=DEVICE[:opt=val,...]]... [--control PATH [--control-reply PATH]]\n"
		"                [--time-travel PATH]\n"
		"  Listens on PATH (a stale socket is replaced), prints \"kite-sim: listening on PATH\"\n"
		"  to stdout (and writes one byte to --ready-fd N if given), accepts one vhost-user\n"
		"  frontend (UML: virtio_uml.device=PATH:1234) and runs until it disconnects or\n"
		"  SIGTERM/SIGINT. Exit status 0, or 1 after a protocol error, 2 on a startup error.\n"
		"  DEVICE: gzero[:pattern=0|1|2,intr=0|1,loopback=0|1,iso_mps=N] | kbd[:ls=0|1] |\n"
		"          msc[:blocks=N] | none\n"
		"  --control PATH: a FIFO (created if missing) or a regular file of commands, one a line:\n"
		"    plug N DEVICE | unplug N | fault N EP FAULT COUNT | type N TEXT | sync TOKEN\n"
		"  replies (ok ... / error ...) are appended to --control-reply (default PATH.reply).\n"
		"  --time-travel PATH: be the time-travel calendar of a UML started with\n"
		"    time-travel=ext:PATH (listened on before the vhost-user socket; UML connects to it\n"
		"    first): the guest's clock runs on the simulated bus time (docs/cosim.md).\n");
}

static int parse_u(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return (errno || !*s || *end || *out > max) ? -1 : 0;
}

/* The control channel's `counters` command: what a guest benchmark needs around a run. */
static void ctl_counters(void *arg, char *buf, size_t len)
{
	const struct pcidev *p = arg;

	snprintf(buf, len, "mmio_reads=%llu mmio_writes=%llu irqs=%llu irq_resends=%llu",
		 (unsigned long long)p->st.mmio_reads, (unsigned long long)p->st.mmio_writes,
		 (unsigned long long)p->st.irqs, (unsigned long long)p->st.irq_resends);
}

static void print_stats(const struct pcidev *p, const struct simtime *t, struct kite_model *m,
			const struct ctl_stats *cs, const char *when)
{
	struct kite_model_stats ms = { 0 };

	kite_model_get_stats(m, &ms);
	fprintf(stderr,
		"kite-sim: stats%s mmio_reads=%llu mmio_writes=%llu memsets=%llu cfg_reads=%llu "
		"cfg_writes=%llu irqs=%llu irq_resends=%llu dma_read_bytes=%llu dma_write_bytes=%llu "
		"dma_errors=%llu bad_requests=%llu reg_errors=%llu cycles=%llu usb_cycles=%llu "
		"usb_cycles_skipped=%llu "
		"ctl_commands=%llu ctl_errors=%llu ctl_plugs=%llu ctl_unplugs=%llu ctl_faults=%llu "
		"ctl_types=%llu ctl_syncs=%llu wall_s=%.3f\n",
		when, (unsigned long long)p->st.mmio_reads, (unsigned long long)p->st.mmio_writes,
		(unsigned long long)p->st.memsets, (unsigned long long)p->st.cfg_reads,
		(unsigned long long)p->st.cfg_writes, (unsigned long long)p->st.irqs,
		(unsigned long long)p->st.irq_resends, (unsigned long long)p->st.dma_read_bytes,
		(unsigned long long)p->st.dma_write_bytes, (unsigned long long)p->st.dma_errors,
		(unsigned long long)p->st.bad_requests, (unsigned long long)p->st.reg_errors,
		(unsigned long long)(ms.cycles > t->cycles ? ms.cycles : t->cycles),
		(unsigned long long)ms.usb_cycles, (unsigned long long)ms.usb_cycles_skipped,
		(unsigned long long)cs->commands,
		(unsigned long long)cs->errors, (unsigned long long)cs->plugs,
		(unsigned long long)cs->unplugs, (unsigned long long)cs->faults,
		(unsigned long long)cs->types, (unsigned long long)cs->syncs, simtime_wall_s(t));
	fflush(stderr);
}

/* 1: socket readable/hung up, 0: nothing, -1: stop. Drains kick fds. */
static int wait_events(struct vu_dev *d, int ctl_fd, int timeout_ms)
{
	struct pollfd pf[2 + VU_NUM_QUEUES];
	int n = 0, rc;

	pf[n++] = (struct pollfd){ .fd = d->sock, .events = POLLIN };
	if (ctl_fd >= 0)	/* the control FIFO only wakes the loop; ctl_poll() reads it */
		pf[n++] = (struct pollfd){ .fd = ctl_fd, .events = POLLIN };
	for (unsigned int i = 0; i < VU_NUM_QUEUES; i++)
		if (d->vq[i].kick_fd >= 0)
			pf[n++] = (struct pollfd){ .fd = d->vq[i].kick_fd, .events = POLLIN };
	rc = poll(pf, (nfds_t)n, timeout_ms);
	if (rc <= 0)
		return 0;
	for (int i = 1; i < n; i++)
		if (pf[i].revents && pf[i].fd != ctl_fd)
			for (unsigned int q = 0; q < VU_NUM_QUEUES; q++)
				if (d->vq[q].kick_fd == pf[i].fd)
					vq_drain_kick(&d->vq[q]);
	return pf[0].revents ? 1 : 0;
}

/* ---------------------------------------------------------------- time-travel mode */

struct tt_ctx {
	struct vu_dev *vu;
	struct pcidev *pd;
	struct simtime *t;
	struct kite_model *model;
	struct ctl_chan *ctl;
	struct ctl_ports *ports;
	struct calendar *cal;
	int lfd;
	const char *sock_path;
	bool periodic_stats;
	uint64_t skipped_ns;     /* idle time jumped over: calendar time without clock cycles */
	uint64_t line_cycles;
	bool was_busy;
	int status;              /* set to 1 by a hook that failed */
};

static void print_cal_stats(const struct calendar *c, const char *when)
{
	fprintf(stderr,
		"kite-sim: time-travel%s sim_ns=%llu runs=%llu waits=%llu requests=%llu gets=%llu "
		"updates=%llu messages=%llu\n", when, (unsigned long long)c->now,
		(unsigned long long)c->st.runs, (unsigned long long)c->st.waits,
		(unsigned long long)c->st.requests, (unsigned long long)c->st.gets,
		(unsigned long long)c->st.updates, (unsigned long long)c->st.messages);
	fflush(stderr);
}

/* The hardware's time on the calendar: clocked bus time plus the idle time jumped over. */
static uint64_t tt_hw_ns(const struct tt_ctx *c)
{
	return c->skipped_ns + kite_model_time_ps(c->model) / 1000;
}

/*
 * Bring the hardware up to calendar time `to`. While the controller is quiet (nothing in flight,
 * only counters counting: kite_model_quiet_cycles) the model skips ahead exactly; while it is
 * idle altogether (not busy, RUN clear) the calendar jumps; otherwise it is clocked in batches,
 * stopping early, at a batch boundary, when the interrupt line changes, so that the guest hears
 * of it at the right time.
 */
static void tt_advance(struct tt_ctx *c, uint64_t to)
{
	bool irq0 = kite_model_irq(c->model);

	while (tt_hw_ns(c) < to) {
		bool busy = kite_model_busy(c->model);
		uint64_t gap = to - tt_hw_ns(c);

		if (!c->pd->irq_recheck) {
			uint64_t quiet = kite_model_quiet_cycles(c->model);
			/* whole usb_clk cycles (20.83 ns) that fit before `to` */
			uint64_t fit = gap * 48 / 1000;

			if (quiet && fit) {
				uint64_t n = quiet < fit ? quiet : fit;

				if (kite_model_skip(c->model, n)) {
					kb_log("time-travel: the model refused to skip %llu cycles",
					       (unsigned long long)n);
					c->status = 1;
					return;
				}
				c->line_cycles = c->line_cycles > 2 * n ? c->line_cycles - 2 * n : 0;
				continue;
			}
		}
		if (!(busy || c->was_busy || c->pd->irq_recheck || c->line_cycles)) {
			c->skipped_ns += gap;
			return;
		}
		/* a 96 MHz bus clock: 10.42 ns a cycle; never far past `to` */
		uint64_t left = gap * 96 / 1000 + 1;
		unsigned int n = left < c->t->batch ? (unsigned int)left : c->t->batch;

		kite_model_tick(c->model, n);
		c->t->cycles += n;
		c->line_cycles = c->line_cycles > n ? c->line_cycles - n : 0;
		c->was_busy = busy;
		if (kite_model_irq(c->model) != irq0 || c->pd->irq_recheck)
			return;
	}
}

static void tt_on_update(void *arg, uint64_t t)
{
	tt_advance(arg, t);
}

static void tt_on_kick(void *arg, unsigned int q)
{
	struct tt_ctx *c = arg;

	/* MMIO is served before the kick is acknowledged: a read's answer is there when the
	 * guest first looks (virt-pci polls with udelay, which costs simulated time). */
	if (q == 0 && pcidev_poll_cmd(c->pd, c->cal->now) < 0)
		c->status = 1;
}

static int tt_on_side(void *arg)
{
	struct tt_ctx *c = arg;

	return cal_serve(c->cal) ? -1 : 0;
}

/* Calls owed to the guest (interrupt messages, completed posted writes): only while it waits,
 * so that each lands at one simulated time. */
static int tt_flush_calls(struct tt_ctx *c)
{
	if (pcidev_irq_update(c->pd, c->cal->now) < 0 || pcidev_poll_cmd(c->pd, c->cal->now) < 0)
		return -1;
	if (!vu_inband(c->vu))
		return 0;
	for (unsigned int q = 0; q < VU_NUM_QUEUES; q++) {
		if (!c->vu->vq[q].inband_pending)
			continue;
		c->vu->vq[q].inband_pending = false;
		if (vu_inband_call(c->vu, q))
			return -1;
	}
	return 0;
}

static int run_time_travel(struct tt_ctx *c)
{
	struct calendar *cal = c->cal;
	uint64_t next_stats = simtime_now_ns() + 5000000000ull;

	/* UML connects the calendar first, while it parses its command line. */
	while (!stop_signal && cal->fd < 0) {
		struct pollfd pf[2] = { { .fd = cal->listen_fd, .events = POLLIN },
					{ .fd = ctl_poll_fd(c->ctl), .events = POLLIN } };

		if (poll(pf, pf[1].fd >= 0 ? 2 : 1, c->ctl->fd >= 0 ? 50 : 200) > 0 && pf[0].revents &&
		    cal_accept(cal))
			return 2;
		ctl_poll(c->ctl, c->ports);
	}
	cal->on_update = tt_on_update;
	cal->arg = c;
	c->vu->on_kick = tt_on_kick;
	c->vu->on_side = tt_on_side;
	c->vu->side_fd = cal->fd;
	c->vu->hook_arg = c;

	while (!stop_signal) {
		int rc;

		if (c->status)
			return c->status;
		if (c->periodic_stats && simtime_now_ns() >= next_stats) {
			print_stats(c->pd, c->t, c->model, &c->ctl->st, "-periodic");
			print_cal_stats(cal, "-periodic");
			next_stats = simtime_now_ns() + 5000000000ull;
		}
		if (!cal->waiting) {
			/* The guest runs: its CPU work takes no simulated time. Serve what it sends. */
			struct pollfd pf[2] = { { .fd = cal->fd, .events = POLLIN },
						{ .fd = c->vu->sock >= 0 ? c->vu->sock : c->lfd,
						  .events = POLLIN } };

			rc = poll(pf, pf[1].fd >= 0 ? 2 : 1, 1000);
			if (rc < 0 && errno != EINTR)
				return 1;
			if (rc <= 0)
				continue;
			if (pf[0].revents) {
				rc = cal_serve(cal);
				if (rc == 1) {
					kb_log("frontend disconnected: the guest closed the calendar socket");
					return 0;
				}
				if (rc)
					return 1;
				continue;
			}
			if (!pf[1].revents)
				continue;
			if (c->vu->sock < 0) {
				int fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC);

				if (fd < 0) {
					kb_log("accept failed: %s", strerror(errno));
					return 2;
				}
				close(c->lfd);
				c->lfd = -1;
				unlink(c->sock_path);
				c->vu->sock = fd;
				kb_log("frontend connected");
				continue;
			}
			rc = vu_process_msg(c->vu);
			if (rc == 1) {
				kb_log("frontend disconnected");
				return 0;
			}
			if (rc < 0) {
				kb_log("protocol error: shutting down");
				return 1;
			}
			continue;
		}

		/* The guest waits for cal->req. Commands it left on the control channel take effect
		 * now, owed calls go out (the guest may then ask to run now), else the hardware
		 * runs up to the requested time. */
		if (ctl_poll(c->ctl, c->ports) > 0 && c->ports->line_changed) {
			c->line_cycles = CTL_LINE_CYCLES;
			c->ports->line_changed = false;
		}
		if (tt_flush_calls(c))
			return 1;
		if (!cal->waiting)
			continue;
		if (cal->req == UINT64_MAX) {
			kb_log("time-travel: the guest waits without a request");
			return 1;
		}
		if (cal->req > cal->now) {
			tt_advance(c, cal->req);
			uint64_t hw = tt_hw_ns(c);

			if (hw > cal->now)
				cal->now = hw < cal->req ? hw : cal->req;
			if (cal->now < cal->req)
				continue;
		}
		if (cal_run(cal, cal->req))
			return 1;
	}
	if (stop_signal)
		kb_log("stopped by signal %d", (int)stop_signal);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "waves", required_argument, NULL, 'w' },
		{ "vendor", required_argument, NULL, 'V' },
		{ "device", required_argument, NULL, 'D' },
		{ "stats", no_argument, NULL, 'S' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' },
		{ "spin-us", required_argument, NULL, 'p' },
		{ "mem-latency", required_argument, NULL, 'l' },
		{ "attach", required_argument, NULL, 'A' },
		{ "port", required_argument, NULL, 'P' },
		{ "control", required_argument, NULL, 'C' },
		{ "control-reply", required_argument, NULL, 'R' },
		{ "time-travel", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *sock_path = NULL, *waves = NULL, *ctl_path = NULL, *ctl_reply = NULL;
	const char *tt_path = NULL;
	enum kite_attach attach = KITE_ATTACH_UTMI;
	struct ctl_dev_spec port_spec[CTL_MAX_PORTS];
	bool port_given[CTL_MAX_PORTS] = { false };
	char err[256];
	unsigned long vendor = 0x10ee, device = 0x4b49, batch = 64, spin_us = 2000, mem_latency = 8;
	long ready_fd = -1;
	bool periodic_stats = false;
	int c, status = 0;
	pid_t parent = getppid();

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		unsigned long v;

		switch (c) {
		case 's': sock_path = optarg; break;
		case 'w': waves = optarg; break;
		case 'S': periodic_stats = true; break;
		case 'C': ctl_path = optarg; break;
		case 'R': ctl_reply = optarg; break;
		case 'T': tt_path = optarg; break;
		case 'A':
			if (ctl_parse_attach(optarg, &attach)) {
				fprintf(stderr, "kite-sim: bad value for --attach: %s (utmi or line)\n", optarg);
				return 2;
			}
			break;
		case 'P': {
			struct ctl_dev_spec spec;
			unsigned int port;

			if (ctl_parse_port_arg(optarg, &port, &spec, err, sizeof(err))) {
				fprintf(stderr, "kite-sim: bad value for --port: %s\n", err);
				return 2;
			}
			if (port_given[port]) {
				fprintf(stderr, "kite-sim: --port %u given twice\n", port);
				return 2;
			}
			port_given[port] = true;
			port_spec[port] = spec;
			break;
		}
		case 'V': case 'D': case 'r': case 'b': case 'p': case 'l':
			if (parse_u(optarg, c == 'V' || c == 'D' ? 0xffff : c == 'r' ? 65535 : 100000000, &v) ||
			    (c == 'b' && v == 0)) {
				fprintf(stderr, "kite-sim: bad value for --%s: %s\n",
					c == 'V' ? "vendor" : c == 'D' ? "device" : c == 'r' ? "ready-fd" :
					c == 'b' ? "batch" : c == 'p' ? "spin-us" : "mem-latency", optarg);
				return 2;
			}
			if (c == 'V') vendor = v;
			else if (c == 'D') device = v;
			else if (c == 'r') ready_fd = (long)v;
			else if (c == 'b') batch = v;
			else if (c == 'p') spin_us = v;
			else mem_latency = v;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!sock_path || optind != argc || (ctl_reply && !ctl_path)) {
		usage(stderr);
		return 2;
	}

	/* Never outlive the launcher. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return 2;
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct vu_dev vu;
	static struct pcidev pd;
	struct simtime t;

	simtime_init(&t);
	t.batch = (unsigned int)batch;
	t.spin_ns = (uint64_t)spin_us * 1000;
	vu_init(&vu, -1);
	pcidev_init(&pd, &vu, (uint16_t)vendor, (uint16_t)device);
	pd.irq_resend_ns = t.irq_resend_ns;

	struct kite_model_config mc = { .trace_path = waves, .mem_latency = (unsigned int)mem_latency,
					.attach = attach };
	struct kite_mem_ops mops = pcidev_mem_ops(&pd);
	struct kite_model *model = kite_model_create(&mc, &mops);

	if (!model) {
		kb_log("cannot create the RTL model%s%s", waves ? " with waves " : "", waves ? waves : "");
		return 2;
	}
	pcidev_set_model(&pd, model);

	static struct ctl_ports ports;
	static struct ctl_chan ctl = { .fd = -1, .dummy_fd = -1, .reply_fd = -1 };

	ctl_ports_init(&ports, model, attach);
	ports.counters = ctl_counters;
	ports.counters_arg = &pd;
	for (unsigned int i = 0; i < CTL_MAX_PORTS; i++) {
		if (!port_given[i])
			continue;
		if (ctl_ports_plug(&ports, i, &port_spec[i], err, sizeof(err))) {
			kb_log("--port %u: %s", i, err);
			ctl_ports_fini(&ports);
			kite_model_destroy(model);
			return 2;
		}
		if (port_spec[i].kind != CTL_DEV_NONE)
			kb_log("port %u: %s attached (%s)", i, ctl_dev_kind_name(port_spec[i].kind),
			       attach == KITE_ATTACH_LINE ? "line" : "utmi");
	}
	if (ctl_path && ctl_open(&ctl, ctl_path, ctl_reply)) {
		ctl_ports_fini(&ports);
		kite_model_destroy(model);
		return 2;
	}

	static struct calendar cal;

	cal_init(&cal);
	vu.offer_inband = tt_path != NULL;

	int lfd = unix_listen(sock_path);

	if (lfd < 0 || (tt_path && cal_listen(&cal, tt_path))) {
		if (lfd >= 0)
			close(lfd);
		ctl_close(&ctl);
		ctl_ports_fini(&ports);
		kite_model_destroy(model);
		return 2;
	}
	if (tt_path)
		kb_log("time-travel calendar on (%s): the guest's clock is the simulated bus time",
		       tt_path);
	printf("kite-sim: listening on %s\n", sock_path);
	fflush(stdout);
	if (ready_fd >= 0) {
		if (write((int)ready_fd, "R", 1) != 1)
			kb_log("cannot write to --ready-fd %ld: %s", ready_fd, strerror(errno));
		close((int)ready_fd);
	}

	int cfd = -1;

	if (tt_path) {
		struct tt_ctx tc = { .vu = &vu, .pd = &pd, .t = &t, .model = model, .ctl = &ctl,
				     .ports = &ports, .cal = &cal, .lfd = lfd, .sock_path = sock_path,
				     .periodic_stats = periodic_stats };

		status = run_time_travel(&tc);
		cfd = vu.sock;
		goto out;
	}

	/* Control commands are served while waiting too (devices can be plugged before boot). */
	while (!stop_signal) {
		struct pollfd pf[2] = { { .fd = lfd, .events = POLLIN },
					{ .fd = ctl_poll_fd(&ctl), .events = POLLIN } };

		if (poll(pf, pf[1].fd >= 0 ? 2 : 1, ctl.fd >= 0 ? 50 : 200) > 0 && pf[0].revents) {
			cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (cfd >= 0 || (errno != EINTR && errno != EAGAIN))
				break;
		}
		ctl_poll(&ctl, &ports);
	}
	close(lfd);
	unlink(sock_path);
	if (cfd < 0) {
		if (!stop_signal) {
			kb_log("accept failed: %s", strerror(errno));
			status = 2;
		}
		goto out;
	}
	/* A frontend that stops in the middle of a message must not hang us. */
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	vu.sock = cfd;
	kb_log("frontend connected");

	uint64_t last_check = 0, next_stats = simtime_now_ns() + 5000000000ull;
	bool was_busy = false;
	/* Cycles to run after a plug/unplug/fault even if the RTL is idle, so that the port sees
	 * the line change (debounce) and raises its status change. */
	uint64_t line_cycles = 0;

	while (!stop_signal) {
		uint64_t now = simtime_now_ns();
		int n = pcidev_poll_cmd(&pd, now), ev;

		if (n < 0) {
			status = 1;
			break;
		}
		if (n > 0)
			simtime_activity(&t);
		bool busy = kite_model_busy(model);
		bool spin = simtime_should_spin(&t, busy) || pd.irq_recheck || line_cycles;

		/* The clock runs while the RTL is busy, for one more batch after it stops being busy
		 * (its completion status and interrupt settle a few cycles after `busy` falls), and
		 * once after an MMIO write so the interrupt line settles; otherwise the loop only
		 * polls the rings. */
		if (busy || was_busy || pd.irq_recheck || line_cycles) {
			simtime_advance(&t, model);
			line_cycles = line_cycles > t.batch ? line_cycles - t.batch : 0;
		}
		was_busy = busy;
		if (pcidev_irq_update(&pd, now) < 0) {
			status = 1;
			break;
		}
		/* While spinning, look at the socket and kick fds about once a millisecond. */
		if (spin && now - last_check < 1000000)
			continue;
		last_check = now;
		ev = wait_events(&vu, ctl_poll_fd(&ctl), spin ? 0 : simtime_idle_timeout_ms(&t));
		if (ctl_poll(&ctl, &ports) > 0)
			simtime_activity(&t);
		if (ports.line_changed) {
			line_cycles = CTL_LINE_CYCLES;
			ports.line_changed = false;
		}
		if (ev == 1) {
			int rc = vu_process_msg(&vu);

			if (rc == 1) {
				kb_log("frontend disconnected");
				break;
			}
			if (rc < 0) {
				kb_log("protocol error: shutting down");
				status = 1;
				break;
			}
			simtime_activity(&t);
		}
		if (periodic_stats && now >= next_stats) {
			print_stats(&pd, &t, model, &ctl.st, "-periodic");
			next_stats = now + 5000000000ull;
		}
	}
	if (stop_signal)
		kb_log("stopped by signal %d", (int)stop_signal);
out:
	print_stats(&pd, &t, model, &ctl.st, "");
	if (tt_path)
		print_cal_stats(&cal, "");
	cal_close(&cal);
	vu_cleanup(&vu);
	if (cfd >= 0)
		close(cfd);
	ctl_close(&ctl);
	ctl_ports_fini(&ports);
	kite_model_destroy(model);
	return status;
}
