`timescale 1ns / 1ps
`default_nettype none

// Test bench of broadcast_fifo. Reads bf_offers.hex: COUNT broadcasts (column << 8 | value), offered in
// that order with random gaps (GAP_PERCENT) while the consumer pops the head in POP_PERCENT of the
// cycles it is not empty. Prints
//   POP <column> <value> <cycle>   for each broadcast popped, in order, with the cycle it left in
//   FULL <cycles>                  the cycles an offer waited because the FIFO was full
// then DONE. A pop while empty, or an offer taken while full, prints FAIL.
module broadcast_fifo_tb;
    parameter COUNT = 1;
    parameter DEPTH = 8;
    parameter GAP_PERCENT = 0;
    parameter POP_PERCENT = 50;
    parameter SEED = 1;
    parameter HEAD_REGISTER = 0;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg [17:0] offers [0:COUNT-1];
    integer at = 0;                 // the next offer
    reg gap = 1'b0;
    reg pop_now = 1'b0;
    wire act_valid = at < COUNT && !gap;
    wire [17:0] offer = at < COUNT ? offers[at] : 18'd0;
    wire act_ready, empty;
    wire [9:0] head_col;
    wire [7:0] head_value;
    wire pop = pop_now && !empty;

    broadcast_fifo #(.COL_BITS(10), .DEPTH(DEPTH), .HEAD_REGISTER(HEAD_REGISTER)) dut (
        .clk(clk), .rst(rst),
        .act_valid(act_valid), .act_ready(act_ready), .act_col(offer[17:8]), .act_value(offer[7:0]),
        .empty(empty), .pop(pop), .head_col(head_col), .head_value(head_value)
    );

    integer full_cycles = 0, held = 0, idle_cycles = 0, cycle = 0;
    always @(posedge clk) if (!rst) begin
        cycle <= cycle + 1;
        if (act_valid && act_ready) at <= at + 1;
        if (act_valid && !act_ready) full_cycles <= full_cycles + 1;
        if (pop) $display("POP %0d %0d %0d", head_col, head_value, cycle);
        // The queue holds what was taken and not popped: never more than DEPTH.
        held <= held + ((act_valid && act_ready && offer[7:0] != 8'd0) ? 1 : 0) - (pop ? 1 : 0);
        if (held > DEPTH) $display("FAIL %0d held, more than DEPTH", held);
        if (empty != (held == 0)) $display("FAIL empty is %0d with %0d held", empty, held);
    end

    integer seed = SEED;
    always @(negedge clk) begin
        gap = ($unsigned($random(seed)) % 100) < GAP_PERCENT;
        pop_now = ($unsigned($random(seed)) % 100) < POP_PERCENT;
    end

    initial begin
        $readmemh("bf_offers.hex", offers);
        repeat (2) @(negedge clk);
        rst = 1'b0;
        while (at < COUNT || !empty) begin
            @(posedge clk);
            #1;
            idle_cycles = idle_cycles + 1;
            if (idle_cycles > 100 * COUNT + 1000) begin
                $display("FAIL no progress");
                $finish;
            end
        end
        $display("FULL %0d", full_cycles);
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
