#!/bin/sh
# USB mass storage through the kite HCD: usb-storage binds the msc model (RAM disk), the test
# makes an ext2 filesystem on /dev/sda, writes files of several sizes, unmounts, drops the
# caches, mounts again and compares checksums (the read-back must reach the device: the disk's
# read-sector count has to grow by at least the files' size). Kept to ~130 KiB of file data:
# a simulated millisecond (at most ~1.2 KB of bulk data at full speed) costs ~0.4 s of wall time.
#
# Run: scripts/cosim.sh --script sw-tests/storage.sh --port 0=msc:blocks=8192
. /kite/tests/lib.sh

MNT=/mnt/usb

# sectors read so far from sda (field 3 of /sys/block/sda/stat)
sda_read_sectors() {
	awk '{ print $3 }' /sys/block/sda/stat
}

now() { cut -d' ' -f1 /proc/uptime; }

# diag: evidence for a failure: the controller's port and statistics (driver debugfs) and the
# kernel log's USB, SCSI and block lines.
diagnosed=0
diag() {
	[ $diagnosed = 1 ] && return
	diagnosed=1
	echo "storage: --- diagnostics ---"
	for f in /sys/kernel/debug/kite/*/ports /sys/kernel/debug/kite/*/stats; do
		[ -f "$f" ] && { echo "storage: $f:"; cat "$f"; }
	done
	dmesg | grep -E 'usb|sd |sda|scsi|kite|EXT2' | grep -v 'access beyond end' | tail -40
	echo "storage: --- end of diagnostics ---"
}
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The filesystem's tests, each needing the steps before it.
fs="storage-mkfs storage-mount storage-write storage-sizes storage-umount storage-remount
	storage-checksums storage-read-from-device storage-listing storage-umount2"
# shellcheck disable=SC2086
want_any storage-sda storage-usb-storage-bound storage-sda-on-kite $fs storage-no-errors ||
	{ kt_finish; exit; }

kite_load selftest=0 || { fail storage-load "insmod failed"; exit 1; }

t=$(now)
kt_start storage-sda
if wait_until 90 sda_ready; then
	pass storage-sda
	echo "storage: /dev/sda $(cat /sys/block/sda/size) sectors after $(took "$t") s, $(cat /sys/block/sda/device/vendor 2>/dev/null) $(cat /sys/block/sda/device/model 2>/dev/null)"
else
	fail storage-sda "no /dev/sda with a size after 90 s"
	dmesg | tail -40
	kite_unload
	exit 1
fi
check storage-usb-storage-bound test -d /sys/bus/usb/drivers/usb-storage/1-1:1.0
# The guest's clock is wall time, ~400x faster than the simulated bus: sd's 30 s SCSI command
# timeout is only ~75 ms of bus time, about what one 120 KiB WRITE (usb-storage's default
# max_sectors 240) takes. With a second co-simulation on the machine, the SCSI error handler
# aborted such a WRITE and usb-storage reset the device in the middle of the sync (seen twice).
# Smaller commands (16 KiB, ~14 ms of bus time) and a 600 s timeout keep it out of the way.
echo 600 > /sys/block/sda/device/timeout
echo 16 > /sys/block/sda/queue/max_sectors_kb
echo "storage: SCSI timeout $(cat /sys/block/sda/device/timeout) s, max_sectors_kb $(cat /sys/block/sda/queue/max_sectors_kb)"
if want storage-sda-on-kite; then
	case $(readlink -f /sys/block/sda/device) in
	*/usb1/1-1/*) pass storage-sda-on-kite ;;
	*) fail storage-sda-on-kite "sda is $(readlink -f /sys/block/sda/device)" ;;
	esac
fi

# shellcheck disable=SC2086
if want_any $fs; then
	tmp=$(mktemp -d)
	mkdir -p "$MNT"
	t=$(now)
	# 64 KiB per inode: mke2fs then writes ~26 KB of metadata instead of ~150 KB.
	kt_start storage-mkfs
	if mke2fs -F -i 65536 -L kite /dev/sda > "$tmp/mkfs" 2>&1; then
		pass storage-mkfs
	else
		fail storage-mkfs "mke2fs: $(tail -3 "$tmp/mkfs" | tr '\n' ' ')"
	fi
	echo "storage: mke2fs took $(took "$t") s"

	if mount -t ext2 /dev/sda "$MNT"; then
		pass storage-mount
	else
		fail storage-mount "mount -t ext2 /dev/sda failed"
		dmesg | tail -30
		kite_unload
		exit 1
	fi

	# Files: 1 B, 4 KiB, 100 KiB and one of an odd size (17 KiB + 3), random contents.
	t=$(now)
	kt_start storage-write
	ok=1
	for spec in one:1:1 page:4096:1 big:1024:100 odd:17411:1; do
		f=${spec%%:*}
		rest=${spec#*:}
		bs=${rest%%:*}
		cnt=${rest#*:}
		dd if=/dev/urandom of="$tmp/$f" bs="$bs" count="$cnt" 2>/dev/null && cp "$tmp/$f" "$MNT/$f" || ok=0
	done
	sync || ok=0
	if [ $ok = 1 ] && ! dmesg | grep -q 'usb 1-1: USB disconnect'; then
		pass storage-write
	else
		fail storage-write "dd/cp/sync failed or the device disconnected"
		diag
	fi
	echo "storage: wrote $(du -sk "$MNT" | cut -f1) KiB in $(took "$t") s"
	(cd "$tmp" && md5sum one page big odd) > "$tmp/sums"
	cat "$tmp/sums"
	bytes=$(cat "$tmp/one" "$tmp/page" "$tmp/big" "$tmp/odd" | wc -c)
	check storage-sizes test "$bytes" -eq $((1 + 4096 + 102400 + 17411))

	t=$(now)
	if umount "$MNT"; then pass storage-umount; else fail storage-umount "umount failed"; fi
	echo 3 > /proc/sys/vm/drop_caches
	r0=$(sda_read_sectors)
	if mount -t ext2 /dev/sda "$MNT"; then
		pass storage-remount
		kt_start storage-checksums
		if (cd "$MNT" && md5sum -c "$tmp/sums"); then
			pass storage-checksums
		else
			fail storage-checksums "md5sum -c after remount failed"
		fi
		r1=$(sda_read_sectors)
		echo "storage: remount + read back: $((r1 - r0)) sectors read in $(took "$t") s"
		# The files' data must have come from the device, not from a cache.
		check storage-read-from-device test $((r1 - r0)) -ge $((bytes / 512))
		check storage-listing test "$(ls "$MNT" | grep -v lost+found | sort | tr '\n' ' ')" = "big odd one page "
		umount "$MNT" && pass storage-umount2 || fail storage-umount2 "umount failed"
	else
		fail storage-remount "mount after umount failed"
		diag
	fi
fi

# Transport trouble shows up as resets of the device.
if ! want storage-no-errors; then
	:
elif dmesg | grep -Eq 'usb 1-1: reset|usb-storage.*(error|timed out)|I/O error'; then
	fail storage-no-errors "$(dmesg | grep -E 'usb 1-1: reset|usb-storage.*(error|timed out)|I/O error' | head -5 | tr '\n' ' ')"
else
	pass storage-no-errors
fi
[ "$kite_failures" -eq 0 ] || diag
rm -rf "${tmp:-}"

kite_unload || fail storage-unload "rmmod failed"
kt_finish
