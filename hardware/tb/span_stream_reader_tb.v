`timescale 1ns / 1ps
`default_nettype none

// Test bench of span_stream_reader with a real compiled kernel: `stream_kernel` is a kernel
// `uint K(uint crc, ReadOnlySpan<byte> data)` compiled with --stall (the test writes it under that
// name). Reads stream_lengths.hex (CALLS span lengths) and stream_bytes.hex (BYTES bytes: each call's
// data after the one before). Each call's bytes arrive as a stream with random gaps (GAP_PERCENT), and
// something else holds the kernel in random cycles (HOLD_PERCENT). Prints per call
//   R <call> <result> <cycles with the kernel not held, from start to done> <order_fault> <bytes taken>
// then DONE.
module span_stream_reader_tb;
    parameter CALLS = 1;
    parameter BYTES = 1;
    parameter GAP_PERCENT = 0;
    parameter HOLD_PERCENT = 0;
    parameter SEED = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg start = 1'b0;
    reg [16:0] length = 17'd0;
    wire done;
    wire busy;
    wire [15:0] addr;
    wire rd_en;
    wire [7:0] rd_data;
    wire [31:0] result;
    wire reader_stall;
    wire order_fault;
    reg other_hold = 1'b0;
    wire hold = reader_stall || other_hold;

    reg [7:0] bytes [0:BYTES-1];
    reg [16:0] lengths [0:CALLS-1];
    integer first = 0;   // the call's first byte
    integer pos = 0;     // the stream offers bytes[pos] while pos < stop
    integer stop = 0;
    reg gap = 1'b0;
    wire in_valid = pos < stop && !gap;
    wire in_ready;
    wire [7:0] in_data = pos < BYTES ? bytes[pos] : 8'd0;

    stream_kernel dut (
        .clk(clk), .rst(rst), .start(start), .done(done), .busy(busy), .stall(hold), .crc(32'hFFFFFFFF),
        .data_length(length), .data_addr(addr), .data_rd_en(rd_en), .data_rd_data(rd_data), .result(result)
    );

    span_stream_reader #(.DATA_BITS(8), .ADDR_BITS(16)) reader (
        .clk(clk), .rst(rst), .restart(start), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .length(length), .rd_en(rd_en), .rd_addr(addr), .rd_data(rd_data), .stall(reader_stall), .hold(hold),
        .order_fault(order_fault)
    );

    integer seed = SEED;
    always @(posedge clk) if (in_valid && in_ready) pos <= pos + 1;

    // The stream's gaps and the other holder change between clock edges.
    always @(negedge clk) begin
        gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;
        other_hold = ($unsigned($random(seed)) % 100) < HOLD_PERCENT;
    end

    integer call, cycles;
    reg held;
    initial begin
        $readmemh("stream_bytes.hex", bytes);
        $readmemh("stream_lengths.hex", lengths);
        repeat (2) @(negedge clk);
        rst = 1'b0;
        for (call = 0; call < CALLS; call = call + 1) begin
            @(negedge clk);
            length = lengths[call];
            pos = first;
            stop = first + lengths[call];
            start = 1'b1;
            cycles = 0;
            // hold is sampled as the edge sees it (before the kernel's registers change), done after the edge.
            while (cycles == 0) begin @(posedge clk); held = hold; #1; if (!held) cycles = 1; end
            start = 1'b0;
            while (!done && cycles < 100000) begin @(posedge clk); held = hold; #1; if (!held) cycles = cycles + 1; end
            if (!done) $display("FAIL call %0d did not finish", call);
            $display("R %0d %0d %0d %0d %0d", call, result, cycles, order_fault, pos - first);
            first = stop;
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
