#!/bin/sh
# What kite is for, in about a minute (`make cosim`'s default script): Linux drives USB devices
# through the kite controller. A keyboard, a mass-storage disk and gadget zero are plugged in,
# Linux enumerates each and binds its class driver, the USB tree is printed as `lsusb -t`
# prints it (sw-tests/tools/lsusb.c), and data moves: keys typed by the keyboard model are read
# from the input device, a file is copied to an ext2 filesystem on the disk and back, usbtest
# writes and reads bulk data. Each transfer's throughput is in bus time (the guest's clock, which
# is the simulated bus time under UML time-travel; labelled "guest" time when time-travel is off),
# with its wall time; the bridge's counters close the run.
#
# The default configuration has one root port (CAP.NUM_PORTS = 1, rtl/configs.mk): the devices
# take turns on it, plugged and unplugged through kite-sim's control channel (kite_ctl). Port 0
# must be empty at the start:
#
#	scripts/cosim.sh --script sw-tests/mission.sh
. /kite/tests/lib.sh

MNT=/mnt/usb
TMP=$(mktemp -d)
# The text typed, the file copied to the disk and back (KiB), and the usbtest runs: URBs of 4
# scatter-gather entries of 4 KiB each way. Small: on the host's clock (no time-travel) a
# millisecond of bus time costs ~0.2 s of wall time.
TEXT=${MISSION_TEXT:-kite}
FILE_KIB=${MISSION_FILE_KIB:-16}
BULK_URBS=${MISSION_BULK_URBS:-1}

if [ "$kite_time_travel" = 1 ]; then
	clock="bus time"
else
	clock="guest time"
fi
say() { echo "mission: $*"; }

# Enumeration takes ~0.3 s of bus time: poll every 20 ms, not 200 (wait_until).
kite_wait_ms=20

# mark: the clocks now: m_bus (the guest's, bus time under time-travel) and m_wall (the host's).
mark() {
	kt_read_clocks
	m_bus=$kt_c2
	m_wall=$kt_w
}

# rate WHAT BYTES [keys]: print WHAT's size (BYTES, or BYTES keys), its time since the last mark
# and the throughput.
rate() {
	kt_read_clocks
	awk -v what="$1" -v b="$2" -v unit="${3:-KiB}" -v c0="$m_bus" -v c1="$kt_c1" -v w0="$m_wall" \
	    -v w1="$kt_w" -v clock="$clock" 'BEGIN {
		d = c1 - c0
		if (unit == "KiB")
			b /= 1024
		printf "mission: %s: %g %s in %.3f s of %s", what, b, unit, d, clock
		if (d > 0)
			printf " (%.1f %s/s)", b / d, unit
		if (w0 != "" && w1 != "")
			printf ", %.1f s of wall time", w1 - w0
		printf "\n"
	}'
}

# tree NAME LINE: print the USB tree; the test NAME passes if it has the root hub and a line
# matching the extended regex LINE.
tree() {
	lsusb -t > "$TMP/tree"
	sed 's/^/    /' "$TMP/tree"
	if ! grep -Eq '^/:  Bus [0-9]+\.Port 1: Dev 1, Class=root_hub, Driver=kite_pci/[0-9]+p, 12M$' "$TMP/tree"; then
		fail "$1" "no kite root hub in the tree"
	elif grep -Eq "^    \|__ $2\$" "$TMP/tree"; then
		pass "$1"
	else
		fail "$1" "no line '$2' in the tree"
	fi
}

# plug NAME DEVICE COND: plug DEVICE into port 0 and wait until COND holds (test NAME).
plug() {
	kt_start "$1"
	mark
	if ! kite_ctl plug 0 "$2"; then
		fail "$1" "kite_ctl plug 0 $2: $kite_ctl_reply"
		return 1
	fi
	if ! wait_until 60 "$3"; then
		fail "$1" "$2 plugged, but '$3' does not hold after 60 s"
		dmesg | tail -20
		return 1
	fi
	pass "$1"
	kt_read_clocks
	say "$2 enumerated and bound in $(awk -v a="$m_bus" -v b="$kt_c1" 'BEGIN { printf "%.3f", b - a }') s of $clock: $(cat /sys/bus/usb/devices/1-1/manufacturer) $(cat /sys/bus/usb/devices/1-1/product), $(cat /sys/bus/usb/devices/1-1/speed) Mb/s"
}

no_device() { [ ! -e /sys/bus/usb/devices/1-1 ]; }

# unplug: take port 0's device away and wait until Linux has let it go.
unplug() {
	kite_ctl unplug 0 && wait_until 30 no_device ||
		fail "$1" "the device did not go away after unplug ($kite_ctl_reply)"
}

usbtest_bound() { ls -d /sys/bus/usb/drivers/usbtest/*:* > /dev/null 2>&1; }

kbd="mission-kbd-enumerated mission-kbd-tree mission-kbd-keys"
msc="mission-msc-enumerated mission-msc-tree mission-msc-mkfs mission-msc-copy-to
	mission-msc-copy-back mission-msc-from-device"
gzero="mission-gzero-enumerated mission-gzero-tree mission-usbtest-bulk-out
	mission-usbtest-bulk-in"
# shellcheck disable=SC2086
want_any mission-load $kbd $msc $gzero mission-counters || { kt_finish; exit; }

kt_start mission-load
if kite_load selftest=0 && wait_until 30 test -e /sys/bus/usb/devices/usb1; then
	pass mission-load
else
	fail mission-load "the driver did not load or no root hub appeared"
	exit 1
fi
ports=$(cat /sys/bus/usb/devices/usb1/maxchild)
say "$(dmesg | sed -n 's/.*\(kite controller [0-9.]* (id [0-9a-fx]*)\).*/\1/p' | tail -1), $ports root port(s): the devices take turns on port 1"
say "clock: $clock (the guest's clock$([ "$kite_time_travel" = 1 ] && echo " runs on the simulated bus: UML time-travel" || echo " is the host's: time-travel is off"))"
kite_ctl counters && counters0=$kite_ctl_reply
lsusb -t | sed 's/^/    /'

# --- the keyboard: keys typed by the model, read from the input device
# shellcheck disable=SC2086
if want_any $kbd; then
	if plug mission-kbd-enumerated kbd kbd_present; then
		tree mission-kbd-tree 'Port 1: Dev [0-9]+, If 0, Class=Human Interface Device, Driver=usbhid, 12M'
		if want mission-kbd-keys; then
			kt_start mission-kbd-keys
			text=$TEXT
			dev=$(kbd_event)
			kbd_codes "$text" > "$TMP/want"
			evread "$dev" 60000 "$(wc -l < "$TMP/want")" > "$TMP/keys" 2> "$TMP/evread.err" &
			pid=$!
			wait_until 10 grep -qs ready "$TMP/evread.err"
			mark
			if kite_ctl type 0 "$text\\n"; then
				wait "$pid"
				st=$?
				rate "typed '$text' + Enter, read from $dev" $(( ${#text} + 1 )) keys
				grep -v '^repeats' "$TMP/keys" > "$TMP/got"
				got=$(kbd_text "$TMP/got")
				say "read back: '$got'"
				if [ "$st" -eq 0 ] && [ "$got" = "$text" ] && cmp -s "$TMP/want" "$TMP/got"; then
					pass mission-kbd-keys
				else
					fail mission-kbd-keys "evread status $st, read '$got' ($(tr '\n' , < "$TMP/got")), want '$text'"
				fi
			else
				kill "$pid" 2>/dev/null
				wait "$pid"
				fail mission-kbd-keys "kite_ctl type: $kite_ctl_reply"
			fi
		fi
	fi
	unplug mission-kbd-unplug
fi

# --- mass storage: an ext2 filesystem on the RAM disk, a file copied to it and back
# shellcheck disable=SC2086
if want_any $msc; then
	# usb-storage waits 1 s (delay_use) before it scans a new disk, for slow devices; the RAM
	# disk needs no such wait.
	echo 0 > /sys/module/usb_storage/parameters/delay_use
	if plug mission-msc-enumerated msc:blocks=2048 sda_ready; then
		tree mission-msc-tree 'Port 1: Dev [0-9]+, If 0, Class=Mass Storage, Driver=usb-storage, 12M'
		if [ "$kite_time_travel" != 1 ]; then
			# On the host's clock the bus is ~400x slow: SCSI's 30 s timeout would be ~75 ms
			# of bus time (sw-tests/storage.sh).
			echo 600 > /sys/block/sda/device/timeout
			echo 16 > /sys/block/sda/queue/max_sectors_kb
		fi
		mkdir -p "$MNT"
		kt_start mission-msc-mkfs
		mark
		read -r _ _ _ _ _ _ w0 _ < /sys/block/sda/stat
		if mke2fs -F -b 1024 -i 65536 -m 0 -L kite /dev/sda > "$TMP/mkfs" 2>&1 &&
			mount -t ext2 /dev/sda "$MNT"; then
			pass mission-msc-mkfs
			read -r _ _ _ _ _ _ w1 _ < /sys/block/sda/stat
			say "ext2 made and mounted on /dev/sda ($(($(cat /sys/block/sda/size) / 2)) KiB; mke2fs wrote $(((w1 - w0) / 2)) KiB)"
		else
			fail mission-msc-mkfs "mke2fs or mount: $(tail -3 "$TMP/mkfs" | tr '\n' ' ')"
		fi
		dd if=/dev/urandom of="$TMP/file" bs=1024 count="$FILE_KIB" 2> /dev/null
		if want_any mission-msc-copy-to mission-msc-copy-back mission-msc-from-device &&
			grep -q " $MNT " /proc/mounts; then
			kt_start mission-msc-copy-to
			mark
			if cp "$TMP/file" "$MNT/file" && sync; then
				rate "file copied to the disk (cp + sync)" $((FILE_KIB * 1024))
				pass mission-msc-copy-to
			else
				fail mission-msc-copy-to "cp or sync failed"
			fi
			# Read back from the device, not from the page cache.
			umount "$MNT" && echo 3 > /proc/sys/vm/drop_caches && mount -t ext2 /dev/sda "$MNT"
			read -r _ _ r0 _ < /sys/block/sda/stat
			kt_start mission-msc-copy-back
			mark
			if cp "$MNT/file" "$TMP/back"; then
				rate "file copied back from the disk" $((FILE_KIB * 1024))
				if cmp "$TMP/file" "$TMP/back"; then
					pass mission-msc-copy-back
				else
					fail mission-msc-copy-back "the copy differs from the original"
				fi
			else
				fail mission-msc-copy-back "cp from the disk failed"
			fi
			read -r _ _ r1 _ < /sys/block/sda/stat
			say "$(((r1 - r0) / 2)) KiB read from the device"
			check mission-msc-from-device test $((r1 - r0)) -ge $((FILE_KIB * 2))
			umount "$MNT"
		fi
	fi
	unplug mission-msc-unplug
fi

# --- gadget zero: usbtest's bulk write and read (testusb), 4 scatter-gather entries of 4 KiB
# shellcheck disable=SC2086
if want_any $gzero; then
	insmod "$KITE_MODULES/usbtest.ko" || fail mission-usbtest-insmod "insmod usbtest failed"
	if plug mission-gzero-enumerated gzero usbtest_bound; then
		tree mission-gzero-tree 'Port 1: Dev [0-9]+, If 0, Class=Vendor Specific Class, Driver=usbtest, 12M'
		for t in 27:out:write 28:in:read; do
			n=${t%%:*}
			dir=${t#*:}
			name=mission-usbtest-bulk-${dir%%:*}
			want "$name" || continue
			kt_start "$name"
			mark
			testusb -a -t "$n" -s 4096 -g 4 -c "$BULK_URBS" > "$TMP/usbtest" 2>&1
			st=$?
			bytes=$((BULK_URBS * 4 * 4096))
			grep 'secs' "$TMP/usbtest"
			# usbtest's own time (the guest's clock) of the transfers alone
			secs=$(sed -n 's/.* test [0-9]*, *\([0-9.]*\) secs/\1/p' "$TMP/usbtest")
			say "usbtest bulk ${dir#*:} (test $n): $((bytes / 1024)) KiB in $secs s of $clock ($(awk -v b="$bytes" -v s="$secs" 'BEGIN { if (s > 0) printf "%.1f", b / 1024 / s; else printf "?" }') KiB/s)"
			if [ "$st" -eq 0 ] && testusb_ok "$TMP/usbtest"; then
				pass "$name"
			else
				fail "$name" "testusb -t $n exited $st: $(tail -2 "$TMP/usbtest" | tr '\n' ' ')"
			fi
		done
	fi
	unplug mission-gzero-unplug
	rmmod usbtest
fi

# --- the bridge's counters (kite-sim, through the control channel)
if want mission-counters; then
	if kite_ctl counters; then
		say "bridge counters at the start: ${counters0#ok counters }"
		say "bridge counters at the end:   ${kite_ctl_reply#ok counters }"
		i0=$(echo "$counters0" | sed -n 's/.* irqs=\([0-9]*\).*/\1/p')
		i1=$(echo "$kite_ctl_reply" | sed -n 's/.* irqs=\([0-9]*\).*/\1/p')
		if [ -n "$i0" ] && [ -n "$i1" ] && [ "$i1" -gt "$i0" ]; then
			pass mission-counters
		else
			fail mission-counters "no interrupts counted: '$counters0' -> '$kite_ctl_reply'"
		fi
	else
		fail mission-counters "kite_ctl counters: $kite_ctl_reply"
	fi
fi

kite_unload || fail mission-unload "rmmod failed"
rm -rf "$TMP"
kt_finish
