`timescale 1ns / 1ps
`default_nettype none

// Test bench of width_unpacker. Reads unpack_words.hex: WORDS memory words of BUS_BITS bits, the
// packed stream of VALUES values. Streams it twice, with a flush in between (the unused tail of
// the last word must not leak into the second stream), with random gaps on the word side
// (GAP_PERCENT) and back-pressure on the value side (STALL_PERCENT). Prints
//   V <stream> <index> <value, 8 hex digits>
//   STREAM <stream> CYCLES <cycles from the first word offered to the last value taken>
// and FAIL if a stream takes more or fewer words than WORDS.
module width_unpacker_tb;
    parameter BUS_BITS = 32;
    parameter VALUE_BITS = 4;
    parameter SIGNED = 0;
    parameter WORDS = 1;
    parameter VALUES = 1;
    parameter GAP_PERCENT = 0;
    parameter STALL_PERCENT = 0;
    parameter SEED = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg flush = 1'b0;
    reg word_valid = 1'b0;
    reg [BUS_BITS-1:0] word = {BUS_BITS{1'b0}};
    reg value_ready = 1'b0;
    wire word_ready;
    wire value_valid;
    wire [31:0] value;

    width_unpacker #(.BUS_BITS(BUS_BITS), .VALUE_BITS(VALUE_BITS), .SIGNED(SIGNED), .OUT_BITS(32)) dut (
        .clk(clk), .rst(rst), .flush(flush), .word_valid(word_valid), .word_ready(word_ready), .word(word),
        .value_valid(value_valid), .value_ready(value_ready), .value(value)
    );

    reg [BUS_BITS-1:0] words [0:WORDS-1];
    integer seed, stream, sent, received, start;
    integer cycle = 0;
    always @(posedge clk) cycle <= cycle + 1;

    initial begin
        #(10 * ((WORDS + VALUES) * 40 + 1000));
        $display("FAIL watchdog in stream %0d after %0d words and %0d values", stream, sent, received);
        $finish;
    end

    always @(posedge clk) begin
        if (!rst && !flush && value_valid && value_ready) begin
            if (received >= VALUES) $display("FAIL stream %0d: value %0d beyond the %0d asked for", stream, received, VALUES);
            $display("V %0d %0d %h", stream, received, value);
            received = received + 1;
        end
        // Stop asking once the stream is complete, as a consumer that knows its length does.
        #1 value_ready = received < VALUES && !(STALL_PERCENT > 0 && ($unsigned($random(seed)) % 100) < STALL_PERCENT);
    end

    initial begin
        seed = SEED;
        $readmemh("unpack_words.hex", words);
        repeat (2) @(posedge clk);
        #2 rst = 1'b0;
        for (stream = 0; stream < 2; stream = stream + 1) begin
            sent = 0;
            received = 0;
            start = cycle;
            while (received < VALUES) begin
                if (sent < WORDS && !(GAP_PERCENT > 0 && ($unsigned($random(seed)) % 100) < GAP_PERCENT)) begin
                    word_valid = 1'b1;
                    word = words[sent];
                end else begin
                    word_valid = 1'b0;
                end
                @(posedge clk);
                if (word_valid && word_ready) sent = sent + 1;
                #2;
            end
            word_valid = 1'b0;
            $display("STREAM %0d CYCLES %0d", stream, cycle - start);
            if (sent != WORDS) $display("FAIL stream %0d took %0d words, the kernel reads %0d", stream, sent, WORDS);
            flush = 1'b1;
            @(posedge clk);
            #2 flush = 1'b0;
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
