// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_pkt_rx: packet receiver on a UTMI receive port (byte level).
//
// A packet starts when utmi_rxactive rises while enable_i is 1 and ends when it falls. The first
// byte is the PID; the others are data plus, for data packets, the CRC16 (low byte first). The
// CRC16 register runs over every byte after the PID and is checked against the residual.
// Payload bytes are delayed by two bytes so that the CRC is never delivered: when a byte arrives
// and two are held, the older held byte is a payload byte. Payload bytes of a DATA0/DATA1 packet
// are delivered on in_* (when deliver_i) up to max_len_i; a further payload byte sets babble.
// done_o pulses for one cycle after the packet ended; the result outputs hold from then until the
// next packet starts.

`default_nettype none

module kite_pkt_rx (
  input  wire         clk,
  input  wire         rst,                  // synchronous, active high

  input  wire         enable_i,             // accept a packet that starts now
  input  wire         deliver_i,            // deliver DATA0/DATA1 payload on in_*
  input  wire [10:0]  max_len_i,            // most payload bytes to deliver

  input  wire [7:0]   utmi_data_in,
  input  wire         utmi_rxvalid,
  input  wire         utmi_rxactive,
  input  wire         utmi_rxerror,

  output wire [7:0]   in_data_o,
  output wire         in_valid_o,

  output wire         active_o,             // a packet is being received
  output wire         done_o,               // pulse: the packet ended
  output wire         got_pid_o,            // at least the PID byte arrived
  output wire [7:0]   pid_o,                // the PID byte
  output wire [11:0]  nbytes_o,             // bytes after the PID (saturates at 4095)
  output wire [10:0]  delivered_o,          // payload bytes delivered on in_*
  output wire         crc_ok_o,             // at least 2 bytes after the PID, CRC16 residual good
  output wire         rxerror_o,            // utmi_rxerror seen during the packet
  output wire         babble_o              // more than max_len_i payload bytes
);

  logic        active_q, active_d;
  logic        rxactive_q;
  logic        done_q, done_d;
  logic        got_pid_q, got_pid_d;
  logic [7:0]  pid_q, pid_d;
  logic [11:0] nb_q, nb_d;
  logic [10:0] dlv_q, dlv_d;
  logic [15:0] crc_q, crc_d;
  logic        err_q, err_d;
  logic        babble_q, babble_d;
  logic [7:0]  h0_q, h0_d, h1_q, h1_d;   // held bytes: h0 older
  logic [7:0]  out_q, out_d;
  logic        outv_q, outv_d;

  wire is_data = kite_usb_pkg::pid_ok(pid_q) &&
                 (pid_q[3:0] == kite_usb_pkg::PID_DATA0 || pid_q[3:0] == kite_usb_pkg::PID_DATA1);

  always_comb begin
    active_d = active_q;
    done_d = 1'b0;
    got_pid_d = got_pid_q;
    pid_d = pid_q;
    nb_d = nb_q;
    dlv_d = dlv_q;
    crc_d = crc_q;
    err_d = err_q;
    babble_d = babble_q;
    h0_d = h0_q;
    h1_d = h1_q;
    out_d = out_q;
    outv_d = 1'b0;
    if (!active_q) begin
      if (enable_i && utmi_rxactive && !rxactive_q) begin
        active_d = 1'b1;
        got_pid_d = 1'b0;
        pid_d = 8'h00;
        nb_d = '0;
        dlv_d = '0;
        crc_d = 16'hFFFF;
        err_d = utmi_rxerror;
        babble_d = 1'b0;
      end
    end else begin
      if (utmi_rxerror) err_d = 1'b1;
      if (utmi_rxvalid) begin
        if (!got_pid_q) begin
          got_pid_d = 1'b1;
          pid_d = utmi_data_in;
        end else begin
          crc_d = kite_usb_pkg::crc16_byte(crc_q, utmi_data_in);
          if (nb_q != 12'hFFF) nb_d = nb_q + 12'd1;
          h0_d = h1_q;
          h1_d = utmi_data_in;
          if (nb_q >= 12'd2) begin
            if (dlv_q == max_len_i) begin
              babble_d = 1'b1;
            end else begin
              dlv_d = dlv_q + 11'd1;
              out_d = h0_q;
              outv_d = deliver_i && is_data;
            end
          end
        end
      end
      if (!utmi_rxactive) begin
        active_d = 1'b0;
        done_d = 1'b1;
      end
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      active_q <= 1'b0;
      rxactive_q <= 1'b0;
      done_q <= 1'b0;
      got_pid_q <= 1'b0;
      pid_q <= '0;
      nb_q <= '0;
      dlv_q <= '0;
      crc_q <= 16'hFFFF;
      err_q <= 1'b0;
      babble_q <= 1'b0;
      h0_q <= '0;
      h1_q <= '0;
      out_q <= '0;
      outv_q <= 1'b0;
    end else begin
      active_q <= active_d;
      rxactive_q <= utmi_rxactive;
      done_q <= done_d;
      got_pid_q <= got_pid_d;
      pid_q <= pid_d;
      nb_q <= nb_d;
      dlv_q <= dlv_d;
      crc_q <= crc_d;
      err_q <= err_d;
      babble_q <= babble_d;
      h0_q <= h0_d;
      h1_q <= h1_d;
      out_q <= out_d;
      outv_q <= outv_d;
    end
  end

  assign in_data_o = out_q;
  assign in_valid_o = outv_q;
  assign active_o = active_q;
  assign done_o = done_q;
  assign got_pid_o = got_pid_q;
  assign pid_o = pid_q;
  assign nbytes_o = nb_q;
  assign delivered_o = dlv_q;
  assign crc_ok_o = (nb_q >= 12'd2) && (crc_q == kite_usb_pkg::CRC16_RESIDUAL);
  assign rxerror_o = err_q;
  assign babble_o = babble_q;

endmodule

`default_nettype wire
