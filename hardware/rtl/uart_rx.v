`default_nettype none

// UART receiver, 8N1, least significant bit first: the device side of the serial link that the
// host runtime (CoDesign.Runtime.Link) drives. One byte out per stop bit seen.
//
// Timing: the line is sampled in the middle of each bit, counted from the falling edge of the
// start bit, so the receiver tolerates a rate mismatch of a little under half a bit over the 9.5
// bits from that edge to the stop bit's middle (about +-4 %, less the one-clock quantisation of
// the edge for small CLKS_PER_BIT).
//
// A start bit that is no longer low at its middle was a glitch and is ignored. A stop bit that is
// low is a framing error: the byte is dropped (the link layer would reject its frame anyway, and a
// byte we know is bad must not reach the CRC as if it were good) and frame_error pulses. After a
// framing error the receiver waits for the line to go idle (high) before it looks for the next
// start bit, so a break (line held low) yields one error, not a stream of 0x00 bytes.
module uart_rx #(
    // Clock cycles per bit (clock frequency / baud rate); at least 4 so that the middle of the
    // start bit lies well clear of its edges.
    parameter integer CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rx,           // asynchronous serial input, idle high
    output wire [7:0] data,         // received byte; valid in the cycle `valid` is high
    output reg        valid,        // one-cycle pulse: a byte with a good stop bit arrived
    output reg        frame_error   // one-cycle pulse: the stop bit was 0, the byte was dropped
);
    // Counter width: it holds values up to CLKS_PER_BIT - 1.
    localparam integer CW = (CLKS_PER_BIT > 2) ? $clog2(CLKS_PER_BIT) : 1;
    localparam integer BIT_LAST_I = CLKS_PER_BIT - 1;
    localparam [CW-1:0] BIT_LAST = BIT_LAST_I[CW-1:0];
    // The middle of the start bit is CLKS_PER_BIT / 2 cycles after its falling edge.
    localparam integer HALF_LAST_I = CLKS_PER_BIT / 2 - 1;
    localparam [CW-1:0] HALF_LAST = HALF_LAST_I[CW-1:0];

    localparam [2:0] S_IDLE      = 3'd0;
    localparam [2:0] S_START     = 3'd1;
    localparam [2:0] S_DATA      = 3'd2;
    localparam [2:0] S_STOP      = 3'd3;
    localparam [2:0] S_WAIT_IDLE = 3'd4;

    // Two flip-flops bring the asynchronous line into this clock domain (metastability); the
    // first one is reset high so that reset does not look like a start bit.
    reg rx_meta;
    reg rx_sync;
    always @(posedge clk) begin
        if (rst) begin
            rx_meta <= 1'b1;
            rx_sync <= 1'b1;
        end else begin
            rx_meta <= rx;
            rx_sync <= rx_meta;
        end
    end

    reg [2:0]    state;
    reg [CW-1:0] count;    // cycles left until the next sampling point
    reg [2:0]    bit_idx;  // data bit being received
    reg [7:0]    shift;    // data bits, shifted in from the top (LSB first on the wire)

    // The shift register doubles as the output: it does not change until the next start bit's
    // first data bit is sampled, at least 1.5 bit times after `valid`, which saves a holding register.
    assign data = shift;

    always @(posedge clk) begin
        if (rst) begin
            state       <= S_IDLE;
            count       <= {CW{1'b0}};
            bit_idx     <= 3'd0;
            shift       <= 8'd0;
            valid       <= 1'b0;
            frame_error <= 1'b0;
        end else begin
            valid       <= 1'b0;
            frame_error <= 1'b0;
            case (state)
                S_IDLE: begin
                    if (!rx_sync) begin
                        state <= S_START;
                        count <= HALF_LAST;
                    end
                end
                S_START: begin
                    if (count != {CW{1'b0}}) begin
                        count <= count - 1'b1;
                    end else if (!rx_sync) begin
                        // Still low in the middle: a real start bit. Sample data one bit later.
                        state   <= S_DATA;
                        count   <= BIT_LAST;
                        bit_idx <= 3'd0;
                    end else begin
                        state <= S_IDLE;  // glitch shorter than half a bit
                    end
                end
                S_DATA: begin
                    if (count != {CW{1'b0}}) begin
                        count <= count - 1'b1;
                    end else begin
                        shift <= {rx_sync, shift[7:1]};
                        count <= BIT_LAST;
                        if (bit_idx == 3'd7) begin
                            state <= S_STOP;
                        end
                        bit_idx <= bit_idx + 1'b1;
                    end
                end
                S_STOP: begin
                    if (count != {CW{1'b0}}) begin
                        count <= count - 1'b1;
                    end else if (rx_sync) begin
                        // Back to idle at the middle of the stop bit, not its end: the rest of the
                        // stop bit is slack for a sender that is slightly faster than we are.
                        valid <= 1'b1;
                        state <= S_IDLE;
                    end else begin
                        frame_error <= 1'b1;
                        state       <= S_WAIT_IDLE;
                    end
                end
                S_WAIT_IDLE: begin
                    if (rx_sync) begin
                        state <= S_IDLE;
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule

`default_nettype wire
