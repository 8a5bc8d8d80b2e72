`default_nettype none
// The checks an engine makes on a model image's header and layer instructions as it reads them
// (the emulator refuses the same images at commit): sizes that this build's buffers hold, a known
// opcode, output kind, shift and pointer width, a PE count the engine can run, a layer's columns
// equal to the values it is given, and raw outputs only from the last layer. Combinational: the
// engine registers the verdict in a cycle of its own (the compare chains ahead of every state bit
// limited the UP5K's Fmax).
module image_field_check #(
    parameter ACT_BITS = 10,   // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9,    // accumulators: up to 2^ACC_BITS rows per layer
    parameter PES      = 0     // the PE count an image must have (its lanes are the PEs'); 0: any of 1 .. 16
) (
    input  wire [31:0]       value,          // the field just read
    input  wire [15:0]       layer_count,    // header: the layer count read before the input size
    input  wire [2:0]        field,          // instruction: which 4-byte field value is
    input  wire              final_layer,    // the instruction is the last layer's
    input  wire              raw_output,     // its output kind (field 0), for fields after it
    input  wire [ACT_BITS:0] width,          // values the layer is given
    output wire              header_bad,     // value as the header's input size
    output reg               layer_bad       // value as instruction field `field`
);
    // A 32-bit size read from the image fits 2^bits values (0 included).
    function at_most_pow2(input [31:0] size, input integer bits);
        begin
            at_most_pow2 = (size >> bits) == 32'd0 || ((size >> bits) == 32'd1 && (size & ((32'd1 << bits) - 32'd1)) == 32'd0);
        end
    endfunction

    localparam [15:0] REQUIRED_PES = PES;
    assign header_bad = value == 32'd0 || !at_most_pow2(value, ACT_BITS) || layer_count == 16'd0;
    always @* begin
        case (field)
            // opcode | output kind | shift | pointer bits
            3'd0: layer_bad = value[7:0] != 8'd1 || value[23:16] > 8'd31 || (value[31:24] != 8'd16 && value[31:24] != 8'd32);
            3'd1: layer_bad = value[15:0] == 16'd0 || value[15:0] > 16'd16 || (PES != 0 && value[15:0] != REQUIRED_PES);
            3'd2: layer_bad = value == 32'd0 || !at_most_pow2(value, ACC_BITS) || !at_most_pow2(value, ACT_BITS)
                              || (!final_layer && raw_output);
            3'd3: layer_bad = value != {{(31 - ACT_BITS){1'b0}}, width};
            default: layer_bad = 1'b0;
        endcase
    end
endmodule
`default_nettype wire
