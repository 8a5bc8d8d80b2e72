`default_nettype none

// Link-layer frame receiver: the hardware twin of the C# FrameDecoder
// (host/CoDesign.Runtime/Link/FrameDecoder.cs), decision for decision, so the device accepts and
// rejects exactly the frames the host would.
//
// Wire format: frames are delimited by the flag 0x7E; inside, 0x7E and 0x7D travel as 0x7D
// followed by the byte XOR 0x20. The unstuffed body is
//     type u8 | seq u8 | payload length u16 LE | payload | CRC-32 u32 LE
// with the CRC (IEEE, reflected) over type..payload.
//
// Behaviour, as in FrameDecoder.Push:
//   * bytes before the first flag are noise and ignored;
//   * a flag ends the current frame if anything (a byte, an overflow or a pending escape) arrived
//     since the previous flag, and always starts a new one, so back-to-back frames may share a flag
//     and repeated flags are idle fill;
//   * 0x7D marks the next byte as escaped (a second 0x7D just keeps it marked);
//   * a frame is good when it did not overflow (body longer than MAX_PAYLOAD + 8 bytes), did
//     not end inside an escape, has at least the 8 overhead bytes, its length field equals the
//     number of payload bytes received, and its CRC matches. A good frame pulses frame_valid;
//     anything else pulses frame_error, one cycle after the flag that ended it.
//   * no input can hang the receiver or make it write outside the buffer: its counters saturate,
//     so a body of any length (endless noise after a flag included) is simply reported corrupted
//     at the next flag, and only payload bytes below MAX_PAYLOAD are ever written.
//
// Counting: FrameDecoder counts body bytes and compares with the length field at the end. Here
// the body is counted in three parts (header bytes, payload bytes up to the length field or
// MAX_PAYLOAD, bytes after those), which decides the same thing with equality tests only and
// no 16-bit arithmetic: the body is exactly header + length + CRC, and at most MAX_PAYLOAD + 8
// bytes (no overflow), if and only if the payload count reached the length field and exactly 4
// bytes followed.
//
// CRC check: instead of holding back the last four bytes, every body byte, the CRC bytes
// included, goes through the CRC register. For a correct frame the register then ends at the
// CRC-32 residue 0xDEBB20E3, whatever the data (appending the complemented CRC, little-endian, to
// a message drives the register to that constant). The four CRC bytes are an invertible function
// of the register, so exactly one four-byte trailer reaches the residue: the check accepts
// precisely the frames whose CRC field equals Crc32.Compute(type..payload), like the C# decoder,
// with no 32-bit trailer register and no 32-bit comparison against received bytes.
//
// Payload buffer: payload bytes are written through the write port at addresses 0..len-1 as
// they arrive, one cycle after the byte (registered). Only the bytes the header's length field
// calls payload are written (never the CRC), and never at an address >= MAX_PAYLOAD. The buffer
// belongs to the controller: a frame being received overwrites it, also when that frame turns
// out to be corrupted, so a controller that must keep a payload while the next frame arrives
// copies it or switches buffers (e.g. on frame_valid, using a high address bit of its own).
//
// Throughput: one byte per cycle (in_valid may be high every cycle); there is no back-pressure,
// since a UART cannot be paused either.
module frame_receiver #(
    // Largest payload accepted, in bytes (1..65535); sizes the buffer address and the counters.
    parameter integer MAX_PAYLOAD = 1024,
    // Derived widths: the buffer address and the payload length. Not meant to be overridden.
    parameter integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1,
    parameter integer LEN_W = $clog2(MAX_PAYLOAD + 1)
) (
    input  wire              clk,
    input  wire              rst,
    // Unframed byte stream, e.g. from uart_rx.
    input  wire              in_valid,
    input  wire [7:0]        in_data,
    // Write port of the payload buffer (owned by the controller).
    output reg               buf_we,
    output reg  [ADDR_W-1:0] buf_addr,
    output reg  [7:0]        buf_wdata,
    // Result of the frame that just ended: one of the two pulses, one cycle after its closing flag.
    output reg               frame_valid,   // good frame; its payload is in the buffer
    output reg               frame_error,   // corrupted frame, discarded
    // Header of the last good frame, held until the next good frame.
    output reg  [7:0]        frame_type,
    output reg  [7:0]        frame_seq,
    output reg  [LEN_W-1:0]  frame_len
);
    localparam [7:0] FLAG       = 8'h7E;
    localparam [7:0] ESCAPE     = 8'h7D;
    localparam [7:0] ESCAPE_XOR = 8'h20;
    localparam [31:0] CRC_INIT    = 32'hFFFFFFFF;
    localparam [31:0] CRC_RESIDUE = 32'hDEBB20E3;

    // Payload length as a LEN_W-bit constant: the payload counter stops there.
    localparam [LEN_W-1:0] MAX_LEN = MAX_PAYLOAD[LEN_W-1:0];

    reg              in_frame;   // a flag has been seen: bytes are body bytes
    reg              escaped;    // the previous byte was the escape
    reg [31:0]       crc;        // CRC register over the body so far
    // The body is counted in three parts rather than with one byte counter, so that every test
    // is an equality on a narrow counter instead of arithmetic on the 16-bit length:
    reg [2:0]        hdr_cnt;    // header bytes so far; saturates at 4 (bit 2: header complete)
    reg [LEN_W-1:0]  pay_cnt;    // payload bytes so far: stops at the length field or MAX_PAYLOAD
    reg [2:0]        tail_cnt;   // bytes after those; saturates at 5 (only exactly 4, the CRC, is right)
    reg [7:0]        hdr_type;   // header of the frame being received
    reg [7:0]        hdr_seq;
    reg [15:0]       hdr_len;

    wire       is_flag   = (in_data == FLAG);
    wire       is_escape = (in_data == ESCAPE);
    wire [7:0] body_byte = escaped ? (in_data ^ ESCAPE_XOR) : in_data;

    wire [31:0] crc_next;
    crc32_update crc_step (
        .crc_in (crc),
        .data   (body_byte),
        .crc_out(crc_next)
    );

    wire        hdr_done  = hdr_cnt[2];
    wire [15:0] pay_cnt16 = {{(16 - LEN_W){1'b0}}, pay_cnt};
    wire        len_reached = (pay_cnt16 == hdr_len);
    // After the header: a payload byte while the count is below both the length field and the
    // buffer size; past that, a tail byte. (A length field above MAX_PAYLOAD can never be reached,
    // so such a frame fails below; its extra bytes are counted as tail, never written.)
    wire        is_payload = !len_reached && (pay_cnt != MAX_LEN);

    // FrameDecoder: hadBody = inFrame && (length > 0 || overflow || escaped); overflow implies length > 0.
    wire had_body = in_frame && ((hdr_cnt != 3'd0) || escaped);
    // FrameDecoder.Finish: not inside an escape, the body is exactly header + length + 4 CRC bytes
    // (which also rules out a short body, and an overflow: the length reached is at most
    // MAX_PAYLOAD, so the body is at most MAX_PAYLOAD + 8), and the CRC residue is right.
    wire frame_ok = !escaped && len_reached && (tail_cnt == 3'd4) && (crc == CRC_RESIDUE);

    always @(posedge clk) begin
        if (rst) begin
            in_frame    <= 1'b0;
            escaped     <= 1'b0;
            crc         <= CRC_INIT;
            hdr_cnt     <= 3'd0;
            pay_cnt     <= {LEN_W{1'b0}};
            tail_cnt    <= 3'd0;
            hdr_type    <= 8'd0;
            hdr_seq     <= 8'd0;
            hdr_len     <= 16'd0;
            buf_we      <= 1'b0;
            buf_addr    <= {ADDR_W{1'b0}};
            buf_wdata   <= 8'd0;
            frame_valid <= 1'b0;
            frame_error <= 1'b0;
            frame_type  <= 8'd0;
            frame_seq   <= 8'd0;
            frame_len   <= {LEN_W{1'b0}};
        end else begin
            buf_we      <= 1'b0;
            frame_valid <= 1'b0;
            frame_error <= 1'b0;
            if (in_valid) begin
                if (is_flag) begin
                    if (had_body) begin
                        if (frame_ok) begin
                            frame_valid <= 1'b1;
                            frame_type  <= hdr_type;
                            frame_seq   <= hdr_seq;
                            frame_len   <= pay_cnt;  // equals the length field here
                        end else begin
                            frame_error <= 1'b1;
                        end
                    end
                    in_frame <= 1'b1;
                    escaped  <= 1'b0;
                    crc      <= CRC_INIT;
                    hdr_cnt  <= 3'd0;
                    pay_cnt  <= {LEN_W{1'b0}};
                    tail_cnt <= 3'd0;
                end else if (in_frame) begin
                    if (is_escape) begin
                        escaped <= 1'b1;
                    end else begin
                        escaped <= 1'b0;
                        // Every body byte goes through the CRC, the CRC bytes included (residue check).
                        crc <= crc_next;
                        if (!hdr_done) begin
                            hdr_cnt <= hdr_cnt + 1'b1;
                            case (hdr_cnt[1:0])
                                2'd0:    hdr_type      <= body_byte;
                                2'd1:    hdr_seq       <= body_byte;
                                2'd2:    hdr_len[7:0]  <= body_byte;
                                default: hdr_len[15:8] <= body_byte;
                            endcase
                        end else if (is_payload) begin
                            pay_cnt   <= pay_cnt + 1'b1;
                            buf_we    <= 1'b1;
                            buf_addr  <= pay_cnt[ADDR_W-1:0];
                            buf_wdata <= body_byte;
                        end else if (tail_cnt != 3'd5) begin
                            tail_cnt <= tail_cnt + 1'b1;
                        end
                    end
                end
            end
        end
    end
endmodule

`default_nettype wire
