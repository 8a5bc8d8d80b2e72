`timescale 1ns / 1ps
`default_nettype none

// Test bench of pe_array: a whole layer over PES processing elements. Reads, from the working folder:
//   pa_entries.hex   PES x 2^ENTRY_ADDR_BITS entry bytes: PE i's slice at i * 2^ENTRY_ADDR_BITS (zero padded)
//   pa_pointers.hex  PES x (COLS + 1) column pointers (16-bit), PE after PE
//   pa_codebook.hex  16 signed 16-bit codebook values
//   pa_acts.hex      PASSES x COLS activation bytes
// Lays each PE's slice out in its memory lane as the compiler does (its pointers from word 0, its
// entries two per word from word COLS + 1) and serves the array's lane reads from there, loads the
// codebook and has the array copy its pointers from the lanes, then for every pass broadcasts the nonzero
// activations one per cycle (as fast as act_ready allows), waits for done, reads LOCAL_ROWS
// local rows from all PEs at once (with read-and-clear) and prints
//   ACC <pass> <pe> <local row> <value, 8 hex digits>
//   PE <pass> <pe> BUSY <busy cycles> ENTRIES <entries consumed>
//   PASS <pass> CYCLES <first broadcast to done> STALLS <cycles a broadcast waited for act_ready>
module pe_array_tb;
    parameter PES = 4;
    parameter COLS = 16;
    parameter LOCAL_ROWS = 16;        // rows of PE 0 (the most of any PE)
    parameter ROW_BITS = 6;
    parameter ENTRY_ADDR_BITS = 13;
    parameter WORD_BITS = 14;         // lane words: pointers, then entries, must fit 2^WORD_BITS
    parameter COL_BITS = 10;
    parameter PASSES = 1;
    parameter WATCHDOG_CYCLES = 4000000;
    parameter COMPILED_PE = 0;        // 1: the PEs are compiled_pe.v (a start and an end per pass)

    localparam SLOT = 1 << ENTRY_ADDR_BITS;
    localparam LANE_WORDS = 1 << WORD_BITS;
    localparam [WORD_BITS-1:0] ENTRY_WORD = COLS + 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg clear = 1'b0;
    reg cb_we = 1'b0;
    reg [3:0] cb_addr = 4'd0;
    reg [15:0] cb_data = 16'd0;
    reg load = 1'b0;
    reg layer_start = 1'b0;
    reg act_end = 1'b0;
    reg act_valid = 1'b0;
    reg [COL_BITS-1:0] act_col = {COL_BITS{1'b0}};
    reg [7:0] act_value = 8'd0;
    reg acc_rd_en = 1'b0;
    reg [ROW_BITS-1:0] acc_rd_addr = {ROW_BITS{1'b0}};

    wire act_ready;
    wire [32*PES-1:0] acc_rd_data;
    wire done;
    wire load_fault;
    wire [32*PES-1:0] busy_cycles;
    wire [32*PES-1:0] entries_consumed;
    wire [WORD_BITS*PES-1:0] lane_addr;
    reg  [16*PES-1:0] lane_rdata;

    pe_array #(
        .PES(PES), .ROW_BITS(ROW_BITS), .COL_BITS(COL_BITS), .MAX_COLS(COLS), .WORD_BITS(WORD_BITS),
        .FIFO_DEPTH(8), .COUNTER_BITS(32), .COMPILED_PE(COMPILED_PE)
    ) dut (
        .clk(clk), .rst(rst), .clear(clear),
        .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data), .cb_steps(5'd0),
        .pointer_word({PES{{WORD_BITS{1'b0}}}}), .entry_word({PES{ENTRY_WORD}}), .wide(1'b0),
        .cols(COLS[COL_BITS-1:0]), .row_base({ROW_BITS{1'b0}}), .local_rows({PES{1'b1, {ROW_BITS{1'b0}}}}), .load(load), .load_fault(load_fault), .row_fault(),
        .lane_addr(lane_addr), .lane_rdata(lane_rdata), .line_en(1'b0), .line_word({WORD_BITS{1'b0}}),
        .layer_start(layer_start), .act_end(act_end),
        .act_valid(act_valid), .act_ready(act_ready), .act_col(act_col), .act_value(act_value),
        .acc_rd_en(acc_rd_en), .acc_rd_clear(1'b1), .acc_rd_addr(acc_rd_addr), .acc_rd_data(acc_rd_data),
        .done(done), .work_entries(), .work_steps(), .busy_cycles(busy_cycles), .entries_consumed(entries_consumed)
    );

    // The lanes: one memory of 16-bit words per PE, read with one cycle of latency.
    reg [15:0] lanes [0:PES*LANE_WORDS-1];
    genvar g;
    generate
        for (g = 0; g < PES; g = g + 1) begin : lane_port
            always @(posedge clk) lane_rdata[16*g +: 16] <= lanes[g*LANE_WORDS + lane_addr[WORD_BITS*g +: WORD_BITS]];
        end
    endgenerate

    reg [7:0] entries [0:PES*SLOT-1];
    reg [15:0] pointers [0:PES*(COLS+1)-1];
    reg [15:0] codebook [0:15];
    reg [7:0] acts [0:PASSES*COLS-1];
    reg [31:0] busy_start [0:PES-1];
    reg [31:0] entries_start [0:PES-1];

    integer cycle = 0;
    always @(posedge clk) cycle <= cycle + 1;

    initial begin
        #(10 * WATCHDOG_CYCLES);
        $display("FAIL watchdog: no finish after %0d cycles", WATCHDOG_CYCLES);
        $finish;
    end

    integer pass, p, i, j, r, start, stalls;

    task wait_done;
        begin
            @(posedge clk);
            #1;
            while (!done) begin
                @(posedge clk);
                #1;
            end
        end
    endtask

    initial begin
        if (LOCAL_ROWS > (1 << ROW_BITS) || COLS + 1 > (1 << COL_BITS))
            $display("FAIL parameters: %0d rows or %0d columns do not fit ROW_BITS, COL_BITS", LOCAL_ROWS, COLS);
        $readmemh("pa_entries.hex", entries);
        $readmemh("pa_pointers.hex", pointers);
        $readmemh("pa_codebook.hex", codebook);
        $readmemh("pa_acts.hex", acts);

        repeat (3) @(posedge clk);
        #1 rst = 1'b0;

        if (COLS + 1 + SLOT / 2 > LANE_WORDS)
            $display("FAIL parameters: %0d pointers and %0d entries do not fit a lane of %0d words", COLS + 1, SLOT, LANE_WORDS);
        for (p = 0; p < PES; p = p + 1) begin
            for (i = 0; i <= COLS; i = i + 1) lanes[p*LANE_WORDS+i] = pointers[p*(COLS+1)+i];
            for (i = 0; i < SLOT; i = i + 2) lanes[p*LANE_WORDS+COLS+1+i/2] = {entries[p*SLOT+i+1], entries[p*SLOT+i]};
        end

        // Codebook to all, then the pointers from the lanes.
        for (i = 0; i < 16; i = i + 1) begin
            cb_we = 1'b1;
            cb_addr = i;
            cb_data = codebook[i];
            @(posedge clk);
            #1;
        end
        cb_we = 1'b0;
        wait_done;   // the accumulator sweep after reset
        load = 1'b1;
        @(posedge clk);
        #1 load = 1'b0;
        wait_done;
        if (load_fault) $display("FAIL load_fault after loading well-formed pointers");

        for (pass = 0; pass < PASSES; pass = pass + 1) begin
            for (p = 0; p < PES; p = p + 1) begin
                busy_start[p] = busy_cycles[32*p +: 32];
                entries_start[p] = entries_consumed[32*p +: 32];
            end
            act_end = 1'b0;
            layer_start = 1'b1;
            @(posedge clk);
            #1 layer_start = 1'b0;
            start = cycle;
            stalls = 0;
            for (j = 0; j < COLS; j = j + 1) begin
                if (acts[pass*COLS+j] != 8'd0) begin
                    act_valid = 1'b1;
                    act_col = j;
                    act_value = acts[pass*COLS+j];
                    @(posedge clk);
                    while (!act_ready) begin
                        stalls = stalls + 1;
                        @(posedge clk);
                    end
                    #1;
                    act_valid = 1'b0;
                end
            end
            act_end = 1'b1;
            wait_done;
            $display("PASS %0d CYCLES %0d STALLS %0d", pass, cycle - start, stalls);
            for (p = 0; p < PES; p = p + 1)
                $display("PE %0d %0d BUSY %0d ENTRIES %0d", pass, p, busy_cycles[32*p +: 32] - busy_start[p], entries_consumed[32*p +: 32] - entries_start[p]);

            for (r = 0; r < LOCAL_ROWS; r = r + 1) begin
                acc_rd_en = 1'b1;
                acc_rd_addr = r;
                @(posedge clk);
                #1;
                acc_rd_en = 1'b0;
                for (p = 0; p < PES; p = p + 1) $display("ACC %0d %0d %0d %h", pass, p, r, acc_rd_data[32*p +: 32]);
            end
            wait_done;
        end

        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
