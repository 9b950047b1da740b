// SPDX-License-Identifier: MIT
/*
 * The attachments' fast-forward (kite_port_backend quiet/idle): idle(n) leaves a port as n
 * calls with an idle host would, across the device's suspend; quiet() stops exactly before the
 * remote wake-up K, and is 0 when the next idle answer would differ from the last one or a
 * packet is on its way. Two identical attachments, one called cycle by cycle, one skipped.
 */
#include "port_priv.h"
#include "usbdev_test.h"

struct side {
	struct usbdev_port *p;
	struct usbdev *d;
	struct kite_port_backend be;
	struct kite_utmi_phy o;
	struct kite_line_bus b;
};

static void side_init(struct side *s, enum kite_attach kind)
{
	s->p = usbdev_port_create(kind, NULL);
	s->d = usbdev_gzero_create(NULL);
	s->be = usbdev_port_backend(s->p);
	usbdev_attach(s->p, s->d);
}

static void side_fini(struct side *s)
{
	usbdev_port_destroy(s->p);
	usbdev_destroy(s->d);
}

/* One cycle with the host idle (not driving, no packet); true if the answer is not idle J. */
static bool step(struct side *s)
{
	static const struct kite_utmi_host uh = { 0 };
	static const struct kite_line_host lh = { 0, 0, 0, 1 };

	if (s->be.utmi) {
		s->be.utmi(s->be.ctx, &uh, &s->o);
		return s->o.linestate != 1;
	}
	s->be.line(s->be.ctx, &lh, &s->b);
	return !(s->b.dp && !s->b.dm);
}

static void steps(struct side *s, uint64_t n)
{
	while (n--)
		step(s);
}

/* The port and device state both sides must agree on. */
static bool same(const struct side *a, const struct side *b)
{
	const struct usbdev_port *x = a->p, *y = b->p;

	return x->now == y->now && x->st.cycles == y->st.cycles &&
	       x->st.keepalives == y->st.keepalives && x->se0 == y->se0 && x->idle == y->idle &&
	       x->susp == y->susp && x->wake == y->wake && x->lrx_phase == y->lrx_phase &&
	       a->d->suspended == b->d->suspended && a->d->stats.suspends == b->d->stats.suspends &&
	       !memcmp(&x->last_utmi, &y->last_utmi, sizeof(x->last_utmi)) &&
	       !memcmp(&x->last_line, &y->last_line, sizeof(x->last_line));
}

static void t_suspend(enum kite_attach kind, const char *tag)
{
	struct side a, b;
	uint64_t q;

	if (!kt_begin("idle_%s_suspend", tag))
		return;
	side_init(&a, kind);
	side_init(&b, kind);
	steps(&a, 10);
	steps(&b, 10);
	q = b.be.quiet(b.be.ctx);
	KT_CHECK(q == UINT64_MAX, "quiet %llu with nothing due", (unsigned long long)q);
	/* 200000 cycles: the device suspends at 144000 (3 ms of idle line) */
	steps(&a, 200000);
	b.be.idle(b.be.ctx, 200000);
	KT_CHECK(a.d->suspended && same(&a, &b), "suspended %d/%d, state differs", a.d->suspended,
		 b.d->suspended);
	steps(&a, 1);
	steps(&b, 1);
	KT_CHECK(same(&a, &b), "state differs one cycle later");
	side_fini(&a);
	side_fini(&b);
	kt_end();
}

static void t_wakeup(enum kite_attach kind, const char *tag)
{
	struct side a, b;
	uint64_t q, k, j;

	if (!kt_begin("idle_%s_remote_wakeup", tag))
		return;
	side_init(&a, kind);
	side_init(&b, kind);
	a.d->remote_wakeup_enabled = b.d->remote_wakeup_enabled = true;
	usbdev_remote_wakeup(a.d);
	usbdev_remote_wakeup(b.d);
	steps(&a, 10);
	steps(&b, 10);
	q = b.be.quiet(b.be.ctx);
	/* suspend after 3 ms, then 5 ms suspended: the wake-up starts in cycle q + 1 (the line
	 * attachment drives its K from the cycle after) */
	for (k = 1; k < 1000000 && !step(&a); k++)
		;
	b.be.idle(b.be.ctx, q);
	KT_CHECK(b.be.quiet(b.be.ctx) == 0, "quiet not 0 after skipping what it allowed");
	for (j = 1; j < 3 && !step(&b); j++)
		;
	KT_CHECK(q + j == k && same(&a, &b), "K after %llu idle cycles, after %llu skipped + %llu",
		 (unsigned long long)k, (unsigned long long)q, (unsigned long long)j);
	KT_CHECK(j == (kind == KITE_ATTACH_UTMI ? 1u : 2u), "K %llu cycles after the skip",
		 (unsigned long long)j);
	KT_CHECK(b.be.quiet(b.be.ctx) == 0, "quiet not 0 during the K");
	side_fini(&a);
	side_fini(&b);
	kt_end();
}

static void t_not_quiet(enum kite_attach kind, const char *tag)
{
	struct side s;
	struct kite_utmi_host uh = { 0 };
	struct kite_line_host lh = { 0, 1, 1, 1 };   /* the host drives K: a packet's SYNC */

	if (!kt_begin("idle_%s_not_quiet", tag))
		return;
	s.p = usbdev_port_create(kind, NULL);
	s.d = usbdev_gzero_create(NULL);
	s.be = usbdev_port_backend(s.p);
	steps(&s, 10);
	KT_CHECK(s.be.quiet(s.be.ctx) == UINT64_MAX, "detached: quiet not UINT64_MAX");
	s.be.idle(s.be.ctx, 1000);
	KT_CHECK(s.p->st.cycles == 1010, "detached: %llu cycles counted",
		 (unsigned long long)s.p->st.cycles);
	usbdev_attach(s.p, s.d);
	KT_CHECK(s.be.quiet(s.be.ctx) == 0, "just attached (the last answer was SE0): quiet not 0");
	steps(&s, 10);
	KT_CHECK(s.be.quiet(s.be.ctx) == UINT64_MAX, "attached and idle: quiet not UINT64_MAX");
	if (s.be.utmi) {
		uh.txvalid = 1;
		s.be.utmi(s.be.ctx, &uh, &s.o);
	} else {
		s.be.line(s.be.ctx, &lh, &s.b);
		s.be.line(s.be.ctx, &lh, &s.b);
		s.be.line(s.be.ctx, &lh, &s.b);
	}
	KT_CHECK(s.be.quiet(s.be.ctx) == 0, "a host packet started: quiet not 0");
	side_fini(&s);
	kt_end();
}

int main(int argc, char **argv)
{
	kt_init(&argc, argv);
	t_suspend(KITE_ATTACH_UTMI, "utmi");
	t_suspend(KITE_ATTACH_LINE, "line");
	t_wakeup(KITE_ATTACH_UTMI, "utmi");
	t_wakeup(KITE_ATTACH_LINE, "line");
	t_not_quiet(KITE_ATTACH_UTMI, "utmi");
	t_not_quiet(KITE_ATTACH_LINE, "line");
	return kt_finish();
}
