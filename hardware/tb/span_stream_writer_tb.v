`timescale 1ns / 1ps
`default_nettype none

// Test bench of span_stream_writer (with span_stream_reader) around a real compiled kernel:
// width_converter_unpack, WidthConverter.Unpack from kernels/ compiled with --stall, turned into a stream
// unpacker: its `memory` bytes arrive through a span_stream_reader with random gaps (GAP_PERCENT), its
// `values` leave through a span_stream_writer to a consumer that is not ready in random cycles
// (BUSY_PERCENT). Reads stream_bytes.hex (BYTES bytes: each call's after the one before),
// stream_lengths.hex (bytes per call) and stream_counts.hex (values per call), CALLS calls. Prints
//   V <call> <index> <value>          for every value the consumer takes
//   R <call> <result> <cycles with the kernel not held, start to done> <reader fault> <writer fault> <bytes taken>
// then DONE.
module span_stream_writer_tb;
    parameter CALLS = 1;
    parameter BYTES = 1;
    parameter WORD_BITS = 32;
    parameter VALUE_BITS = 4;
    parameter SIGNED = 0;
    parameter GAP_PERCENT = 0;
    parameter BUSY_PERCENT = 0;
    parameter SEED = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg start = 1'b0;
    reg [16:0] byte_length = 17'd0;
    reg [16:0] value_count = 17'd0;
    wire done;
    wire busy;
    wire [15:0] memory_addr;
    wire memory_rd_en;
    wire [7:0] memory_rd_data;
    wire [15:0] values_addr;
    wire values_rd_en;
    wire [15:0] values_wr_addr;
    wire values_wr_en;
    wire [31:0] values_wr_data;
    wire [63:0] result;
    wire reader_stall;
    wire writer_stall;
    wire reader_fault;
    wire writer_fault;
    wire hold = reader_stall || writer_stall;

    reg [7:0] bytes [0:BYTES-1];
    reg [16:0] lengths [0:CALLS-1];
    reg [16:0] counts [0:CALLS-1];
    integer first = 0;   // the call's first byte
    integer pos = 0;     // the byte stream offers bytes[pos] while pos < stop
    integer stop = 0;
    reg gap = 1'b0;
    reg busy_consumer = 1'b0;
    wire in_valid = pos < stop && !gap;
    wire in_ready;
    wire [7:0] in_data = pos < BYTES ? bytes[pos] : 8'd0;
    wire out_valid;
    wire out_ready = !busy_consumer;
    wire [31:0] out_data;

    width_converter_unpack dut (
        .clk(clk), .rst(rst), .start(start), .done(done), .busy(busy), .stall(hold),
        .memory_length(byte_length), .memory_addr(memory_addr), .memory_rd_en(memory_rd_en), .memory_rd_data(memory_rd_data),
        .wordBits(WORD_BITS), .valueBits(VALUE_BITS), .signed_(SIGNED == 1),
        .values_length(value_count), .values_addr(values_addr), .values_rd_en(values_rd_en), .values_rd_data(32'd0),
        .values_wr_addr(values_wr_addr), .values_wr_en(values_wr_en), .values_wr_data(values_wr_data), .result(result)
    );

    span_stream_reader #(.DATA_BITS(8), .ADDR_BITS(16)) reader (
        .clk(clk), .rst(rst), .restart(start), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .length(byte_length), .rd_en(memory_rd_en), .rd_addr(memory_addr), .rd_data(memory_rd_data),
        .stall(reader_stall), .hold(hold), .order_fault(reader_fault)
    );

    span_stream_writer #(.DATA_BITS(32), .ADDR_BITS(16)) writer (
        .clk(clk), .rst(rst), .restart(start), .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data),
        .wr_en(values_wr_en), .wr_addr(values_wr_addr), .wr_data(values_wr_data), .rd_en(values_rd_en),
        .stall(writer_stall), .hold(hold), .order_fault(writer_fault)
    );

    integer seed = SEED;
    integer call = 0;
    integer taken = 0;   // values the consumer took in this call
    always @(posedge clk) begin
        if (in_valid && in_ready) pos <= pos + 1;
        if (out_valid && out_ready) begin
            $display("V %0d %0d %0d", call, taken, out_data);
            taken = taken + 1;
        end
    end

    // The stream's gaps and the consumer's busy cycles change between clock edges.
    always @(negedge clk) begin
        gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;
        busy_consumer = ($unsigned($random(seed)) % 100) < BUSY_PERCENT;
    end

    integer cycles;
    reg held;
    initial begin
        $readmemh("stream_bytes.hex", bytes);
        $readmemh("stream_lengths.hex", lengths);
        $readmemh("stream_counts.hex", counts);
        repeat (2) @(negedge clk);
        rst = 1'b0;
        for (call = 0; call < CALLS; call = call + 1) begin
            @(negedge clk);
            taken = 0;
            byte_length = lengths[call];
            value_count = counts[call];
            pos = first;
            stop = first + lengths[call];
            start = 1'b1;
            cycles = 0;
            // hold is sampled as the edge sees it (before the kernel's registers change), done after the edge.
            while (cycles == 0) begin @(posedge clk); held = hold; #1; if (!held) cycles = 1; end
            start = 1'b0;
            while (!done && cycles < 100000) begin @(posedge clk); held = hold; #1; if (!held) cycles = cycles + 1; end
            if (!done) $display("FAIL call %0d did not finish", call);
            // The last value may still wait in the writer's buffer.
            while (out_valid) @(posedge clk);
            @(negedge clk);
            $display("R %0d %0d %0d %0d %0d %0d", call, result, cycles, reader_fault, writer_fault, pos - first);
            first = stop;
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
