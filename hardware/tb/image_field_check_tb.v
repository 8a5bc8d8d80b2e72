`timescale 1ns / 1ps
`default_nettype none

// Test bench of image_field_check (combinational). Reads ifc_vectors.hex: COUNT lines, each
// {value[31:0], layer_count[15:0], field[3:0], final_layer[3:0], raw_output[3:0], width[15:0]}
// (19 hex digits), and prints for each
//   V <i> <header_bad> <layer_bad>
module image_field_check_tb;
    parameter COUNT = 1;
    parameter ACT_BITS = 10;
    parameter ACC_BITS = 9;
    parameter PES = 0;

    reg [31:0] value;
    reg [15:0] layer_count;
    reg [3:0] field, final_layer, raw_output;
    reg [15:0] width;
    wire header_bad, layer_bad;

    image_field_check #(.ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS), .PES(PES)) dut (
        .value(value), .layer_count(layer_count), .field(field[2:0]), .final_layer(final_layer[0]),
        .raw_output(raw_output[0]), .width(width[ACT_BITS:0]), .header_bad(header_bad), .layer_bad(layer_bad));

    reg [75:0] vectors [0:COUNT-1];
    integer i;

    initial begin
        $readmemh("ifc_vectors.hex", vectors);
        for (i = 0; i < COUNT; i = i + 1) begin
            {value, layer_count, field, final_layer, raw_output, width} = vectors[i];
            #1 $display("V %0d %0d %0d", i, header_bad, layer_bad);
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
