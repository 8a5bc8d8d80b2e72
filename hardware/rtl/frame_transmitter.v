`default_nettype none

// Link-layer frame transmitter: the hardware twin of the C# FrameCodec.Encode
// (host/CoDesign.Runtime/Link/FrameCodec.cs); the bytes it emits equal Encode's, byte for byte.
//
// On `start` (taken when not busy) it latches type, sequence number and payload length and emits
//     0x7E | stuffed( type | seq | len u16 LE | payload | CRC-32 u32 LE ) | 0x7E
// where stuffing sends 0x7E and 0x7D as 0x7D, byte ^ 0x20, and the CRC (IEEE, reflected, init
// and final XOR 0xFFFFFFFF) covers type..payload. The payload is read from the controller's buffer
// at addresses 0..len-1 through a read port with one cycle of latency (a block RAM with a
// registered output: rd_data in cycle t+1 is the byte at rd_addr in cycle t, and keeps showing
// it while rd_addr stays, as a block RAM read every cycle does). The buffer must not change
// until `done`.
//
// Output: a valid/ready byte stream (out_valid, out_data, out_ready), e.g. to uart_tx's
// start/data/ready. out_data and out_valid are registers and hold while out_valid && !out_ready.
// One byte per cycle for header, CRC and escape bytes; a payload byte needs two cycles (one to
// present its address, one to read it), which a UART at >= 2 clocks per bit never notices.
//
// frame_len larger than MAX_PAYLOAD is the caller's error: the frame is still well formed (length
// field = len, CRC over what was sent), but the read addresses wrap modulo the buffer size.
module frame_transmitter #(
    // Largest payload in bytes (1..65535); sizes the buffer address and the length input.
    parameter integer MAX_PAYLOAD = 1024,
    // Derived widths: the buffer address and the payload length. Not meant to be overridden.
    parameter integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1,
    parameter integer LEN_W = $clog2(MAX_PAYLOAD + 1)
) (
    input  wire              clk,
    input  wire              rst,
    // Command: send one frame.
    input  wire              start,        // taken when !busy
    input  wire [7:0]        frame_type,
    input  wire [7:0]        frame_seq,
    input  wire [LEN_W-1:0]  frame_len,    // payload bytes, 0..MAX_PAYLOAD
    output wire              busy,         // a frame is being sent; start is ignored
    output reg               done,         // one-cycle pulse: the closing flag has been taken
    // Read port of the payload buffer, one cycle of latency.
    output wire [ADDR_W-1:0] rd_addr,
    input  wire [7:0]        rd_data,
    // Wire bytes out.
    output reg               out_valid,
    output reg  [7:0]        out_data,
    input  wire              out_ready
);
    localparam [7:0] FLAG       = 8'h7E;
    localparam [7:0] ESCAPE     = 8'h7D;
    localparam [7:0] ESCAPE_XOR = 8'h20;
    localparam [31:0] CRC_INIT  = 32'hFFFFFFFF;

    // Where the next raw (unstuffed) byte comes from.
    localparam [2:0] S_IDLE  = 3'd0;
    localparam [2:0] S_OPEN  = 3'd1;  // opening flag
    localparam [2:0] S_HDR   = 3'd2;  // type, seq, len low, len high
    localparam [2:0] S_PAY   = 3'd3;  // payload from the buffer
    localparam [2:0] S_CRC   = 3'd4;  // CRC, low byte first
    localparam [2:0] S_CLOSE = 3'd5;  // closing flag
    localparam [2:0] S_DRAIN = 3'd6;  // wait until the closing flag has been taken

    reg [2:0]       state;
    reg [1:0]       idx;          // byte within the header or the CRC
    reg [LEN_W-1:0] pay_idx;      // payload byte being read
    reg             rd_ok;        // rd_data holds the byte at rd_addr (the address is a cycle old)
    reg [7:0]       type_q;
    reg [7:0]       seq_q;
    reg [LEN_W-1:0] len_q;
    reg [31:0]      crc;          // CRC register over type..payload; holds still while the CRC goes out
    reg             esc_pending;  // the escape went out; the same raw byte goes next, XORed

    assign busy = (state != S_IDLE);
    // The payload index is the read address (LEN_W is ADDR_W or ADDR_W + 1 bits; the top bit,
    // when there is one, is only set by the index one past the last byte, which is never read).
    assign rd_addr = pay_idx[ADDR_W-1:0];

    // Length as the 16-bit field of the header.
    wire [15:0]      len16    = {{(16 - LEN_W){1'b0}}, len_q};
    wire [LEN_W-1:0] pay_next = pay_idx + 1'b1;
    // The CRC is the complement of the register, sent low byte first.
    wire [31:0]      crc_out  = ~crc;

    // The next raw (unstuffed) byte and whether it is available this cycle. Header and payload
    // bytes go into the CRC (the sequencer below updates it in those states); flags and CRC bytes
    // do not.
    reg  [7:0] raw;
    reg        raw_avail;
    reg        raw_flag;    // a delimiter: never stuffed
    always @* begin
        raw       = FLAG;
        raw_avail = 1'b0;
        raw_flag  = 1'b0;
        case (state)
            S_OPEN, S_CLOSE: begin
                raw_avail = 1'b1;
                raw_flag  = 1'b1;
            end
            S_HDR: begin
                raw_avail = 1'b1;
                case (idx)
                    2'd0:    raw = type_q;
                    2'd1:    raw = seq_q;
                    2'd2:    raw = len16[7:0];
                    default: raw = len16[15:8];
                endcase
            end
            S_PAY: begin
                raw       = rd_data;
                raw_avail = rd_ok;
            end
            S_CRC: begin
                raw_avail = 1'b1;
                case (idx)
                    2'd0:    raw = crc_out[7:0];
                    2'd1:    raw = crc_out[15:8];
                    2'd2:    raw = crc_out[23:16];
                    default: raw = crc_out[31:24];
                endcase
            end
            default: ;
        endcase
    end

    wire [31:0] crc_next;
    crc32_update crc_step (
        .crc_in (crc),
        .data   (raw),
        .crc_out(crc_next)
    );

    // The output register can take a byte when it is empty or its byte is being taken now.
    wire out_free     = !out_valid || out_ready;
    wire needs_escape = !raw_flag && ((raw == FLAG) || (raw == ESCAPE));
    // A wire byte goes into the output register.
    wire emit         = out_free && raw_avail;
    // The raw byte is done (and the sequence advances) with its last wire byte: the byte itself,
    // or, when it needs stuffing, the XORed byte after the escape. While the escape waits, the
    // raw byte stays where it is (its state, index and rd_addr do not move), so it needs no copy.
    wire consume      = emit && (esc_pending || !needs_escape);

    always @(posedge clk) begin
        if (rst) begin
            state       <= S_IDLE;
            idx         <= 2'd0;
            pay_idx     <= {LEN_W{1'b0}};
            rd_ok       <= 1'b0;
            type_q      <= 8'd0;
            seq_q       <= 8'd0;
            len_q       <= {LEN_W{1'b0}};
            crc         <= CRC_INIT;
            esc_pending <= 1'b0;
            out_valid   <= 1'b0;
            out_data    <= 8'd0;
            done        <= 1'b0;
        end else begin
            done  <= 1'b0;
            // rd_data follows rd_addr one cycle later; an address change clears this below.
            rd_ok <= 1'b1;

            // Output register.
            if (emit) begin
                out_valid   <= 1'b1;
                out_data    <= esc_pending ? (raw ^ ESCAPE_XOR) : (needs_escape ? ESCAPE : raw);
                esc_pending <= !esc_pending && needs_escape;
            end else if (out_ready) begin
                out_valid <= 1'b0;
            end

            // Sequence of raw bytes.
            case (state)
                S_IDLE: begin
                    if (start) begin
                        state   <= S_OPEN;
                        type_q  <= frame_type;
                        seq_q   <= frame_seq;
                        len_q   <= frame_len;
                        idx     <= 2'd0;
                        pay_idx <= {LEN_W{1'b0}};
                        rd_ok   <= 1'b0;
                        crc     <= CRC_INIT;
                    end
                end
                S_OPEN: begin
                    if (consume) begin
                        state <= S_HDR;
                    end
                end
                S_HDR: begin
                    if (consume) begin
                        crc <= crc_next;
                        idx <= idx + 1'b1;
                        if (idx == 2'd3) begin
                            state <= (len_q == {LEN_W{1'b0}}) ? S_CRC : S_PAY;
                        end
                    end
                end
                S_PAY: begin
                    if (consume) begin
                        crc     <= crc_next;
                        pay_idx <= pay_next;
                        rd_ok   <= 1'b0;
                        if (pay_next == len_q) begin
                            state <= S_CRC;
                        end
                    end
                end
                S_CRC: begin
                    if (consume) begin
                        idx <= idx + 1'b1;
                        if (idx == 2'd3) begin
                            state <= S_CLOSE;
                        end
                    end
                end
                S_CLOSE: begin
                    if (consume) begin
                        state <= S_DRAIN;
                    end
                end
                S_DRAIN: begin
                    // The closing flag sits in the output register until it is taken.
                    if (out_ready) begin
                        state <= S_IDLE;
                        done  <= 1'b1;
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule

`default_nettype wire
