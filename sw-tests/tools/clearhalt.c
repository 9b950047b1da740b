/*
 * clearhalt DEVNODE INTF EP: clear a halted endpoint of a USB device through usbfs, even while a
 * kernel driver (usbtest) owns the interface: detach the driver, claim the interface,
 * USBDEVFS_CLEAR_HALT (usb_clear_halt(): CLEAR_FEATURE(ENDPOINT_HALT) and the host side toggle
 * reset), release it and let the kernel probe drivers again. For sw-tests/robust.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int parse(const char *s, unsigned max, unsigned *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || end == s || *end || x > max)
		return -1;
	*v = (unsigned)x;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned intf, ep;
	struct usbdevfs_ioctl cmd;
	int fd, rc = 0;

	if (argc != 4 || parse(argv[2], 255, &intf) || parse(argv[3], 0xff, &ep)) {
		fprintf(stderr, "usage: clearhalt /dev/bus/usb/BBB/DDD INTERFACE ENDPOINT (e.g. 0 0x81)\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "clearhalt: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.ifno = (int)intf;
	cmd.ioctl_code = USBDEVFS_DISCONNECT;
	if (ioctl(fd, USBDEVFS_IOCTL, &cmd) < 0 && errno != ENODATA) {
		fprintf(stderr, "clearhalt: detach interface %u: %s\n", intf, strerror(errno));
		rc = 1;
	}
	if (!rc && ioctl(fd, USBDEVFS_CLAIMINTERFACE, &intf) < 0) {
		fprintf(stderr, "clearhalt: claim interface %u: %s\n", intf, strerror(errno));
		rc = 1;
	}
	if (!rc) {
		if (ioctl(fd, USBDEVFS_CLEAR_HALT, &ep) < 0) {
			fprintf(stderr, "clearhalt: clear halt on ep 0x%02x: %s\n", ep, strerror(errno));
			rc = 1;
		}
		if (ioctl(fd, USBDEVFS_RELEASEINTERFACE, &intf) < 0) {
			fprintf(stderr, "clearhalt: release interface %u: %s\n", intf, strerror(errno));
			rc = 1;
		}
	}
	/* Let the kernel bind a driver to the interface again. */
	cmd.ioctl_code = USBDEVFS_CONNECT;
	if (ioctl(fd, USBDEVFS_IOCTL, &cmd) < 0) {
		fprintf(stderr, "clearhalt: reattach interface %u: %s\n", intf, strerror(errno));
		rc = 1;
	}
	close(fd);
	return rc;
}
