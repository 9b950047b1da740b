/* SPDX-License-Identifier: MIT */
/* vhost-user backend: the socket, the messages, the memory regions. */
#ifndef KITE_BRIDGE_VHOST_USER_H
#define KITE_BRIDGE_VHOST_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtqueue.h"

enum vu_request {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_RESET_OWNER = 4,
	VU_SET_MEM_TABLE = 5,
	VU_SET_LOG_BASE = 6,
	VU_SET_LOG_FD = 7,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_SET_VRING_ERR = 14,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_SET_VRING_ENABLE = 18,
	VU_SET_SLAVE_REQ_FD = 21,
	VU_GET_CONFIG = 24,
	VU_SET_CONFIG = 25,
	VU_RESET_DEVICE = 34,
	VU_VRING_KICK = 35,
};

/* Backend-to-frontend requests on the slave channel. */
#define VU_SLAVE_VRING_CALL 4u

#define VU_VERSION 1u
#define VU_FLAG_VERSION_MASK 3u
#define VU_FLAG_REPLY (1u << 2)
#define VU_FLAG_NEED_REPLY (1u << 3)

#define VU_F_PROTOCOL_FEATURES 30
#define VU_F_VERSION_1 32
#define VU_PROTO_F_REPLY_ACK 3
#define VU_PROTO_F_SLAVE_REQ 5
#define VU_PROTO_F_CONFIG 9
#define VU_PROTO_F_INBAND_NOTIFICATIONS 14

#define VU_VRING_INDEX_MASK 0xffu
#define VU_VRING_NOFD_MASK (1u << 8)

#define VU_HDR_SIZE 12u
#define VU_MAX_PAYLOAD 4096u
#define VU_MAX_FDS 8
#define VU_MAX_REGIONS 8
#define VU_NUM_QUEUES 2
#define VU_MAX_CONFIG 256u

struct vu_region {
	uint64_t gpa, size, uva, mmap_offset;
	void *mmap_base;
	size_t mmap_len;
	uint8_t *host;           /* mmap_base + mmap_offset */
};

struct vu_dev {
	int sock;
	int slave_fd;
	bool owner;
	uint64_t features;            /* acked by SET_FEATURES */
	uint64_t protocol_features;   /* acked by SET_PROTOCOL_FEATURES */
	unsigned int nregions;
	struct vu_region regions[VU_MAX_REGIONS];
	struct vq vq[VU_NUM_QUEUES];
	uint64_t messages;

	/*
	 * In-band notifications (UML time-travel): kicks arrive as VRING_KICK messages and calls
	 * leave as SLAVE_VRING_CALL requests, both acknowledged, so each is ordered in simulated
	 * time. Offered only when offer_inband is set (kite-sim --time-travel).
	 */
	bool offer_inband;
	/* A VRING_KICK for queue q: handled before the kick is acknowledged. */
	void (*on_kick)(void *arg, unsigned int q);
	/* While waiting for the frontend's answer to a SLAVE_VRING_CALL: fd to watch as well
	 * (the time-travel socket) and its handler (0, or -1 to give up). */
	int side_fd;
	int (*on_side)(void *arg);
	void *hook_arg;
	uint64_t inband_calls;
};

uint64_t vu_offered_features(void);
uint64_t vu_offered_protocol_features(const struct vu_dev *d);
/* Did the frontend accept in-band notifications? */
bool vu_inband(const struct vu_dev *d);
/*
 * Send SLAVE_VRING_CALL for queue q and wait for the frontend's acknowledgement, serving
 * side_fd meanwhile. 0, or -1 (logged) if the channel failed or the frontend refused.
 */
int vu_inband_call(struct vu_dev *d, unsigned int q);

void vu_init(struct vu_dev *d, int sock);
/* Unmap regions, close fds (not the socket). */
void vu_cleanup(struct vu_dev *d);
/*
 * Read and handle one message from d->sock (blocking until it is complete).
 * 0: handled; 1: the frontend closed the connection cleanly (EOF before a message);
 * -1: protocol error or malformed message (an error naming the request was logged).
 */
int vu_process_msg(struct vu_dev *d);
const char *vu_request_name(uint32_t req);

/* Translate a guest physical / frontend user address range into a host pointer; NULL
 * unless [addr, addr+len) lies entirely inside one region. */
uint8_t *vu_gpa_to_host(const struct vu_dev *d, uint64_t gpa, uint64_t len);
uint8_t *vu_uva_to_host(const struct vu_dev *d, uint64_t uva, uint64_t len);

#endif
