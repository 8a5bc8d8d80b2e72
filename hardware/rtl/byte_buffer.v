`default_nettype none
// A frame buffer: one write port and one read port with one cycle of read latency, so it maps to a
// single iCE40 block RAM (EBR) per 512 bytes. The receiver fills one, the controller reads it; the
// controller fills another, the transmitter reads it.
module byte_buffer #(
    parameter ADDR_BITS = 10
) (
    input  wire                 clk,
    input  wire                 we,
    input  wire [ADDR_BITS-1:0] waddr,
    input  wire [7:0]           wdata,
    input  wire [ADDR_BITS-1:0] raddr,
    output reg  [7:0]           rdata
);
    reg [7:0] bytes [0:(1 << ADDR_BITS) - 1];

    always @(posedge clk) begin
        if (we) bytes[waddr] <= wdata;
        rdata <= bytes[raddr];
    end
endmodule
`default_nettype wire
