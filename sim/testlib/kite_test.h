/* SPDX-License-Identifier: MIT */
/*
 * kite_test: the one test harness of every kite test binary (RTL testbenches, device models,
 * bridge, system tests). docs/testing.md shows how to use it.
 *
 * A test is a named group of checks; it prints exactly one line, `PASS <name>` or
 * `FAIL <name>: <first reason>`, and a binary ends with `N passed, N failed` (kt_finish). The
 * runner (scripts/run-tests.sh) counts the PASS/FAIL lines of every suite the same way.
 *
 * Every binary takes the same name filter: `-t PATTERN` on its command line, else the
 * environment variable KT_FILTER (what `make test T=PATTERN` sets). PATTERN is a comma-separated
 * list; an entry with a wildcard (* ? [) is a shell glob over the whole name, any other entry
 * matches names that contain it. `-l` lists the test names instead of running them.
 *
 *	static void t_reset(void *arg) { KT_CHECK(rd(arg, 0) == 0, "ID reads 0x%x", ...); }
 *	static const struct kt_case cases[] = { { "reset", t_reset }, ... };
 *	int main(int argc, char **argv)
 *	{
 *		kt_init(&argc, argv);
 *		kt_run(cases, KT_ARRAY_SIZE(cases), &fixture);
 *		return kt_finish();
 *	}
 *
 * Tests whose names are made at run time use kt_begin()/kt_end() directly:
 *	if (kt_begin("dma-%u-%u", len, align)) { ...checks...; kt_end(); }
 */
#ifndef KITE_TEST_H
#define KITE_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct kt_case {
	const char *name;
	void (*fn)(void *arg);
};

/* Parse and remove the harness options (-t PATTERN, -l) from argv; read KT_FILTER. */
void kt_init(int *argc, char **argv);
/* Set the filter directly (NULL or "" selects every test). */
void kt_set_filter(const char *pattern);
/* Whether a test of this name is selected (false in list mode, where the name is printed). */
bool kt_want(const char *name);
/*
 * Tests that build on each other (each needs the state the one before left): when the filter
 * selects any of the n names, kt_group_begin() returns true and every test until
 * kt_group_end() is selected, so that the group runs whole. In list mode it lists the names and
 * returns false.
 */
bool kt_group_begin(const char *const *names, size_t n);
void kt_group_end(void);

/* xorshift32: reproducible pseudo-random numbers for tests (state must not be 0) */
uint32_t kt_rand(uint32_t *state);

/* Start a test named by a printf format; false (nothing to do) when the filter skips it. */
bool kt_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a failed check of the current test; the first reason is the one reported. */
void kt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define KT_CHECK(cond, ...) do { if (!(cond)) kt_fail(__VA_ARGS__); } while (0)
/* Whether the current test has failed so far (to stop early). */
bool kt_failed(void);
/* Print the current test's PASS/FAIL line; returns true if it passed. */
bool kt_end(void);

/* A one-line test: PASS name if ok, else FAIL name with the reason (filtered like the rest). */
void kt_result(const char *name, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Run every selected case of a table with arg. */
void kt_run(const struct kt_case *cases, size_t n, void *arg);

/*
 * Tests that build on each other's state (one device driven through a sequence of tests):
 * kt_any says whether any case of the table is selected, so the caller builds the shared
 * fixture only then (in list mode it prints the selected names and returns false); kt_run_seq
 * runs every case up to the last selected one, in order, the unselected ones as setup steps.
 */
bool kt_any(const struct kt_case *cases, size_t n);
void kt_run_seq(const struct kt_case *cases, size_t n, void *arg);
/*
 * Start an unreported setup step (never filtered): checks and kt_failed work as in a test, but
 * kt_end prints nothing; a failed step fails the next test begun ("setup NAME: reason"), or is
 * reported under its own name by kt_finish if no test follows.
 */
void kt_setup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Counts so far. */
unsigned int kt_passed(void);
unsigned int kt_failures(void);
/* Print `N passed, N failed`; the exit status for main: 0 if none failed, else 1. */
int kt_finish(void);

#ifdef __cplusplus
}
#endif
#endif /* KITE_TEST_H */
