`timescale 1ns / 1ps
`default_nettype none

// Test bench of pe, and with COMPILED = 1 of compiled_pe (the PE around the kernel compiled from
// kernels/; the same ports, and a start and an end per pass): one PE's CCS slice against activation vectors. Reads, from the working folder:
//   pe_entries.hex   ENTRY_COUNT entry bytes (v | z << 4); at least one line
//   pe_pointers.hex  COLS + 1 column pointers (16-bit)
//   pe_codebook.hex  16 signed 16-bit codebook values
//   pe_acts.hex      PASSES x COLS activation bytes, pass after pass
// For every pass it broadcasts the nonzero activations (all of them with BROADCAST_ZEROS, which
// the PE must drop), waits for idle, reads LOCAL_ROWS accumulators from ROW_BASE on and prints
//   ACC <pass> <row> <value, 8 hex digits>
//   PASS <pass> CYCLES <first broadcast to idle> BUSY <busy_cycles> ENTRIES <entries_consumed>
//   FAULT <pass> <row_fault: an entry landed at or past row LIMIT_ROWS (0: 2^ROW_BITS), cleared at each pass's start>
// Even passes read the accumulators with read-and-clear (and read each row a second time at once,
// which must give zero); odd passes read plainly and then clear with the sweep, so both ways of
// starting a layer are exercised. BUSY is compiled_pe's cycles of its kernel not held. DESCENDING
// broadcasts each pass's columns last to first. Broadcast gaps are random with
// GAP_PERCENT; entry reads outside the slice print FAIL. USE_DSP = 1 multiplies on the SB_MAC16:
// Yosys's ice40/cells_sim.v goes among the sources after this file, declaring its ports without
// SystemVerilog default values (the define below), which iverilog -g2005 rejects.
`define NO_ICE40_DEFAULT_ASSIGNMENTS
module pe_tb;
    parameter COLS = 16;
    parameter ENTRY_COUNT = 1;
    parameter LOCAL_ROWS = 16;
    parameter ROW_BITS = 6;
    parameter ENTRY_ADDR_BITS = 13;
    parameter COL_BITS = 10;
    parameter PASSES = 1;
    parameter GAP_PERCENT = 0;
    parameter BROADCAST_ZEROS = 0;
    parameter SEED = 1;
    parameter USE_DSP = 0;
    parameter EBR_DELAYS = 0;
    parameter WATCHDOG_CYCLES = 2000000;
    parameter COMPILED = 0;
    parameter ROW_BASE = 0;
    parameter LIMIT_ROWS = 0;
    parameter DESCENDING = 0;        // broadcast the columns last to first (pe.v takes any order; compiled_pe faults)

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg clear = 1'b0;
    reg cb_we = 1'b0;
    reg [3:0] cb_addr = 4'd0;
    reg [15:0] cb_data = 16'd0;
    reg act_valid = 1'b0;
    reg [COL_BITS-1:0] act_col = {COL_BITS{1'b0}};
    reg [7:0] act_value = 8'd0;
    reg acc_rd_en = 1'b0;
    reg acc_rd_clear = 1'b0;
    reg [ROW_BITS-1:0] acc_rd_addr = {ROW_BITS{1'b0}};
    reg start_pass = 1'b0;   // compiled_pe: a pass begins ...
    reg act_end = 1'b0;      // ... and its last broadcast was offered
    localparam [COL_BITS-1:0] COL_COUNT = COLS;
    localparam [ROW_BITS-1:0] FIRST_ROW = ROW_BASE;
    localparam [ROW_BITS:0] ROW_LIMIT = LIMIT_ROWS == 0 ? (1 << ROW_BITS) : LIMIT_ROWS;
    reg fault_clear = 1'b0;
    wire row_fault;

    wire act_ready;
    wire entry_rd_en;
    wire [ENTRY_ADDR_BITS-1:0] entry_rd_addr;
    reg [7:0] entry_rd_data;
    wire ptr_rd_en;
    wire [COL_BITS-1:0] ptr_even_addr;
    wire [COL_BITS-1:0] ptr_odd_addr;
    reg [15:0] ptr_even_data;
    reg [15:0] ptr_odd_data;
    wire [31:0] acc_rd_data;
    wire idle;
    wire [31:0] busy_cycles;
    wire [31:0] entries_consumed;

    generate
        if (COMPILED != 0) begin : compiled
            compiled_pe #(.ROW_BITS(ROW_BITS), .ENTRY_ADDR_BITS(ENTRY_ADDR_BITS), .COL_BITS(COL_BITS), .FIFO_DEPTH(8)) dut (
                .clk(clk), .rst(rst), .clear(clear),
                .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data), .cb_steps(5'd0),
                .start(start_pass), .cols(COL_COUNT), .act_end(act_end),
                .act_valid(act_valid), .act_ready(act_ready), .act_col(act_col), .act_value(act_value),
                .entry_rd_en(entry_rd_en), .entry_rd_addr(entry_rd_addr), .entry_rd_data(entry_rd_data),
                .ptr_rd_en(ptr_rd_en), .ptr_even_addr(ptr_even_addr), .ptr_even_data(ptr_even_data),
                .ptr_odd_addr(ptr_odd_addr), .ptr_odd_data(ptr_odd_data),
                .acc_rd_en(acc_rd_en), .acc_rd_clear(acc_rd_clear), .acc_rd_addr(acc_rd_addr), .acc_rd_data(acc_rd_data),
                .row_base(FIRST_ROW), .local_rows(ROW_LIMIT), .fault_clear(fault_clear), .row_fault(row_fault),
                .idle(idle), .work_entry(), .work_steps(), .busy_cycles(busy_cycles), .entries_consumed(entries_consumed)
            );
        end else begin : hand
            pe #(.ROW_BITS(ROW_BITS), .ENTRY_ADDR_BITS(ENTRY_ADDR_BITS), .COL_BITS(COL_BITS), .POINTER_BITS(16), .FIFO_DEPTH(8), .USE_DSP(USE_DSP), .EBR_DELAYS(EBR_DELAYS)) dut (
                .clk(clk), .rst(rst), .clear(clear),
                .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data), .cb_steps(5'd0),
                .act_valid(act_valid), .act_ready(act_ready), .act_col(act_col), .act_value(act_value),
                .entry_rd_en(entry_rd_en), .entry_rd_addr(entry_rd_addr), .entry_rd_data(entry_rd_data),
                .ptr_rd_en(ptr_rd_en), .ptr_even_addr(ptr_even_addr), .ptr_even_data(ptr_even_data),
                .ptr_odd_addr(ptr_odd_addr), .ptr_odd_data(ptr_odd_data),
                .acc_rd_en(acc_rd_en), .acc_rd_clear(acc_rd_clear), .acc_rd_addr(acc_rd_addr), .acc_rd_data(acc_rd_data),
                .row_base(FIRST_ROW), .local_rows(ROW_LIMIT), .fault_clear(fault_clear), .row_fault(row_fault),
                .idle(idle), .work_entry(), .work_steps(), .busy_cycles(busy_cycles), .entries_consumed(entries_consumed)
            );
        end
    endgenerate

    reg [7:0] entries [0:ENTRY_COUNT-1];
    reg [15:0] pointers [0:COLS];
    reg [15:0] codebook [0:15];
    reg [7:0] acts [0:PASSES*COLS-1];

    // The memories outside the PE: block RAM with one cycle of read latency. The pointer banks
    // are views of one array: even bank word k = p[2k], odd bank word k = p[2k+1].
    always @(posedge clk) begin
        if (entry_rd_en) begin
            if (entry_rd_addr >= ENTRY_COUNT) begin
                $display("FAIL entry read at %0d, past the %0d entries of the slice", entry_rd_addr, ENTRY_COUNT);
                entry_rd_data <= 8'hxx;
            end else begin
                entry_rd_data <= entries[entry_rd_addr];
            end
        end
        if (ptr_rd_en) begin
            ptr_even_data <= (2 * ptr_even_addr <= COLS) ? pointers[2*ptr_even_addr] : 16'hxxxx;
            ptr_odd_data <= (2 * ptr_odd_addr + 1 <= COLS) ? pointers[2*ptr_odd_addr+1] : 16'hxxxx;
        end
    end

    integer cycle = 0;
    always @(posedge clk) cycle <= cycle + 1;

    initial begin
        #(10 * WATCHDOG_CYCLES);
        $display("FAIL watchdog: no finish after %0d cycles", WATCHDOG_CYCLES);
        $finish;
    end

    integer seed;
    integer pass, j, c, r, start, waited, busy_start, entries_start;

    task wait_idle;
        begin
            waited = 0;
            // idle is a register function: give in-flight state one edge to show up first.
            @(posedge clk);
            #1;
            while (!idle) begin
                @(posedge clk);
                #1;
                waited = waited + 1;
            end
        end
    endtask

    initial begin
        seed = SEED;
        if (ROW_BASE + LOCAL_ROWS > (1 << ROW_BITS) || COLS + 1 > (1 << COL_BITS) || ENTRY_COUNT > (1 << ENTRY_ADDR_BITS))
            $display("FAIL parameters: %0d rows, %0d columns or %0d entries do not fit ROW_BITS, COL_BITS, ENTRY_ADDR_BITS", LOCAL_ROWS, COLS, ENTRY_COUNT);
        $readmemh("pe_entries.hex", entries);
        $readmemh("pe_pointers.hex", pointers);
        $readmemh("pe_codebook.hex", codebook);
        $readmemh("pe_acts.hex", acts);

        repeat (3) @(posedge clk);
        #1 rst = 1'b0;

        for (j = 0; j < 16; j = j + 1) begin
            cb_we = 1'b1;
            cb_addr = j;
            cb_data = codebook[j];
            @(posedge clk);
            #1;
        end
        cb_we = 1'b0;
        wait_idle;   // the sweep after reset

        for (pass = 0; pass < PASSES; pass = pass + 1) begin
            busy_start = busy_cycles;
            entries_start = entries_consumed;
            fault_clear = 1'b1;
            @(posedge clk);
            #1 fault_clear = 1'b0;
            if (COMPILED != 0) begin
                act_end = 1'b0;
                start_pass = 1'b1;
                @(posedge clk);
                #1 start_pass = 1'b0;
            end
            start = cycle;
            for (j = 0; j < COLS; j = j + 1) begin
                c = DESCENDING != 0 ? COLS - 1 - j : j;
                if (acts[pass*COLS+c] != 8'd0 || BROADCAST_ZEROS != 0) begin
                    while (GAP_PERCENT > 0 && ($unsigned($random(seed)) % 100) < GAP_PERCENT) begin
                        @(posedge clk);
                        #1;
                    end
                    act_valid = 1'b1;
                    act_col = c;
                    act_value = acts[pass*COLS+c];
                    @(posedge clk);
                    while (!act_ready) @(posedge clk);   // sampled at the edge that takes it
                    #1;
                    act_valid = 1'b0;
                end
            end
            act_end = 1'b1;
            wait_idle;
            $display("PASS %0d CYCLES %0d BUSY %0d ENTRIES %0d", pass, cycle - start, busy_cycles - busy_start, entries_consumed - entries_start);
            $display("FAULT %0d %0d", pass, row_fault);

            for (r = 0; r < LOCAL_ROWS; r = r + 1) begin
                acc_rd_en = 1'b1;
                acc_rd_clear = (pass % 2) == 0;
                acc_rd_addr = FIRST_ROW + r;
                @(posedge clk);
                #1;
                $display("ACC %0d %0d %h", pass, r, acc_rd_data);
                if (acc_rd_clear) begin
                    // Read the row again at once: its zero is being written in this very cycle.
                    @(posedge clk);
                    #1;
                    if (acc_rd_data != 32'd0) $display("FAIL row %0d reads %h right after read-and-clear", r, acc_rd_data);
                end
                acc_rd_en = 1'b0;
            end
            acc_rd_clear = 1'b0;
            if ((pass % 2) != 0) begin
                clear = 1'b1;
                @(posedge clk);
                #1 clear = 1'b0;
            end
            wait_idle;
        end

        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
