`default_nettype none
// A simple dual-port RAM: one write port and one read port with one cycle of read latency, so it
// maps to iCE40 block RAM (EBR). Frame buffers (the receiver fills one, the controller reads it;
// the controller fills another, the transmitter reads it), activation and accumulator buffers.
// A read of the address being written returns the old byte. iCE40 block RAM does not guarantee
// that, so Yosys adds bypass logic (about 27 flip-flops and 14 LUTs); an owner that never uses
// such a read sets NO_COLLISION = 1 and gets the bare block RAM (the read's data is then undefined).
module byte_buffer #(
    parameter ADDR_BITS = 10,
    parameter DATA_BITS = 8,
    parameter NO_COLLISION = 0   // 1: the owner never uses the data of a read that collides with a write
) (
    input  wire                 clk,
    input  wire                 we,
    input  wire [ADDR_BITS-1:0] waddr,
    input  wire [DATA_BITS-1:0] wdata,
    input  wire [ADDR_BITS-1:0] raddr,
    output reg  [DATA_BITS-1:0] rdata
);
    generate
        if (NO_COLLISION != 0) begin : bare
            (* no_rw_check *) reg [DATA_BITS-1:0] bytes [0:(1 << ADDR_BITS) - 1];
            always @(posedge clk) begin
                if (we) bytes[waddr] <= wdata;
                rdata <= bytes[raddr];
            end
        end else begin : read_first
            reg [DATA_BITS-1:0] bytes [0:(1 << ADDR_BITS) - 1];
            always @(posedge clk) begin
                if (we) bytes[waddr] <= wdata;
                rdata <= bytes[raddr];
            end
        end
    endgenerate
endmodule
`default_nettype wire
