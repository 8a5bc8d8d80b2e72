`timescale 1ns / 1ps
`default_nettype none

// Test bench of activation_scan. Reads as_words.hex: 2^(ACT_BITS-2) words of four activations
// (activation 4k + m in byte m of word k), answered as the engine's banked buffer does (the read
// column registered on issue, the word a cycle later). Runs a scan of COLS columns RUNS times
// (run drops for a cycle in between, which resets the scan), with the PEs ready in READY_PERCENT
// of the cycles, through a queue of QUEUE_DEPTH words. Prints each activation taken and each scan's end:
//   B <run> <column> <value, 2 hex digits>
//   FINISHED <run> CYCLES <cycles from run to finished>
// FAIL: finished without a run, or no end within WATCHDOG_CYCLES.
module activation_scan_tb;
    parameter ACT_BITS = 6;
    parameter COLS = 1;
    parameter RUNS = 2;
    parameter READY_PERCENT = 100;
    parameter SEED = 1;
    parameter QUEUE_DEPTH = 4;
    parameter WATCHDOG_CYCLES = 10000;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg run = 1'b0;
    reg ready = 1'b0;
    wire [ACT_BITS:0] cols = COLS;
    wire issue, valid, finished;
    wire [ACT_BITS:0] read_column;
    wire [ACT_BITS-1:0] column;
    wire [7:0] value;
    reg [31:0] act_word = 32'd0;
    reg [ACT_BITS-3:0] raddr = {(ACT_BITS-2){1'b0}};

    activation_scan #(.ACT_BITS(ACT_BITS), .QUEUE_DEPTH(QUEUE_DEPTH)) dut (
        .clk(clk), .rst(rst), .run(run), .cols(cols), .issue(issue), .read_column(read_column),
        .act_word(act_word), .valid(valid), .column(column), .value(value), .ready(ready), .finished(finished));

    reg [31:0] words [0:(1 << (ACT_BITS - 2)) - 1];
    always @(posedge clk) begin
        if (issue) raddr <= read_column[ACT_BITS-1:2];
        act_word <= words[raddr];
    end

    integer seed, r, cycles;
    always @(posedge clk) begin
        if (run && valid && ready) $display("B %0d %0d %h", r, column, value);
    end

    initial begin
        seed = SEED;
        $readmemh("as_words.hex", words);
        repeat (2) @(posedge clk);
        #2 rst = 1'b0;
        for (r = 0; r < RUNS; r = r + 1) begin
            run = 1'b1;
            cycles = 0;
            ready = ($unsigned($random(seed)) % 100) < READY_PERCENT;
            @(posedge clk);
            cycles = cycles + 1;
            #2;
            while (!finished && cycles < WATCHDOG_CYCLES) begin
                ready = ($unsigned($random(seed)) % 100) < READY_PERCENT;
                @(posedge clk);
                cycles = cycles + 1;
                #2;
            end
            if (!finished) $display("FAIL run %0d: no end within %0d cycles", r, WATCHDOG_CYCLES);
            $display("FINISHED %0d CYCLES %0d", r, cycles);
            run = 1'b0;
            ready = 1'b0;
            @(posedge clk);
            #2;
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
