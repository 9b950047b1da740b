// SPDX-License-Identifier: MIT
/*
 * kite_test: the one test harness of every kite test binary (kite_test.h).
 */
#include "kite_test.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char kt_filter[512];
static bool kt_list;
static bool kt_all;
static unsigned int kt_npass, kt_nfail;
static struct {
	bool active;
	bool setup;      /* an unreported setup step (kt_setup) */
	char name[200];
	unsigned int failed;
	char why[400];
} kt_cur;
/* the first failed setup step not yet reported, and its reason */
static struct {
	bool failed;
	char name[200];
	char why[sizeof(kt_cur.name) + sizeof(kt_cur.why) + 16];
} kt_pend;

void kt_set_filter(const char *pattern)
{
	snprintf(kt_filter, sizeof(kt_filter), "%s", pattern ? pattern : "");
}

void kt_init(int *argc, char **argv)
{
	int in, out = 1;

	kt_set_filter(getenv("KT_FILTER"));
	for (in = 1; in < *argc; in++) {
		if (!strcmp(argv[in], "-t") && in + 1 < *argc) {
			kt_set_filter(argv[++in]);
		} else if (!strncmp(argv[in], "--filter=", 9)) {
			kt_set_filter(argv[in] + 9);
		} else if (!strcmp(argv[in], "-l")) {
			kt_list = true;
		} else {
			argv[out++] = argv[in];
		}
	}
	argv[out] = NULL;
	*argc = out;
}

static bool kt_match_one(const char *pat, size_t len, const char *name)
{
	char p[256];

	if (!len || len >= sizeof(p))
		return len == 0;
	memcpy(p, pat, len);
	p[len] = 0;
	if (strpbrk(p, "*?["))
		return fnmatch(p, name, 0) == 0;
	return strstr(name, p) != NULL;
}

static bool kt_selected(const char *name)
{
	const char *p = kt_filter, *comma;

	if (!*p)
		return true;
	for (;;) {
		comma = strchr(p, ',');
		if (kt_match_one(p, comma ? (size_t)(comma - p) : strlen(p), name))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

bool kt_want(const char *name)
{
	if (!kt_all && !kt_selected(name))
		return false;
	if (kt_list) {
		printf("%s\n", name);
		return false;
	}
	return true;
}

bool kt_group_begin(const char *const *names, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= kt_selected(names[i]);
	if (!any)
		return false;
	if (kt_list) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", names[i]);
		return false;
	}
	kt_all = true;
	return true;
}

void kt_group_end(void)
{
	kt_all = false;
}

uint32_t kt_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

bool kt_begin(const char *fmt, ...)
{
	char name[sizeof(kt_cur.name)];
	va_list ap;

	if (kt_cur.active) {
		/* a test left open (an early return) still gets its line */
		kt_end();
	}
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (!kt_want(name))
		return false;
	memcpy(kt_cur.name, name, sizeof(name));
	kt_cur.active = true;
	kt_cur.setup = false;
	kt_cur.failed = 0;
	kt_cur.why[0] = 0;
	if (kt_pend.failed) {
		/* a setup step this test builds on failed */
		kt_pend.failed = false;
		kt_fail("%s", kt_pend.why);
	}
	return true;
}

void kt_setup(const char *fmt, ...)
{
	va_list ap;

	if (kt_cur.active)
		kt_end();
	va_start(ap, fmt);
	vsnprintf(kt_cur.name, sizeof(kt_cur.name), fmt, ap);
	va_end(ap);
	kt_cur.active = true;
	kt_cur.setup = true;
	kt_cur.failed = 0;
	kt_cur.why[0] = 0;
}

static void kt_vfail(const char *fmt, va_list ap)
{
	if (!kt_cur.failed++)
		vsnprintf(kt_cur.why, sizeof(kt_cur.why), fmt, ap);
}

void kt_fail(const char *fmt, ...)
{
	va_list ap;

	if (!kt_cur.active) {
		/* a check outside any test: report it under a name of its own, whatever the filter
		 * says (a failure is never silent) */
		bool all = kt_all;

		kt_all = true;
		kt_begin("%s", "outside-any-test");
		kt_all = all;
	}
	va_start(ap, fmt);
	kt_vfail(fmt, ap);
	va_end(ap);
}

bool kt_failed(void)
{
	return kt_cur.active && kt_cur.failed;
}

bool kt_end(void)
{
	bool ok;

	if (!kt_cur.active)
		return true;
	ok = !kt_cur.failed;
	if (kt_cur.setup) {
		if (!ok && !kt_pend.failed) {
			kt_pend.failed = true;
			memcpy(kt_pend.name, kt_cur.name, sizeof(kt_pend.name));
			snprintf(kt_pend.why, sizeof(kt_pend.why), "setup %s: %s", kt_cur.name, kt_cur.why);
		}
		kt_cur.active = false;
		return ok;
	}
	if (ok) {
		printf("PASS %s\n", kt_cur.name);
		kt_npass++;
	} else {
		if (kt_cur.failed > 1)
			printf("FAIL %s: %s (%u failed checks)\n", kt_cur.name, kt_cur.why,
			       kt_cur.failed);
		else
			printf("FAIL %s: %s\n", kt_cur.name, kt_cur.why);
		kt_nfail++;
	}
	fflush(stdout);
	kt_cur.active = false;
	return ok;
}

void kt_result(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (!kt_begin("%s", name))
		return;
	if (!ok) {
		va_start(ap, fmt);
		kt_vfail(fmt, ap);
		va_end(ap);
	}
	kt_end();
}

void kt_run(const struct kt_case *cases, size_t n, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		if (!kt_begin("%s", cases[i].name))
			continue;
		cases[i].fn(arg);
		kt_end();
	}
}

bool kt_any(const struct kt_case *cases, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= kt_want(cases[i].name);
	return any;
}

void kt_run_seq(const struct kt_case *cases, size_t n, void *arg)
{
	size_t last = n;

	for (size_t i = 0; i < n; i++)
		if (kt_selected(cases[i].name))
			last = i;
	if (kt_list || last == n) {
		kt_any(cases, n);
		return;
	}
	for (size_t i = 0; i <= last; i++) {
		if (kt_selected(cases[i].name)) {
			kt_begin("%s", cases[i].name);
		} else {
			kt_setup("%s", cases[i].name);
		}
		cases[i].fn(arg);
		kt_end();
	}
}

unsigned int kt_passed(void)
{
	return kt_npass;
}

unsigned int kt_failures(void)
{
	return kt_nfail;
}

int kt_finish(void)
{
	if (kt_cur.active)
		kt_end();
	if (kt_pend.failed) {
		/* a failed setup step that no test followed */
		printf("FAIL %s: %s\n", kt_pend.name, kt_pend.why);
		kt_pend.failed = false;
		kt_nfail++;
	}
	if (!kt_list)
		printf("%u passed, %u failed\n", kt_npass, kt_nfail);
	fflush(stdout);
	return kt_nfail ? 1 : 0;
}
