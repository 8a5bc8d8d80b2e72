`timescale 1ns / 1ps
`default_nettype none

// Test bench of layer_engine: the engine alone, with the memories around it modelled here as the
// top level has them (one cycle of read latency each). Reads, from the working folder:
//   le_memory.hex   2^MEM_BITS bytes: the whole weight memory, model images at their addresses and
//                   junk everywhere else
//   le_runs.hex     RUNS lines, each {accumulate[3:0], model_addr[31:0], input_at[15:0],
//                   output_at[15:0]} (17 hex digits)
//   le_inputs.hex   RUNS x INPUT_SIZE input bytes, run after run
// For every run it fills the receive buffer with junk and the run's input at input_at, waits a
// random number of idle cycles, pulses start with the run's addresses (held until done, as the
// controller holds them), waits for done and prints
//   TX <run> <address> <byte>   for each transmit write outside the output window (an engine may
//                               write the Run reply's counter block there; the test checks them)
//   RUN <run> FAULT <0|1> CYCLES <n> ENTRIES <n> STEPS <n> BROADCASTS <n> WRITES <n> EXTRA <n>
//   OUT <run> <k> <output k: 4 transmit bytes at output_at + 4k, little-endian, 8 hex digits>
// WRITES counts the transmit writes into the output window [output_at, output_at + OUTPUT_BYTES),
// EXTRA those outside it. OUT lines only for a run that did not fault, OUTPUT_BYTES / 4 of them.
// FAIL: a transmit byte written twice in a run, an output byte not written (without a fault), a
// transmit write while no run is active, done while idle or longer than one cycle, no done within
// WATCHDOG_CYCLES of a start, a run that asks for accumulate from an engine without it.
// model_addr is driven from a 32-bit register; the engine takes its low MEM_BITS bits.
module layer_engine_tb;
    parameter MEM_BITS = 17;
    parameter BUF_BITS = 10;
    parameter RUNS = 1;
    parameter INPUT_SIZE = 1;
    parameter OUTPUT_BYTES = 4;
    parameter MAX_GAP = 4;
    parameter SEED = 1;
    parameter WATCHDOG_CYCLES = 4000000;
    parameter PE_ARRAY = 0;           // 1: the engine's PE array, reading the memory's lanes
    parameter PE_COUNT = 4;           // the array's PEs: 4 (a bank each) or 2 (two banks each)
    parameter USE_DSP = 0;

    localparam BUF_SIZE = 1 << BUF_BITS;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg start = 1'b0;
    reg accumulate = 1'b0;
    reg [31:0] model_addr = 32'd0;
    reg [BUF_BITS-1:0] input_at = {BUF_BITS{1'b0}};
    reg [BUF_BITS-1:0] output_at = {BUF_BITS{1'b0}};
    wire done, fault;
    wire [BUF_BITS-1:0] rx_addr;
    reg [7:0] rx_data = 8'd0;
    wire tx_we;
    wire [BUF_BITS-1:0] tx_waddr;
    wire [7:0] tx_wdata;
    wire [MEM_BITS-1:0] mem_addr;
    reg [7:0] mem_rdata = 8'd0;
    wire [31:0] cycles, entries, steps, broadcasts;
    localparam WORD_BITS = MEM_BITS - 3;
    /* verilator lint_off UNUSEDSIGNAL */
    wire lane_en;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [4*WORD_BITS-1:0] lane_addr;
    reg [63:0] lane_rdata = 64'd0;

    layer_engine #(.MEM_BITS(MEM_BITS), .BUF_BITS(BUF_BITS), .PE_ARRAY(PE_ARRAY), .PE_COUNT(PE_COUNT), .USE_DSP(USE_DSP)) dut (
        .clk(clk), .rst(rst), .start(start),
        .accumulate(accumulate),
        .model_addr(model_addr[MEM_BITS-1:0]),
        .input_at(input_at), .output_at(output_at), .batch(16'd1), .done(done), .fault(fault),
        .rx_addr(rx_addr), .rx_data(rx_data),
        .tx_we(tx_we), .tx_waddr(tx_waddr), .tx_wdata(tx_wdata),
        .mem_addr(mem_addr), .mem_rdata(mem_rdata),
        .lane_en(lane_en), .lane_addr(lane_addr), .lane_rdata(lane_rdata),
        .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));

    reg [7:0] memory [0:(1 << MEM_BITS) - 1];
    reg [67:0] runs [0:RUNS-1];
    reg [7:0] inputs [0:RUNS*INPUT_SIZE-1];
    reg [7:0] rx [0:BUF_SIZE-1];
    reg [7:0] tx [0:BUF_SIZE-1];
    reg [7:0] tx_count [0:BUF_SIZE-1];

    // Weight memory and receive buffer: block RAM, one cycle of read latency. Lane b's word w is
    // bytes 8w + 2b and 8w + 2b + 1 (the memory's banks).
    always @(posedge clk) begin
        mem_rdata <= memory[mem_addr];
        rx_data <= rx[rx_addr];
    end
    genvar g;
    generate
        for (g = 0; g < 4; g = g + 1) begin : lane_port
            localparam [1:0] BANK = g;
            always @(posedge clk)
                lane_rdata[16*g +: 16] <= {memory[{lane_addr[WORD_BITS*g +: WORD_BITS], BANK, 1'b1}], memory[{lane_addr[WORD_BITS*g +: WORD_BITS], BANK, 1'b0}]};
        end
    endgenerate

    integer seed, run, k, b, waited;

    // Transmit buffer: every write is captured and counted.
    reg running = 1'b0;
    integer writes = 0, extra = 0;
    reg [BUF_BITS-1:0] offset;
    always @(posedge clk) begin
        if (!rst && tx_we) begin
            offset = tx_waddr - output_at;
            if (!running) $display("FAIL transmit write at %0d while no run is active", tx_waddr);
            if (offset < OUTPUT_BYTES) writes = writes + 1;
            else begin
                $display("TX %0d %0d %h", run, tx_waddr, tx_wdata);
                extra = extra + 1;
            end
            tx[tx_waddr] <= tx_wdata;
            tx_count[tx_waddr] <= tx_count[tx_waddr] + 8'd1;
        end
    end

    // done pulses, counted at the edges that see them: one per run, one cycle each.
    integer dones = 0;
    always @(posedge clk) if (!rst && done === 1'b1) dones = dones + 1;

    reg [31:0] value;

    initial begin
        seed = SEED;
        $readmemh("le_memory.hex", memory);
        $readmemh("le_runs.hex", runs);
        $readmemh("le_inputs.hex", inputs);

        repeat (3) @(posedge clk);
        #1 rst = 1'b0;
        // The PE array sweeps its accumulators after reset (2^ACC_BITS / PE_COUNT cycles: 256 with 2
        // PEs); a device is long past that when its first Run arrives (Hello, Write and Commit come first).
        repeat (600) @(posedge clk);
        #1;

        for (run = 0; run < RUNS; run = run + 1) begin
            {accumulate, model_addr, input_at, output_at} = {runs[run][64], runs[run][63:32], runs[run][BUF_BITS+15:16], runs[run][BUF_BITS-1:0]};
            for (k = 0; k < BUF_SIZE; k = k + 1) begin
                rx[k] = $random(seed);
                tx[k] = 8'hxx;
                tx_count[k] = 8'd0;
            end
            for (k = 0; k < INPUT_SIZE; k = k + 1) rx[(input_at + k) % BUF_SIZE] = inputs[run*INPUT_SIZE+k];
            writes = 0;
            extra = 0;
            repeat ($unsigned($random(seed)) % (MAX_GAP + 1)) @(posedge clk);
            #1;
            start = 1'b1;
            running = 1'b1;
            @(posedge clk);
            #1 start = 1'b0;
            waited = 0;
            while (done !== 1'b1) begin
                if (waited == WATCHDOG_CYCLES) begin
                    $display("FAIL watchdog: run %0d not done after %0d cycles", run, WATCHDOG_CYCLES);
                    $finish;
                end
                @(posedge clk);
                #1;
                waited = waited + 1;
            end
            // One more edge: the monitor captures a write issued with done, and done must drop.
            @(posedge clk);
            #1;
            running = 1'b0;
            if (done !== 1'b0 || dones != run + 1) $display("FAIL run %0d: %0d done pulses so far, or done longer than one cycle", run, dones);
            $display("RUN %0d FAULT %0d CYCLES %0d ENTRIES %0d STEPS %0d BROADCASTS %0d WRITES %0d EXTRA %0d",
                     run, fault, cycles, entries, steps, broadcasts, writes, extra);
            if (fault !== 1'b1) begin
                for (k = 0; k < OUTPUT_BYTES / 4; k = k + 1) begin
                    for (b = 0; b < 4; b = b + 1) begin
                        value[8*b +: 8] = tx[(output_at + 4*k + b) % BUF_SIZE];
                        if (tx_count[(output_at + 4*k + b) % BUF_SIZE] != 8'd1)
                            $display("FAIL run %0d: output byte %0d written %0d times", run, 4*k + b, tx_count[(output_at + 4*k + b) % BUF_SIZE]);
                    end
                    $display("OUT %0d %0d %h", run, k, value);
                end
            end
            for (k = 0; k < BUF_SIZE; k = k + 1)
                if (tx_count[k] > 8'd1) $display("FAIL run %0d: transmit byte %0d written %0d times", run, k, tx_count[k]);
        end

        repeat (8) @(posedge clk);
        #1;
        if (dones != RUNS) $display("FAIL %0d done pulses for %0d runs", dones, RUNS);
        $display("DONE %0d", RUNS);
        $finish;
    end
endmodule

`default_nettype wire
