# SPDX-License-Identifier: MIT
# kite_test.sh: the shell side of kite's one test harness (sim/testlib/kite_test.h), sourced by the host
# test scripts (scripts/*.sh, driver/check.sh) and, as /kite/tests/kite_test.sh, by the guest's
# sw-tests/lib.sh (scripts/mkrootfs.sh ships this file). POSIX sh: bash, dash and busybox ash.
#
# A test prints exactly one line, `PASS <name>` or `FAIL <name>: <why>`; a suite ends with
# `N passed, N failed` (kt_finish). The name filter is the C harness's: the environment variable
# KT_FILTER (what `make test T=PATTERN` sets), or `-t PATTERN` / `--filter=PATTERN` on a script's
# command line (kt_option). PATTERN is a comma-separated list; an entry with a wildcard (* ? [) is
# a shell glob over the whole name, any other entry matches names that contain it; an empty
# pattern selects every test. sim/testlib/test-shell-filter.sh checks that kt_match selects what the C
# harness selects. (The C binaries' list mode, -l, has no shell counterpart: a script's names are
# only known by running it.)
#
#	if want usb-reset; then            # the test's work runs only when it is selected
#		check usb-reset some_command
#	fi
#	if want_any enum-a enum-b; then    # a step that both tests need runs for either
#		...
#	fi
#	kt_finish
#
# Progress: a test that takes a while announces itself with `kt_start NAME` (before its work,
# under the same `want`); the harness then prints, around its PASS or FAIL line,
#
#	kt: start NAME (at 12.345 s bus, 40.1 s wall)
#	PASS NAME
#	kt: end NAME PASS in 1.234 s bus, 5.6 s wall
#
# "in" is the test's own time, "at" the time since the run's first kt_start. The first clock is
# the run's own (kt_clock_name: in the co-simulation guest the guest's clock, which is simulated
# bus time under UML time-travel; sw-tests/lib.sh sets it); host scripts show the wall clock
# only. The test runners count PASS and FAIL lines only, and scripts/cosim.sh and
# scripts/run-tests.sh show the `kt:` lines as they come.
#
# pass prints only selected names. fail of a name that is not selected prints its FAIL line all
# the same: a test's own work runs under `want`, so an unselected name that fails is a step that
# ran because a selected test needs it (loading the driver, enumeration), and a filtered run must
# not hide why its tests could not pass. Both count towards the closing line.

kt_filter=${KT_FILTER:-}
kt_npass=0
kt_nfail=0
# (the guest scripts' older name for the failure count)
kite_failures=0

# kt_match NAME PATTERN: NAME is selected by PATTERN (kite_test.c, kt_selected).
kt_match() {
	_kt_name=$1
	_kt_rest=$2
	[ -n "$_kt_rest" ] || return 0
	while :; do
		_kt_e=${_kt_rest%%,*}
		# an empty entry selects every name; one of 256 characters or more none (as in C)
		[ -n "$_kt_e" ] || return 0
		if [ ${#_kt_e} -lt 256 ]; then
			case $_kt_e in
			*[*?[]*)
				# [^...] as [!...]: dash knows only the POSIX spelling
				while :; do
					case $_kt_e in
					*'[^'*) _kt_e="${_kt_e%%'[^'*}[!${_kt_e#*'[^'}" ;;
					*) break ;;
					esac
				done
				# shellcheck disable=SC2254
				case $_kt_name in $_kt_e) return 0 ;; esac
				;;
			*)
				case $_kt_name in *"$_kt_e"*) return 0 ;; esac
				;;
			esac
		fi
		case $_kt_rest in
		*,*) _kt_rest=${_kt_rest#*,} ;;
		*) return 1 ;;
		esac
	done
}

# want NAME: the test NAME is selected by the filter.
want() {
	kt_match "$1" "$kt_filter"
}

# want_any NAME...: at least one of the tests is selected (for a step they share).
want_any() {
	for _kt_n in "$@"; do
		want "$_kt_n" && return 0
	done
	return 1
}

# kt_option ARGS...: when $1 is a harness option (-t PATTERN, --filter=PATTERN), take it and
# set kt_shift to the number of words it used (the caller shifts them); status 1 otherwise.
#	while [ $# -gt 0 ]; do
#		kt_option "$@" && { shift "$kt_shift"; continue; }
#		case $1 in ...
kt_option() {
	case $1 in
	-t)
		[ $# -ge 2 ] || { echo "${0##*/}: -t needs a pattern" >&2; exit 2; }
		kt_filter=$2
		kt_shift=2
		;;
	--filter=*)
		kt_filter=${1#--filter=}
		kt_shift=1
		;;
	*) return 1 ;;
	esac
}

# kt_args "$@": a script that takes no option but the harness's: take them, or exit 2.
kt_args() {
	while [ $# -gt 0 ]; do
		kt_option "$@" && { shift "$kt_shift"; continue; }
		echo "${0##*/}: unknown option $1 (usage: ${0##*/} [-t PATTERN])" >&2
		exit 2
	done
}

# pass NAME: print `PASS NAME` if NAME is selected.
pass() {
	want "$1" || return 0
	echo "PASS $1"
	kt_npass=$((kt_npass + 1))
	kt_end "$1" PASS
}

# fail NAME WHY...: print `FAIL NAME: WHY` (selected or not, see above).
fail() {
	_kt_name=$1
	shift
	echo "FAIL $_kt_name: $*"
	kt_nfail=$((kt_nfail + 1))
	kite_failures=$kt_nfail
	kt_end "$_kt_name" FAIL
}

# --- progress lines (see above). No subshells: a fork costs ~0.1 s in the guest.

# The run's own clock's name in progress lines; empty: the wall clock only.
kt_clock_name=${kt_clock_name:-}
kt_cur=""

# kt_read_clocks: set kt_c1 and kt_c2, the run's own clock just before and just after reading
# the wall clock, and kt_w, the wall clock, in seconds (empty: unknown). The guest's
# sw-tests/lib.sh replaces it; on the host the wall clock is the run's clock.
kt_read_clocks() {
	kt_w=$(date +%s.%N 2>/dev/null)
	# (busybox date has no %N: whole seconds)
	case $kt_w in
	*N) kt_w=${kt_w%%.*} ;;
	esac
	kt_c1=$kt_w
	kt_c2=$kt_w
}

# kt_to_ms SECONDS: SECONDS (a decimal number) in whole milliseconds in kt_ms, status 1 (and
# kt_ms empty) if it is not a number.
kt_to_ms() {
	kt_ms=""
	_kt_s=${1%%.*}
	case $1 in
	*.*) _kt_f=${1#*.}000 ;;
	*) _kt_f=000 ;;
	esac
	_kt_f=${_kt_f%"${_kt_f#???}"}
	case $_kt_s$_kt_f in
	'' | *[!0-9]*) return 1 ;;
	esac
	# 1$_kt_f: digits with leading zeros are not octal
	kt_ms=$((_kt_s * 1000 + 1$_kt_f - 1000))
}

# kt_span CLOCK_MS WALL_MS: kt_span as "1.234 s bus, 5.6 s wall" (a ? for an empty value).
kt_span() {
	kt_span=""
	if [ -n "$kt_clock_name" ]; then
		if [ -n "$1" ]; then
			_kt_r=$(($1 % 1000))
			case ${#_kt_r} in
			1) _kt_r=00$_kt_r ;;
			2) _kt_r=0$_kt_r ;;
			esac
			kt_span="$(($1 / 1000)).$_kt_r s $kt_clock_name, "
		else
			kt_span="? s $kt_clock_name, "
		fi
	fi
	if [ -n "$2" ]; then
		kt_span="$kt_span$(($2 / 1000)).$(($2 % 1000 / 100)) s wall"
	else
		kt_span="$kt_span? s wall"
	fi
}

# kt_diff A B: B - A in kt_diff (empty if either is).
kt_diff() {
	kt_diff=""
	[ -n "$1" ] && [ -n "$2" ] && kt_diff=$(($2 - $1))
}

# kt_start NAME: print the start line of the selected test NAME; its pass or fail prints the end.
kt_start() {
	want "$1" || return 0
	kt_read_clocks
	# the test's time starts after the wall clock was read
	kt_to_ms "$kt_c2"
	kt_cur_c=$kt_ms
	kt_to_ms "$kt_w"
	kt_cur_w=$kt_ms
	if [ -z "${kt_org_set:-}" ]; then
		kt_org_set=1
		kt_org_c=$kt_cur_c
		kt_org_w=$kt_cur_w
	fi
	kt_cur=$1
	kt_diff "$kt_org_c" "$kt_cur_c"
	_kt_dc=$kt_diff
	kt_diff "$kt_org_w" "$kt_cur_w"
	kt_span "$_kt_dc" "$kt_diff"
	echo "kt: start $1 (at $kt_span)"
}

# kt_end NAME RESULT: the end line, if NAME is the test kt_start announced last.
kt_end() {
	[ -n "$kt_cur" ] && [ "$1" = "$kt_cur" ] || return 0
	kt_cur=""
	kt_read_clocks
	# the test's time ends before the wall clock is read
	kt_to_ms "$kt_c1"
	kt_diff "$kt_cur_c" "$kt_ms"
	_kt_dc=$kt_diff
	kt_to_ms "$kt_w"
	kt_diff "$kt_cur_w" "$kt_ms"
	kt_span "$_kt_dc" "$kt_diff"
	echo "kt: end $1 $2 in $kt_span"
}

# check NAME CMD...: if NAME is selected, run CMD and pass or fail NAME by its status.
check() {
	want "$1" || return 0
	_kt_check=$1
	shift
	if "$@"; then pass "$_kt_check"; else fail "$_kt_check" "'$*' failed"; fi
}

# kt_add_counts FILE: add the closing `N passed, N failed` line of a sub-suite's output in FILE
# (a co-simulation run, say) to this suite's counts.
kt_add_counts() {
	_kt_counts=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
	[ -n "$_kt_counts" ] || return 0
	kt_npass=$((kt_npass + ${_kt_counts%% *}))
	_kt_counts=${_kt_counts#*, }
	kt_nfail=$((kt_nfail + ${_kt_counts%% *}))
	kite_failures=$kt_nfail
}

# kt_finish: print `N passed, N failed`; status 0 if none failed.
kt_finish() {
	echo "$kt_npass passed, $kt_nfail failed"
	[ "$kt_nfail" -eq 0 ]
}
