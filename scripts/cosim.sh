#!/bin/bash
# Run one co-simulation: start kite-sim (the Verilated controller behind a vhost-user virt-pci
# bridge), boot the User-Mode Linux kernel against it with the project's initramfs, run one test
# script inside the guest as root, shut both sides down and summarise.
#
# Usage: scripts/cosim.sh [--script FILE] [--waves FILE.fst] [--name NAME] [--timeout SECONDS]
#                         [--dtb FILE.dtb] [--filter PATTERN]
#                         [--attach utmi|line] [--port N=DEVICE[:opt=val,...]]...
# --filter selects the script's tests by name, as KT_FILTER does for every test binary
# (docs/testing.md); it defaults to $KT_FILTER. The guest reads it from /kite/filter.
# --attach and --port go to kite-sim (USB devices on the root ports, docs/bridge.md). The run
# directory is mounted in the guest at /host (hostfs); its `ctl` file is kite-sim's control
# channel and `ctl.reply` the replies (kite_ctl in sw-tests/lib.sh).
# Exit status: the script's exit status inside the guest; 1 if either side died or timed out.
# What the guest's script prints (its `PASS x` / `FAIL x: why` lines, the harness's `kt:`
# progress lines, its own output; not the kernel's messages) is shown on stdout as it comes; then
# a summary, and the last line is `N passed, N failed` over the guest's PASS/FAIL lines and the
# launcher's own FAIL line, if any.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
script=$top/sw-tests/smoke.sh
dtb=""
waves=""
name=""
timeout=${COSIM_TIMEOUT:-900}
mem=${COSIM_MEM:-384M}
attach=""
ports=()
filter=${KT_FILTER:-}
# bus: the guest's clock is the simulated bus time (kite-sim is UML's time-travel calendar);
# wall: the guest reads the host's clock while the bus runs far slower than real time.
timebase=${COSIM_TIME:-bus}

while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; shift 2 ;;
	--waves) waves=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--dtb) dtb=$2; shift 2 ;;
	--port) ports+=("$2"); shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	--filter=*) filter=${1#--filter=}; shift ;;
	--time) timebase=$2; shift 2 ;;
	*) echo "cosim: unknown option $1" >&2; exit 2 ;;
	esac
done

kernel=$build/uml/linux-source-6.1/linux
sim=$build/sim/kite-sim
base_initrd=$build/rootfs/base.cpio
for f in "$kernel" "$sim" "$base_initrd"; do
	[ -e "$f" ] || { echo "cosim: $f is missing (run 'make cosim' to build everything)" >&2; exit 1; }
done
[ -r "$script" ] || { echo "cosim: no such script: $script" >&2; exit 1; }
script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
[ -n "$name" ] || name=$(basename "$script" .sh)

run=$build/cosim/$name
case $run in
*[[:space:]]*) echo "cosim: the run directory must not contain blanks: $run" >&2; exit 1 ;;
esac
rm -rf "$run"
mkdir -p "$run/stage/kite"
# The control channel. A regular file, not a FIFO: the guest reaches it through hostfs, which
# turns a host FIFO into a guest-local one; kite-sim tails a regular file instead.
: > "$run/ctl"
# The guest's console, there before UML writes it: the launcher shows it as it comes.
: > "$run/console.log"
cp "$script" "$run/stage/kite/run-script"
# The name filter, as a file: no quoting on the kernel command line (sim/rootfs/init).
printf '%s\n' "$filter" > "$run/stage/kite/filter"
# The initramfs is the cached base archive with the script appended as a second cpio member.
(cd "$run/stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$run/script.cpio"
cat "$base_initrd" "$run/script.cpio" > "$run/initrd.cpio"

sock=$run/kite.sock
sim_pid=""
uml_pid=""
cleanup() {
	[ -n "$uml_pid" ] && kill -KILL -- "-$uml_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'echo "cosim: interrupted" >&2; exit 130' INT TERM

start=$(date +%s.%N)
# --stats: a counters line every 5 s in sim.log, the timeline a hung run is judged by.
sim_args=(--socket "$sock" --control "$run/ctl" --stats)
tt_arg=()
case $timebase in
bus)
	sim_args+=(--time-travel "$run/tt.sock")
	tt_arg=("time-travel=ext:$run/tt.sock") ;;
wall) ;;
*) echo "cosim: --time must be bus or wall, not $timebase" >&2; exit 2 ;;
esac
[ -n "$waves" ] && sim_args+=(--waves "$waves")
[ -n "$attach" ] && sim_args+=(--attach "$attach")
for p in "${ports[@]}"; do
	sim_args+=(--port "$p")
done
"$sim" "${sim_args[@]}" > "$run/sim.log" 2>&1 &
sim_pid=$!

# UML must not connect before the simulator listens.
for _ in $(seq 1 200); do
	grep -q "listening on" "$run/sim.log" 2>/dev/null && break
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.05
done
if ! grep -q "listening on" "$run/sim.log" 2>/dev/null; then
	kill -0 "$sim_pid" 2>/dev/null && kill -TERM "$sim_pid" 2>/dev/null
	echo "cosim: kite-sim did not start; its log:" >&2
	sed 's/^/  /' "$run/sim.log" >&2
	echo "FAIL cosim-$name: simulator did not start"
	echo "0 passed, 1 failed"
	exit 1
fi

# A devicetree (--dtb) gives the guest /reserved-memory and the PCI function's node.
dtb_arg=()
if [ -n "$dtb" ]; then
	[ -r "$dtb" ] || { echo "cosim: no such devicetree blob: $dtb" >&2; exit 1; }
	dtb_arg=("dtb=$dtb")
fi
setsid setarch "$(uname -m)" -R "$kernel" mem="$mem" initrd="$run/initrd.cpio" "${dtb_arg[@]}" "${tt_arg[@]}" \
	"virtio_uml.device=$sock:1234" "kite.run=$run" umid=uml "uml_dir=$run" con0=null,fd:1 con=null \
	rdinit=/init panic=-1 < /dev/null > "$run/console.log" 2>&1 &
uml_pid=$!

# The guest's console as it comes: from /init's first line on, less the kernel's messages, the
# markers for this launcher and the script's own closing count (the launcher prints the count).
tail -n +1 -f --pid="$uml_pid" "$run/console.log" 2>/dev/null |
	sed -u -n -e '0,/^KITE-BOOTED: /d' -e 's/\r$//' -e '/^KITE-EXIT: /q' \
		-e '/^\[ *[0-9]*\.[0-9]*\] /d' -e '/^KITE-/d' -e '/^[0-9]* passed, [0-9]* failed$/d' -e p &
stream_pid=$!

# Wait for the first side to end, or the time limit.
deadline=$(( $(date +%s) + timeout ))
why=""
while :; do
	if ! kill -0 "$uml_pid" 2>/dev/null; then
		break
	fi
	if ! kill -0 "$sim_pid" 2>/dev/null; then
		# A guest that shuts down closes the socket before its last process exits, and the
		# simulator exits on that: give the guest a moment to finish before calling it a death.
		for _ in $(seq 1 30); do
			kill -0 "$uml_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$uml_pid" 2>/dev/null; then
			why="kite-sim died while the guest was running (see $run/sim.log)"
		fi
		break
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		why="timed out after ${timeout}s"
		break
	fi
	sleep 0.1
done
# Under time-travel a guest whose calendar dies panics at once, before the check above sees
# the simulator gone: a simulator that ended without its closing counters died.
if [ -z "$why" ] && ! kill -0 "$sim_pid" 2>/dev/null && ! grep -q "^kite-sim: stats " "$run/sim.log"; then
	why="kite-sim died while the guest was running (see $run/sim.log)"
fi
if [ -n "$why" ]; then
	# A guest that hangs: its blocked tasks (sysrq w), from the guest's interrupt context.
	# (UML has no sysrq l, its sysrq p shows no registers from there, and sysrq t can crash it.)
	if [ -S "$run/uml/mconsole" ] && [ -x "$build/sim/kite-mconsole" ]; then
		timeout 20 "$build/sim/kite-mconsole" "$run/uml/mconsole" sysrq w \
			> "$run/tasks.log" 2>&1
	fi
	kill -KILL -- "-$uml_pid" 2>/dev/null
fi
wait "$uml_pid" 2>/dev/null
# UML runs each guest address space as a host process in its own session (setsid above); when
# its kernel process dies abruptly some may outlive it for a moment. Leave none behind.
kill -KILL -- "-$uml_pid" 2>/dev/null
for _ in $(seq 1 50); do
	pgrep -s "$uml_pid" > /dev/null || break
	sleep 0.1
done
uml_pid=""
# tail sees the guest gone within a second and stops after a last read.
wait "$stream_pid" 2>/dev/null

# The guest is gone: the simulator sees the socket close and exits by itself.
for _ in $(seq 1 100); do
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$sim_pid" 2>/dev/null; then
	echo "cosim: kite-sim did not exit after the guest; stopping it" >&2
	kill -TERM "$sim_pid" 2>/dev/null
	sleep 1
	kill -KILL "$sim_pid" 2>/dev/null
fi
wait "$sim_pid" 2>/dev/null
sim_status=$?
sim_pid=""
end=$(date +%s.%N)

# --- summary
results=$(grep -aE '^(PASS|FAIL) ' "$run/console.log" | tr -d '\r')
npass=$(printf '%s\n' "$results" | grep -c '^PASS ')
nfail=$(printf '%s\n' "$results" | grep -c '^FAIL ')
guest_exit=$(grep -a '^KITE-EXIT: ' "$run/console.log" | tr -d '\r' | tail -1 | awk '{print $2}')
booted=$(grep -a '^KITE-BOOTED: ' "$run/console.log" | tr -d '\r' | awk '{print $2}')

echo "cosim: script     ${script#"$top"/}"
[ -n "$filter" ] && echo "cosim: filter     $filter"
[ ${#ports[@]} -gt 0 ] && echo "cosim: devices    ${ports[*]} (${attach:-utmi})"
echo "cosim: guest      $npass passed, $nfail failed, exit status ${guest_exit:-none}"
stats=$(grep -a 'kite-sim: stats' "$run/sim.log" | tail -1 | sed 's/^kite-sim: stats //')
echo "cosim: bridge     ${stats:-no counters (simulator exit status $sim_status)}"
# The guest's clock is simulated bus time when the simulator keeps UML's time-travel calendar.
if grep -q 'kite-sim: time-travel calendar on' "$run/sim.log"; then
	clock="the guest's clock is bus time (time-travel)"
else
	clock="the guest's clock is the host's (no time-travel)"
fi
printf 'cosim: time       boot to init %ss, wall %.1fs; %s\n' "${booted:-?}" \
	"$(echo "$end - $start" | bc)" "$clock"
echo "cosim: logs       ${run#"$top"/}/console.log, ${run#"$top"/}/sim.log"
[ -n "$waves" ] && echo "cosim: waves      $waves"

# cosim_exit STATUS: the closing count (the guest's lines and the launcher's FAIL), then exit.
cosim_exit() {
	echo "$npass passed, $nfail failed"
	exit "$1"
}
if [ -n "$why" ]; then
	nfail=$((nfail + 1))
	echo "FAIL cosim-$name: $why"
	tail -20 "$run/console.log" | sed 's/^/  | /'
	if [ -s "$run/tasks.log" ]; then
		# Tasks in uninterruptible sleep, with their stacks.
		echo "cosim: the guest's blocked tasks (${run#"$top"/}/tasks.log):"
		head -200 "$run/tasks.log" | sed 's/^/  | /'
	fi
	# Whether the simulator kept serving the guest until the end (a line every 5 s).
	echo "cosim: the simulator's last counters (${run#"$top"/}/sim.log):"
	grep 'stats-periodic' "$run/sim.log" | tail -3 | cut -c1-200 | sed 's/^/  | /'
	cosim_exit 1
fi
if [ -z "$guest_exit" ]; then
	nfail=$((nfail + 1))
	echo "FAIL cosim-$name: the guest stopped without reporting an exit status"
	tail -30 "$run/console.log" | sed 's/^/  | /'
	cosim_exit 1
fi
if [ "$sim_status" -ne 0 ]; then
	nfail=$((nfail + 1))
	echo "FAIL cosim-$name: kite-sim exited with status $sim_status"
	tail -10 "$run/sim.log" | sed 's/^/  | /'
	cosim_exit 1
fi
# A script that fails without a FAIL line of its own (a plain `exit 1`) still fails the run.
if [ "$guest_exit" -ne 0 ] && [ "$nfail" -eq 0 ]; then
	nfail=$((nfail + 1))
	echo "FAIL cosim-$name: the script exited with status $guest_exit without a FAIL line"
	grep -av '^KITE-' "$run/console.log" | tr -d '\r' | tail -15 | sed 's/^/  | /'
fi
cosim_exit "$guest_exit"
