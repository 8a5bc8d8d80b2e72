`default_nettype none

// Sends what a compiled kernel writes to a span as a valid/ready stream, for a kernel that writes the
// span in order: the partner of span_stream_reader. The kernel is compiled with a stall input
// (`codesign kernel verilog ... --stall`); its span ports show the write it waits to make:
//   - a write of the next index goes into a one-element buffer, which the stream drains; the kernel
//     stalls only while the buffer is full and the consumer not ready, so a ready consumer takes one
//     element a cycle;
//   - a write at any other index, or any read of the span, is something a stream cannot do:
//     `order_fault` stays set (until `restart`) and the write is dropped. Such a kernel needs its span in
//     a memory.
// out_valid is a register (it never waits for out_ready); the buffer drains whether or not the kernel is
// held. Several readers and writers OR their `stall` outputs into the kernel's stall input and each takes
// that OR back as `hold`.
module span_stream_writer #(
    parameter DATA_BITS = 32,           // the span's element width
    parameter ADDR_BITS = 16            // the kernel's span address width
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 restart,        // with the start the kernel takes (while idle): the next element is index 0

    output wire                 out_valid,
    input  wire                 out_ready,
    output wire [DATA_BITS-1:0] out_data,

    input  wire                 wr_en,          // the kernel's _wr_en, _wr_addr, _wr_data and _rd_en
    input  wire [ADDR_BITS-1:0] wr_addr,
    input  wire [DATA_BITS-1:0] wr_data,
    input  wire                 rd_en,
    output wire                 stall,          // this writer holds the kernel: its buffer cannot take the write
    input  wire                 hold,           // the kernel is held this cycle (the OR of every stall)
    output reg                  order_fault
);
    reg [ADDR_BITS:0]   next;                   // index of the element the kernel writes next
    reg                 full;
    reg [DATA_BITS-1:0] data;

    wire wants = wr_en && {1'b0, wr_addr} == next;
    wire put = wants && !hold;                  // when held by no one, the buffer is free or drains now

    assign stall = wants && full && !out_ready;
    assign out_valid = full;
    assign out_data = data;

    always @(posedge clk) begin
        // A restart keeps the buffer: the last call's last element may still be waiting for the consumer.
        if (rst) full <= 1'b0;
        else full <= put || (full && !out_ready);

        if (rst || restart) begin
            next <= {(ADDR_BITS + 1){1'b0}};
            order_fault <= 1'b0;
        end else if (!hold) begin
            if (put) next <= next + 1'b1;
            if ((wr_en && !wants) || rd_en) order_fault <= 1'b1;
        end

        if (put) data <= wr_data;
    end
endmodule

`default_nettype wire
