`default_nettype none
// A simple dual-port RAM: one write port and one read port with one cycle of read latency, so it
// maps to iCE40 block RAM (EBR). Frame buffers (the receiver fills one, the controller reads it;
// the controller fills another, the transmitter reads it), activation and accumulator buffers.
module byte_buffer #(
    parameter ADDR_BITS = 10,
    parameter DATA_BITS = 8
) (
    input  wire                 clk,
    input  wire                 we,
    input  wire [ADDR_BITS-1:0] waddr,
    input  wire [DATA_BITS-1:0] wdata,
    input  wire [ADDR_BITS-1:0] raddr,
    output reg  [DATA_BITS-1:0] rdata
);
    reg [DATA_BITS-1:0] bytes [0:(1 << ADDR_BITS) - 1];

    always @(posedge clk) begin
        if (we) bytes[waddr] <= wdata;
        rdata <= bytes[raddr];
    end
endmodule
`default_nettype wire
