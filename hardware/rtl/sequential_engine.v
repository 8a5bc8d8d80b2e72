`default_nettype none
// The sequential engine: runs one input through a committed model image, exactly as
// host/CoDesign.Runtime/Devices/LoadedModel.cs does, one PE slice and one column at a time over the
// weight memory's byte port: bit-exact but not fast (SequentialEngineCostModel counts its states
// cycle by cycle). A column's entries stream through a pipeline, one a cycle: entry read, decode
// and codebook read, multiply (three cycles), accumulator read and write; a column's rows all
// differ, and the next column's pointers take longer than the pipeline, so no read meets a write.
// The activation scan reads two columns ahead, so a zero column costs one cycle, and rows whose
// results are bytes go through the requantizer one every 6 cycles, each bias fetched during the row before.
// It reads the model header and each layer's instruction (checked by image_field_check), codebook
// (recoded by codebook_loader), PE table, pointers, entries and biases; multiplies by shift and add
// (shift_add_multiplier_multiply_activation, compiled from kernels/) or on an SB_MAC16
// (dsp_multiplier), accumulates in 32 bits (wrapping), and requantizes (requantizer_requantize,
// compiled from kernels/). Its work counters (run_counters) go into the Run reply. Any PE count
// from 1 to 16 runs here: the engine walks the PEs' slices one after the other, reading each
// through its memory lane. With COLUMN_BLOCKS it also runs column blocks (opcode 2, BlockFlags.cs),
// as the emulator does (EmulatedModel.RunBlock): image k of a batch keeps its sums in accumulators
// k * rows on across Runs (Accumulate: not cleared; Hold: no bias, nothing emitted), and chained
// activations stay in the activation buffer, value r of image k at r * batch + k (ChainOut writes
// them, ChainIn reads columns FirstCol on), so every layer of a chain finds them however its rows
// differ. A block's input is copied to the top of the activation buffer, clear of the chained
// values below it, in reverse (value i at the last address - i: no base register or adder, the
// UP5K's cells).
module sequential_engine #(
    parameter MEM_BITS = 17,     // weight memory address bits
    parameter BUF_BITS = 10,     // frame buffer address bits (input from rx, outputs to tx)
    parameter ACT_BITS = 10,     // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9,      // accumulators: up to 2^ACC_BITS rows per layer
    parameter USE_DSP = 0,       // 1: multiply on an SB_MAC16 (dsp_multiplier) instead of by shift and add
    parameter COLUMN_BLOCKS = 0  // 1: run column blocks (opcode 2) too; 0: they fault
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
    // weight memory read port (one cycle of latency)
    output wire [MEM_BITS-1:0] mem_addr,
    input  wire [7:0]          mem_rdata,
    // work of this run, or of the batch so far (cleared by a start without accumulate)
    output wire [31:0]         cycles,
    output wire [31:0]         entries,
    output wire [31:0]         steps,
    output wire [31:0]         broadcasts
);
    localparam [4:0] E_IDLE = 5'd0, E_FETCH = 5'd1, E_HEADER = 5'd2, E_INPUT = 5'd3,
                     E_LAYER = 5'd4, E_CODEBOOK = 5'd5, E_CLEAR = 5'd6, E_PE = 5'd7,
                     E_COLUMN = 5'd8, E_ENTRY = 5'd9, E_STREAM = 5'd10, E_SCAN = 5'd11,
                     E_ROW = 5'd12, E_REQUANT = 5'd13, E_STORE = 5'd14, E_NEXT = 5'd15,
                     E_FAULT = 5'd16, E_POINTERS = 5'd17, E_X = 5'd18,
                     E_ROW_WAIT = 5'd20, E_COUNTERS = 5'd22;

    // Widths: image offsets and addresses are kept at the memory's width (an image's offsets are
    // relative to its start and it lies inside the memory); sizes at the buffers' widths, checked
    // at full width when they are read.
    localparam AW = MEM_BITS;
    localparam NW = ACT_BITS + 1;        // sizes up to 2^ACT_BITS inclusive
    localparam RW = ACC_BITS + 2;        // a row index, with room for one zero run past the end

    reg [4:0] state, after_fetch;

    // ---- byte fetch from weight memory: `fetch_len` bytes at `fetch_addr`, little-endian ----
    // fetch_addr ends just past the bytes read, so consecutive fields are read by fetch_more.
    reg [AW-1:0] fetch_addr;
    reg [2:0]  fetch_len, fetch_i;
    reg        fetch_have;
    // Pointers and entries are read through a PE's memory lane (MemoryLanes.cs): with 4 PEs or
    // more, 2-byte words 8 bytes apart (the byte after an odd address is 7 further on); with 2 or 3,
    // 4-byte words; with one, plain linear order.
    // The next address is the next byte of the word, or the first of the next line's word in the
    // same lane: both computed from the address register, so no step is added to it (the UP5K's
    // critical path). Plain fetches read 8-byte words, which is linear order.
    reg        lanes4, lanes2;        // this layer's lane count (else 1)
    reg [1:0]  fetch_word;            // word of this fetch: 0 = 8 bytes, 1 = 4 (two lanes), 2 = 2 (four)
    wire [1:0] layer_word = lanes4 ? 2'd2 : lanes2 ? 2'd1 : 2'd0;   // this layer's lane word

    // The byte after `a` in its lane, for a lane word of `word` (as fetch_word).
    function [AW-1:0] lane_next(input [AW-1:0] a, input [1:0] word);
        reg       last;
        reg [2:0] keep;   // the lane's bits
        begin
            last = word == 2'd2 ? a[0] : word == 2'd1 ? &a[1:0] : &a[2:0];
            keep = word == 2'd2 ? 3'b110 : word == 2'd1 ? 3'b100 : 3'b000;
            lane_next = last ? {a[AW-1:3] + 1'b1, a[2:0] & keep} : {a[AW-1:3], a[2:0] + 3'd1};
        end
    endfunction
    reg [31:0] fetch_value;           // the value fetched, right-aligned (1, 2 or 4 bytes)
    reg [1:0]  fetch_slot;            // where the byte in flight goes in fetch_value
    // Bytes land in place rather than shifting in, so the states read a register, not a
    // length-dependent multiplexer (that multiplexer began the UP5K's critical paths).
    wire [31:0] fetched = fetch_value;
    assign mem_addr = fetch_addr;

    // ---- model and layer registers ----
    reg [AW-1:0] base;
    // layer_count counts down as layers finish (the layers left, this one included): no layer
    // index register, adder or 16-bit compare; first_layer says the input is the image's.
    reg [15:0] layer_count;
    reg        first_layer;
    reg [NW-1:0] input_size;
    reg        raw_output;
    reg [4:0]  shift;
    reg        wide_pointers;         // 32-bit column pointers (else 16-bit)
    reg [4:0]  pe_count, pe;          // 1 .. 16 PEs
    reg [NW-1:0] rows, cols, width;   // width: values in the current layer's input
    // Absolute addresses (the image's offsets plus its base), so a fetch adds at most one offset.
    reg [AW-1:0] codebook_at, bias_at, table_at, pointers_at, entries_at, instruction_at;
    reg [NW-1:0] j, i;
    // Comparisons that end a loop are kept out of the cycle that acts on them (the UP5K's Fmax):
    // i_end is the last index of the current sweep (input size - 1, then rows - 1), so the test
    // is an equality rather than an add and compare; the others are registered one state ahead.
    reg [NW-1:0] i_end;
    wire       i_last = i == i_end;
    reg        final_layer;           // layer_count == 1: this is the last layer
    reg        pointers_reversed;     // p[j + 1] < p[j]
    reg        last_pe;               // pe + 1 == pe_count
    reg [AW-1:0] record_next;         // the next PE's record in the PE table
    reg [AW-1:0] e;                   // pointer p[j], then the entries of column j still to come
    reg [AW-1:0] e_at, pointer_at;    // the column's first entry and pointer j, in their lanes
    wire       scan_end = j == cols;  // E_SCAN: the column whose activation arrives is past the last
    // Registered a cycle ahead, since they step the scan's read registers (the UP5K's Fmax): the column
    // has no entries (E_ENTRY), or the entry E_STREAM asks for now is its last.
    reg        e_zero, e_one;
    reg [RW-1:0] row;                 // the global row of the column's entry decoded last
    reg [2:0]  settle;                // E_NEXT's wait for the entry pipeline to empty
    reg        rows_streaming;        // rows whose results are single bytes: the next row's bias is fetched
                                      // while the requantizer works, and each result is written as it comes
    reg [7:0]  x;                     // the column's activation, into the multiplier with its entries
    reg [7:0]  x_next;                // the next column's: x changes only once the entries before it are in
    reg [3:0]  cb_index;
    reg [2:0]  field;                 // which 4-byte field of the instruction is being read
    reg        act_sel;               // which half of the activation buffer holds this layer's input
    reg [1:0]  part;                  // sub-step counter within a state
    // The activation address of column j is col_at, stepped by col_step per column and restarted at
    // col_start for each PE: the input's place, or with column blocks the chained values of FirstCol.
    // After the columns the same register and step place ChainOut's outputs (one adder for both).
    localparam XW = ACT_BITS + 1;     // activation buffer address: 2^ACT_BITS values per half
    reg          is_block, acc_flag, hold_flag, chain_in, chain_out;
    reg [XW-1:0] col_at, col_start, col_step;
    reg [XW-1:0] image_index;         // k: this input's place in the batch
    reg [ACC_BITS:0]   acc_base;      // k * rows: this input's sums (2^ACC_BITS: one row past them all)
    reg [ACC_BITS-1:0] acc_off;       // acc_base for a block, 0 for a whole layer
    // FirstCol * batch + k: with the DSP (USE_DSP) on a second SB_MAC16 in the same cycle (dsp_product:
    // no logic cells); else by shift and add while the codebook loads (its 64 cycles hide the XW steps).
    reg [XW-1:0] fc_left, fc_addend;
    wire [XW-1:0] batch_x = batch[XW-1:0];   // a batch whose sums fit the accumulators is narrower
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] fc_product;                  // FirstCol * batch (the low XW bits count)
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (USE_DSP != 0 && COLUMN_BLOCKS != 0) begin : fc_dsp
            dsp_product first_col (
                .a({{(16 - XW){1'b0}}, fetched[XW-1:0]}), .b({{(16 - XW){1'b0}}, batch_x}), .product(fc_product));
        end else begin : fc_shift_add
            assign fc_product = 32'd0;
        end
    endgenerate
    wire unused_batch = ^batch[15:XW];
    // ---- the entry pipeline: B the byte arrives, C decode and codebook read, D into the
    // multiplier, E and F the accumulator read, W (three cycles after D) the write ----
    reg          stream_b, stream_c, stream_d, stream_e;   // an entry in that stage
    reg  [7:0]   entry;                                    // C: the entry byte
    reg  [ACC_BITS-1:0] acc_at_e, acc_at_w;                // E, then W: the entry's accumulator
    // An entry's row is z + 1 of this PE's rows (pe_count global rows apart) past the one before
    // (a 5 x 5-bit product; pe_count is at most 16); the first's is counted from pe - pe_count.
    wire [4:0] rows_on = {1'b0, entry[7:4]} + 5'd1;
    wire [9:0] step = {5'd0, pe_count} * {5'd0, rows_on};
    // Offsets computed at 32 bits (the zeros cost nothing) and cut to the memory's width.
    wire [4:0]  next_pe = pe + 5'd1;
    // Offsets in a lane (byte m at 8 * (m / word) + m % word): pointer j is lane bytes 2j or 4j on,
    // entry e lane byte e.
    /* verilator lint_off UNUSEDSIGNAL */
    reg [31:0] pointer_offset;
    always @* begin
        if (lanes4) pointer_offset = wide_pointers ? {{(28 - NW){1'b0}}, j, 4'b0000} : {{(29 - NW){1'b0}}, j, 3'b000};
        else if (lanes2) pointer_offset = wide_pointers ? {{(29 - NW){1'b0}}, j, 3'b000} : {{(30 - NW){1'b0}}, j[NW-1:1], 1'b0, j[0], 1'b0};
        else pointer_offset = wide_pointers ? {{(30 - NW){1'b0}}, j, 2'b00} : {{(31 - NW){1'b0}}, j, 1'b0};
    end
    // p[j] and p[j + 1]: with 16-bit pointers both arrive in one 4-byte fetch; a 32-bit p[j] was kept in e.
    wire [31:0] p_first = wide_pointers ? {{(32 - AW){1'b0}}, e} : {16'd0, fetched[15:0]};
    wire [31:0] p_next = wide_pointers ? fetched : {16'd0, fetched[31:16]};
    wire [AW-1:0] p_j = p_first[AW-1:0];
    wire [AW-1:0] entry_offset = lanes4 ? {p_j[AW-3:1], 2'b00, p_j[0]} : lanes2 ? {p_j[AW-2:2], 1'b0, p_j[1:0]} : p_j;
    wire       lane_misaligned = lanes4 ? fetched[0] : lanes2 ? fetched[1:0] != 2'b00 : fetched[2:0] != 3'b000;
    wire [31:0] bias_offset = {{(30 - NW){1'b0}}, i, 2'b00};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0] row_wide = {{(32 - RW){1'b0}}, row};
    wire        row_outside = row_wide >= rows_wide;   // D: the entry's row is past the layer's rows
    wire [31:0] rows_wide = {{(32 - NW){1'b0}}, rows};

    // The header's and instructions' fields are checked in a cycle of their own (`validated`
    // toggles): the checks' compare chains ahead of every state bit limited the UP5K's Fmax.
    reg validated, field_bad;
    wire header_bad, layer_bad;
    // A block's rows past the accumulators? acc_base + rows > 2^ACC_BITS, as rows > acc_room: the room is kept in a
    // register (acc_base changes only at a start), so the check is one compare, not an add and a
    // compare in series (the UP5K's critical path). Its top bit: acc_base itself is past them.
    reg [ACC_BITS+1:0] acc_room;
    always @(posedge clk) acc_room <= {2'b01, {ACC_BITS{1'b0}}} - {1'b0, acc_base};
    image_field_check #(.ACT_BITS(ACT_BITS), .ACC_BITS(ACC_BITS), .PES(0), .COLUMN_BLOCKS(COLUMN_BLOCKS)) checks (
        .value(fetched), .layer_count(layer_count), .field(field), .final_layer(final_layer),
        .raw_output(raw_output), .width(width), .is_block(is_block), .chain_in(chain_in),
        .sums_past(acc_room[ACC_BITS+1] || fetched[ACC_BITS:0] > acc_room[ACC_BITS:0]),
        .header_bad(header_bad), .layer_bad(layer_bad));

    // Codebook: recoded digit masks and the step count per index, one 39-bit word each, in block
    // RAM (flip-flops for 16 x 39 bits cost more cells than the whole controller's slot table).
    // Read when an entry's index arrives; the word stays on cb_word until the next read.
    (* ram_style = "block" *)
    reg [38:0] codebook [0:15];
    reg [38:0] cb_word;
    wire       cb_read = stream_c;   // `entry` holds the entry byte
    wire [16:0] cb_plus = cb_word[16:0];
    wire [16:0] cb_minus = cb_word[33:17];
    wire [4:0]  cb_steps = cb_word[38:34];
    // A codebook value is a 2-byte fetch; codebook_loader recodes it and counts its steps. With the
    // DSP the word holds the constant itself (low 16 bits) instead of its digit masks; the step
    // count is kept either way.
    wire        cb_recoded;
    wire [3:0]  cb_recoded_at;
    wire [16:0] cb_recoded_plus, cb_recoded_minus;
    wire [15:0] cb_recoded_value;
    wire [4:0]  recoded_steps;
    codebook_loader recoding (
        .clk(clk), .load(state == E_CODEBOOK), .index(cb_index), .value(fetch_value[15:0]),
        .we(cb_recoded), .addr(cb_recoded_at), .word(cb_recoded_value),
        .plus(cb_recoded_plus), .minus(cb_recoded_minus), .steps(recoded_steps));
    wire [38:0] cb_write_word = USE_DSP != 0 ? {recoded_steps, 18'd0, cb_recoded_value}
                                             : {recoded_steps, cb_recoded_minus, cb_recoded_plus};
    always @(posedge clk) begin
        if (cb_recoded) codebook[cb_recoded_at] <= cb_write_word;
        if (cb_read) cb_word <= codebook[entry[3:0]];
    end

    // ---- activation buffer: two halves, input and output of the current layer ----
    reg                  act_we;
    reg  [ACT_BITS:0]    act_waddr, act_raddr;   // {half, index}
    reg  [7:0]           act_wdata;
    wire [7:0]           act_rdata;
    // No read of an activation meets its write (rows write, the scan reads, never both at once), so
    // the block RAM needs no bypass, which put a LUT between its output and the scan's zero test.
    byte_buffer #(.ADDR_BITS(ACT_BITS + 1), .DATA_BITS(8), .NO_COLLISION(1)) activations (
        .clk(clk), .we(act_we), .waddr(act_waddr), .wdata(act_wdata), .raddr(act_raddr), .rdata(act_rdata));

    // ---- accumulators ----
    reg                  acc_we;
    reg  [ACC_BITS-1:0]  acc_waddr, acc_raddr;
    reg  [31:0]          acc_wdata;
    wire [31:0]          acc_rdata;
    byte_buffer #(.ADDR_BITS(ACC_BITS), .DATA_BITS(32)) accumulators (
        .clk(clk), .we(acc_we), .waddr(acc_waddr), .wdata(acc_wdata), .raddr(acc_raddr), .rdata(acc_rdata));

    // ---- input copy from the receive buffer ----
    reg [BUF_BITS-1:0] rx_index;
    assign rx_addr = rx_index;

    // ---- multiplier and requantizer ----
    wire        mul_valid = stream_d;
    wire        mul_out_valid;
    wire [31:0] product;
    wire [0:0]  mul_tag;   // the entry's row was outside: it faults, and is not written
    /* verilator lint_off UNUSEDSIGNAL */
    wire        mul_busy;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (USE_DSP != 0) begin : dsp
            dsp_multiplier multiplier (
                .clk(clk), .rst(rst), .in_valid(mul_valid), .x(x), .constant(cb_word[15:0]),
                .in_tag(row_outside), .out_valid(mul_out_valid), .product(product), .out_tag(mul_tag), .busy(mul_busy));
        end else begin : shift_add
            wire unused_digit16 = cb_plus[16] | cb_minus[16];   // a 16-bit constant never uses digit 16
            shift_add_multiplier_multiply_activation multiplier (
                .clk(clk), .rst(rst), .in_valid(mul_valid), .x(x), .plus(cb_plus[15:0]), .minus(cb_minus[15:0]),
                .in_tag(row_outside), .out_valid(mul_out_valid), .result(product), .out_tag(mul_tag), .busy(mul_busy));
        end
    endgenerate

    reg         rq_valid;
    reg  [31:0] rq_acc, rq_bias;
    wire        rq_out_valid;
    wire [31:0] rq_result;
    // Compiled from Requantizer.Requantize (hardware/rtl/generated): a 3-stage pipeline, so a result
    // comes out two cycles after its input, as the cost model counts.
    requantizer_requantize requant (
        .clk(clk), .rst(rst), .in_valid(rq_valid), .out_valid(rq_out_valid),
        .acc(rq_acc), .bias(rq_bias), .shift({27'd0, shift}), .raw(raw_output), .result(rq_result));

    // ---- work counters, and their bytes for the reply ----
    wire entry_done = stream_d;   // an entry goes into the multiplier (a run whose row is outside faults)
    reg [4:0] counter_byte;
    wire [7:0] counter_reply_byte;
    run_counters #(.ENTRY_BITS(1), .STEP_BITS(5), .USE_MAC16(USE_DSP)) counters (
        .clk(clk), .clear(state == E_IDLE && start && !accumulate),
        .count_cycle(state != E_IDLE && state != E_COUNTERS),
        .add_work(entry_done), .add_entries(1'b1), .add_steps(cb_steps),
        .add_broadcast(state == E_SCAN && !scan_end && act_rdata != 8'd0 && pe == 5'd0),
        .reply_index(counter_byte), .reply_byte(counter_reply_byte),
        .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));

    // The activation scan moves on: the next column's read goes out (col_at, stepped by col_step) and,
    // with `next`, column j + 1 becomes the one whose value arrives, in E_SCAN.
    task scan_step(input next);
        begin
            act_raddr <= col_at;
            col_at <= col_at + col_step;
            if (next) begin
                j <= j + 1'b1;
                state <= E_SCAN;
            end
        end
    endtask

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
            fetch_word  <= next == E_POINTERS ? layer_word : 2'd0;
            fetch_i     <= 3'd0;
            fetch_have  <= 1'b0;
            after_fetch <= next;
            state       <= E_FETCH;
        end
    endtask

    always @(posedge clk) begin
        done <= 1'b0;
        act_we <= 1'b0;
        acc_we <= 1'b0;
        tx_we <= 1'b0;
        rq_valid <= 1'b0;

        // The entry pipeline runs beside the states: E_STREAM puts an entry address on the byte
        // port each cycle; the states after it use neither the accumulators nor the codebook.
        stream_b <= !rst && state == E_STREAM;
        stream_c <= !rst && stream_b;
        stream_d <= !rst && stream_c;
        stream_e <= !rst && stream_d;
        entry <= mem_rdata;
        if (stream_c) row <= row + {{(RW - 10){1'b0}}, step};
        acc_at_e <= acc_off + row[ACC_BITS-1:0];
        if (stream_e) acc_raddr <= acc_at_e;
        acc_at_w <= acc_raddr;
        if (mul_out_valid && !mul_tag[0] && state != E_IDLE) begin
            acc_we <= 1'b1;
            acc_waddr <= acc_at_w;
            acc_wdata <= acc_rdata + product;
        end

        if (rst) begin
            state <= E_IDLE;
            fault <= 1'b0;
            fc_left <= {XW{1'b0}};
            rows_streaming <= 1'b0;
        end else begin
            // FirstCol * batch added to col_start bit by bit (set going by a chained block's field 7).
            if (USE_DSP == 0 && fc_left != {XW{1'b0}}) begin
                if (fc_left[0]) col_start <= col_start + fc_addend;
                fc_left <= fc_left >> 1;
                fc_addend <= fc_addend << 1;
            end
            case (state)
                E_IDLE: if (start) begin
                    base <= model_addr;
                    // Input k + 1 of a batch keeps its sums past input k's (the same block: `rows`
                    // is still its rows).
                    image_index <= accumulate ? image_index + 1'b1 : {XW{1'b0}};
                    acc_base <= accumulate ? acc_base + rows[ACC_BITS:0] : {(ACC_BITS + 1){1'b0}};
                    // run_counters clears the counters here unless this run accumulates.
                    fault <= 1'b0;
                    part <= 2'd0;
                    validated <= 1'b0;
                    fetch_addr <= model_addr + 6;   // the header's layer count
                    fetch_more(3'd2, E_HEADER);
                end

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
                        fetch_addr <= lane_next(fetch_addr, fetch_word);
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
                            i_end <= fetched[NW-1:0] - 1'b1;
                            if (field_bad) state <= E_FAULT;
                            else begin part <= 2'd2; fetch(base + 20, 3'd4, E_HEADER); end
                        end
                        default: begin
                            instruction_at <= base + fetched[AW-1:0];   // the first layer's, read after the input
                            rx_index <= input_at;
                            width <= input_size;
                            i <= {NW{1'b0}};
                            part <= 2'd0;
                            act_sel <= 1'b0;
                            if (COLUMN_BLOCKS != 0 && input_size == {NW{1'b0}}) begin
                                // A chained block: no input bytes to copy.
                                first_layer <= 1'b1;
                                field <= 3'd0;
                                fetch(base + fetched[AW-1:0], 3'd4, E_LAYER);
                            end else state <= E_INPUT;
                        end
                    endcase
                end

                E_INPUT: begin
                    // Copy the input bytes from the receive buffer into activation half 0.
                    if (part != 2'd0) begin
                        act_we <= 1'b1;
                        // With blocks, at the top of the buffer and downwards (a block's chained values lie below).
                        act_waddr <= COLUMN_BLOCKS != 0 ? ~{1'b0, i[ACT_BITS-1:0]} : {1'b0, i[ACT_BITS-1:0]};
                        act_wdata <= rx_data;
                        i <= i + 1'b1;
                    end
                    // The first cycle only asks for byte 0 (the input has at least one byte).
                    if (part != 2'd0 && i_last) begin
                        first_layer <= 1'b1;
                        field <= 3'd0;
                        fetch(instruction_at, 3'd4, E_LAYER);
                    end else begin
                        part <= 2'd1;
                        rx_index <= rx_index + 1'b1;
                    end
                end

                E_LAYER: if (!validated) begin
                    validated <= 1'b1;
                    field_bad <= layer_bad;
                end else begin
                    // The instruction's fields, 4 bytes each and one after the other: opcode | kind |
                    // shift | pointer bits, PE count, rows, cols, codebook, bias, PE table.
                    validated <= 1'b0;
                    field <= field + 3'd1;
                    case (field)
                        3'd0: begin
                            final_layer <= layer_count == 16'd1;
                            is_block <= COLUMN_BLOCKS != 0 && fetched[7:0] == 8'd2;
                            acc_off <= COLUMN_BLOCKS != 0 && fetched[7:0] == 8'd2 ? acc_base[ACC_BITS-1:0] : {ACC_BITS{1'b0}};
                            raw_output <= fetched[15:8] == 8'd1;
                            shift <= fetched[20:16];
                            wide_pointers <= fetched[31:24] == 8'd32;
                            if (field_bad) state <= E_FAULT;
                            else fetch_more(3'd4, E_LAYER);
                        end
                        3'd1: begin
                            pe_count <= fetched[4:0];
                            // BlockFlags: Accumulate, Hold, ChainIn, ChainOut (zero for a whole layer).
                            acc_flag <= COLUMN_BLOCKS != 0 && fetched[16];
                            hold_flag <= COLUMN_BLOCKS != 0 && fetched[17];
                            chain_in <= COLUMN_BLOCKS != 0 && fetched[18];
                            chain_out <= COLUMN_BLOCKS != 0 && fetched[19];
                            lanes4 <= fetched[4:2] != 3'd0;
                            lanes2 <= fetched[4:1] == 4'd1;
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
                            fetch_more(3'd4, E_LAYER);
                        end
                        3'd6: begin
                            table_at <= base + fetched[AW-1:0];
                            cb_index <= 4'd0;
                            // Where column 0's value is, and the step to the next column's.
                            // The first layer's input lies reversed at the top (E_INPUT): column j at the last address - j.
                            col_start <= first_layer && COLUMN_BLOCKS != 0 ? {XW{1'b1}} : {act_sel, {ACT_BITS{1'b0}}};
                            col_step <= first_layer && COLUMN_BLOCKS != 0 ? {XW{1'b1}} : {{(XW - 1){1'b0}}, 1'b1};
                            if (is_block) fetch_more(3'd4, E_LAYER);   // its first column follows
                            else fetch(codebook_at, 3'd2, E_CODEBOOK);
                        end
                        default: begin
                            // A block's first column: chained values from FirstCol * batch + k on.
                            if (chain_in) begin
                                col_start <= USE_DSP != 0 ? image_index + fc_product[XW-1:0] : image_index;
                                col_step <= batch_x;
                            end
                            fc_left <= USE_DSP == 0 && chain_in ? fetched[XW-1:0] : {XW{1'b0}};
                            fc_addend <= batch_x;
                            cb_index <= 4'd0;
                            fetch(codebook_at, 3'd2, E_CODEBOOK);
                        end
                    endcase
                end

                E_CODEBOOK: begin
                    // The codebook word is written from the recoder by the memory's own block.
                    if (cb_index == 4'd15) begin
                        i <= {NW{1'b0}};
                        if (acc_flag) begin
                            // Accumulate: the sums the block before left stay.
                            pe <= 5'd0;
                            fetch(table_at, 3'd4, E_PE);
                            part <= 2'd0;
                        end else state <= E_CLEAR;
                    end else begin
                        cb_index <= cb_index + 4'd1;
                        fetch_more(3'd2, E_CODEBOOK);
                    end
                end

                E_CLEAR: begin
                    acc_we <= 1'b1;
                    acc_waddr <= acc_off + i[ACC_BITS-1:0];
                    acc_wdata <= 32'd0;
                    if (i_last) begin
                        pe <= 5'd0;
                        fetch(table_at, 3'd4, E_PE);
                        part <= 2'd0;
                    end
                    i <= i + 1'b1;
                end

                E_PE: begin
                    // This PE's record: pointers offset, entries offset (they follow each other).
                    // Lane arrays start on a lane word: anything else is a malformed image.
                    if (lane_misaligned) state <= E_FAULT;
                    else if (part == 2'd0) begin
                        pointers_at <= base + fetched[AW-1:0];
                        part <= 2'd1;
                        fetch_more(3'd4, E_PE);
                    end else begin
                        entries_at <= base + fetched[AW-1:0];
                        // The records are 12 bytes each; this one's first 8 have been read.
                        record_next <= fetch_addr + {{(AW - 3){1'b0}}, 3'd4};
                        last_pe <= next_pe == pe_count;
                        j <= {NW{1'b0}};
                        col_at <= col_start;
                        part <= 2'd0;
                        state <= E_COLUMN;
                    end
                end

                E_COLUMN: begin
                    // The scan's first two activation reads go out (see E_SCAN); part is 0 from E_PE.
                    scan_step(1'b0);
                    part <= 2'd1;
                    if (part != 2'd0) begin
                        part <= 2'd0;
                        state <= E_SCAN;
                    end
                end

                E_SCAN: begin
                    // Column j's activation arrives while column j + 1's is read and column j + 2's address
                    // waits in col_at, so a zero column takes one cycle. A nonzero one holds the reads:
                    // the buffer keeps giving column j + 1's value until its entries are done, and the
                    // step that ends them (scan_step) reads on from there.
                    settle <= 3'd0;
                    pointer_at <= pointers_at + pointer_offset[AW-1:0];   // registered: off the fetch address's path
                    x_next <= act_rdata;
                    // Past the last column the step is harmless: E_PE and the rows set col_at again.
                    if (act_rdata == 8'd0) scan_step(1'b1);
                    else state <= E_X;
                    if (scan_end) state <= E_NEXT;
                    // Otherwise run_counters counts the broadcast (PE 0's: each column once).
                end

                E_X: begin
                    // p[j] and p[j + 1] in one fetch with 16-bit pointers; a 32-bit p[j] first.
                    fetch(pointer_at, 3'd4, E_POINTERS);
                end

                E_POINTERS: begin
                    if (wide_pointers && part == 2'd0) begin
                        e <= fetched[AW-1:0];
                        part <= 2'd1;
                        fetch_more(3'd4, E_POINTERS);
                    end else begin
                        part <= 2'd0;
                        // The entries left, p[j + 1] - p[j]; its borrow says the pointers are reversed.
                        {pointers_reversed, e} <= {1'b0, p_next[AW-1:0]} - {1'b0, p_j};
                        e_zero <= p_next[AW-1:0] == p_j;
                        e_at <= entries_at + entry_offset;   // the column's first entry (E_STREAM steps fetch_addr)
                        row <= {{(RW - 5){1'b0}}, pe} - {{(RW - 5){1'b0}}, pe_count};   // wraps: the first step passes pe
                        state <= E_ENTRY;
                    end
                end

                E_ENTRY: begin
                    x <= x_next;   // the entries before it are through the multiplier: this column's pointer fetch took longer
                    e_one <= e == {{(AW - 1){1'b0}}, 1'b1};
                    fetch_addr <= e_at;
                    if (e_zero) scan_step(1'b1);
                    else state <= E_STREAM;
                    if (pointers_reversed) state <= E_FAULT;
                end

                E_STREAM: begin
                    // Entry e's address is on the byte port; the next is the next byte of its lane.
                    fetch_addr <= lane_next(fetch_addr, layer_word);
                    e <= e - 1'b1;
                    e_one <= e == {{(AW - 2){1'b0}}, 2'b10};
                    if (e_one) scan_step(1'b1);
                end

                E_NEXT: begin
                    if (!last_pe) begin
                        pe <= next_pe;
                        part <= 2'd0;
                        // The PE table's records are 12 bytes each.
                        fetch(record_next, 3'd4, E_PE);
                    end else if (settle != 3'd4) begin
                        // The last entries land (and are counted) before the rows are read.
                        settle <= settle + 3'd1;
                    end else if (hold_flag) begin
                        // Hold: the sums stay for the next block; no bias, nothing emitted.
                        counter_byte <= 5'd0;
                        state <= E_COUNTERS;
                    end else begin
                        i <= {NW{1'b0}};
                        col_at <= image_index;   // ChainOut's first output, then batch apart
                        col_step <= batch_x;
                        rows_streaming <= chain_out || !raw_output;
                        state <= E_ROW;
                    end
                end

                E_ROW: begin
                    // Bias, ReLU and requantization of row i.
                    acc_raddr <= acc_off + i[ACC_BITS-1:0];
                    fetch(bias_at + bias_offset[AW-1:0], 3'd4, E_ROW_WAIT);
                end

                E_ROW_WAIT: begin
                    rq_valid <= 1'b1;
                    rq_acc <= acc_rdata;
                    rq_bias <= fetched;
                    if (rows_streaming) begin
                        // The next row's sum and bias (its bias follows this one); the result of this row
                        // is written three cycles on, below. The last row's extra fetch is cut short there.
                        acc_raddr <= acc_raddr + 1'b1;
                        fetch_more(3'd4, E_ROW_WAIT);
                    end else state <= E_REQUANT;
                end

                E_REQUANT: if (rq_out_valid) begin
                    // A raw output, sent from fetch_value by E_STORE byte by byte.
                    fetch_value <= rq_result;
                    part <= 2'd0;
                    state <= E_STORE;
                end

                E_STORE: begin
                    if (raw_output) begin
                        // Four little-endian bytes of output i into the transmit buffer.
                        tx_we <= 1'b1;
                        tx_waddr <= output_at + {i[BUF_BITS-3:0], part};
                        tx_wdata <= fetch_value[8*part +: 8];
                        part <= part + 2'd1;
                        if (part == 2'd3) begin
                            i <= i + 1'b1;
                            if (i_last) begin
                                counter_byte <= 5'd0;
                                state <= E_COUNTERS;
                            end else state <= E_ROW;
                        end
                    end else begin
                        // Next layer: this layer's output half becomes the input half.
                        act_sel <= !act_sel;
                        width <= rows;
                        if (final_layer) state <= E_FAULT;  // the last layer must emit raw values
                        else begin
                            layer_count <= layer_count - 16'd1;
                            first_layer <= 1'b0;
                            instruction_at <= instruction_at + 32;
                            field <= 3'd0;
                            i <= {NW{1'b0}};
                            part <= 2'd0;
                            fetch(instruction_at + 32, 3'd4, E_LAYER);
                        end
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
                    done <= 1'b1;
                    state <= E_IDLE;
                end

                default: state <= E_FAULT;
            endcase
            // A streamed row's result: ChainOut's output i of input k stays at i * batch + k for the next
            // layer, an activation goes into the output half.
            if (rq_out_valid && rows_streaming) begin
                act_we <= 1'b1;
                act_waddr <= chain_out ? col_at : {!act_sel, i[ACT_BITS-1:0]};
                act_wdata <= rq_result[7:0];
                col_at <= col_at + col_step;
                i <= i + 1'b1;
                if (i_last) begin
                    rows_streaming <= 1'b0;
                    counter_byte <= 5'd0;
                    state <= chain_out ? E_COUNTERS : E_STORE;
                end
            end
            // An entry's row past the layer's rows: a malformed slice (its product is not written).
            if (stream_d && row_outside) state <= E_FAULT;
        end
    end
endmodule
`default_nettype wire
