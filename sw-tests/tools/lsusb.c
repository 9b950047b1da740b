// SPDX-License-Identifier: MIT
/*
 * lsusb: the USB device tree as `lsusb -t` prints it (usbutils 014, Debian 12), for the busybox
 * guest, which has no lsusb (guest tool for sw-tests/mission.sh).
 *
 *   lsusb -t [--sysfs DIR]
 *
 * Walks /sys/bus/usb/devices (or DIR, for tests): one line per bus (its root hub), then per
 * device one line per interface, indented by depth, ports in order:
 *
 *   /:  Bus 01.Port 1: Dev 1, Class=root_hub, Driver=kite_pci/1p, 12M
 *       |__ Port 1: Dev 2, If 0, Class=Human Interface Device, Driver=usbhid, 12M
 *
 * Class names are usb.ids' for the interface classes; an interface without a driver shows
 * Driver=[none]; a device without interfaces (not configured) shows "Port P: Dev D, SPEEDM".
 * Only -t: the other listings need the usb.ids names. Exit status 0, 1 if the directory cannot
 * be read, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ENTRIES 512

static const char *root = "/sys/bus/usb/devices";
static char *names[MAX_ENTRIES];
static int n_names;

/* usb.ids' names of the base classes. */
static const char *class_name(unsigned int c)
{
	switch (c) {
	case 0x00: return "(Defined at Interface level)";
	case 0x01: return "Audio";
	case 0x02: return "Communications";
	case 0x03: return "Human Interface Device";
	case 0x05: return "Physical Interface Device";
	case 0x06: return "Imaging";
	case 0x07: return "Printer";
	case 0x08: return "Mass Storage";
	case 0x09: return "Hub";
	case 0x0a: return "CDC Data";
	case 0x0b: return "Chip/SmartCard";
	case 0x0d: return "Content Security";
	case 0x0e: return "Video";
	case 0x0f: return "Personal Healthcare";
	case 0x10: return "Audio/Video";
	case 0x11: return "Billboard";
	case 0x12: return "Type-C Bridge";
	case 0xdc: return "Diagnostic";
	case 0xe0: return "Wireless";
	case 0xef: return "Miscellaneous Device";
	case 0xfe: return "Application Specific Interface";
	case 0xff: return "Vendor Specific Class";
	}
	return "[unknown]";
}

/* The first line of ENTRY/ATTR, without its newline ("" if there is none). */
static void attr(const char *entry, const char *name, char *buf, size_t len)
{
	char path[4096];
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/%s/%s", root, entry, name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static unsigned int attr_num(const char *entry, const char *name, int base)
{
	char buf[64];

	attr(entry, name, buf, sizeof(buf));
	return (unsigned int)strtoul(buf, NULL, base);
}

/* The last component of the link ENTRY/LINK (a driver's name), or NONE. */
static void link_name(const char *entry, const char *link, char *buf, size_t len,
		      const char *none)
{
	char path[4096], target[4096];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), "%s/%s/%s", root, entry, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(buf, len, "%s", none);
		return;
	}
	target[n] = 0;
	base = strrchr(target, '/');
	snprintf(buf, len, "%.*s", (int)len - 1, base ? base + 1 : target);
}

/* The port number of device NAME ("1-2.3" -> 3). */
static unsigned int port_of(const char *name)
{
	const char *p = name + strlen(name);

	while (p > name && isdigit((unsigned char)p[-1]))
		p--;
	return (unsigned int)strtoul(p, NULL, 10);
}

/* NAME is a device (not an interface, not a root hub) whose parent is PARENT: "B-" for the
 * root ports of bus B, a device name for the ports of a hub. */
static int is_child(const char *name, const char *parent)
{
	size_t n = strlen(parent);
	const char *rest;

	if (strncmp(name, parent, n) || strchr(name, ':'))
		return 0;
	rest = name + n;
	if (parent[n - 1] != '-') {
		if (*rest != '.')
			return 0;
		rest++;
	}
	if (!*rest)
		return 0;
	for (; *rest; rest++)
		if (!isdigit((unsigned char)*rest))
			return 0;
	return 1;
}

/* Interface NAME ("1-1:1.0") of device DEV: configuration and interface number. */
static int interface_of(const char *name, const char *dev, unsigned int *cfg, unsigned int *ifn)
{
	size_t n = strlen(dev);

	return !strncmp(name, dev, n) && name[n] == ':' && sscanf(name + n + 1, "%u.%u", cfg, ifn) == 2;
}

static int by_port(const void *a, const void *b)
{
	unsigned int pa = port_of(*(char *const *)a), pb = port_of(*(char *const *)b);

	return (pa > pb) - (pa < pb);
}

static int by_interface(const void *a, const void *b)
{
	unsigned int ca, ia, cb, ib;

	sscanf(strchr(*(char *const *)a, ':') + 1, "%u.%u", &ca, &ia);
	sscanf(strchr(*(char *const *)b, ':') + 1, "%u.%u", &cb, &ib);
	if (ca != cb)
		return (ca > cb) - (ca < cb);
	return (ia > ib) - (ia < ib);
}

static void print_device(const char *dev, int indent)
{
	char *ifs[64], speed[32], drv[256];
	unsigned int devnum = attr_num(dev, "devnum", 10), cfg, ifn;
	int n = 0;

	attr(dev, "speed", speed, sizeof(speed));
	for (int i = 0; i < n_names && n < 64; i++)
		if (interface_of(names[i], dev, &cfg, &ifn))
			ifs[n++] = names[i];
	qsort(ifs, n, sizeof(ifs[0]), by_interface);
	if (!n)
		printf(" %*s" "Port %u: Dev %u, %sM\n", indent, "|__ ", port_of(dev), devnum, speed);
	for (int i = 0; i < n; i++) {
		unsigned int cls = attr_num(ifs[i], "bInterfaceClass", 16);

		sscanf(strchr(ifs[i], ':') + 1, "%u.%u", &cfg, &ifn);
		link_name(ifs[i], "driver", drv, sizeof(drv), "[none]");
		printf(" %*s" "Port %u: Dev %u, If %u, Class=%s, Driver=%s", indent, "|__ ",
		       port_of(dev), devnum, ifn, class_name(cls), drv);
		/* a hub's interface also shows its number of ports */
		if (cls == 0x09)
			printf("/%up", attr_num(dev, "maxchild", 10));
		printf(", %sM\n", speed);	}
}

/* The devices below PARENT ("B-" or a hub's name), ports in order, depth first. */
static void print_children(const char *parent, int indent)
{
	char *kids[64];
	int n = 0;

	for (int i = 0; i < n_names && n < 64; i++)
		if (is_child(names[i], parent))
			kids[n++] = names[i];
	qsort(kids, n, sizeof(kids[0]), by_port);
	/* usbutils' indentation: 4 more per level, the "|__ " right-aligned 3 further in */
	indent += 4;
	for (int i = 0; i < n; i++) {
		print_device(kids[i], indent + 3);
		print_children(kids[i], indent);
	}
}

static int by_bus(const void *a, const void *b)
{
	unsigned long ba = strtoul(*(char *const *)a + 3, NULL, 10);
	unsigned long bb = strtoul(*(char *const *)b + 3, NULL, 10);

	return (ba > bb) - (ba < bb);
}

static int is_bus(const char *name)
{
	return !strncmp(name, "usb", 3) && isdigit((unsigned char)name[3]);
}

int main(int argc, char **argv)
{
	char *buses[64], speed[32], drv[256], parent[32];
	struct dirent *de;
	int nb = 0;
	DIR *d;

	if (argc == 4 && !strcmp(argv[1], "-t") && !strcmp(argv[2], "--sysfs")) {
		root = argv[3];
	} else if (argc != 2 || strcmp(argv[1], "-t")) {
		fprintf(stderr, "usage: lsusb -t [--sysfs DIR] (only the tree: this guest has no usb.ids)\n");
		return 2;
	}
	d = opendir(root);
	if (!d) {
		perror(root);
		return 1;
	}
	while ((de = readdir(d)) && n_names < MAX_ENTRIES) {
		if (de->d_name[0] == '.')
			continue;
		names[n_names] = strdup(de->d_name);
		if (!names[n_names]) {
			perror("lsusb");
			return 1;
		}
		if (is_bus(names[n_names]) && nb < 64)
			buses[nb++] = names[n_names];
		n_names++;
	}
	closedir(d);
	qsort(buses, nb, sizeof(buses[0]), by_bus);
	for (int i = 0; i < nb; i++) {
		unsigned int busnum = (unsigned int)strtoul(buses[i] + 3, NULL, 10);
		unsigned int cls = attr_num(buses[i], "bDeviceClass", 16);
		char cls_str[64];

		attr(buses[i], "speed", speed, sizeof(speed));
		/* The root hub's driver is its parent's: the host controller's. */
		link_name(buses[i], "../driver", drv, sizeof(drv), "");
		if (cls == 0x09)
			snprintf(cls_str, sizeof(cls_str), "root_hub");
		else
			snprintf(cls_str, sizeof(cls_str), "'bDeviceClass 0x%02x not yet handled'", cls);
		printf("/:  Bus %02u.Port %u: Dev %u, Class=%s, Driver=%s/%up, %sM\n", busnum, 1,
		       attr_num(buses[i], "devnum", 10), cls_str, drv, attr_num(buses[i], "maxchild", 10),
		       speed);
		snprintf(parent, sizeof(parent), "%u-", busnum);
		print_children(parent, 0);
	}
	return 0;
}
