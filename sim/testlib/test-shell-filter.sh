#!/bin/sh
# The shell's name filter (sim/testlib/kite_test.sh, kt_match) selects exactly what the C harness's does
# (sim/testlib/kite_test.c, kt_want): for a table of patterns over a set of test names, under
# every shell the tests run in (dash for the host scripts, bash, busybox ash in the guest).
# One PASS/FAIL line per shell, a closing `N passed, N failed`.
#
# Usage: sim/testlib/test-shell-filter.sh [-t PATTERN]   (or KT_FILTER=PATTERN: this suite's own filter)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
. "$top/sim/testlib/kite_test.sh"
kt_args "$@"

# kt-match PATTERN NAME...: one 0/1 per name, as the C harness selects it.
bin=$build/testlib/shell-filter/kt-match
mkdir -p "$build/testlib/shell-filter"
cat > "$build/testlib/shell-filter/kt-match.c" <<'EOF'
#include <stdio.h>
#include "kite_test.h"
int main(int argc, char **argv)
{
	kt_set_filter(argv[1]);
	for (int i = 2; i < argc; i++)
		putchar(kt_want(argv[i]) ? '1' : '0');
	putchar('\n');
	return 0;
}
EOF
if ! ${CC:-cc} -std=c11 -O1 -Wall -Werror -I "$top/sim/testlib" -o "$bin" "$build/testlib/shell-filter/kt-match.c" \
	"$top/sim/testlib/kite_test.c" 2> "$build/testlib/shell-filter/cc.log"; then
	fail kt-filter-build "$(head -3 "$build/testlib/shell-filter/cc.log" | tr '\n' ' ')"
	kt_finish
	exit
fi

# Names with the characters patterns treat specially, and patterns with every kind of entry:
# substrings, globs ([!..], [^..], ranges, escapes, / and .), empty entries, unclosed brackets.
names='selftest-coherent selftest-streaming usbtest-t1-bulk-out usbtest-t10-queued-control
a.b a/b [x] x*y robust-fault-stall-clear-halt dt-validate-zynq-zed-kite .hidden UPPER'
patterns='
selftest
selftest-c*
*-t1*
usbtest-t?-*
[ab]*
a.b
*/*
\[x\]
[x]
x\*y
nomatch
foo,,bar
foo,
,foo
coherent,stall
*stall*,zed
[!s]*
[^s]*
*[^-]
x[^a-z]*
?
*
.*
[
a[
[a-z]*-t1[0-9]*
robust-fault-*-clear-halt
upper
*PER'

# shellcheck disable=SC2016
script='set -f; . "$1"; shift; n=$1; shift
for p; do
	r=""
	for x in $n; do if kt_match "$x" "$p"; then r="${r}1"; else r="${r}0"; fi; done
	echo "$r"
done'
for sh in sh bash busybox; do
	t=kt-filter-$sh
	want "$t" || continue
	if ! command -v "$sh" > /dev/null 2>&1; then
		fail "$t" "$sh not installed"
		continue
	fi
	if [ "$sh" = busybox ]; then set -- busybox sh; else set -- "$sh"; fi
	bad=""
	# (the patterns as arguments: one a line, set -f so that the shell does not expand them)
	set -f
	IFS='
'
	# shellcheck disable=SC2086
	got=$("$@" -c "$script" kt "$top/sim/testlib/kite_test.sh" "$names" $patterns)
	unset IFS
	set +f
	i=0
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		i=$((i + 1))
		want_bits=$(set -f; "$bin" "$p" $names)
		got_bits=$(echo "$got" | sed -n "${i}p")
		[ "$want_bits" = "$got_bits" ] || bad="$bad '$p' (C $want_bits, $sh $got_bits)"
	done <<EOF
$patterns
EOF
	if [ "$i" -lt 20 ]; then
		fail "$t" "only $i patterns read"
	elif [ -n "$bad" ]; then
		fail "$t" "the selections differ:$bad"
	else
		pass "$t"
	fi
done
kt_finish
