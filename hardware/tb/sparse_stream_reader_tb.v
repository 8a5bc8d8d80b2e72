`timescale 1ns / 1ps
`default_nettype none

// Test bench of sparse_stream_reader feeding the compiled PE kernel as a PE of the array would take its
// inputs: sparse_mat_vec_multiply_accumulate (SparseMatVec.MultiplyAccumulate from kernels/, compiled
// with --stall) reads its activations `x` from a stream of the nonzero ones with their columns (the
// array's broadcast), its column pointers from a 16-bit pointer bank (zero-extended into the kernel's
// int pointers), and its entries, codebook and accumulators from memories. The memories act only in
// cycles with the kernel not held; the stream has random gaps (GAP_PERCENT), its end included.
// Reads pek_entries.hex (ENTRY_COUNT bytes), pek_pointers.hex (COLS + 1), pek_codebook.hex (16) and
// pek_stream.hex (STREAM_COUNT words: column << 8 | value, in the order sent). Prints
//   A <row> <accumulator>   for each of the ROWS accumulators (they start at 0)
//   R <result> <cycles with the kernel not held> <order fault> <elements taken> <all cycles>
// then DONE.
module sparse_stream_reader_tb;
    parameter COLS = 1;
    parameter ENTRY_COUNT = 1;
    parameter ROWS = 1;
    parameter STREAM_COUNT = 0;
    parameter GAP_PERCENT = 0;
    parameter SEED = 1;
    localparam [16:0] ENTRY_LENGTH = ENTRY_COUNT;
    localparam [16:0] POINTER_LENGTH = COLS + 1;
    localparam [16:0] X_LENGTH = COLS;
    localparam [16:0] ACC_LENGTH = ROWS;
    localparam STREAM_WORDS = STREAM_COUNT > 0 ? STREAM_COUNT : 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg start = 1'b0;
    wire done;
    wire busy;
    wire [15:0] entries_addr, pointers_addr, codebook_addr, x_addr, acc_addr, acc_wr_addr;
    wire entries_rd_en, pointers_rd_en, codebook_rd_en, x_rd_en, acc_rd_en, acc_wr_en;
    reg [7:0] entries_q;
    reg [15:0] pointers_q;
    reg [15:0] codebook_q;
    wire [7:0] x_q;
    reg [31:0] acc_q;
    wire [31:0] acc_wr_data;
    wire [63:0] result;
    wire hold, x_fault;

    reg [7:0] entries [0:ENTRY_COUNT-1];
    reg [15:0] pointers [0:COLS];
    reg [15:0] codebook [0:15];
    reg [23:0] stream [0:STREAM_WORDS-1];
    reg [31:0] acc [0:ROWS-1];

    // The broadcast: the next element unless this cycle is a gap; the end once all are taken.
    integer pos = 0;
    reg gap = 1'b0;
    wire in_valid = pos < STREAM_COUNT && !gap;
    wire in_end = pos >= STREAM_COUNT && !gap;
    wire [23:0] head = pos < STREAM_COUNT ? stream[pos] : 24'd0;
    wire in_ready;

    sparse_mat_vec_multiply_accumulate dut (
        .clk(clk), .rst(rst), .start(start), .done(done), .busy(busy), .stall(hold),
        .entries_length(ENTRY_LENGTH), .entries_addr(entries_addr), .entries_rd_en(entries_rd_en), .entries_rd_data(entries_q),
        .pointers_length(POINTER_LENGTH), .pointers_addr(pointers_addr), .pointers_rd_en(pointers_rd_en), .pointers_rd_data({16'd0, pointers_q}),
        .codebook_length(17'd16), .codebook_addr(codebook_addr), .codebook_rd_en(codebook_rd_en), .codebook_rd_data(codebook_q),
        .x_length(X_LENGTH), .x_addr(x_addr), .x_rd_en(x_rd_en), .x_rd_data(x_q),
        .acc_length(ACC_LENGTH), .acc_addr(acc_addr), .acc_rd_en(acc_rd_en), .acc_rd_data(acc_q),
        .acc_wr_addr(acc_wr_addr), .acc_wr_en(acc_wr_en), .acc_wr_data(acc_wr_data), .result(result)
    );

    // The reader is the only holder here, so it takes its own stall back as hold.
    sparse_stream_reader #(.DATA_BITS(8), .ADDR_BITS(16)) x_reader (
        .clk(clk), .rst(rst), .restart(start), .in_valid(in_valid), .in_ready(in_ready), .in_index(head[23:8]), .in_data(head[7:0]),
        .in_end(in_end), .length(X_LENGTH), .rd_en(x_rd_en), .rd_addr(x_addr), .rd_data(x_q), .stall(hold), .hold(hold), .order_fault(x_fault)
    );

    always @(posedge clk) begin
        if (entries_rd_en && !hold) entries_q <= entries[entries_addr];
        if (pointers_rd_en && !hold) pointers_q <= pointers[pointers_addr];
        if (codebook_rd_en && !hold) codebook_q <= codebook[codebook_addr[3:0]];
        if (acc_rd_en && !hold) acc_q <= acc[acc_addr];
        if (acc_wr_en && !hold) acc[acc_wr_addr] <= acc_wr_data;
        if (in_valid && in_ready) pos <= pos + 1;
    end

    integer seed = SEED;
    always @(negedge clk) gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;

    integer i, cycles, total;
    reg held;
    initial begin
        $readmemh("pek_entries.hex", entries);
        $readmemh("pek_pointers.hex", pointers);
        $readmemh("pek_codebook.hex", codebook);
        if (STREAM_COUNT > 0) $readmemh("pek_stream.hex", stream);
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
        $display("R %0d %0d %0d %0d %0d", result, cycles, x_fault, pos, total);
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
