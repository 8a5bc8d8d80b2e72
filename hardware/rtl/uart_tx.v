`default_nettype none

// UART transmitter, 8N1, least significant bit first. A byte is accepted when `start` and `ready`
// are both high (a valid/ready handshake, so a byte source can hold `start` high and stream);
// `ready` is high when idle and in the last cycle of a stop bit, so streamed bytes go out back to
// back with no idle time between them: exactly 10 * CLKS_PER_BIT cycles per byte.
module uart_tx #(
    // Clock cycles per bit (clock frequency / baud rate).
    parameter integer CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] data,   // byte to send, taken when start && ready
    input  wire       start,  // request to send `data`
    output wire       ready,  // a start is taken in this cycle
    output reg        tx      // serial output, idle high; registered so it never glitches
);
    localparam integer CW = (CLKS_PER_BIT > 2) ? $clog2(CLKS_PER_BIT) : 1;
    localparam integer BIT_LAST_I = CLKS_PER_BIT - 1;
    localparam [CW-1:0] BIT_LAST = BIT_LAST_I[CW-1:0];

    reg [8:0]    shift;      // bits still to send after the one on `tx`: data LSB first, then stop
    reg [3:0]    bits_left;  // bits still to finish, the one on `tx` included; 0 when idle
    reg [CW-1:0] count;      // cycles left of the bit on `tx`

    // The last cycle of the stop bit counts as ready, so that a byte taken then starts its start
    // bit right after the stop bit: back-to-back bytes take exactly 10 * CLKS_PER_BIT cycles each.
    wire last_cycle = (bits_left == 4'd1) && (count == {CW{1'b0}});
    assign ready = (bits_left == 4'd0) || last_cycle;

    always @(posedge clk) begin
        if (rst) begin
            shift     <= 9'h1FF;
            bits_left <= 4'd0;
            count     <= {CW{1'b0}};
            tx        <= 1'b1;
        end else if (start && ready) begin
            tx        <= 1'b0;            // start bit
            shift     <= {1'b1, data};    // then 8 data bits and the stop bit
            bits_left <= 4'd10;
            count     <= BIT_LAST;
        end else if (bits_left != 4'd0) begin
            if (count != {CW{1'b0}}) begin
                count <= count - 1'b1;
            end else begin
                // Next bit. After the stop bit the shift register has run dry and shifts in
                // ones, so the line goes back to idle high.
                tx        <= shift[0];
                shift     <= {1'b1, shift[8:1]};
                bits_left <= bits_left - 1'b1;
                count     <= BIT_LAST;
            end
        end
    end
endmodule

`default_nettype wire
