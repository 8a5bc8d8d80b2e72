`default_nettype none
// The accelerator's layer engine: runs one input through a committed model image and writes the
// outputs and the work counters into the Run reply. PE_ARRAY chooses the engine: the sequential
// engine (sequential_engine.v: one CCS entry at a time over the byte port; any PE count) or the
// PE-array sequencer (pe_array_engine.v: PE_COUNT EIE-style PEs, each on its own memory lane; with
// PE_ARRAY = 2 the PEs are compiled_pe.v, their datapath compiled from kernels/).
// Both share the image checks, codebook recoding, requantizer and counters (image_field_check,
// codebook_loader, requantizer_requantize, run_counters); the ports are the same, so the top and
// the controller do not know which one runs.
module layer_engine #(
    parameter MEM_BITS = 17,     // weight memory address bits
    parameter BUF_BITS = 10,     // frame buffer address bits (input from rx, outputs to tx)
    parameter ACT_BITS = 10,     // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9,      // accumulators: up to 2^ACC_BITS rows per layer
    parameter USE_DSP = 0,       // 1: multiply on SB_MAC16s (dsp_multiplier) instead of by shift and add
    parameter PE_ARRAY = 0,      // 1: the PE array does the multiply; 2: the same array of compiled_pe.v
    parameter PE_COUNT = 4,      // the array's PEs (the images' PE count): 4, or 2 on two memory banks each
    parameter MAX_COLS = 1 << ACT_BITS,   // the array's pointer banks: layers of up to MAX_COLS inputs
    parameter COLUMN_BLOCKS = 0, // 1: the engine runs column blocks (opcode 2) too
    parameter WORD_BITS = MEM_BITS - 3,  // lane word address width (four lanes of 2-byte words)
    parameter PE_FIFO_DEPTH = 8,         // the array's per-PE broadcast FIFOs (a power of two)
    parameter SCAN_QUEUE_DEPTH = 4,      // the array's activation scan queue: 4 or 2 words
    parameter PE_EBR_DELAYS = 0          // 1: the PEs' x and row delay lines in block RAM (two per PE)
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                start,
    input  wire                accumulate,   // with start: add to the counters instead of clearing them
    input  wire [MEM_BITS-1:0] model_addr,   // image start in weight memory
    input  wire [BUF_BITS-1:0] input_at,     // first input byte in the receive buffer
    input  wire [BUF_BITS-1:0] output_at,    // first output byte in the transmit buffer
    input  wire [15:0]         batch,        // inputs in this Run (column blocks interleave their chained values)
    output wire                done,         // one-cycle pulse; `fault` tells how it ended
    output wire                fault,        // the image is malformed or exceeds this build
    // receive buffer read port (one cycle of latency)
    output wire [BUF_BITS-1:0] rx_addr,
    input  wire [7:0]          rx_data,
    // transmit buffer write port (outputs: 32-bit little-endian values)
    output wire                tx_we,
    output wire [BUF_BITS-1:0] tx_waddr,
    output wire [7:0]          tx_wdata,
    // weight memory read port (one cycle of latency)
    output wire [MEM_BITS-1:0] mem_addr,
    input  wire [7:0]          mem_rdata,
    // weight memory lane ports (PE_ARRAY): one 16-bit word of each lane per cycle, one cycle of
    // latency; only while lane_en, when the byte port above is not used
    output wire                   lane_en,
    output wire [4*WORD_BITS-1:0] lane_addr,
    input  wire [63:0]            lane_rdata,
    // work of this run, or of the batch so far (cleared by a start without accumulate)
    output wire [31:0]         cycles,
    output wire [31:0]         entries,
    output wire [31:0]         steps,
    output wire [31:0]         broadcasts
);
    generate
        if (PE_ARRAY != 0) begin : array
            pe_array_engine #(
                .MEM_BITS(MEM_BITS), .BUF_BITS(BUF_BITS), .ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS),
                .USE_DSP(USE_DSP), .PES(PE_COUNT), .MAX_COLS(MAX_COLS), .WORD_BITS(WORD_BITS),
                .FIFO_DEPTH(PE_FIFO_DEPTH), .SCAN_QUEUE_DEPTH(SCAN_QUEUE_DEPTH), .EBR_DELAYS(PE_EBR_DELAYS),
                .COLUMN_BLOCKS(COLUMN_BLOCKS), .COMPILED_PE(PE_ARRAY == 2 ? 1 : 0)
            ) engine (
                .clk(clk), .rst(rst), .start(start), .accumulate(accumulate), .model_addr(model_addr),
                .input_at(input_at), .output_at(output_at), .batch(batch), .done(done), .fault(fault),
                .rx_addr(rx_addr), .rx_data(rx_data), .tx_we(tx_we), .tx_waddr(tx_waddr), .tx_wdata(tx_wdata),
                .mem_addr(mem_addr), .mem_rdata(mem_rdata),
                .lane_en(lane_en), .lane_addr(lane_addr), .lane_rdata(lane_rdata),
                .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));
        end else begin : sequential
            sequential_engine #(
                .MEM_BITS(MEM_BITS), .BUF_BITS(BUF_BITS), .ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS), .USE_DSP(USE_DSP),
                .COLUMN_BLOCKS(COLUMN_BLOCKS)
            ) engine (
                .clk(clk), .rst(rst), .start(start), .accumulate(accumulate), .model_addr(model_addr),
                .input_at(input_at), .output_at(output_at), .batch(batch), .done(done), .fault(fault),
                .rx_addr(rx_addr), .rx_data(rx_data), .tx_we(tx_we), .tx_waddr(tx_waddr), .tx_wdata(tx_wdata),
                .mem_addr(mem_addr), .mem_rdata(mem_rdata),
                .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));
            assign lane_en = 1'b0;
            assign lane_addr = {4*WORD_BITS{1'b0}};
            wire unused_lanes = ^lane_rdata;
        end
    endgenerate
endmodule
`default_nettype wire
