# Helpers for test scripts that run inside the co-simulation guest (sourced by /init and by
# the scripts in sw-tests/). The test harness is sim/testlib/kite_test.sh, shipped as /kite/tests/kite_test.sh:
# `want NAME` (the name filter, KT_FILTER, which /init exports from the host's --filter),
# `pass NAME`, `fail NAME WHY`, `check NAME CMD...` print `PASS <name>` / `FAIL <name>: <why>`
# lines, which the host-side runner counts, and `kt_finish` the closing `N passed, N failed`.
# A test's work goes under `if want NAME; then ... fi`, so that a filtered run skips it.

KITE_PCI_DEV=${KITE_PCI_DEV:-0000:00:00.0}
. "${KITE_TESTS:-/kite/tests}/kite_test.sh"

# dmesg_has PATTERN: the kernel log has a line matching the extended regex PATTERN.
dmesg_has() {
	dmesg | grep -Eq "$1"
}

# wait_until SECONDS CMD...: CMD succeeds within SECONDS, polled every kite_wait_ms
# milliseconds (1..999, default 200; under time-travel each wait is bus time to simulate).
kite_wait_ms=${kite_wait_ms:-200}
wait_until() {
	n=$(($1 * 1000 / kite_wait_ms))
	_w=$((1000 + kite_wait_ms))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep "0.${_w#1}"
		n=$((n - 1))
	done
	return 1
}

# not CMD...: CMD fails (for wait_until).
not() {
	! "$@"
}

# gzero_sysfs: print the sysfs directory of the gadget zero device, 0525:a4a0 (status 1 if none).
gzero_sysfs() {
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] || continue
		[ "$(cat "$d/idVendor")" = 0525 ] && [ "$(cat "$d/idProduct")" = a4a0 ] || continue
		echo "$d"
		return 0
	done
	return 1
}

# gzero_present: some USB device in sysfs is gadget zero.
gzero_present() {
	gzero_sysfs > /dev/null
}

# testusb_ok FILE: testusb's output in FILE reports its test as passed. testusb exits 0 even
# when a test fails (errors are only printed: "... test N --> ERRNO (text)"), so the verdict
# comes from its output: a "test N, S.U secs" line and no "-->" line.
testusb_ok() {
	grep -q 'test [0-9]*, *[0-9.]* secs' "$1" && ! grep -q -- '-->' "$1"
}

# kbd_event: print /dev/input/eventN of the kbd model (input device id 1209:0001); status 1 if none.
kbd_event() {
	for e in /sys/class/input/event*; do
		[ -f "$e/device/id/vendor" ] || continue
		# (the device may go away between the test and the read: no noise on stderr)
		if [ "$(cat "$e/device/id/vendor" 2>/dev/null)" = 1209 ] &&
		    [ "$(cat "$e/device/id/product" 2>/dev/null)" = 0001 ]; then
			[ -c "/dev/input/${e##*/}" ] || continue
			echo "/dev/input/${e##*/}"
			return 0
		fi
	done
	return 1
}
kbd_present() { kbd_event >/dev/null; }
kbd_absent() { ! kbd_event >/dev/null; }

# The keys the tests type, as CHARACTER CODE pairs (Linux input-event-codes.h; _ is the space).
kbd_keymap='k 37 i 23 t 20 e 18 l 38 s 31 o 24 1 2 2 3 4 5 5 6 . 52 _ 57'

# kbd_codes TEXT: the "CODE press" / "CODE release" lines evread prints when TEXT and then
# Enter are typed; status 1 for a character the map lacks.
kbd_codes() {
	awk -v text="$1" -v map="$kbd_keymap" 'BEGIN {
		n = split(map, m, " ")
		for (i = 1; i < n; i += 2)
			code[m[i]] = m[i + 1]
		for (i = 1; i <= length(text); i++) {
			ch = substr(text, i, 1)
			if (ch == " ")
				ch = "_"
			if (!(ch in code)) {
				print "kbd_codes: no code for \047" ch "\047" > "/dev/stderr"
				exit 1
			}
			print code[ch] " press"
			print code[ch] " release"
		}
		print "28 press"
		print "28 release"
	}'
}

# kbd_text FILE: the text typed, from evread's lines in FILE: one character per key press, a
# line per Enter, ? for a key the map lacks.
kbd_text() {
	awk -v map="$kbd_keymap" 'BEGIN {
		n = split(map, m, " ")
		for (i = 1; i < n; i += 2)
			ch[m[i + 1]] = m[i] == "_" ? " " : m[i]
	}
	$2 == "press" { if ($1 == 28) { print line; line = "" } else line = line (($1 in ch) ? ch[$1] : "?") }
	END { if (line != "") print line }' "$1"
}

# sda_ready: /dev/sda exists and has a size.
sda_ready() {
	[ -b /dev/sda ] && [ -f /sys/block/sda/size ] && [ "$(cat /sys/block/sda/size)" -gt 0 ]
}

# Load the kite driver modules in dependency order; extra arguments (selftest=0) go to the core.
kite_load() {
	insmod "$KITE_MODULES/kite-hcd.ko" "$@" && insmod "$KITE_MODULES/kite-pci.ko"
}

kite_unload() {
	kite_rmmod kite_pci && kite_rmmod kite_hcd
}

# kite_rmmod MODULE: rmmod with a watchdog. A removal still running after KITE_RMMOD_TIMEOUT
# seconds (default 60) fails with the hung task's kernel stack and the kernel's list of blocked
# tasks (sysrq w) on the console, instead of hanging the run until the launcher's time limit.
kite_rmmod() {
	rmmod "$1" &
	_rp=$!
	_rn=$(( ${KITE_RMMOD_TIMEOUT:-60} * 5 ))
	while kill -0 "$_rp" 2>/dev/null && [ "$_rn" -gt 0 ]; do
		sleep 0.2
		_rn=$((_rn - 1))
	done
	if kill -0 "$_rp" 2>/dev/null; then
		fail "rmmod-$1" "still running after ${KITE_RMMOD_TIMEOUT:-60} s; kernel stack:" \
			"$(tr '\n' ' ' < "/proc/$_rp/stack" 2>&1)"
		echo w > /proc/sysrq-trigger
		dmesg | tail -150
		return 1
	fi
	wait "$_rp"
}

# Interrupts counted for the kite controller so far: the sum over CPUs of the /proc/interrupts
# line whose handler name is the device (the driver requests its interrupt under dev_name()).
kite_irq_count() {
	awk -v dev="$KITE_PCI_DEV" '$NF == dev { n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break; print n; f = 1 }
	     END { if (!f) print 0 }' /proc/interrupts
}

# The kernel log is free of DMA-API debug errors, lockdep splats, KASAN reports, WARNs and BUGs.
# No KASAN report is waived: "stack-out-of-bounds in to_irq_stack", once taken for a UML false
# positive, is a kernel stack that ran into its thread_info (docs/cosim.md, the kernel).
kernel_log_clean() {
	bad=$(dmesg | grep -E 'DMA-API: |WARNING: |BUG: |KASAN|possible circular locking|possible recursive locking|inconsistent lock state|Call Trace' |
		grep -vE 'DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config)' ||
		true)
	if [ -n "$bad" ]; then
		echo "$bad" | head -40
		return 1
	fi
	return 0
}

# kite_ctl CMD...: send one command to kite-sim's control channel (docs/bridge.md) and wait for
# its reply: `plug N DEVICE[:opts]`, `unplug N`, `fault N EP FAULT COUNT`, `type N TEXT`,
# `counters`, `wall`, `sync TOKEN`. The command is followed by `sync <unique token>`; the reply
# line just before `ok <token>` in /host/ctl.reply is the command's. Prints an error reply on
# stderr. Status 0 on `ok`, 1 on `error` or no reply within KITE_CTL_TIMEOUT seconds (default
# 10). The reply line is left in $kite_ctl_reply. One caller at a time.
KITE_CTL=${KITE_CTL:-/host/ctl}

# The clocks of the harness's progress lines (kite_test.sh): the run's own clock is the guest's,
# which is simulated bus time when UML runs in time-travel mode (time-travel=ext on the kernel
# command line; kite_time_travel=1), else the host's clock seen from the guest ("guest"); the
# wall clock is the host's, asked from kite-sim (its `wall` command, sw-tests/tools/clocks.c).
read -r kite_cmdline < /proc/cmdline
case " $kite_cmdline " in
*" time-travel=ext"*) kite_time_travel=1 kt_clock_name=bus ;;
*) kite_time_travel=0 kt_clock_name=guest ;;
esac
kt_read_clocks() {
	kt_w=""
	# shellcheck disable=SC2046
	set -- $(clocks -w "$KITE_CTL" 2>/dev/null)
	if [ $# -eq 3 ]; then
		kt_c1=$1 kt_w=$2 kt_c2=$3
	else
		kt_c1=$(clocks)
		kt_c2=$kt_c1
	fi
}

kite_ctl_seq=0
kite_ctl() {
	kite_ctl_reply=""
	if [ ! -f "$KITE_CTL" ]; then
		echo "kite_ctl: no control channel at $KITE_CTL (run under scripts/cosim.sh)" >&2
		return 1
	fi
	kite_ctl_seq=$((kite_ctl_seq + 1))
	_tok="g$$-$kite_ctl_seq-$(cut -d' ' -f1 /proc/uptime)"
	# One write() for both lines: never interleaved with another writer's.
	printf '%s\nsync %s\n' "$*" "$_tok" >> "$KITE_CTL" || return 1
	_n=$(( ${KITE_CTL_TIMEOUT:-10} * 20 ))
	# The first wait is short: under time-travel kite-sim executes the command as soon as the
	# guest waits, and every wait is bus time to simulate.
	_s=0.001
	while [ "$_n" -gt 0 ]; do
		# Each awk opens the file anew: hostfs looks it up again and sees the new size.
		if kite_ctl_reply=$(awk -v t="ok $_tok" '$0 == t { print prev; f = 1; exit } { prev = $0 }
		    END { exit !f }' "$KITE_CTL.reply" 2>/dev/null); then
			case $kite_ctl_reply in
			ok\ *) return 0 ;;
			*) echo "kite_ctl: $kite_ctl_reply" >&2; return 1 ;;
			esac
		fi
		_n=$((_n - 1))
		sleep $_s
		_s=0.05
	done
	kite_ctl_reply="timeout"
	echo "kite_ctl: no reply to '$*' within ${KITE_CTL_TIMEOUT:-10} s" >&2
	return 1
}
