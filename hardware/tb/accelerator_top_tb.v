`timescale 1ns / 1ps
`default_nettype none

// Test bench of accelerator_top through its pins, as a host on a serial line sees it: the bench
// shifts bytes into uart_rx (8N1, LSB first, CLKS_PER_BIT clocks per bit) and rebuilds the bytes
// that come out of uart_tx by sampling the middle of each bit, like hardware/sim/uart_bridge.cpp.
// Both ends are written here rather than taken from uart_tx.v and uart_rx.v, so a fault shared by
// the design's two UARTs cannot cancel out. Reads, from the working folder:
//   at_wire.hex   WORDS lines {kind[1:0], gap[7:0], byte[7:0]} (5 hex digits). kind 0: send the
//                 byte; 1: first wait until the device has been quiet for a while (its reply is
//                 out), as a host waits for a reply before its next request, then send it; 2:
//                 wait likewise, then press the soft-reset input for a few cycles (no byte).
//                 gap: idle bit times before the byte.
// Prints
//   OUT <byte>     each byte heard on uart_tx
//   MODELS <n>     the model_count output once everything is quiet at the end
//   DONE <words>
// The C# test compares the bytes with the emulator's replies to the same wire bytes. Internal
// checks (FAIL): a byte on uart_tx without its stop bit, a start bit that does not last, uart_tx
// not idle (high) after reset, the device not quiet within WATCHDOG_CYCLES.
module accelerator_top_tb;
    parameter CLKS_PER_BIT = 4;
    parameter MEM_BITS = 17;
    parameter HAS_ENGINE = 1;
    parameter WORDS = 1;
    parameter SEED = 1;
    parameter WATCHDOG_CYCLES = 4000000;

    // Quiet long enough to be sure: a frame's last byte needs a few cycles to get from the rx
    // pin to the controller, and a reply's first byte a few to reach the tx pin.
    localparam QUIET = 32 * CLKS_PER_BIT;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg soft_reset = 1'b0;
    reg line_in = 1'b1;
    wire line_out;
    wire busy;
    wire [7:0] model_count;

    accelerator_top #(.CLKS_PER_BIT(CLKS_PER_BIT), .MEM_BITS(MEM_BITS), .HAS_ENGINE(HAS_ENGINE)) dut (
        .clk(clk), .rst(rst), .soft_reset(soft_reset),
        .boot_hold(1'b0), .boot_byte(8'd0), .boot_arg(1'b0), .boot_write(1'b0), .boot_commit(1'b0),
        .uart_rx(line_in), .uart_tx(line_out), .busy(busy), .model_count(model_count));

    // Host receiver: a falling edge starts a byte; each bit is sampled in its middle.
    integer out_bit = -1;
    integer out_count = 0;
    integer heard = 0;
    reg [7:0] out_value = 8'd0;
    always @(posedge clk) begin
        if (!rst) begin
            if (out_bit < 0) begin
                if (line_out === 1'b0) begin
                    out_bit = 0;
                    out_count = 0;
                end
            end else begin
                out_count = out_count + 1;
                if (out_count == (out_bit == 0 ? CLKS_PER_BIT / 2 : CLKS_PER_BIT)) begin
                    out_count = 0;
                    if (out_bit == 0) begin
                        if (line_out !== 1'b0) $display("FAIL start bit on uart_tx shorter than half a bit");
                    end else if (out_bit <= 8) begin
                        out_value[out_bit - 1] = line_out;
                    end else begin
                        if (line_out !== 1'b1) $display("FAIL byte %0d on uart_tx has no stop bit", heard);
                        $display("OUT %02h", out_value);
                        heard = heard + 1;
                    end
                    out_bit = out_bit == 9 ? -1 : out_bit + 1;
                end
            end
        end
    end

    // Cycles since the device, or the host's own transmitter, last did anything: the device raises
    // busy only once a frame's last byte has come through uart_rx and the frame receiver.
    reg sending = 1'b0;
    integer quiet = 0;
    always @(posedge clk) begin
        if (sending || busy || out_bit >= 0 || line_out !== 1'b1) quiet <= 0;
        else quiet <= quiet + 1;
    end

    integer waited;
    task wait_quiet;
        begin
            waited = 0;
            @(posedge clk);
            while (quiet < QUIET) begin
                @(posedge clk);
                waited = waited + 1;
                if (waited > WATCHDOG_CYCLES) begin
                    $display("FAIL watchdog: the device is not quiet after %0d cycles (%0d bytes heard)", WATCHDOG_CYCLES, heard);
                    $finish;
                end
            end
        end
    endtask

    // Host transmitter: start bit, 8 data bits LSB first, stop bit.
    integer bit_index;
    task send_byte(input [7:0] value);
        begin
            sending <= 1'b1;
            line_in <= 1'b0;
            repeat (CLKS_PER_BIT) @(posedge clk);
            for (bit_index = 0; bit_index < 8; bit_index = bit_index + 1) begin
                line_in <= value[bit_index];
                repeat (CLKS_PER_BIT) @(posedge clk);
            end
            line_in <= 1'b1;
            repeat (CLKS_PER_BIT) @(posedge clk);
            sending <= 1'b0;
        end
    endtask

    reg [17:0] wire_words [0:WORDS-1];
    reg [1:0] kind;
    reg [7:0] gap, value;
    integer i, seed;

    initial begin
        seed = SEED;
        $readmemh("at_wire.hex", wire_words);
        repeat (16) @(posedge clk);
        rst <= 1'b0;
        repeat (4) @(posedge clk);
        if (line_out !== 1'b1) $display("FAIL uart_tx is not idle after reset");

        for (i = 0; i < WORDS; i = i + 1) begin
            {kind, gap, value} = wire_words[i];
            if (kind != 2'd0) wait_quiet;
            if (kind == 2'd2) begin
                soft_reset <= 1'b1;
                repeat (1 + $unsigned($random(seed)) % 4) @(posedge clk);
                soft_reset <= 1'b0;
                @(posedge clk);
            end else begin
                repeat (gap * CLKS_PER_BIT) @(posedge clk);
                send_byte(value);
            end
        end

        wait_quiet;
        $display("MODELS %0d", model_count);
        $display("DONE %0d", WORDS);
        $finish;
    end
endmodule

`default_nettype wire
