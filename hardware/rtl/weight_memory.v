`default_nettype none
// Persistent weight memory: byte-addressed, one byte written or read per cycle, one cycle of read
// latency. It has no reset: its contents survive a soft reset of the controller (the persistent
// region of seed 000). By default it is inferred (block RAM, an array in simulation); USE_SPRAM=1
// builds it from the iCE40 UP5K's four 16K x 16 single-port SPRAMs (128 KiB, ADDR_BITS must be
// 17), which Yosys does not infer from a byte-wide array by itself.
//
// INIT_FILE names a $readmemh file, one byte per line from address 0, that the inferred memory starts
// with: a device image baked into the bitstream's block-RAM initialisation (build-bitstream.sh
// --model), or into a simulation. The SPRAMs cannot start with anything: the UP5K's configuration
// only switches each SPRAM block on (SB_SPRAM256KA has no INIT), so the SPRAM build ignores it.
// Builds set it through the WEIGHT_MEMORY_INIT_FILE macro (yosys read_verilog -D, verilator -D)
// rather than a parameter passed down from the top: an explicit parameter on the instance changes
// Yosys's derived module names and with them the synthesized netlist, so the committed bitstreams,
// built without a model, would no longer be reproduced.
`ifndef WEIGHT_MEMORY_INIT_FILE
`define WEIGHT_MEMORY_INIT_FILE ""
`endif
//
// Lane ports (LANE_PORTS=1): the four banks read at four word addresses of their own, one 16-bit
// word each (a lane: MemoryLanes.cs), for the PE array; while lane_en the byte port is not used.
// The SPRAMs take each bank's address from its lane port then; the inferred memory reads its bytes.
module weight_memory #(
    parameter ADDR_BITS  = 17,
    parameter USE_SPRAM  = 0,
    parameter LANE_PORTS = 0,
    parameter INIT_FILE  = `WEIGHT_MEMORY_INIT_FILE
) (
    input  wire                   clk,
    input  wire                   we,
    input  wire [ADDR_BITS-1:0]   addr,
    input  wire [7:0]             wdata,
    output wire [7:0]             rdata,
    input  wire                   lane_en,
    input  wire [4*ADDR_BITS-13:0] lane_addr,   // four word addresses of ADDR_BITS - 3 bits, bank 0 lowest
    output wire [63:0]            lane_rdata     // bank b's word at [16b +: 16]
);
    localparam WORD_BITS = ADDR_BITS - 3;
    generate
        if (USE_SPRAM != 0) begin : spram
            // Byte address = {word[13:0], bank[1:0], byte}: the banks are interleaved every 2 bytes,
            // so each one holds one memory lane (MemoryLanes.cs), the slices of one PE in four.
            // Each SPRAM stores two bytes per word and writes one of them through its nibble mask.
            reg  [2:0]  selected;      // bank and lane of the read in flight
            wire [15:0] words [0:3];
            genvar b;
            for (b = 0; b < 4; b = b + 1) begin : bank
                wire [13:0] word_addr = LANE_PORTS != 0 && lane_en ? lane_addr[WORD_BITS*b +: 14] : addr[16:3];
                assign lane_rdata[16*b +: 16] = words[b];
                SB_SPRAM256KA ram (
                    .ADDRESS(word_addr),
                    .DATAIN({wdata, wdata}),
                    .MASKWREN(addr[0] ? 4'b1100 : 4'b0011),
                    .WREN(we && addr[2:1] == b),
                    .CHIPSELECT(1'b1),
                    .CLOCK(clk),
                    .STANDBY(1'b0),
                    .SLEEP(1'b0),
                    .POWEROFF(1'b1),
                    .DATAOUT(words[b]));
            end
            always @(posedge clk) selected <= {addr[2:1], addr[0]};
            wire unused_lanes = ^{lane_en, lane_addr};
            assign rdata = selected[0] ? words[selected[2:1]][15:8] : words[selected[2:1]][7:0];
        end else begin : inferred
            reg [7:0] bytes [0:(1 << ADDR_BITS) - 1];
            reg [7:0] out;
            if (INIT_FILE != "") begin : baked
                initial $readmemh(INIT_FILE, bytes);
            end
            genvar b;
            for (b = 0; b < 4; b = b + 1) begin : lane
                if (LANE_PORTS != 0) begin : port
                    // Bank b's word w is bytes 8w + 2b and 8w + 2b + 1.
                    localparam [1:0] BANK = b;
                    wire [WORD_BITS-1:0] word_addr = lane_addr[WORD_BITS*b +: WORD_BITS];
                    reg [15:0] word;
                    always @(posedge clk) word <= {bytes[{word_addr, BANK, 1'b1}], bytes[{word_addr, BANK, 1'b0}]};
                    assign lane_rdata[16*b +: 16] = word;
                end else begin : none
                    assign lane_rdata[16*b +: 16] = 16'd0;
                end
            end
            wire unused_lanes = ^{lane_en, lane_addr};
            always @(posedge clk) begin
                if (we) bytes[addr] <= wdata;
                out <= bytes[addr];
            end
            assign rdata = out;
        end
    endgenerate
endmodule
`default_nettype wire
