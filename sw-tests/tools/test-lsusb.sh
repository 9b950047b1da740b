#!/bin/sh
# The guest's lsusb (sw-tests/tools/lsusb.c) against made-up sysfs trees: the output must be what
# usbutils 014's `lsusb -t` prints for them (Debian 12), byte for byte. The static guest binary
# runs on the host as well.
#
# Usage: sw-tests/tools/test-lsusb.sh LSUSB [-t PATTERN]   (or KT_FILTER=PATTERN)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/sim/testlib/kite_test.sh"
lsusb=$1
shift
kt_args "$@"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A tree as sysfs has it: devices under their controller, /sys/bus/usb/devices of links to them.
# dev PATH ATTR=VALUE...: a device directory (under $tmp/devices) with these attribute files.
dev() {
	d=$tmp/devices/$1
	shift
	mkdir -p "$d"
	for a; do
		echo "${a#*=}" > "$d/${a%%=*}"
	done
	ln -s "../../devices/$(echo "$d" | sed "s|^$tmp/devices/||")" "$tmp/bus/usb/${d##*/}"
}
# drv PATH NAME: the device at PATH is bound to the driver NAME.
drv() {
	mkdir -p "$tmp/drivers/$2"
	ln -s "$tmp/drivers/$2" "$tmp/devices/$1/driver"
}

# check_tree NAME: lsusb's output for the tree built so far is $tmp/want.
check_tree() {
	want "$1" || return 0
	if "$lsusb" -t --sysfs "$tmp/bus/usb" > "$tmp/got" 2>&1 && cmp -s "$tmp/want" "$tmp/got"; then
		pass "$1"
	else
		fail "$1" "output differs: $(diff "$tmp/want" "$tmp/got" | tr '\n' '|')"
	fi
}

mkdir -p "$tmp/bus/usb" "$tmp/devices/pci0"
drv pci0 kite_pci
dev pci0/usb1 devnum=1 bDeviceClass=09 maxchild=1 speed=12
dev pci0/usb1/1-0:1.0 bInterfaceClass=09
drv pci0/usb1/1-0:1.0 hub
printf '%s\n' '/:  Bus 01.Port 1: Dev 1, Class=root_hub, Driver=kite_pci/1p, 12M' > "$tmp/want"
check_tree lsusb-root-hub

dev pci0/usb1/1-1 devnum=2 maxchild=0 speed=12
dev pci0/usb1/1-1/1-1:1.0 bInterfaceClass=03
drv pci0/usb1/1-1/1-1:1.0 usbhid
printf '%s\n' '    |__ Port 1: Dev 2, If 0, Class=Human Interface Device, Driver=usbhid, 12M' >> "$tmp/want"
check_tree lsusb-device

# A hub on a second bus (bus 10 after bus 2), its ports listed out of order, a device with two
# interfaces (the second without a driver), a device not configured yet; a third bus of another
# controller.
rm -rf "$tmp/bus/usb/1-1" "$tmp/bus/usb/1-1:1.0"
mkdir -p "$tmp/devices/pci1" "$tmp/devices/pci2"
drv pci1 ehci-pci
drv pci2 xhci_hcd
dev pci1/usb10 devnum=1 bDeviceClass=09 maxchild=2 speed=480
dev pci2/usb2 devnum=1 bDeviceClass=09 maxchild=4 speed=5000
dev pci1/usb10/10-2 devnum=5 maxchild=4 speed=480
dev pci1/usb10/10-2/10-2:1.0 bInterfaceClass=09
drv pci1/usb10/10-2/10-2:1.0 hub
dev pci1/usb10/10-2/10-2.3 devnum=7 maxchild=0 speed=1.5
dev pci1/usb10/10-2/10-2.3/10-2.3:1.1 bInterfaceClass=03
dev pci1/usb10/10-2/10-2.3/10-2.3:1.0 bInterfaceClass=03
drv pci1/usb10/10-2/10-2.3/10-2.3:1.0 usbhid
dev pci1/usb10/10-2/10-2.1 devnum=6 maxchild=0 speed=480
dev pci1/usb10/10-2/10-2.1/10-2.1:1.0 bInterfaceClass=08
drv pci1/usb10/10-2/10-2.1/10-2.1:1.0 usb-storage
dev pci1/usb10/10-2/10-2.4 devnum=8 maxchild=0 speed=12
dev pci1/usb10/10-1 devnum=2 maxchild=0 speed=12
dev pci1/usb10/10-1/10-1:1.0 bInterfaceClass=ff
drv pci1/usb10/10-1/10-1:1.0 usbtest
cat > "$tmp/want" <<'EOF'
/:  Bus 01.Port 1: Dev 1, Class=root_hub, Driver=kite_pci/1p, 12M
/:  Bus 02.Port 1: Dev 1, Class=root_hub, Driver=xhci_hcd/4p, 5000M
/:  Bus 10.Port 1: Dev 1, Class=root_hub, Driver=ehci-pci/2p, 480M
    |__ Port 1: Dev 2, If 0, Class=Vendor Specific Class, Driver=usbtest, 12M
    |__ Port 2: Dev 5, If 0, Class=Hub, Driver=hub/4p, 480M
        |__ Port 1: Dev 6, If 0, Class=Mass Storage, Driver=usb-storage, 480M
        |__ Port 3: Dev 7, If 0, Class=Human Interface Device, Driver=usbhid, 1.5M
        |__ Port 3: Dev 7, If 1, Class=Human Interface Device, Driver=[none], 1.5M
        |__ Port 4: Dev 8, 12M
EOF
check_tree lsusb-hub-tree

if want lsusb-usage; then
	"$lsusb" > /dev/null 2>&1
	a=$?
	"$lsusb" -v > /dev/null 2>&1
	b=$?
	"$lsusb" -t --sysfs "$tmp/none" > /dev/null 2>&1
	c=$?
	if [ $a -eq 2 ] && [ $b -eq 2 ] && [ $c -eq 1 ]; then
		pass lsusb-usage
	else
		fail lsusb-usage "exit status $a (no option), $b (-v), $c (no such directory); want 2 2 1"
	fi
fi
kt_finish
