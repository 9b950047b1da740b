/*
 * usbmon2pcap [-t SECONDS] DEVICE OUT.pcap: capture Linux usbmon's binary interface
 * (/dev/usbmonN, MON_IOCX_GETX) into a pcap file of link type LINKTYPE_USB_LINUX_MMAPPED (220):
 * each record is the 64-byte struct mon_bin_hdr followed by the captured data, host byte order,
 * as libpcap writes it. Stops after SECONDS (default 60) or on SIGTERM/SIGINT; every record is
 * flushed as it is written, so a killed capture is still a valid file. Prints the number of
 * events on stderr. For sw-tests/usbmon.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* include/uapi has no usbmon header: the ABI from Documentation/usb/usbmon.rst. */
struct mon_bin_hdr {
	uint64_t id;
	unsigned char type, xfer_type, epnum, devnum;
	uint16_t busnum;
	char flag_setup, flag_data;
	int64_t ts_sec;
	int32_t ts_usec;
	int32_t status;
	uint32_t len_urb, len_cap;
	union {
		unsigned char setup[8];
		struct {
			int32_t error_count, numdesc;
		} iso;
	} s;
	int32_t interval, start_frame;
	uint32_t xfer_flags, ndesc;
};

struct mon_bin_get {
	struct mon_bin_hdr *hdr;
	void *data;
	size_t alloc;
};

#define MON_IOC_MAGIC 0x92
#define MON_IOCX_GETX _IOW(MON_IOC_MAGIC, 10, struct mon_bin_get)

#define LINKTYPE_USB_LINUX_MMAPPED 220
#define DATA_MAX 65536

_Static_assert(sizeof(struct mon_bin_hdr) == 64, "mon_bin_hdr must be 64 bytes");

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int put(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	double limit = 60, end;
	const char *dev, *out;
	static unsigned char data[DATA_MAX];
	struct mon_bin_hdr hdr;
	struct mon_bin_get get;
	struct sigaction sa;
	unsigned long events = 0;
	FILE *f;
	int fd, opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		char *e;

		if (opt != 't')
			goto usage;
		limit = strtod(optarg, &e);
		if (e == optarg || *e || !(limit > 0) || limit > 86400)
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	dev = argv[optind];
	out = argv[optind + 1];

	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "usbmon2pcap: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "usbmon2pcap: %s: %s\n", out, strerror(errno));
		return 1;
	}
	{
		/* pcap global header, native byte order (the magic tells readers which). */
		struct {
			uint32_t magic;
			uint16_t major, minor;
			int32_t thiszone;
			uint32_t sigfigs, snaplen, network;
		} gh = { 0xa1b2c3d4, 2, 4, 0, 0, sizeof(struct mon_bin_hdr) + DATA_MAX,
			 LINKTYPE_USB_LINUX_MMAPPED };

		if (put(f, &gh, sizeof(gh)) || fflush(f)) {
			fprintf(stderr, "usbmon2pcap: write %s: %s\n", out, strerror(errno));
			return 1;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a blocked poll() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	end = now() + limit;
	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = end - now();
		int r;

		if (left <= 0)
			break;
		r = poll(&pfd, 1, left > 0.2 ? 200 : (int)(left * 1000) + 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "usbmon2pcap: poll: %s\n", strerror(errno));
			return 1;
		}
		if (r == 0)
			continue;
		get.hdr = &hdr;
		get.data = data;
		get.alloc = sizeof(data);
		if (ioctl(fd, MON_IOCX_GETX, &get) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "usbmon2pcap: MON_IOCX_GETX: %s\n", strerror(errno));
			return 1;
		}
		{
			uint32_t cap = hdr.len_cap < DATA_MAX ? hdr.len_cap : DATA_MAX;
			struct {
				uint32_t sec, usec, incl, orig;
			} rh = { (uint32_t)hdr.ts_sec, (uint32_t)hdr.ts_usec,
				 (uint32_t)sizeof(hdr) + cap, (uint32_t)sizeof(hdr) + hdr.len_urb };

			if (rh.orig < rh.incl)
				rh.orig = rh.incl;
			if (put(f, &rh, sizeof(rh)) || put(f, &hdr, sizeof(hdr)) || put(f, data, cap) ||
			    fflush(f)) {
				fprintf(stderr, "usbmon2pcap: write %s: %s\n", out, strerror(errno));
				return 1;
			}
		}
		events++;
	}
	if (fclose(f)) {
		fprintf(stderr, "usbmon2pcap: close %s: %s\n", out, strerror(errno));
		return 1;
	}
	close(fd);
	fprintf(stderr, "usbmon2pcap: %lu events\n", events);
	return 0;
usage:
	fprintf(stderr, "usage: usbmon2pcap [-t SECONDS] /dev/usbmonN OUT.pcap\n");
	return 2;
}
