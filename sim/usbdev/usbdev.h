/* SPDX-License-Identifier: MIT */
/*
 * usbdev: packet-level USB device models for the kite simulation (docs/device-models.md).
 *
 * A struct usbdev is a device: descriptors, address, configuration, endpoints with their own
 * halt and data toggle, chapter 9 handled by the framework, class/vendor requests and data
 * endpoints by the implementation's callbacks, and per-endpoint fault injection.
 *
 * A struct usbdev_port is an attachment of a device to one root port of the kite model. It
 * implements struct kite_port_backend at the UTMI level (utmi_phy.c) or at the line level
 * (line.c). One device per root port; several ports may each carry one device.
 */
#ifndef USBDEV_H
#define USBDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kite_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- packets */

enum usb_pid {
	USB_PID_OUT = 0x1, USB_PID_IN = 0x9, USB_PID_SOF = 0x5, USB_PID_SETUP = 0xd,
	USB_PID_DATA0 = 0x3, USB_PID_DATA1 = 0xb, USB_PID_DATA2 = 0x7, USB_PID_MDATA = 0xf,
	USB_PID_ACK = 0x2, USB_PID_NAK = 0xa, USB_PID_STALL = 0xe, USB_PID_NYET = 0x6,
	USB_PID_PRE = 0xc,
};

/* The PID byte on the wire: PID in bits 3:0, its complement (check bits) in bits 7:4. */
static inline uint8_t usb_pid_byte(unsigned pid) { return (uint8_t)((pid & 0xf) | ((~pid & 0xf) << 4)); }

/* CRC5 of an 11-bit token field (addr | ep << 7), as the 5 bits sent. */
uint8_t usb_crc5(uint16_t field11);
/* CRC16 of a data payload, as sent (low byte first on the wire). */
uint16_t usb_crc16(const uint8_t *buf, size_t len);
/* Build a token packet (3 bytes: PID, field low, field high|CRC5) into buf. */
void usb_make_token(uint8_t buf[3], unsigned pid, unsigned addr, unsigned ep);
/* Build a data packet (PID, payload, CRC16 lo, hi) into buf; returns its length (len + 3). */
size_t usb_make_data(uint8_t *buf, unsigned pid, const uint8_t *data, size_t len);

#define USBDEV_MAX_PKT 1100   /* largest packet on the wire: PID + 1023 + babble + CRC */

/* What the device sends back for one received packet. len == 0: no response. */
struct usbdev_pkt {
	uint8_t buf[USBDEV_MAX_PKT];
	unsigned len;                /* bytes on the wire: PID, payload, CRC */
	bool stuff_error;            /* send it with a bit-stuff error (fault) */
	bool detach_after;           /* detach from the line once it has been sent (fault) */
};

/* ---------------------------------------------------------------- descriptors */

#define USBDEV_MAX_CONFIGS 4
#define USBDEV_MAX_INTFS 4
#define USBDEV_MAX_ALTS 4
#define USBDEV_MAX_ALT_EPS 8
#define USBDEV_MAX_STRINGS 16

enum usb_ep_type { USB_EP_CONTROL = 0, USB_EP_ISO = 1, USB_EP_BULK = 2, USB_EP_INT = 3 };

struct usbdev_ep_desc {
	uint8_t addr;                /* bEndpointAddress: bit 7 IN */
	uint8_t type;                /* enum usb_ep_type */
	uint16_t mps;                /* wMaxPacketSize */
	uint8_t interval;            /* bInterval */
};

struct usbdev_alt_desc {
	uint8_t cls, subcls, proto, istr;
	unsigned num_eps;
	struct usbdev_ep_desc eps[USBDEV_MAX_ALT_EPS];
	const uint8_t *extra;        /* class descriptors placed before the endpoints (e.g. HID) */
	unsigned extra_len;
};

struct usbdev_intf_desc {
	unsigned num_alts;
	struct usbdev_alt_desc alts[USBDEV_MAX_ALTS];
};

struct usbdev_config_desc {
	uint8_t value;               /* bConfigurationValue */
	uint8_t attributes;          /* bmAttributes (0x80 | 0x40 self powered | 0x20 remote wakeup) */
	uint8_t max_power;           /* bMaxPower, 2 mA units */
	uint8_t istr;
	unsigned num_intfs;
	struct usbdev_intf_desc intfs[USBDEV_MAX_INTFS];
};

struct usbdev_desc {
	uint16_t bcd_usb, vid, pid, bcd_device;
	uint8_t cls, subcls, proto, mps0;
	uint8_t imanufacturer, iproduct, iserial;
	bool low_speed;              /* attaches as a low-speed device */
	unsigned num_configs;
	struct usbdev_config_desc configs[USBDEV_MAX_CONFIGS];
	const char *strings[USBDEV_MAX_STRINGS];  /* index 1.. (ASCII); index 0 is LANGID 0x0409 */
};

/* ---------------------------------------------------------------- device */

struct usb_setup {
	uint8_t bmRequestType, bRequest;
	uint16_t wValue, wIndex, wLength;
};

/* Return values of the data endpoint callbacks besides a length / 0. */
#define USBDEV_NAK (-1)
#define USBDEV_STALL (-2)

enum usbdev_ctl_stage {
	USBDEV_CTL_SETUP,            /* setup stage: IN / no-data requests answer now; OUT+data: accept (>= 0) or stall */
	USBDEV_CTL_DATA_DONE,        /* OUT data stage complete, data in buf */
};

struct usbdev;

struct usbdev_ops {
	/*
	 * Control requests the framework does not handle itself (class, vendor, and standard
	 * ones it does not know, e.g. GET_DESCRIPTOR of a HID report). buf holds up to 4096
	 * bytes. IN requests: fill buf and return the length (the framework truncates it to
	 * wLength). Return < 0 to STALL.
	 */
	int (*control)(struct usbdev *d, enum usbdev_ctl_stage stage, const struct usb_setup *s,
		       uint8_t *buf);
	/* IN token on endpoint ep (1..15), new packet: fill at most max bytes, return the length, USBDEV_NAK or USBDEV_STALL. */
	int (*in)(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max);
	/* The last IN packet of ep was acknowledged (not called for iso). */
	void (*in_done)(struct usbdev *d, unsigned ep);
	/* OUT data on endpoint ep: return 0 (ACK), USBDEV_NAK or USBDEV_STALL. */
	int (*out)(struct usbdev *d, unsigned ep, const uint8_t *buf, unsigned len);
	/* Configuration (0: unconfigured) or alternate setting changed; bus reset. All optional. */
	void (*set_config)(struct usbdev *d, unsigned value);
	void (*set_interface)(struct usbdev *d, unsigned intf, unsigned alt);
	void (*bus_reset)(struct usbdev *d);
	void (*sof)(struct usbdev *d, unsigned frame);
	void (*destroy)(struct usbdev *d);
};

/* Fault controls (usbdev_fault). Each is per endpoint; counts are consumed as they trigger. */
enum usbdev_fault {
	USBDEV_FAULT_NONE = 0,       /* clear every fault of the endpoint (the halt too) */
	USBDEV_FAULT_NAK,            /* NAK the next n IN tokens / OUT data packets */
	USBDEV_FAULT_STALL,          /* n > 0: halt the endpoint (STALL until CLEAR_FEATURE); n == 0: clear the halt */
	USBDEV_FAULT_SILENT,         /* no response at all for the next n transactions */
	USBDEV_FAULT_CRC,            /* corrupt the CRC16 of the next n data packets sent */
	USBDEV_FAULT_STUFF,          /* send the next n data packets with a bit-stuff error */
	USBDEV_FAULT_BABBLE,         /* the next n IN data packets are MPS + 8 bytes long */
	USBDEV_FAULT_TOGGLE,         /* the next n IN data packets carry the wrong DATA0/1 PID (and are resent) */
	USBDEV_FAULT_DISCONNECT,     /* detach from the line after n more packets sent on this endpoint (0: at the next token) */
	USBDEV_FAULT_COUNT
};

struct usbdev_ep {
	bool enabled, halted;
	uint8_t type;                /* enum usb_ep_type */
	uint16_t mps;
	uint8_t toggle;              /* next DATA PID to send / expect: 0 DATA0, 1 DATA1 */
	bool in_pending;             /* an IN packet was sent and not yet acknowledged */
	bool in_bad_toggle;          /* ... sent with the wrong toggle (TOGGLE fault) */
	unsigned in_len;
	uint8_t in_buf[USBDEV_MAX_PKT];
	unsigned fault[USBDEV_FAULT_COUNT];
	bool disc_armed;
};

struct usbdev_stats {
	uint64_t tokens, sofs, setups, in_tokens, out_tokens;
	uint64_t data_rx, data_tx, acks_tx, naks_tx, stalls_tx, acks_rx;
	uint64_t bad_pid, bad_crc5, bad_crc16, rx_errors, toggle_ignored, unexpected;
	uint64_t resets, suspends, resumes, wakeups, faults_fired;
};

enum usbdev_xstate { USBDEV_X_IDLE, USBDEV_X_DATA, USBDEV_X_HANDSHAKE };
enum usbdev_ctl_phase { USBDEV_CTL_IDLE, USBDEV_CTL_DATA_IN, USBDEV_CTL_DATA_OUT, USBDEV_CTL_STATUS_IN,
			USBDEV_CTL_STATUS_OUT, USBDEV_CTL_STALLED };

#define USBDEV_CTL_BUF 4096

/* Public so that tests and devices can read the state; change it only through the functions. */
struct usbdev {
	const char *name;
	struct usbdev_desc desc;
	const struct usbdev_ops *ops;
	void *priv;                  /* the implementation's data */
	bool verbose;                /* log every transaction to stderr (also USBDEV_DEBUG=1) */

	uint8_t addr;                /* current address (0 after reset) */
	uint8_t new_addr;            /* SET_ADDRESS value, effective after the status stage */
	bool addr_pending;
	uint8_t config;              /* bConfigurationValue, 0 unconfigured */
	int config_idx;              /* index into desc.configs, -1 unconfigured */
	uint8_t alt[USBDEV_MAX_INTFS];
	bool remote_wakeup_enabled;  /* SET_FEATURE(DEVICE_REMOTE_WAKEUP) */
	bool wakeup_request;         /* usbdev_remote_wakeup() called and not yet signalled */
	bool suspended;
	uint16_t frame;              /* last SOF frame number */
	bool detach_req;             /* set by the DISCONNECT fault; the attachment detaches */

	struct usbdev_ep ep[2][16];  /* [dir: 0 OUT, 1 IN][number]; EP0 uses ep[0][0] for both */

	/* transaction and control transfer state */
	enum usbdev_xstate xstate;
	uint8_t xpid, xep;
	enum usbdev_ctl_phase ctl;
	struct usb_setup setup;
	unsigned ctl_len, ctl_pos;
	bool ctl_zlp;
	uint8_t ctl_buf[USBDEV_CTL_BUF + 64];

	struct usbdev_stats stats;
};

/*
 * Create a device from its descriptors and callbacks (desc is copied; strings must stay
 * valid). Returns NULL (with a message) if the descriptors are inconsistent.
 */
struct usbdev *usbdev_create(const char *name, const struct usbdev_desc *desc,
			     const struct usbdev_ops *ops, void *priv);
void usbdev_destroy(struct usbdev *d);

/* Packet entry points (what an attachment calls). resp->len = 0 means no response. */
void usbdev_rx_packet(struct usbdev *d, const uint8_t *pkt, unsigned len, bool rx_error,
		      struct usbdev_pkt *resp);
void usbdev_token(struct usbdev *d, unsigned pid, unsigned addr, unsigned ep, bool crc_ok,
		  struct usbdev_pkt *resp);
void usbdev_data(struct usbdev *d, unsigned pid, const uint8_t *data, unsigned len, bool crc_ok,
		 struct usbdev_pkt *resp);
void usbdev_handshake(struct usbdev *d, unsigned pid);

/* Bus events (the attachments detect them from the line). */
void usbdev_bus_reset(struct usbdev *d);
void usbdev_suspend(struct usbdev *d);
void usbdev_resume(struct usbdev *d);
/* Ask for a remote wake-up: signalled once suspended (>= 5 ms) if the host enabled it. */
void usbdev_remote_wakeup(struct usbdev *d);

/* Fault injection on endpoint ep_addr (0x81 = EP1 IN; 0x00 and 0x80 both mean EP0). 0 or -EINVAL. */
int usbdev_fault(struct usbdev *d, unsigned ep_addr, enum usbdev_fault f, unsigned count);
const char *usbdev_fault_name(enum usbdev_fault f);

/* Build the configuration descriptor of desc.configs[idx] into buf; returns wTotalLength. */
unsigned usbdev_config_descriptor(const struct usbdev *d, unsigned idx, uint8_t *buf, unsigned cap);

/* ---------------------------------------------------------------- gadget zero */

enum usbdev_gzero_pattern { USBDEV_GZ_PATTERN_ZERO = 0, USBDEV_GZ_PATTERN_MOD63 = 1, USBDEV_GZ_PATTERN_NONE = 2 };

struct usbdev_gzero_opts {
	unsigned pattern;            /* enum usbdev_gzero_pattern: 0 zeros (zero.c and usbtest default), 1 mod63, 2 none */
	bool intr;                   /* variant with interrupt IN/OUT endpoints (EP3) in every alt setting */
	bool loopback_first;         /* loopback (2) as configuration index 0 (zero.c loopdefault) */
	unsigned iso_mps;            /* iso wMaxPacketSize, 0 = 1023 (f_sourcesink at FS) */
	unsigned iso_interval;       /* 0 = 4 */
	unsigned int_mps;            /* 0 = 64 */
	unsigned int_interval;       /* 0 = 1 */
	unsigned loop_qlen;          /* loopback buffer, packets; 0 = 32 */
};

struct usbdev_gzero_stats {
	uint64_t out_bytes, in_bytes, iso_out_bytes, iso_in_bytes, int_out_bytes, int_in_bytes;
	uint64_t pattern_errors;     /* OUT packets whose data did not match the pattern (the sink halts) */
	uint64_t loop_packets;
};

/* Gadget zero 0525:a4a0 (source/sink config 3, loopback config 2). opts NULL: defaults. */
struct usbdev *usbdev_gzero_create(const struct usbdev_gzero_opts *opts);
void usbdev_gzero_get_stats(const struct usbdev *d, struct usbdev_gzero_stats *st);
/* The byte gadget zero sends at offset i of a packet of an endpoint with max packet mps. */
uint8_t usbdev_gzero_pattern_byte(unsigned pattern, unsigned i, unsigned mps);

/* ---------------------------------------------------------------- attachments */

struct usbdev_port_opts {
	/* Device turnaround: from the end of the host's EOP to the start of the device's SYNC, in
	 * quarter bit times (one FS bit = 4 usb_clk, one LS bit = 32). 0 = 16 (4 bit times). */
	unsigned turnaround_q;
	bool utmi_model_stuffing;    /* UTMI: pace txready / rxvalid with the stuffed bits too */
	unsigned wakeup_k_us;        /* remote wake-up K length, 0 = 2000 (1..15 ms allowed) */
	unsigned suspend_us;         /* idle time before the device suspends, 0 = 3000 */
	bool verbose;                /* log bus events to stderr */
};

struct usbdev_port_stats {
	uint64_t cycles, packets_rx, packets_tx, rx_errors, resets, keepalives;
	uint64_t contention;         /* line: cycles where host and device both drove the bus */
	uint64_t speed_mismatch;     /* UTMI: host packets sent with the wrong xcvrselect (ignored) */
	uint64_t wakeups, detaches;
};

struct usbdev_port;

/* Create an attachment (kind: KITE_ATTACH_UTMI or KITE_ATTACH_LINE); opts NULL: defaults. */
struct usbdev_port *usbdev_port_create(enum kite_attach kind, const struct usbdev_port_opts *opts);
/* Destroy the port (not the device). */
void usbdev_port_destroy(struct usbdev_port *p);
/* The backend to pass to kite_model_set_port(); valid while the port exists. */
struct kite_port_backend usbdev_port_backend(struct usbdev_port *p);
/* Connect a device (pull-up on) / disconnect it (pull-up off, ongoing packets dropped). */
int usbdev_attach(struct usbdev_port *p, struct usbdev *d);
void usbdev_detach(struct usbdev_port *p);
struct usbdev *usbdev_port_device(const struct usbdev_port *p);
bool usbdev_port_attached(const struct usbdev_port *p);
void usbdev_port_get_stats(const struct usbdev_port *p, struct usbdev_port_stats *st);

/* ---------------------------------------------------------------- HID boot keyboard (hid_keyboard.c) */

/* Modifier bits of a boot keyboard report (byte 0). */
#define USBDEV_KBD_MOD_LCTRL 0x01
#define USBDEV_KBD_MOD_LSHIFT 0x02
#define USBDEV_KBD_MOD_LALT 0x04
#define USBDEV_KBD_MOD_LGUI 0x08
#define USBDEV_KBD_MOD_RCTRL 0x10
#define USBDEV_KBD_MOD_RSHIFT 0x20
#define USBDEV_KBD_MOD_RALT 0x40
#define USBDEV_KBD_MOD_RGUI 0x80

/* LED bits of the output report (SET_REPORT), as usbdev_kbd_leds() returns them. */
#define USBDEV_KBD_LED_NUM 0x01
#define USBDEV_KBD_LED_CAPS 0x02
#define USBDEV_KBD_LED_SCROLL 0x04
#define USBDEV_KBD_LED_COMPOSE 0x08
#define USBDEV_KBD_LED_KANA 0x10

struct usbdev_kbd_opts {
	bool low_speed;              /* low-speed device (bMaxPacketSize0 8); default full speed, bMaxPacketSize0 64 */
	uint16_t vid, pid;           /* 0: 1209:0001 */
	unsigned interval;           /* bInterval of the interrupt IN endpoint 0x81, 0 = 10 (ms) */
};

struct usbdev_kbd_stats {
	uint64_t reports_sent;       /* reports acknowledged on the interrupt endpoint (idle repeats included) */
	uint64_t idle_repeats;       /* of which were resent because the idle period expired */
	uint64_t set_reports, get_reports;
};

/* HID boot keyboard (interface class 3/1/1, interrupt IN 0x81, 8-byte reports). opts NULL: defaults. */
struct usbdev *usbdev_kbd_create(const struct usbdev_kbd_opts *opts);
/*
 * Queue a press and a release report for each character of ascii (US layout: letters, digits,
 * space, '\n' / '\r' (Enter), '\t', '\b' (Backspace), 0x1b (Escape) and the printable
 * punctuation; upper case and shifted punctuation with left shift held in the press report).
 * Returns the number of reports queued, or -EINVAL (nothing queued) if a character has no key.
 */
int usbdev_kbd_type(struct usbdev *d, const char *ascii);
/* Map one character to (modifiers, usage); 0 or -EINVAL. */
int usbdev_kbd_ascii_to_key(char ch, uint8_t *modifiers, uint8_t *keycode);
/* Queue a report with the modifiers added and keycode (0: none) pressed in addition to the keys
 * already held. -ENOSPC if six keys are already held, -EINVAL for a keycode above 0xe7. */
int usbdev_kbd_press(struct usbdev *d, uint8_t modifiers, uint8_t keycode);
/* Queue a report with every key and modifier released. */
int usbdev_kbd_release_all(struct usbdev *d);
/* Reports queued and not yet acknowledged by the host. */
unsigned usbdev_kbd_pending(const struct usbdev *d);
/* LED state last set by the host (SET_REPORT output report; 0 after a bus reset). */
uint8_t usbdev_kbd_leds(const struct usbdev *d);
/* Protocol (0 boot, 1 report) and idle duration (4 ms units) as set by the host. */
unsigned usbdev_kbd_protocol(const struct usbdev *d);
unsigned usbdev_kbd_idle(const struct usbdev *d);
void usbdev_kbd_get_stats(const struct usbdev *d, struct usbdev_kbd_stats *st);

/* ---------------------------------------------------------------- mass storage (mass_storage.c) */

struct usbdev_msc_opts {
	unsigned blocks;             /* RAM disk size in 512-byte blocks, 0 = 16384 (8 MiB); at most 4194304 (2 GiB) */
	uint16_t vid, pid;           /* 0: 1209:0002 */
	bool write_protect;          /* MODE SENSE reports WP; WRITE fails with DATA PROTECT */
	bool not_removable;          /* INQUIRY RMB = 0 (default: removable medium, like a USB stick) */
};

struct usbdev_msc_stats {
	uint64_t commands;           /* valid CBWs */
	uint64_t blocks_read, blocks_written;
	uint64_t check_conditions;   /* CSW status 1 */
	uint64_t phase_errors;       /* CSW status 2 */
	uint64_t invalid_cbws;       /* CBWs that stalled both bulk endpoints */
	uint64_t bot_resets;         /* Bulk-Only Mass Storage Reset requests */
};

/* USB mass storage, bulk-only transport, SCSI transparent command set, RAM disk. opts NULL: defaults. */
struct usbdev *usbdev_msc_create(const struct usbdev_msc_opts *opts);
/* The RAM disk (blocks * 512 bytes, zeroed at creation); tests may read and write it directly. */
uint8_t *usbdev_msc_disk(struct usbdev *d, size_t *size);
void usbdev_msc_get_stats(const struct usbdev *d, struct usbdev_msc_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* USBDEV_H */
