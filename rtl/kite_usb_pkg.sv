// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_usb_pkg: USB 2.0 LS/FS constants shared by the USB-clock-domain engine: packet IDs,
// token kinds, the transaction result codes of docs/internal/usb-engine-interface.md, timing
// constants in bit times, and the CRC5 / CRC16 functions.
//
// CRCs are kept in the reflected (LSB-first) form in which USB transmits them:
//   crc5(x)  : 11-bit token field (addr | ep << 7, or the frame number), poly x^5+x^2+1,
//              init 5'h1F, result inverted; token byte 2 = {crc5, ep[3:1]}.
//   crc16    : poly x^16+x^15+x^2+1 (reflected 16'hA001), init 16'hFFFF; the transmitted
//              CRC is ~crc, low byte first. Over data plus the received CRC the register ends
//              at CRC16_RESIDUAL (16'hB001) when the packet is good.

`default_nettype none

package kite_usb_pkg;

  // ------------------------------------------------------------------ packet IDs (4-bit)
  localparam logic [3:0] PID_OUT   = 4'b0001;
  localparam logic [3:0] PID_IN    = 4'b1001;
  localparam logic [3:0] PID_SOF   = 4'b0101;
  localparam logic [3:0] PID_SETUP = 4'b1101;
  localparam logic [3:0] PID_DATA0 = 4'b0011;
  localparam logic [3:0] PID_DATA1 = 4'b1011;
  localparam logic [3:0] PID_ACK   = 4'b0010;
  localparam logic [3:0] PID_NAK   = 4'b1010;
  localparam logic [3:0] PID_STALL = 4'b1110;

  // ------------------------------------------------------------------ txn_req_token
  localparam logic [1:0] TOKEN_SETUP = 2'd0;
  localparam logic [1:0] TOKEN_OUT   = 2'd1;
  localparam logic [1:0] TOKEN_IN    = 2'd2;

  // ------------------------------------------------------------------ txn_res_code
  localparam logic [3:0] RES_ACK             = 4'd0;
  localparam logic [3:0] RES_NAK             = 4'd1;
  localparam logic [3:0] RES_STALL           = 4'd2;
  localparam logic [3:0] RES_TIMEOUT         = 4'd3;
  localparam logic [3:0] RES_CRC_ERROR       = 4'd4;
  localparam logic [3:0] RES_STUFF_ERROR     = 4'd5;
  localparam logic [3:0] RES_PID_ERROR       = 4'd6;
  localparam logic [3:0] RES_BABBLE          = 4'd7;
  localparam logic [3:0] RES_TOGGLE_MISMATCH = 4'd8;
  localparam logic [3:0] RES_NOT_STARTED     = 4'd9;

  // ------------------------------------------------------------------ utmi_line_ctrl
  localparam logic [1:0] LINE_NORMAL = 2'd0;
  localparam logic [1:0] LINE_SE0    = 2'd1;
  localparam logic [1:0] LINE_K      = 2'd2;
  localparam logic [1:0] LINE_J      = 2'd3;

  // ------------------------------------------------------------------ utmi_linestate {D-, D+}
  localparam logic [1:0] LS_SE0 = 2'd0;
  localparam logic [1:0] LS_DP  = 2'd1;     // J at full speed, K at low speed
  localparam logic [1:0] LS_DM  = 2'd2;     // K at full speed, J at low speed
  localparam logic [1:0] LS_SE1 = 2'd3;

  // ------------------------------------------------------------------ utmi_xcvrselect
  localparam logic [1:0] XCVR_FS = 2'd1;
  localparam logic [1:0] XCVR_LS = 2'd2;

  // ------------------------------------------------------------------ timing (bit times)
  localparam int unsigned FS_CLKS_PER_BIT = 4;    // usb_clk cycles per FS bit at 48 MHz
  localparam int unsigned LS_CLKS_PER_BIT = 32;   // usb_clk cycles per LS bit at 48 MHz
  localparam int unsigned TIMEOUT_BITS = 16;      // turnaround timeout: TIMEOUT_BITS + 1/2 bit
                                                  // after our EOP as seen on linestate
  localparam int unsigned IPG_BITS = 2;           // idle before we transmit after any packet

  localparam logic [15:0] CRC16_RESIDUAL = 16'hB001;

  // ------------------------------------------------------------------ functions
  function automatic logic [7:0] pid_byte(input logic [3:0] pid);
    pid_byte = {~pid, pid};
  endfunction

  function automatic logic pid_ok(input logic [7:0] b);
    pid_ok = (b[7:4] == ~b[3:0]);
  endfunction

  function automatic logic [4:0] crc5(input logic [10:0] d);
    logic [4:0] c;
    c = 5'h1F;
    for (int i = 0; i < 11; i++) begin
      c = (c[0] ^ d[i]) ? ((c >> 1) ^ 5'h14) : (c >> 1);
    end
    crc5 = ~c;
  endfunction

  // 16-bit token payload {crc5, field[10:0]}: bytes 1 and 2 of a token, low byte first.
  function automatic logic [15:0] token_payload(input logic [10:0] field);
    token_payload = {crc5(field), field};
  endfunction

  function automatic logic [15:0] crc16_byte(input logic [15:0] crc_in, input logic [7:0] d);
    logic [15:0] c;
    c = crc_in;
    for (int i = 0; i < 8; i++) begin
      c = (c[0] ^ d[i]) ? ((c >> 1) ^ 16'hA001) : (c >> 1);
    end
    crc16_byte = c;
  endfunction

endpackage

`default_nettype wire
