`default_nettype none

// One byte of a reflected (LSB-first) CRC-32: the next CRC register from the current register and
// one data byte. Exactly one iteration of the byte loop of the C# kernel Crc32.Update
// (kernels/Crc32.cs): XOR the byte into the low bits, then eight shift-and-conditionally-XOR steps,
// unrolled here into one combinational network (about 32 XOR trees of a few inputs each, since
// the synthesizer folds the eight steps into one linear map).
//
// The register starts at 0xFFFFFFFF and the CRC is its complement; those belong to the user, not
// to this step, so the same module serves both the transmitter (which sends the complement) and
// the receiver (which checks the residue of body + CRC).
module crc32_update #(
    // Reflected generator polynomial; 0xEDB88320 is IEEE 802.3, the link's CRC.
    parameter [31:0] POLY = 32'hEDB88320
) (
    input  wire [31:0] crc_in,   // register before the byte
    input  wire [7:0]  data,     // the byte
    output reg  [31:0] crc_out   // register after the byte
);
    integer step;

    always @* begin
        crc_out = crc_in ^ {24'd0, data};
        for (step = 0; step < 8; step = step + 1) begin
            // Shift right; when the bit shifted out was 1, subtract (XOR) the polynomial.
            crc_out = {1'b0, crc_out[31:1]} ^ (POLY & {32{crc_out[0]}});
        end
    end
endmodule

`default_nettype wire
