`default_nettype none
// The PE-array sequencer: runs one input through a committed model image on the EIE-style PE array
// (pe_array.v, PES of pe.v, each consuming one CCS entry per cycle from its own weight-memory lane),
// bit-exact with host/CoDesign.Runtime/Devices/LoadedModel.cs and held to PeArrayCostModel's cycles.
// Per layer it reads the instruction (checked by image_field_check), the codebook (recoded by
// codebook_loader into every PE) and the PE table; has the PEs copy their pointers from their lanes
// (for layer 0 while it copies the input from the receive buffer into the activation buffer);
// broadcasts the nonzero activations to them one per cycle (activation_scan); waits for them to
// finish; and drains their accumulators one row per cycle through the requantizer
// (requantizer_requantize), reading the biases a memory line (two biases) at a time. Its work
// counters (run_counters) go into the Run reply.
// With COLUMN_BLOCKS it also runs column blocks (opcode 2, BlockFlags.cs), as the emulator does
// (EmulatedModel.RunBlock): input k of a batch keeps its sums in every PE's accumulator rows
// k * L on (L: the rows PE 0 holds, the most any PE does), where Hold leaves them for the next
// block's Run; since a drain clears what it reads, Accumulate needs nothing, and a sweep clears
// sums a Run left held when a whole layer or a first block starts on them (an abandoned plan).
// Chained activations stay in the activation buffer's upper half, value r of input k at
// r * batch + k: ChainOut writes them there as it drains, ChainIn copies columns FirstCol on into
// the lower half, where the broadcast scan reads an input.
module pe_array_engine #(
    parameter MEM_BITS = 17,     // weight memory address bits
    parameter BUF_BITS = 10,     // frame buffer address bits (input from rx, outputs to tx)
    parameter ACT_BITS = 10,     // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9,      // accumulators: up to 2^ACC_BITS rows per layer
    parameter USE_DSP = 0,       // 1: each PE multiplies on an SB_MAC16 instead of by shift and add
    parameter PES = 4,           // PEs, one per memory lane: 4 (2-byte lane words) or 2 (4-byte words, two banks each)
    parameter MAX_COLS = 1 << ACT_BITS,   // columns a layer may have: the PEs' pointer banks hold MAX_COLS + 1 pointers
    parameter WORD_BITS = MEM_BITS - 3,  // lane word address width
    parameter FIFO_DEPTH = 8,    // each PE's broadcast FIFO (a power of two): 2 takes the UP5K's 2-PE array 0.4 % more cycles and 400 cells fewer
    parameter SCAN_QUEUE_DEPTH = 4,  // activation_scan's word queue: 4 or 2
    parameter EBR_DELAYS = 0,    // 1: the PEs' x and row delay lines in block RAM (two per PE)
    parameter COLUMN_BLOCKS = 0, // 1: run column blocks (opcode 2) too; 0: they fault
    parameter COMPILED_PE = 0    // 1: the PEs are compiled_pe.v (pe_array.v), started per layer and told the broadcast's end
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                start,
    input  wire                accumulate,   // with start: add to the counters instead of clearing them
    input  wire [MEM_BITS-1:0] model_addr,   // image start in weight memory
    input  wire [BUF_BITS-1:0] input_at,     // first input byte in the receive buffer
    input  wire [BUF_BITS-1:0] output_at,    // first output byte in the transmit buffer
    input  wire [15:0]         batch,        // inputs in this Run (where chained activations interleave)
    output reg                 done,         // one-cycle pulse; `fault` tells how it ended
    output reg                 fault,        // the image is malformed or exceeds this build
    // receive buffer read port (one cycle of latency)
    output wire [BUF_BITS-1:0] rx_addr,
    input  wire [7:0]          rx_data,
    // transmit buffer write port (outputs: 32-bit little-endian values)
    output reg                 tx_we,
    output reg  [BUF_BITS-1:0] tx_waddr,
    output reg  [7:0]          tx_wdata,
    // weight memory byte read port (one cycle of latency): header, instructions, codebook, PE table
    output wire [MEM_BITS-1:0] mem_addr,
    input  wire [7:0]          mem_rdata,
    // weight memory lane ports: one 16-bit word of each lane per cycle, one cycle of latency; only
    // while lane_en, when the byte port above is not used
    output wire                   lane_en,
    output wire [4*WORD_BITS-1:0] lane_addr,
    input  wire [63:0]            lane_rdata,
    // work of this run, or of the batch so far (cleared by a start without accumulate)
    output wire [31:0]         cycles,
    output wire [31:0]         entries,
    output wire [31:0]         steps,
    output wire [31:0]         broadcasts
);
    localparam [4:0] E_IDLE = 5'd0, E_SETTLE = 5'd1, E_FETCH = 5'd2, E_HEADER = 5'd3,
                     E_LAYER = 5'd5, E_CODEBOOK = 5'd6, E_PE = 5'd7, E_NEXT = 5'd8, E_LOAD = 5'd9,
                     E_BROADCAST = 5'd10, E_ARRAY_WAIT = 5'd11, E_DRAIN = 5'd12, E_NEXT_LAYER = 5'd13,
                     E_COUNTERS = 5'd14, E_FAULT = 5'd15, E_CHAIN = 5'd16;

    // The memory's four 16-bit banks make the lanes (MemoryLanes.cs): one bank per PE with 4 PEs,
    // two banks read at one address per PE with 2. Other counts do not elaborate.
    generate
        if (PES != 4 && PES != 2) begin : unsupported
            pe_array_engine_needs_two_or_four_pes unsupported_pe_count ();
        end
    endgenerate
    localparam PE_BITS = $clog2(PES);          // a row's PE: its global index's low bits
    localparam LANE_BYTES = 8 / PES;
    localparam BYTE_SEL = $clog2(LANE_BYTES);
    localparam ROW_BITS = ACC_BITS - PE_BITS;   // local rows per PE: 2^ROW_BITS
    localparam integer PES_LESS_ONE_ALL = PES - 1;
    localparam [ACC_BITS:0] PES_LESS_ONE = PES_LESS_ONE_ALL[ACC_BITS:0];

    localparam AW = MEM_BITS;
    localparam NW = ACT_BITS + 1;        // sizes up to 2^ACT_BITS inclusive
    localparam integer MAX_COLS_ALL = MAX_COLS;
    localparam [NW-1:0] MAX_COLS_N = MAX_COLS_ALL[NW-1:0];

    reg [4:0] state, after_fetch;

    // ---- byte fetch from weight memory: `fetch_len` bytes at `fetch_addr`, little-endian ----
    // fetch_addr ends just past the bytes read, so consecutive fields are read by fetch_more.
    reg [AW-1:0] fetch_addr;
    reg [2:0]  fetch_len, fetch_i;
    reg        fetch_have;
    reg [31:0] fetch_value;           // the value fetched, right-aligned (1, 2 or 4 bytes)
    reg [1:0]  fetch_slot;            // where the byte in flight goes in fetch_value
    wire [31:0] fetched = fetch_value;
    assign mem_addr = fetch_addr;

    // ---- model and layer registers ----
    reg [AW-1:0] base;
    reg [15:0] layer_count, layer;
    reg [NW-1:0] input_size;
    reg        raw_output;
    reg [4:0]  shift;
    reg        wide_pointers;         // 32-bit column pointers (else 16-bit)
    reg [4:0]  pe_count, pe;
    reg [NW-1:0] rows, cols, width;   // width: values in the current layer's input
    reg [AW-1:0] codebook_at, bias_at, table_at, pointers_at, instruction_at;
    reg [NW-1:0] i;
    reg [NW-1:0] i_end;               // the last index of the current sweep
    wire       i_last = i == i_end;
    reg        final_layer;           // layer + 1 == layer_count
    reg        last_pe;               // pe + 1 == pe_count
    reg [AW-1:0] record_next;         // the next PE's record in the PE table
    reg [3:0]  cb_index;
    reg [2:0]  field;                 // which 4-byte field of the instruction is being read
    reg        act_sel;               // which half of the activation buffer holds this layer's input
    reg [1:0]  part;                  // sub-step counter within a state
    wire [4:0] next_pe = pe + 5'd1;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [4:0] lane_start_of_pe = pe << BYTE_SEL;   // PE p's lane starts at byte p * LANE_BYTES of a line
    /* verilator lint_on UNUSEDSIGNAL */
    wire [2:0] lane_start = lane_start_of_pe[2:0];
    wire [AW-1:0] field_address = base + fetched[AW-1:0];   // an image offset just fetched, as an address

    // ---- column blocks (COLUMN_BLOCKS) ----
    reg              is_block, hold_flag, chain_in, chain_out;   // Accumulate needs nothing here
    reg              held;                  // a Run left sums in the accumulators (Hold)
    reg              swept;                 // a sweep clears them: wait for it before the codebook
    reg [NW-1:0]     image_index;           // k: this input's place in the batch
    reg [ROW_BITS:0] row_base;              // k * L: this input's first accumulator row in every PE
    reg [ACT_BITS-1:0] chain_at;            // the next chained activation: ChainIn's read, ChainOut's write
    reg [NW-1:0]     chain_left;            // ChainIn: columns still to read
    reg              chain_v1, chain_v2;    // a chained read in flight, one and two cycles old
    reg [1:0]        chain_b1, chain_b2;    // its byte in the buffer's word
    wire [ACT_BITS-1:0] batch_a = batch[ACT_BITS-1:0];   // a batch whose activations fit the buffer is narrower
    wire unused_batch_bits = ^batch[15:ACT_BITS];
    // ChainIn's FirstCol * batch: with the DSP (USE_DSP) on an SB_MAC16 of its own, which costs no
    // logic cells (about a hundred as a LUT multiplier on the UP5K).
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] first_col_product;   // the low ACT_BITS bits count
    /* verilator lint_on UNUSEDSIGNAL */
    dsp_product #(.USE_MAC16(USE_DSP)) first_col (
        .a({{(16 - ACT_BITS){1'b0}}, fetched[ACT_BITS-1:0]}), .b({{(16 - ACT_BITS){1'b0}}, batch_a}), .product(first_col_product));
    wire last_image = {{(16 - NW){1'b0}}, image_index} + 16'd1 == batch;
    wire [ROW_BITS:0] acc_first = COLUMN_BLOCKS != 0 && is_block ? row_base : {(ROW_BITS + 1){1'b0}};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [ACC_BITS:0] new_rows_up = fetched[ACC_BITS:0] + PES_LESS_ONE;   // the rows field just read, / PES rounded up
    /* verilator lint_on UNUSEDSIGNAL */
    wire [ROW_BITS+1:0] acc_need = {1'b0, row_base} + {1'b0, new_rows_up[ACC_BITS:PE_BITS]};   // past the accumulators?

    // The header's and instructions' fields are checked in a cycle of their own (`validated`).
    reg validated, field_bad;
    wire header_bad, layer_bad;
    image_field_check #(.ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS), .PES(PES), .COLUMN_BLOCKS(COLUMN_BLOCKS)) checks (
        .value(fetched), .layer_count(layer_count), .field(field), .final_layer(final_layer),
        .raw_output(raw_output), .width(width), .is_block(is_block), .chain_in(chain_in),
        .sums_past(acc_need > (1 << ROW_BITS)),   // this input's sums beside the batch's earlier ones in every PE
        .header_bad(header_bad), .layer_bad(layer_bad));

    // Codebook: each value goes to every PE's codebook, recoded (the PEs keep value and steps).
    wire        cb_recoded;
    wire [3:0]  cb_recoded_at;
    wire [4:0]  recoded_steps;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [16:0] cb_recoded_plus, cb_recoded_minus;   // the PEs recode their own
    // The value itself is still in fetch_value when the loader offers it (the next fetch writes
    // its first byte a cycle later), so the PEs take it from there rather than from a copy.
    wire [15:0] cb_recoded_value;
    /* verilator lint_on UNUSEDSIGNAL */
    codebook_loader recoding (
        .clk(clk), .load(state == E_CODEBOOK), .index(cb_index), .value(fetch_value[15:0]),
        .we(cb_recoded), .addr(cb_recoded_at), .word(cb_recoded_value),
        .plus(cb_recoded_plus), .minus(cb_recoded_minus), .steps(recoded_steps));

    // ---- activation buffer: two halves, input and output of the current layer, in four banks
    // (activation i in bank i mod 4), so the broadcast scan reads four at once ----
    reg                  act_we;
    reg  [ACT_BITS:0]    act_waddr, act_raddr;   // {half, index}
    reg  [7:0]           act_wdata;
    wire [31:0]          act_word;               // activations 4k .. 4k + 3 of the word act_raddr is in
    genvar k;
    generate
        for (k = 0; k < 4; k = k + 1) begin : bank
            byte_buffer #(.ADDR_BITS(ACT_BITS - 1), .DATA_BITS(8), .NO_COLLISION(1)) activations (
                .clk(clk), .we(act_we && act_waddr[1:0] == k), .waddr({act_waddr[ACT_BITS], act_waddr[ACT_BITS-1:2]}),
                .wdata(act_wdata), .raddr({act_raddr[ACT_BITS], act_raddr[ACT_BITS-1:2]}), .rdata(act_word[8*k +: 8]));
        end
    endgenerate
    wire unused_read_lane = ^act_raddr[1:0];   // the scan reads whole words

    // ---- input copy from the receive buffer ----
    // Layer 0's pointer copy (E_LOAD) reads the lanes and its input copy the receive buffer, so the
    // two run side by side: the input costs no cycles of its own.
    reg [BUF_BITS-1:0] rx_index;
    assign rx_addr = rx_index;
    reg                copying;       // input bytes are still to be copied
    reg                copy_asked;    // the byte at copy_i was asked for last cycle: rx_data holds it
    reg [NW-1:0]       copy_i;
    wire               copy_last = copy_i == input_size - 1'b1;

    // ---- requantizer: a 3-stage pipeline (hardware/rtl/generated) ----
    reg         rq_valid;
    reg  [31:0] rq_acc, rq_bias;
    wire        rq_out_valid;
    wire [31:0] rq_result;
    requantizer_requantize requant (
        .clk(clk), .rst(rst), .in_valid(rq_valid), .out_valid(rq_out_valid),
        .acc(rq_acc), .bias(rq_bias), .shift({27'd0, shift}), .raw(raw_output), .result(rq_result));

    // ---- the PE array ----
    reg                   array_load, array_clear;
    reg                   array_layer_start;   // the broadcasts begin: a compiled PE starts its kernel
    reg [PES*WORD_BITS-1:0] slice_pointer_word, slice_entry_word;   // lane words of each PE's pointer 0 and entry 0
    wire [PES*WORD_BITS-1:0] pe_lane_addr;   // PE p's lane word, read from each of its banks
    generate
        for (k = 0; k < 4; k = k + 1) begin : bank_address
            assign lane_addr[WORD_BITS*k +: WORD_BITS] = pe_lane_addr[WORD_BITS*(k / (4 / PES)) +: WORD_BITS];
        end
    endgenerate
    wire                  array_done, array_load_fault, array_row_fault, array_act_ready;
    wire [32*PES-1:0]     array_acc;
    assign lane_en = state == E_LOAD || state == E_BROADCAST || state == E_ARRAY_WAIT || state == E_DRAIN;

    // Broadcasts: the nonzero activations of this layer's input, in column order.
    wire                scan_issue, scan_valid, scan_finished;
    wire [NW-1:0]       scan_column;
    wire [ACT_BITS-1:0] bq_col;
    wire [7:0]          bq_value;
    activation_scan #(.ACT_BITS(ACT_BITS), .QUEUE_DEPTH(SCAN_QUEUE_DEPTH)) scan (
        .clk(clk), .rst(rst), .run(state == E_BROADCAST), .cols(cols),
        .issue(scan_issue), .read_column(scan_column), .act_word(act_word),
        .valid(scan_valid), .column(bq_col), .value(bq_value), .ready(array_act_ready),
        .finished(scan_finished));
    wire bq_take = scan_valid && array_act_ready;
    // Lane words start on even addresses, bias lines on multiples of 8 (checked as they are read),
    // and the scan's column stops at cols, which fits ACT_BITS + 1 bits.
    wire unused_low_bits = ^{bias_at[2:0], pointers_at[0], scan_column[NW-1]};

    // Drain: row i goes out as the array's local row i / 4 (read once for four rows, with clear;
    // each PE's block RAM holds its value until the next read) and the memory line of biases i and
    // i + 1; a cycle later the row's accumulator and bias go to the requantizer. Raw outputs take four cycles each (the transmit buffer is byte-wide), so
    // a raw row goes out only when the one before has been stored.
    reg [NW-1:0] dr_out;              // the next row to store
    reg          dr_more;             // rows left to issue
    reg [2:0]    dr_inflight;         // issued, not yet stored
    reg [2:0]    dr_part;             // raw bytes left to store
    reg          dr_d1;
    reg [PE_BITS-1:0] dr_q;           // the row's PE
    wire [1:0]   dr_part_byte = 2'd0 - dr_part[1:0];   // byte 0 when 4 are left .. byte 3 when 1 is
    wire         dr_issue = state == E_DRAIN && dr_more && (!raw_output || dr_inflight == 3'd0);
    wire         dr_stored = raw_output ? dr_part == 3'd1 : rq_out_valid;
    always @(posedge clk) begin
        dr_d1 <= !rst && dr_issue;
        dr_q <= i[PE_BITS-1:0];
    end
    wire [31:0] dr_acc = array_acc[32*dr_q +: 32];
    wire [31:0] dr_bias = dr_q[0] ? lane_rdata[63:32] : lane_rdata[31:0];

    wire [PES-1:0]   work_entries;
    wire [5*PES-1:0] work_steps;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [32*PES-1:0] busy_cycles, entries_consumed;   // for pe_array's own bench
    /* verilator lint_on UNUSEDSIGNAL */
    // PE p holds global rows p, p + PES, ...: (rows + PES - 1 - p) / PES of them.
    // rows <= 2^ACC_BITS (checked with the instruction), so rows + PES - 1 fits ACC_BITS + 1 bits.
    wire [ACC_BITS:0] rows_plus_3 = rows[ACC_BITS:0] + PES_LESS_ONE;
    wire [(ROW_BITS+1)*PES-1:0] local_rows;
    genvar q;
    generate
        for (q = 0; q < PES; q = q + 1) begin : rows_of
            localparam [ACC_BITS:0] PE_INDEX = q;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [ACC_BITS:0] owned = rows_plus_3 - PE_INDEX;   // / PES: the low bits go
            /* verilator lint_on UNUSEDSIGNAL */
            assign local_rows[(ROW_BITS+1)*q +: ROW_BITS+1] = owned[ACC_BITS:PE_BITS] + acc_first;   // one past its last row
        end
    endgenerate
    wire [WORD_BITS-1:0] bias_word = bias_at[AW-1:3] + {{(WORD_BITS - NW + 1){1'b0}}, i[NW-1:1]};
    pe_array #(
        .PES(PES), .LANE_BYTES(LANE_BYTES), .ROW_BITS(ROW_BITS), .COL_BITS(ACT_BITS + 1), .MAX_COLS(MAX_COLS),
        .WORD_BITS(WORD_BITS), .FIFO_DEPTH(FIFO_DEPTH), .USE_DSP(USE_DSP), .EBR_DELAYS(EBR_DELAYS),
        .COMPILED_PE(COMPILED_PE)
    ) pes (
        .clk(clk), .rst(rst), .clear(array_clear),
        .cb_we(cb_recoded), .cb_addr(cb_recoded_at), .cb_data(fetch_value[15:0]), .cb_steps(recoded_steps),
        .pointer_word(slice_pointer_word), .entry_word(slice_entry_word), .wide(wide_pointers),
        .cols(cols), .row_base(acc_first[ROW_BITS-1:0]), .local_rows(local_rows), .load(array_load), .load_fault(array_load_fault), .row_fault(array_row_fault),
        .lane_addr(pe_lane_addr), .lane_rdata(lane_rdata),
        .line_en(state == E_DRAIN), .line_word(bias_word),
        .layer_start(array_layer_start), .act_end(state == E_ARRAY_WAIT),
        .act_valid(scan_valid), .act_ready(array_act_ready),
        .act_col({1'b0, bq_col}), .act_value(bq_value),
        .acc_rd_en(dr_issue && i[PE_BITS-1:0] == {PE_BITS{1'b0}}), .acc_rd_clear(1'b1), .acc_rd_addr(i[ACC_BITS-1:PE_BITS] + acc_first[ROW_BITS-1:0]),
        .acc_rd_data(array_acc),
        .done(array_done), .work_entries(work_entries), .work_steps(work_steps),
        .busy_cycles(busy_cycles), .entries_consumed(entries_consumed));
    // This cycle's entries and shift-add steps over all PEs (at most 4 and 4 x 31).
    reg [2:0] array_entries_now;
    reg [6:0] array_steps_now;
    integer w;
    always @* begin
        array_entries_now = 3'd0;
        array_steps_now = 7'd0;
        for (w = 0; w < PES; w = w + 1) begin
            array_entries_now = array_entries_now + {2'd0, work_entries[w]};
            array_steps_now = array_steps_now + (work_entries[w] ? {2'd0, work_steps[5*w +: 5]} : 7'd0);
        end
    end

    // ---- work counters, and their bytes for the reply ----
    reg [4:0] counter_byte;
    wire [7:0] counter_reply_byte;
    wire busy = state != E_IDLE;
    run_counters #(.ENTRY_BITS(3), .STEP_BITS(7), .USE_MAC16(USE_DSP)) counters (
        .clk(clk), .clear(state == E_IDLE && start && !accumulate),
        .count_cycle(busy && state != E_COUNTERS),
        .add_work(busy), .add_entries(array_entries_now), .add_steps(array_steps_now),
        .add_broadcast(state == E_BROADCAST && bq_take),
        .reply_index(counter_byte), .reply_byte(counter_reply_byte),
        .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));

    // Reads `length` bytes at weight memory address `address`.
    task fetch(input [AW-1:0] address, input [2:0] length, input [4:0] next);
        begin
            fetch_addr  <= address;
            fetch_more(length, next);
        end
    endtask

    // Reads the `length` bytes that follow the previous fetch.
    task fetch_more(input [2:0] length, input [4:0] next);
        begin
            fetch_len   <= length;
            fetch_i     <= 3'd0;
            fetch_have  <= 1'b0;
            after_fetch <= next;
            state       <= E_FETCH;
        end
    endtask

    // Reads the layer's codebook into the PEs, once a sweep started for held sums has ended.
    task load_codebook;
        begin
            cb_index <= 4'd0;
            fetch(codebook_at, 3'd2, E_CODEBOOK);
            if (COLUMN_BLOCKS != 0 && swept) begin
                swept <= 1'b0;
                state <= E_SETTLE;   // on to E_FETCH when the array is done
            end
        end
    endtask

    always @(posedge clk) begin
        done <= 1'b0;
        act_we <= 1'b0;
        tx_we <= 1'b0;
        rq_valid <= 1'b0;
        array_load <= 1'b0;
        array_clear <= 1'b0;
        array_layer_start <= 1'b0;

        chain_v1 <= 1'b0;
        chain_v2 <= chain_v1;
        chain_b2 <= chain_b1;

        if (rst) begin
            state <= E_IDLE;
            fault <= 1'b0;
            held <= 1'b0;   // the reset's sweep clears the accumulators
            swept <= 1'b0;
            copying <= 1'b0;
        end else begin
            case (state)
                E_IDLE: if (start) begin
                    base <= model_addr;
                    // Input k + 1 of a batch keeps its sums past input k's (the same block: `rows`
                    // is still its rows).
                    image_index <= accumulate ? image_index + 1'b1 : {NW{1'b0}};
                    row_base <= accumulate ? row_base + rows_plus_3[ACC_BITS:PE_BITS] : {(ROW_BITS + 1){1'b0}};
                    // run_counters clears the counters here unless this run accumulates.
                    fault <= 1'b0;
                    part <= 2'd0;
                    validated <= 1'b0;
                    fetch_addr <= model_addr + 6;   // the header's layer count
                    fetch_more(3'd2, E_HEADER);
                    state <= E_SETTLE;
                end

                E_SETTLE: if (array_done) state <= E_FETCH;   // the accumulator sweep after a reset or fault

                E_FETCH: begin
                    // Ask for byte fetch_i; the byte asked for one cycle earlier arrives now.
                    // Byte 0 clears the bytes above it, so shorter values arrive zero-extended.
                    if (fetch_have) begin
                        if (fetch_slot == 2'd0) fetch_value <= {24'd0, mem_rdata};
                        else fetch_value[8*fetch_slot +: 8] <= mem_rdata;
                    end
                    if (fetch_i == fetch_len) begin
                        fetch_have <= 1'b0;
                        state <= after_fetch;
                    end else begin
                        fetch_have <= 1'b1;
                        fetch_slot <= fetch_i[1:0];
                        fetch_i <= fetch_i + 3'd1;
                        fetch_addr <= fetch_addr + 1'b1;
                    end
                end

                E_HEADER: begin
                    // part 0: layer count (offset 6); 1: input size (8, follows); 2: instructions (20)
                    case (part)
                        2'd0: begin layer_count <= fetched[15:0]; part <= 2'd1; fetch_more(3'd4, E_HEADER); end
                        2'd1: if (!validated) begin
                            validated <= 1'b1;
                            field_bad <= header_bad;
                        end else begin
                            validated <= 1'b0;
                            input_size <= fetched[NW-1:0];
                            if (field_bad) state <= E_FAULT;
                            else begin part <= 2'd2; fetch(base + 20, 3'd4, E_HEADER); end
                        end
                        default: begin
                            // The input is copied during layer 0's pointer copy (a chained block has none).
                            rx_index <= input_at;
                            copying <= input_size != {NW{1'b0}};
                            copy_asked <= 1'b0;
                            copy_i <= {NW{1'b0}};
                            width <= input_size;
                            part <= 2'd0;
                            act_sel <= 1'b0;
                            layer <= 16'd0;
                            instruction_at <= field_address;
                            field <= 3'd0;
                            fetch(field_address, 3'd4, E_LAYER);
                        end
                    endcase
                end

                E_LAYER: if (!validated) begin
                    validated <= 1'b1;
                    // Columns beyond the pointer banks (MAX_COLS) exceed this build.
                    field_bad <= layer_bad || (field == 3'd3 && fetched[NW-1:0] > MAX_COLS_N);
                end else begin
                    // The instruction's fields, 4 bytes each and one after the other: opcode | kind |
                    // shift | pointer bits, PE count, rows, cols, codebook, bias, PE table.
                    validated <= 1'b0;
                    field <= field + 3'd1;
                    case (field)
                        3'd0: begin
                            final_layer <= layer + 16'd1 == layer_count;
                            is_block <= COLUMN_BLOCKS != 0 && fetched[7:0] == 8'd2;
                            raw_output <= fetched[15:8] == 8'd1;
                            shift <= fetched[20:16];
                            wide_pointers <= fetched[31:24] == 8'd32;
                            if (field_bad) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd1: begin
                            pe_count <= fetched[4:0];
                            // BlockFlags: Accumulate (bit 16), Hold, ChainIn, ChainOut (zero for a whole layer).
                            hold_flag <= COLUMN_BLOCKS != 0 && fetched[17];
                            chain_in <= COLUMN_BLOCKS != 0 && fetched[18];
                            chain_out <= COLUMN_BLOCKS != 0 && fetched[19];
                            // Sums held by an earlier Run that this one does not continue: sweep them
                            // away while the fields and codebook are read (an abandoned plan).
                            if (COLUMN_BLOCKS != 0 && held && !field_bad && (!is_block || (!fetched[16] && image_index == {NW{1'b0}}))) begin
                                array_clear <= 1'b1;
                                held <= 1'b0;
                                swept <= 1'b1;
                            end
                            if (field_bad) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd2: begin
                            rows <= fetched[NW-1:0];
                            i_end <= fetched[NW-1:0] - 1'b1;
                            if (field_bad) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd3: begin
                            cols <= fetched[NW-1:0];
                            if (field_bad) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd4: begin codebook_at <= base + fetched[AW-1:0]; fetch_more(3'd4, E_LAYER); end
                        3'd5: begin
                            bias_at <= base + fetched[AW-1:0];
                            // The drain reads biases by memory lines: they must start on one.
                            if (field_address[2:0] != 3'd0) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd6: begin
                            table_at <= base + fetched[AW-1:0];
                            if (is_block) fetch_more(3'd4, E_LAYER);   // its first column follows
                            else load_codebook;
                        end
                        default: begin
                            // A block's first column: ChainIn copies the chained values of columns
                            // FirstCol on (at c * batch + k) into the input half first.
                            if (chain_in) begin
                                chain_at <= first_col_product[ACT_BITS-1:0] + image_index[ACT_BITS-1:0];
                                chain_left <= cols;
                                i <= {NW{1'b0}};
                                i_end <= cols - 1'b1;
                                state <= E_CHAIN;
                            end else load_codebook;
                        end
                    endcase
                end

                E_CHAIN: begin
                    // One read a cycle from the upper half; each value lands two cycles later at
                    // column i of the lower half, where the scan reads the input.
                    if (chain_left != {NW{1'b0}}) begin
                        act_raddr <= {1'b1, chain_at};
                        chain_b1 <= chain_at[1:0];
                        chain_v1 <= 1'b1;
                        chain_at <= chain_at + batch_a;
                        chain_left <= chain_left - 1'b1;
                    end
                    if (chain_v2) begin
                        act_we <= 1'b1;
                        act_waddr <= {1'b0, i[ACT_BITS-1:0]};
                        act_wdata <= act_word[8*chain_b2 +: 8];
                        i <= i + 1'b1;
                        if (i_last) begin
                            i_end <= rows - 1'b1;
                            load_codebook;
                        end
                    end
                end

                E_CODEBOOK: begin
                    // codebook_loader writes the value into the PEs' codebooks.
                    if (cb_index == 4'd15) begin
                        i <= {NW{1'b0}};   // the PEs' accumulators were cleared as they were drained
                        pe <= 5'd0;
                        part <= 2'd0;
                        fetch(table_at, 3'd4, E_PE);
                    end else begin
                        cb_index <= cb_index + 4'd1;
                        fetch_more(3'd2, E_CODEBOOK);
                    end
                end

                E_PE: begin
                    // This PE's record: pointers offset, entries offset (they follow each other).
                    // Lane arrays start on a lane word (2 bytes): anything else is a malformed image.
                    if (fetched[0]) state <= E_FAULT;
                    else if (part == 2'd0) begin
                        pointers_at <= base + fetched[AW-1:0];
                        part <= 2'd1;
                        fetch_more(3'd4, E_PE);
                    end else begin
                        // The records are 12 bytes each; this one's first 8 have been read.
                        record_next <= fetch_addr + {{(AW - 3){1'b0}}, 3'd4};
                        last_pe <= next_pe == pe_count;
                        if (pointers_at[2:0] != lane_start || field_address[2:0] != lane_start) state <= E_FAULT;   // PE p reads lane p
                        else begin
                            slice_pointer_word[WORD_BITS*pe[PE_BITS-1:0] +: WORD_BITS] <= pointers_at[AW-1:3];
                            slice_entry_word[WORD_BITS*pe[PE_BITS-1:0] +: WORD_BITS] <= field_address[AW-1:3];
                            state <= E_NEXT;
                        end
                    end
                end

                E_NEXT: begin
                    if (!last_pe) begin
                        pe <= next_pe;
                        part <= 2'd0;
                        fetch(record_next, 3'd4, E_PE);
                    end else begin
                        array_load <= 1'b1;
                        state <= E_LOAD;
                    end
                end

                E_LOAD: begin
                    // Layer 0: the input's bytes into activation half 0, one a cycle after the first
                    // cycle's request, while the PEs copy their pointers.
                    if (copying) begin
                        rx_index <= rx_index + 1'b1;
                        copy_asked <= 1'b1;
                        if (copy_asked) begin
                            act_we <= 1'b1;
                            act_waddr <= {1'b0, copy_i[ACT_BITS-1:0]};
                            act_wdata <= rx_data;
                            copy_i <= copy_i + 1'b1;
                            if (copy_last) copying <= 1'b0;
                        end
                    end
                    if (array_done && array_load_fault) state <= E_FAULT;
                    else if (array_done && !copying) begin
                        array_layer_start <= 1'b1;
                        state <= E_BROADCAST;
                    end
                end

                E_BROADCAST: begin
                    // activation_scan reads the columns and offers the nonzero ones; this waits for
                    // the last to be taken.
                    if (scan_issue) act_raddr <= {act_sel, scan_column[ACT_BITS-1:0]};
                    if (scan_finished) state <= E_ARRAY_WAIT;
                end

                E_ARRAY_WAIT: if (array_done) begin
                    // The PEs saw their FIFOs fill a cycle ago at the latest, so done means finished.
                    if (array_row_fault) state <= E_FAULT;
                    else if (COLUMN_BLOCKS != 0 && hold_flag) begin
                        // Hold: the sums stay for the next block; no bias, nothing emitted.
                        held <= 1'b1;
                        counter_byte <= 5'd0;
                        state <= E_COUNTERS;
                    end else state <= E_DRAIN;
                    chain_at <= image_index[ACT_BITS-1:0];   // ChainOut's first output, then batch apart
                    i <= {NW{1'b0}};
                    dr_out <= {NW{1'b0}};
                    dr_more <= 1'b1;
                    dr_inflight <= 3'd0;
                    dr_part <= 3'd0;
                end

                E_DRAIN: begin
                    // Row i goes out (accumulators and bias line read); rows come back from the
                    // requantizer in order and are stored.
                    if (dr_issue) begin
                        i <= i + 1'b1;
                        if (i_last) dr_more <= 1'b0;
                    end
                    dr_inflight <= dr_inflight + {2'd0, dr_issue} - {2'd0, dr_stored};
                    if (!dr_more && dr_inflight == 3'd0) begin
                        // The batch's last input drained the last of the sums a block held.
                        if (COLUMN_BLOCKS != 0 && is_block && last_image) held <= 1'b0;
                        if (raw_output || (COLUMN_BLOCKS != 0 && chain_out)) begin
                            counter_byte <= 5'd0;
                            state <= E_COUNTERS;
                        end else state <= E_NEXT_LAYER;
                    end
                    if (rq_out_valid) begin
                        if (raw_output) begin
                            fetch_value <= rq_result;   // stored from here, byte by byte
                            dr_part <= 3'd4;
                        end else begin
                            // ChainOut: output r of input k stays at r * batch + k for the next layer.
                            act_we <= 1'b1;
                            act_waddr <= COLUMN_BLOCKS != 0 && chain_out ? {1'b1, chain_at} : {!act_sel, dr_out[ACT_BITS-1:0]};
                            act_wdata <= rq_result[7:0];
                            dr_out <= dr_out + 1'b1;
                            chain_at <= chain_at + batch_a;
                        end
                    end
                    if (dr_part != 3'd0) begin
                        // A raw output: four little-endian bytes into the transmit buffer.
                        tx_we <= 1'b1;
                        tx_waddr <= output_at + {dr_out[BUF_BITS-3:0], dr_part_byte};
                        tx_wdata <= fetch_value[8*dr_part_byte +: 8];
                        dr_part <= dr_part - 3'd1;
                        if (dr_part == 3'd1) dr_out <= dr_out + 1'b1;
                    end
                    if (dr_d1) begin
                        rq_valid <= 1'b1;
                        rq_acc <= dr_acc;
                        rq_bias <= dr_bias;
                    end
                end

                E_NEXT_LAYER: begin
                    // This layer's output half becomes the input half.
                    act_sel <= !act_sel;
                    width <= rows;
                    if (final_layer) state <= E_FAULT;  // the last layer must emit raw values
                    else begin
                        layer <= layer + 16'd1;
                        instruction_at <= instruction_at + 32;
                        field <= 3'd0;
                        i <= {NW{1'b0}};
                        part <= 2'd0;
                        fetch(instruction_at + 32, 3'd4, E_LAYER);
                    end
                end

                E_COUNTERS: begin
                    // The counters, as the Run reply carries them (RunReply.cs): four u64 at bytes
                    // 8 .. 39 of the transmit buffer, the batch's totals once its last image is done.
                    tx_we <= 1'b1;
                    tx_waddr <= {{(BUF_BITS - 6){1'b0}}, 6'd8 + {1'b0, counter_byte}};
                    tx_wdata <= counter_reply_byte;
                    counter_byte <= counter_byte + 5'd1;
                    if (counter_byte == 5'd31) begin
                        done <= 1'b1;
                        state <= E_IDLE;
                    end
                end

                E_FAULT: begin
                    fault <= 1'b1;
                    copying <= 1'b0;
                    array_clear <= 1'b1;   // a layer may have stopped half-way: zero the PEs' accumulators
                    held <= 1'b0;
                    done <= 1'b1;
                    state <= E_IDLE;
                end

                default: state <= E_FAULT;
            endcase
        end
    end
endmodule
`default_nettype wire
