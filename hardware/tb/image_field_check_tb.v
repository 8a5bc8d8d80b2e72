`timescale 1ns / 1ps
`default_nettype none

// Test bench of image_field_check (combinational). Reads ifc_vectors.hex: COUNT lines, each
// {value[31:0], layer_count[15:0], field[3:0], flags[3:0], raw_output[3:0], width[15:0]}
// (19 hex digits; flags: final_layer, is_block, chain_in, sums_past from bit 0 up), and prints for each
//   V <i> <header_bad> <layer_bad>
module image_field_check_tb;
    parameter COUNT = 1;
    parameter ACT_BITS = 10;
    parameter ACC_BITS = 9;
    parameter PES = 0;
    parameter COLUMN_BLOCKS = 0;

    reg [31:0] value;
    reg [15:0] layer_count;
    reg [3:0] field, flags, raw_output;
    reg [15:0] width;
    wire header_bad, layer_bad;

    image_field_check #(.ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS), .PES(PES), .COLUMN_BLOCKS(COLUMN_BLOCKS)) dut (
        .value(value), .layer_count(layer_count), .field(field[2:0]), .final_layer(flags[0]),
        .raw_output(raw_output[0]), .width(width[ACT_BITS:0]), .is_block(flags[1]), .chain_in(flags[2]), .sums_past(flags[3]),
        .header_bad(header_bad), .layer_bad(layer_bad));

    reg [75:0] vectors [0:COUNT-1];
    integer i;

    initial begin
        $readmemh("ifc_vectors.hex", vectors);
        for (i = 0; i < COUNT; i = i + 1) begin
            {value, layer_count, field, flags, raw_output, width} = vectors[i];
            #1 $display("V %0d %0d %0d", i, header_bad, layer_bad);
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
