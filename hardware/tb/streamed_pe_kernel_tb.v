`timescale 1ns / 1ps
`default_nettype none

// Test bench of span_stream_reader feeding the compiled PE kernel: sparse_mat_vec_multiply_accumulate
// (SparseMatVec.MultiplyAccumulate from kernels/, compiled with --stall) takes its activations `x` and its
// column pointers as two streams, as a PE of the array would take the broadcast activations (every
// column, zeros too) and its pointer bank's words, while its entries, codebook and accumulators are memories
// here that act only in cycles with the kernel not held. Both streams have random gaps (GAP_PERCENT).
// Reads pek_entries.hex (ENTRY_COUNT bytes), pek_pointers.hex (COLS + 1), pek_codebook.hex (16) and
// pek_x.hex (COLS). Prints
//   A <row> <accumulator>            for each of the ROWS accumulators (they start at 0)
//   R <result> <cycles with the kernel not held> <x fault> <pointer fault> <x taken> <pointers taken> <all cycles>
// then DONE.
module streamed_pe_kernel_tb;
    parameter COLS = 1;
    parameter ENTRY_COUNT = 1;
    parameter ROWS = 1;
    parameter GAP_PERCENT = 0;
    parameter SEED = 1;
    localparam [16:0] ENTRY_LENGTH = ENTRY_COUNT;
    localparam [16:0] POINTER_LENGTH = COLS + 1;
    localparam [16:0] X_LENGTH = COLS;
    localparam [16:0] ACC_LENGTH = ROWS;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg start = 1'b0;
    wire done;
    wire busy;
    wire [15:0] entries_addr, pointers_addr, codebook_addr, x_addr, acc_addr, acc_wr_addr;
    wire entries_rd_en, pointers_rd_en, codebook_rd_en, x_rd_en, acc_rd_en, acc_wr_en;
    reg [7:0] entries_q;
    wire [31:0] pointers_q;
    reg [15:0] codebook_q;
    wire [7:0] x_q;
    reg [31:0] acc_q;
    wire [31:0] acc_wr_data;
    wire [63:0] result;
    wire x_stall, pointer_stall, x_fault, pointer_fault;
    wire hold = x_stall || pointer_stall;

    reg [7:0] entries [0:ENTRY_COUNT-1];
    reg [31:0] pointers [0:COLS];
    reg [15:0] codebook [0:15];
    reg [7:0] x [0:COLS-1];
    reg [31:0] acc [0:ROWS-1];

    // The two streams: each offers its next element unless this cycle is a gap.
    integer x_pos = 0, pointer_pos = 0;
    reg x_gap = 1'b0, pointer_gap = 1'b0;
    wire x_valid = x_pos < COLS && !x_gap;
    wire pointer_valid = pointer_pos <= COLS && !pointer_gap;
    wire x_ready, pointer_ready;

    sparse_mat_vec_multiply_accumulate dut (
        .clk(clk), .rst(rst), .start(start), .done(done), .busy(busy), .stall(hold),
        .entries_length(ENTRY_LENGTH), .entries_addr(entries_addr), .entries_rd_en(entries_rd_en), .entries_rd_data(entries_q),
        .pointers_length(POINTER_LENGTH), .pointers_addr(pointers_addr), .pointers_rd_en(pointers_rd_en), .pointers_rd_data(pointers_q),
        .codebook_length(17'd16), .codebook_addr(codebook_addr), .codebook_rd_en(codebook_rd_en), .codebook_rd_data(codebook_q),
        .x_length(X_LENGTH), .x_addr(x_addr), .x_rd_en(x_rd_en), .x_rd_data(x_q),
        .acc_length(ACC_LENGTH), .acc_addr(acc_addr), .acc_rd_en(acc_rd_en), .acc_rd_data(acc_q),
        .acc_wr_addr(acc_wr_addr), .acc_wr_en(acc_wr_en), .acc_wr_data(acc_wr_data), .result(result)
    );

    span_stream_reader #(.DATA_BITS(8), .ADDR_BITS(16)) x_reader (
        .clk(clk), .rst(rst), .restart(start), .in_valid(x_valid), .in_ready(x_ready), .in_data(x_pos < COLS ? x[x_pos] : 8'd0),
        .length(X_LENGTH), .rd_en(x_rd_en), .rd_addr(x_addr), .rd_data(x_q), .stall(x_stall), .hold(hold), .order_fault(x_fault)
    );

    span_stream_reader #(.DATA_BITS(32), .ADDR_BITS(16)) pointer_reader (
        .clk(clk), .rst(rst), .restart(start), .in_valid(pointer_valid), .in_ready(pointer_ready), .in_data(pointer_pos <= COLS ? pointers[pointer_pos] : 32'd0),
        .length(POINTER_LENGTH), .rd_en(pointers_rd_en), .rd_addr(pointers_addr), .rd_data(pointers_q), .stall(pointer_stall), .hold(hold),
        .order_fault(pointer_fault)
    );

    // The memories act only in a cycle with the kernel not held.
    always @(posedge clk) begin
        if (entries_rd_en && !hold) entries_q <= entries[entries_addr];
        if (codebook_rd_en && !hold) codebook_q <= codebook[codebook_addr[3:0]];
        if (acc_rd_en && !hold) acc_q <= acc[acc_addr];
        if (acc_wr_en && !hold) acc[acc_wr_addr] <= acc_wr_data;
        if (x_valid && x_ready) x_pos <= x_pos + 1;
        if (pointer_valid && pointer_ready) pointer_pos <= pointer_pos + 1;
    end

    integer seed = SEED;
    always @(negedge clk) begin
        x_gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;
        pointer_gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;
    end

    integer i, cycles, total;
    reg held;
    initial begin
        $readmemh("pek_entries.hex", entries);
        $readmemh("pek_pointers.hex", pointers);
        $readmemh("pek_codebook.hex", codebook);
        $readmemh("pek_x.hex", x);
        for (i = 0; i < ROWS; i = i + 1) acc[i] = 32'd0;
        repeat (2) @(negedge clk);
        rst = 1'b0;
        @(negedge clk);
        start = 1'b1;
        cycles = 0;
        total = 0;
        // hold is sampled as the edge sees it (before the kernel's registers change), done after the edge.
        while (cycles == 0) begin @(posedge clk); held = hold; #1; total = total + 1; if (!held) cycles = 1; end
        start = 1'b0;
        while (!done && cycles < 1000000) begin @(posedge clk); held = hold; #1; total = total + 1; if (!held) cycles = cycles + 1; end
        if (!done) $display("FAIL the kernel did not finish");
        for (i = 0; i < ROWS; i = i + 1) $display("A %0d %0d", i, acc[i]);
        $display("R %0d %0d %0d %0d %0d %0d %0d", result, cycles, x_fault, pointer_fault, x_pos, pointer_pos, total);
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
