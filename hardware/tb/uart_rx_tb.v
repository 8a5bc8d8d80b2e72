`default_nettype none

// Test bench of uart_rx. Drives the serial line from uart_rx_vectors.hex (one hex word per line):
//     item count, then per item {kind[31:24], rate[23:16], idle[15:8], data[7:0]}
// kind 0: send `data` as 8N1; kind 1: the same with a stop bit of 0 (framing error), the line
// staying low for one more bit; kind 2: a low glitch of a quarter bit (not a start bit).
// rate: signed percent added to the nominal bit time (the sender's clock is off by that much).
// idle: bit times of idle line (high) after the item. The line changes at times that are not
// aligned to the receiver's clock (the clock period is 10 time units, bits are a multiple of 1).
// Prints, per event of the receiver:
//     RX <byte>      valid pulse
//     FE             frame_error pulse
// then DONE. The C# test compares the events with what the items should produce. Internal
// checks (FAIL): valid and frame_error at once, or a pulse longer than one cycle.
module uart_rx_tb #(
    parameter integer CLKS_PER_BIT = 16,
    parameter integer ITEMS = 1
);
    localparam integer CLK_PERIOD = 10;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg rx  = 1'b1;
    wire [7:0] data;
    wire       valid;
    wire       frame_error;

    uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) dut (
        .clk        (clk),
        .rst        (rst),
        .rx         (rx),
        .data       (data),
        .valid      (valid),
        .frame_error(frame_error)
    );

    always #(CLK_PERIOD / 2) clk = ~clk;

    reg [31:0] items [0:ITEMS];

    // Monitor.
    reg valid_q = 1'b0;
    reg error_q = 1'b0;
    always @(posedge clk) begin
        if (valid) begin
            $display("RX %02h", data);
        end
        if (frame_error) begin
            $display("FE");
        end
        if (valid && frame_error) begin
            $display("FAIL valid and frame_error in the same cycle");
        end
        if ((valid && valid_q) || (frame_error && error_q)) begin
            $display("FAIL a pulse lasted more than one cycle");
        end
        valid_q <= valid;
        error_q <= frame_error;
    end

    integer n;
    integer i;
    integer b;
    integer bit_time;
    reg [7:0] kind;
    reg [7:0] rate;
    reg [7:0] idle;
    reg [7:0] value;

    initial begin
        $readmemh("uart_rx_vectors.hex", items);
        n = items[0];
        repeat (4) @(posedge clk);
        rst = 1'b0;
        repeat (4) @(posedge clk);
        for (i = 1; i <= n; i = i + 1) begin
            {kind, rate, idle, value} = items[i];
            bit_time = CLKS_PER_BIT * CLK_PERIOD * (100 + $signed(rate)) / 100;
            // Start somewhere inside a clock period: the line is asynchronous to the clock.
            #((i * 3) % CLK_PERIOD);
            case (kind)
                8'd0, 8'd1: begin
                    rx = 1'b0;
                    #(bit_time);
                    for (b = 0; b < 8; b = b + 1) begin
                        rx = value[b];
                        #(bit_time);
                    end
                    rx = (kind == 8'd0);
                    #(bit_time);
                    if (kind == 8'd1) begin
                        #(bit_time);  // a break: the line stays low a while longer
                    end
                    rx = 1'b1;
                end
                default: begin
                    rx = 1'b0;
                    #(bit_time / 4);
                    rx = 1'b1;
                end
            endcase
            #(bit_time * idle);
        end
        // Let the last byte come out.
        #(2 * CLKS_PER_BIT * CLK_PERIOD);
        $display("DONE %0d", n);
        $finish;
    end

    // Watchdog: every item takes at most 11 bits plus its idle time at +100 % rate.
    initial begin
        #(ITEMS * (12 + 255) * 2 * CLKS_PER_BIT * CLK_PERIOD + 10000);
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
