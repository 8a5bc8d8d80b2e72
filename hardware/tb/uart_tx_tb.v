`default_nettype none

// Test bench of uart_tx. Sends the bytes of uart_tx_vectors.hex (one hex word per line):
//     byte count, then per byte {gap[15:8], data[7:0]}
// gap: cycles with `start` low before the byte is offered (0: `start` stays high from the
// previous byte, i.e. streaming). A monitor decodes the line with exact cycle timing and prints
//     TX <byte> <idle>     idle = cycles the line was idle before this byte's start bit
// then DONE. Internal checks (FAIL): every bit lasts exactly CLKS_PER_BIT cycles, the stop bit is
// 1, a streamed byte follows the previous stop bit with no idle cycle, the line is high whenever
// no byte is in flight, and the bytes on the line are the bytes taken, in order.
module uart_tx_tb #(
    parameter integer CLKS_PER_BIT = 4,
    parameter integer ITEMS = 1
);
    reg clk = 1'b0;
    reg rst = 1'b1;
    reg [7:0] data = 8'd0;
    reg start = 1'b0;
    wire ready;
    wire tx;

    uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) dut (
        .clk  (clk),
        .rst  (rst),
        .data (data),
        .start(start),
        .ready(ready),
        .tx   (tx)
    );

    always #5 clk = ~clk;

    reg [31:0] items [0:ITEMS];
    reg [7:0]  taken [0:ITEMS];  // bytes the transmitter accepted, in order
    integer    taken_count = 0;
    reg        streamed [0:ITEMS];  // taken with start held high since the previous byte

    // Monitor state.
    integer seen = 0;    // bytes seen on the line
    integer idle = 0;    // idle cycles since the last byte
    integer bit_no;      // bit of the byte on the line: 0 start, 1..8 data, 9 stop
    integer cyc;         // cycle within that bit
    reg [9:0] frame;
    reg in_byte = 1'b0;

    // Driver.
    integer n;
    integer i;
    reg [7:0] gap;
    reg [7:0] value;
    initial begin
        $readmemh("uart_tx_vectors.hex", items);
        n = items[0];
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (i = 1; i <= n; i = i + 1) begin
            {gap, value} = items[i][15:0];
            if (gap != 8'd0) begin
                start <= 1'b0;
                repeat (gap) @(posedge clk);
            end
            start <= 1'b1;
            data  <= value;
            // Taken at the first clock edge where ready is high (values before the edge).
            @(posedge clk);
            while (!ready) @(posedge clk);
            taken[taken_count] = value;
            streamed[taken_count] = (gap == 8'd0) && (i > 1);
            taken_count = taken_count + 1;
        end
        start <= 1'b0;
        // Wait for the last byte to leave, then for the monitor.
        @(posedge clk);
        while (!ready) @(posedge clk);
        repeat (2 * CLKS_PER_BIT) @(posedge clk);
        if (seen != n) begin
            $display("FAIL %0d bytes taken, %0d on the line", n, seen);
        end
        $display("DONE %0d", seen);
        $finish;
    end

    // Monitor: a cycle-exact line decoder, independent of the design's counters.
    always @(posedge clk) begin
        if (!rst) begin
            if (!in_byte) begin
                if (tx === 1'b0) begin
                    // First cycle of a start bit.
                    in_byte = 1'b1;
                    bit_no = 0;
                    cyc = 0;
                end else if (tx !== 1'b1) begin
                    $display("FAIL line is %b while idle", tx);
                end else begin
                    idle = idle + 1;
                end
            end
            if (in_byte) begin
                // Each bit holds its value for all of its CLKS_PER_BIT cycles.
                if (cyc == 0) begin
                    frame[bit_no] = tx;
                end else if (tx !== frame[bit_no]) begin
                    $display("FAIL bit %0d of byte %0d changed within the bit", bit_no, seen);
                end
                if (cyc == CLKS_PER_BIT - 1) begin
                    cyc = 0;
                    bit_no = bit_no + 1;
                    if (bit_no == 10) begin
                        in_byte = 1'b0;
                        if (frame[9] !== 1'b1) begin
                            $display("FAIL stop bit of byte %0d is %b", seen, frame[9]);
                        end
                        if (seen >= taken_count || frame[8:1] !== taken[seen]) begin
                            $display("FAIL byte %0d on the line is %02h, taken was %02h", seen, frame[8:1], taken[seen]);
                        end
                        if (streamed[seen] && idle != 0) begin
                            $display("FAIL streamed byte %0d came after %0d idle cycles", seen, idle);
                        end
                        $display("TX %02h %0d", frame[8:1], idle);
                        seen = seen + 1;
                        idle = 0;
                    end
                end else begin
                    cyc = cyc + 1;
                end
            end
        end
    end

    // Watchdog: each byte takes 10 bits plus its gap.
    initial begin
        #(10 * (ITEMS + 2) * (10 * CLKS_PER_BIT + 256) + 1000);
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
