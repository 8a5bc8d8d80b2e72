`timescale 1ns / 1ps
`default_nettype none

// Test bench of command_controller: the controller with the weight memory and (HAS_ENGINE=1) the
// layer engine wired to it as accelerator_top wires them. The bench plays the parts around them:
// the frame receiver (it puts a frame's payload into the receive buffer and pulses frame_valid
// with the frame's type, sequence number and length, or pulses frame_error for a damaged frame),
// both frame buffers (one cycle of read latency, like byte_buffer) and the frame transmitter
// (it takes each reply on tx_start, reading the transmit buffer at once, and stays busy for a
// random while, as a UART would). Reads, from the working folder:
//   cc_events.hex    EVENTS lines {flags[7:0], type[7:0], seq[7:0], len[15:0], gap[7:0]}
//                    (12 hex digits). flags[1:0]: 0 a good frame, 1 a damaged frame, 2 a press of
//                    the soft-reset input; flags[5]: a compressed payload that did not decode
//                    (frame_malformed, as zero_run_decoder reports it; the C# side plays the
//                    decoder and hands compressed frames over expanded); flags[4]: deliver it as soon as the previous reply has
//                    started (while the transmitter is still busy) instead of waiting until the
//                    controller is idle and the reply is out. gap: idle cycles before it.
//   cc_payloads.hex  the good frames' payloads, one byte per line, frame after frame (at least one line)
// Prints
//   REPLY <n> <type> <seq> <len> <payload in hex, or ->    for each reply the controller starts
//   MODELS <model_count>                                   once everything is quiet at the end
//   DONE <events> <replies>
// The C# test compares the replies with the emulator's. Internal checks (FAIL): a reply started
// while the previous one is being sent, or longer than MAX_PAYLOAD; the transmit buffer written
// while a reply is being sent; a weight-memory write while the engine runs; an engine start in a
// build without one; not exactly one reply per frame (good or damaged) and none for a soft reset;
// the controller not idle again within WATCHDOG_CYCLES; an early event that finds the previous
// reply already sent (the vectors ask for what the bench cannot do).
module command_controller_tb;
    parameter HAS_ENGINE = 1;
    parameter MEM_BITS = 17;
    parameter EVENTS = 1;
    parameter PAYLOAD_BYTES = 1;
    parameter SEED = 1;
    parameter MAX_BUSY = 96;
    parameter WATCHDOG_CYCLES = 4000000;
    parameter [8*16-1:0] NAME = "rtl-sim";   // the device name Hello reports

    localparam MAX_PAYLOAD = 1024;
    localparam BUF_BITS = 10;
    localparam BUF_SIZE = 1 << BUF_BITS;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg soft_reset = 1'b0;
    reg frame_valid = 1'b0;
    reg frame_error = 1'b0;
    reg [7:0] frame_type = 8'd0;
    reg [7:0] frame_seq = 8'd0;
    reg [15:0] frame_len = 16'd0;
    reg frame_malformed = 1'b0;

    wire                engine_active;
    wire [BUF_BITS-1:0] ctrl_rx_addr, engine_rx_addr;
    reg  [7:0]          rx_data = 8'd0;
    wire                ctrl_tx_we, engine_tx_we;
    wire [BUF_BITS-1:0] ctrl_tx_waddr, engine_tx_waddr;
    wire [7:0]          ctrl_tx_wdata, engine_tx_wdata;
    wire                tx_we = engine_active ? engine_tx_we : ctrl_tx_we;
    wire [BUF_BITS-1:0] tx_waddr = engine_active ? engine_tx_waddr : ctrl_tx_waddr;
    wire [7:0]          tx_wdata = engine_active ? engine_tx_wdata : ctrl_tx_wdata;
    wire                tx_start;
    wire [7:0]          tx_type, tx_seq;
    wire [15:0]         tx_len;
    wire                tx_busy;
    wire                mem_we;
    wire [MEM_BITS-1:0] ctrl_mem_addr, engine_mem_addr;
    wire [7:0]          mem_wdata, mem_rdata;
    wire                engine_start, engine_accumulate, engine_done, engine_fault;
    wire [15:0]         engine_batch;
    wire [MEM_BITS-1:0] engine_model;
    wire [BUF_BITS-1:0] engine_input_at, engine_output_at;
    wire                idle;
    wire [7:0]          model_count;

    command_controller #(
        .MAX_PAYLOAD(MAX_PAYLOAD), .BUF_BITS(BUF_BITS), .MEM_BITS(MEM_BITS), .HAS_ENGINE(HAS_ENGINE),
        .CAPABILITIES(8'h01),  // as accelerator_top, whose receive path decodes compressed payloads
        .NAME(NAME)
    ) dut (
        .clk(clk), .rst(rst), .soft_reset(soft_reset),
        .boot_hold(1'b0), .boot_byte(8'd0), .boot_arg(1'b0), .boot_write(1'b0), .boot_commit(1'b0),
        .frame_valid(frame_valid), .frame_type(frame_type), .frame_seq(frame_seq),
        .frame_len(frame_len), .frame_error(frame_error), .frame_malformed(frame_malformed), .frame_refused(1'b0),
        .rx_addr(ctrl_rx_addr), .rx_data(rx_data),
        .tx_we(ctrl_tx_we), .tx_waddr(ctrl_tx_waddr), .tx_wdata(ctrl_tx_wdata),
        .tx_start(tx_start), .tx_type(tx_type), .tx_seq(tx_seq), .tx_len(tx_len), .tx_busy(tx_busy),
        .mem_we(mem_we), .mem_addr(ctrl_mem_addr), .mem_wdata(mem_wdata), .mem_rdata(mem_rdata),
        .engine_start(engine_start), .engine_model(engine_model),
        .engine_input_at(engine_input_at), .engine_output_at(engine_output_at),
        .engine_done(engine_done), .engine_fault(engine_fault),
        .engine_active(engine_active), .engine_accumulate(engine_accumulate), .engine_batch(engine_batch),
        .idle(idle), .model_count(model_count));

    generate
        if (HAS_ENGINE != 0) begin : with_engine
            wire [31:0] cycles, entries, steps, broadcasts;
            layer_engine #(.MEM_BITS(MEM_BITS), .BUF_BITS(BUF_BITS)) engine (
                .clk(clk), .rst(rst), .start(engine_start), .accumulate(engine_accumulate), .model_addr(engine_model),
                .input_at(engine_input_at), .output_at(engine_output_at), .batch(engine_batch),
                .done(engine_done), .fault(engine_fault),
                .rx_addr(engine_rx_addr), .rx_data(rx_data),
                .tx_we(engine_tx_we), .tx_waddr(engine_tx_waddr), .tx_wdata(engine_tx_wdata),
                .mem_addr(engine_mem_addr), .mem_rdata(mem_rdata),
                .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));
        end else begin : without_engine
            assign engine_done = 1'b0;
            assign engine_fault = 1'b0;
            assign engine_rx_addr = {BUF_BITS{1'b0}};
            assign engine_tx_we = 1'b0;
            assign engine_tx_waddr = {BUF_BITS{1'b0}};
            assign engine_tx_wdata = 8'd0;
            assign engine_mem_addr = {MEM_BITS{1'b0}};
        end
    endgenerate

    weight_memory #(.ADDR_BITS(MEM_BITS)) weights (
        .clk(clk), .we(mem_we), .addr(engine_active ? engine_mem_addr : ctrl_mem_addr),
        .wdata(mem_wdata), .rdata(mem_rdata));

    // The frame buffers, as block RAMs: one cycle of read latency.
    reg [7:0] rx [0:BUF_SIZE-1];
    reg [7:0] tx [0:BUF_SIZE-1];
    always @(posedge clk) begin
        rx_data <= rx[engine_active ? engine_rx_addr : ctrl_rx_addr];
        if (tx_we) tx[tx_waddr] <= tx_wdata;
    end

    integer seed;

    // The transmitter: a reply is read out of the buffer when it starts (the controller must not
    // touch the buffer until it has been sent); then busy for a while. Like accelerator_top, busy
    // is already high in the cycle of the start.
    integer busy_left = 0;
    integer replies = 0;
    integer b;
    assign tx_busy = busy_left != 0 || tx_start;
    always @(posedge clk) begin
        if (!rst) begin
            if (tx_we && busy_left != 0) $display("FAIL transmit buffer written at %0d while reply %0d is being sent", tx_waddr, replies - 1);
            if (mem_we && engine_active) $display("FAIL weight memory written while the engine runs");
            if (engine_start && HAS_ENGINE == 0) $display("FAIL engine started in a build without one");
            if (tx_start) begin
                if (busy_left != 0) $display("FAIL reply %0d started while the previous one is being sent", replies);
                if (tx_len > MAX_PAYLOAD) $display("FAIL reply %0d of %0d bytes", replies, tx_len);
                $write("REPLY %0d %02h %02h %0d ", replies, tx_type, tx_seq, tx_len);
                if (tx_len == 16'd0) $write("-");
                for (b = 0; b < tx_len && b < BUF_SIZE; b = b + 1) $write("%02h", tx[b]);
                $write("\n");
                replies = replies + 1;
                busy_left = 1 + ($unsigned($random(seed)) % MAX_BUSY);
            end else if (busy_left != 0) begin
                busy_left = busy_left - 1;
            end
        end
    end

    // Watchdog: cycles spent waiting for the controller since the last event.
    integer waited;
    task tick;
        begin
            @(posedge clk);
            #1;
            waited = waited + 1;
            if (waited > WATCHDOG_CYCLES) begin
                $display("FAIL watchdog: the controller is not done after %0d cycles (%0d replies)", WATCHDOG_CYCLES, replies);
                $finish;
            end
        end
    endtask

    // Until nothing is pending or executing and the last reply is out.
    task wait_quiet;
        begin
            waited = 0;
            while (!(idle === 1'b1 && !tx_busy)) tick;
        end
    endtask

    reg [47:0] events [0:EVENTS-1];
    reg [7:0] payloads [0:PAYLOAD_BYTES-1];
    reg [7:0] flags, ev_type, ev_seq, gap;
    reg [15:0] ev_len;
    integer e, k, at, expected, junk;

    initial begin
        seed = SEED;
        $readmemh("cc_events.hex", events);
        $readmemh("cc_payloads.hex", payloads);
        for (k = 0; k < BUF_SIZE; k = k + 1) begin
            rx[k] = $random(seed);
            tx[k] = $random(seed);
        end

        repeat (3) @(posedge clk);
        #1 rst = 1'b0;
        at = 0;
        expected = 0;
        for (e = 0; e < EVENTS; e = e + 1) begin
            {flags, ev_type, ev_seq, ev_len, gap} = events[e];
            if (flags[4]) begin
                if (!tx_busy) $display("FAIL event %0d: the previous reply is no longer being sent", e);
            end else begin
                wait_quiet;
            end
            repeat (gap) @(posedge clk);
            #1;
            case (flags[1:0])
                2'd0: begin
                    // The receiver writes the payload as it arrives and pulses frame_valid after the closing flag.
                    for (k = 0; k < ev_len; k = k + 1) rx[k] = payloads[at + k];
                    at = at + ev_len;
                    frame_type = ev_type;
                    frame_seq = ev_seq;
                    frame_len = ev_len;
                    frame_malformed = flags[5];
                    frame_valid = 1'b1;
                    @(posedge clk);
                    #1 frame_valid = 1'b0;
                    frame_malformed = $random(seed);
                    frame_type = $random(seed);
                    frame_seq = $random(seed);
                    frame_len = $random(seed);
                    expected = expected + 1;
                end
                2'd1: begin
                    // A damaged frame overwrites the buffer as far as it got before its checks failed.
                    junk = $unsigned($random(seed)) % 64;
                    for (k = 0; k < junk; k = k + 1) rx[k] = $random(seed);
                    frame_error = 1'b1;
                    @(posedge clk);
                    #1 frame_error = 1'b0;
                    expected = expected + 1;
                end
                default: begin
                    // A press of the reset button lasts several cycles; it counts once.
                    soft_reset = 1'b1;
                    repeat (1 + $unsigned($random(seed)) % 4) @(posedge clk);
                    #1 soft_reset = 1'b0;
                end
            endcase
            waited = 0;
            while (replies < expected) tick;
            if (replies != expected) $display("FAIL event %0d: %0d replies, expected %0d", e, replies, expected);
        end

        wait_quiet;
        repeat (200) @(posedge clk);
        #1;
        if (replies != expected) $display("FAIL %0d replies for %0d frames", replies, expected);
        $display("MODELS %0d", model_count);
        $display("DONE %0d %0d", EVENTS, replies);
        $finish;
    end
endmodule

`default_nettype wire
