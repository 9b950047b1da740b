#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks for the kite driver, one PASS/FAIL line each:
#   driver-build       W=1 build with -Werror (from Kbuild), no warning in the log
#   driver-checkpatch  scripts/checkpatch.pl --strict --no-tree -f: 0 errors, 0 warnings, 0 checks
#   driver-sparse      make C=2 (sparse on every source): no warning or error
#
# Usage: driver/check.sh [-t PATTERN] [KDIR]     (or KDIR=... driver/check.sh)
# KDIR defaults to build/uml/linux-source-6.1 (scripts/build-kernel.sh). -t PATTERN (or
# KT_FILTER=PATTERN) selects checks by name, as for every kite test (docs/testing.md). Ends with
# `N passed, N failed`; exit status 1 if any check fails. The module objects are rebuilt in
# driver/.
set -u
# Run the same whether called from a shell or from make: an outer `make -s` would silence the
# CHECK lines this script looks for.
unset MAKEFLAGS MFLAGS MAKELEVEL

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../sim/testlib/kite_test.sh"
kdir_arg=""
while [ $# -gt 0 ]; do
	kt_option "$@" && { shift "$kt_shift"; continue; }
	kdir_arg=$1
	shift
done
KDIR=${kdir_arg:-${KDIR:-$here/../build/uml/linux-source-6.1}}
[ -d "$KDIR" ] && KDIR=$(cd "$KDIR" && pwd)
ARCH=${ARCH:-um}
export ARCH

# The sources written for the driver; kite_regs.h is generated (scripts/reggen.py).
srcs=$(cd "$here" && ls -- *.c *.h | grep -v -e '\.mod\.c$' -e '^kite_regs\.h$')
mods="kite-hcd.ko kite-pci.ko kite-plat.ko"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# First diagnostic line of a log, for the FAIL reason.
diag_re='(warning|error):|^WARNING:|^ERROR:'
first_diag() {
	grep -m1 -E "$diag_re" "$1" || tail -n 1 "$1"
}

prepared=yes
if [ ! -f "$KDIR/Makefile" ] || [ ! -f "$KDIR/include/generated/autoconf.h" ] ||
   [ ! -f "$KDIR/Module.symvers" ]; then
	prepared=no
fi

# --- driver-build
if ! want driver-build; then
	:
elif [ $prepared = no ]; then
	fail driver-build "kernel tree $KDIR is not built (run scripts/build-kernel.sh)"
elif [ ! -f "$here/kite_regs.h" ]; then
	fail driver-build "driver/kite_regs.h missing (run scripts/reggen.py)"
else
	make -s -C "$KDIR" M="$here" clean >/dev/null 2>&1
	if ! make -C "$KDIR" M="$here" W=1 modules >"$tmp/build.log" 2>&1; then
		fail driver-build "make failed: $(first_diag "$tmp/build.log")"
	elif grep -q -E "$diag_re" "$tmp/build.log"; then
		fail driver-build "$(first_diag "$tmp/build.log")"
	else
		missing=
		for m in $mods; do
			[ -f "$here/$m" ] || missing="$missing $m"
		done
		if [ -n "$missing" ]; then
			fail driver-build "not built:$missing"
		else
			pass driver-build
		fi
	fi
fi

# --- driver-checkpatch
cp="$KDIR/scripts/checkpatch.pl"
if ! want driver-checkpatch; then
	:
elif [ ! -f "$cp" ]; then
	fail driver-checkpatch "$cp not found"
else
	bad=
	for f in $srcs; do
		out=$(cd "$here" && perl "$cp" --strict --no-tree --no-color -f "$f" 2>&1)
		total=$(printf '%s\n' "$out" | grep -m1 '^total:')
		case "$total" in
		"total: 0 errors, 0 warnings, 0 checks,"*) ;;
		*) bad="$bad $f (${total:-checkpatch did not run})" ;;
		esac
	done
	if [ -n "$bad" ]; then
		fail driver-checkpatch "$bad"
	else
		pass driver-checkpatch
	fi
fi

# --- driver-sparse
if ! want driver-sparse; then
	:
elif ! command -v sparse >/dev/null 2>&1; then
	fail driver-sparse "sparse not installed"
elif [ $prepared = no ]; then
	fail driver-sparse "kernel tree $KDIR is not built"
elif ! make -C "$KDIR" M="$here" C=2 modules >"$tmp/sparse.log" 2>&1; then
	fail driver-sparse "make C=2 failed: $(first_diag "$tmp/sparse.log")"
elif grep -q -E "$diag_re" "$tmp/sparse.log"; then
	fail driver-sparse "$(first_diag "$tmp/sparse.log")"
elif ! grep -q 'CHECK' "$tmp/sparse.log"; then
	fail driver-sparse "sparse did not run (no CHECK lines)"
else
	pass driver-sparse
fi

kt_finish
