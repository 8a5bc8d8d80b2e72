`default_nettype none
// The device side of the link protocol (host/CoDesign.Runtime/Link, Devices/EmulatorDevice.cs): it
// executes each frame the frame receiver accepted and prepares the reply the frame transmitter
// sends. Hello answers with the device profile; Write executes a DMA descriptor into the
// persistent weight memory; Commit checks the CRC-32 of an image in memory and its model header
// and registers it; Unload forgets a model; Reset clears the working state (weights and the model
// table stay); Status reports counters. A repeated sequence number is answered from the cached
// reply without executing twice, and a corrupted frame is answered with a frame-error reply.
// Run hands each input of the batch to the layer engine and replies with the outputs and the
// work counters (RunReply.cs).
// A boot loader (flash_boot_loader.v) may hold requests off at power-up, write an image through the
// DMA write path and have it committed as a Commit request would be, without a reply.
module command_controller #(
    parameter MAX_PAYLOAD  = 1024,
    parameter BUF_BITS     = 10,          // log2(MAX_PAYLOAD)
    parameter MEM_BITS     = 17,          // log2 of the weight memory's bytes
    parameter PE_COUNT     = 4,
    parameter BUS_BITS     = 32,
    parameter SCRATCH_BYTES = 4096,
    parameter CLOCK_HZ     = 12000000,
    parameter BAUD         = 3000000,
    parameter SLOTS        = 4,           // models that can be registered at once (1 .. 255: model_table.v)
    parameter HAS_ENGINE   = 1,           // 0: a build without the layer engine refuses Run
    parameter COLUMN_BLOCKS = 0,          // 1: the engine runs column blocks: Hello byte 30 says so
                                          // (EngineFeatures.ColumnBlocks), and Commit takes a block
                                          // image with no input or output bytes (the engine checks it)
    parameter [7:0] CAPABILITIES = 8'h00, // Hello byte 29 (LinkCapabilities): what the receive path decodes
    parameter USE_MAC16    = 0,           // 1: the frame counters are SB_MAC16 accumulators (dsp_counter; UP5K)
    parameter [8*16-1:0] NAME = "rtl-sim" // Hello's device name: the board, up to 16 ASCII characters
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                soft_reset,   // like a Reset request: the model table stays
    // boot loader: tie boot_hold, boot_arg, boot_write and boot_commit low in a build without one
    input  wire                boot_hold,    // requests wait (the loader owns the memory port)
    input  wire [7:0]          boot_byte,
    input  wire                boot_arg,     // boot_byte is the next Commit argument byte (into args)
    input  wire                boot_write,   // boot_byte is written at the next DMA address (from 0)
    input  wire                boot_commit,  // commit the arguments handed over, silently
    // from the frame receiver
    input  wire                frame_valid,
    input  wire [7:0]          frame_type,
    input  wire [7:0]          frame_seq,
    input  wire [15:0]         frame_len,
    input  wire                frame_error,
    input  wire                frame_malformed,   // a compressed payload that did not decode (zero_run_decoder)
    input  wire                frame_refused,     // with frame_valid: its payload was not kept (it came while this controller was busy); only the cached reply can answer it
    // receive buffer read port (one cycle of latency)
    output wire [BUF_BITS-1:0] rx_addr,
    input  wire [7:0]          rx_data,
    // transmit buffer write port
    output reg                 tx_we,
    output reg  [BUF_BITS-1:0] tx_waddr,
    output reg  [7:0]          tx_wdata,
    // to the frame transmitter
    output reg                 tx_start,
    output reg  [7:0]          tx_type,
    output reg  [7:0]          tx_seq,
    output reg  [15:0]         tx_len,
    input  wire                tx_busy,
    // weight memory port (one cycle of read latency)
    output wire                mem_we,
    output wire [MEM_BITS-1:0] mem_addr,
    output wire [7:0]          mem_wdata,
    input  wire [7:0]          mem_rdata,
    // layer engine: it owns the buffers' and memory's ports while it runs
    output reg                 engine_start,
    output wire [MEM_BITS-1:0] engine_model,
    output wire [BUF_BITS-1:0] engine_input_at,
    output wire [BUF_BITS-1:0] engine_output_at,
    input  wire                engine_done,
    input  wire                engine_fault,
    output wire                engine_active,
    output wire                engine_accumulate,   // add this image's counters to the batch's
    output wire [15:0]         engine_batch,        // inputs in the Run
    // status
    output wire                idle,          // nothing pending and no request being executed
    output wire [7:0]          model_count
);
    // Frame types (FrameType.cs), error codes (DeviceErrorCode.cs) and the requests' and replies'
    // sizes, generated from their C# definitions by hardware/generate-rtl.sh.
    `include "link_protocol.vh"
    localparam [31:0] MEM_BYTES = 32'd1 << MEM_BITS;
    // Addresses and lengths are checked at full width once, then kept at the memory's width: AW
    // bits hold 0 .. MEM_BYTES inclusive (an image may end at the last byte).
    localparam AW = MEM_BITS + 1;
    localparam [AW:0] MEM_END = {2'b01, {MEM_BITS{1'b0}}};
    localparam [31:0] IMAGE_MAGIC = 32'h49534443;  // "CDSI"

    localparam [3:0] S_IDLE = 4'd0, S_ARGS = 4'd1, S_EXEC = 4'd2, S_DMA = 4'd3, S_CRC = 4'd4,
                     S_HEADER = 4'd5, S_REGISTER = 4'd6, S_FILL = 4'd7, S_SEND = 4'd8,
                     S_RUN_CHECK = 4'd9, S_RUN = 4'd10, S_RUN_WAIT = 4'd11, S_CHECK = 4'd12,
                     S_SIZES = 4'd13, S_SCAN = 4'd14, S_DROP = 4'd15;
    localparam [2:0] FILL_NONE = 3'd0, FILL_PROFILE = 3'd1, FILL_STATUS = 3'd2, FILL_ERROR = 3'd3, FILL_RUN = 3'd4;

    reg [3:0]  state;
    reg [7:0]  cmd_type, cmd_seq;
    reg [15:0] cmd_len;
    reg        pending;
    reg [7:0]  pending_type, pending_seq;
    reg [15:0] pending_len;
    reg        pending_short;   // shorter than its type's arguments (decided as the frame arrives)
    reg        pending_refused; // its payload is not in the receive buffer
    reg        pending_error;

    // Argument bytes of the request, little-endian, gathered from the receive buffer through a
    // shift register (cheaper than writing a byte at a variable position). Twelve bytes are always
    // shifted in, so byte i lands at args[8i +: 8]; bytes past a shorter request's arguments are
    // never looked at. A DMA descriptor's bytes 10 and 11 (signedness, block kind) and its last
    // four (reserved) are not needed here.
    /* verilator lint_off UNUSEDSIGNAL */
    reg [95:0] args;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [15:0]  index;        // next byte to ask for
    reg         have_byte;    // the byte asked for in the previous cycle is on rx_data/mem_rdata

    // Reply being prepared.
    reg [7:0]  reply_type;
    reg [15:0] reply_len;
    reg [2:0]  fill_kind;
    reg [5:0]  fill_last;       // the last byte S_FILL writes (filled replies are at most 40 bytes)
    reg [7:0]  error_code;
    reg [2:0]  message;

    // Cached last reply, for retransmitted requests.
    // The request's own registers are the cache: cmd_type, cmd_seq, reply_type and reply_len keep
    // the last reply's values from S_SEND until the next request is taken (40 flip-flops fewer);
    // last_valid says they are a sent reply's.
    reg        last_valid;
    reg        silent;   // the boot loader's Commit: its reply is not sent

    // Registered models: where each image lies (model_table.v, scanned entry by entry). Run reads
    // a model's sizes from its header again rather than keeping them in the table.
    reg  table_scan, table_drop, table_add, table_remove;
    wire table_busy, table_found, table_full;

    // Run: the batch and its totals. The byte sums stop at the first image that overflows the
    // request or the reply, so 18 bits hold them.
    reg [15:0] run_count, run_done;
    // The model's input and output sizes, clamped to 16 bits: anything larger cannot be carried by
    // one frame, and Run refuses it as a malformed payload either way.
    wire [15:0] run_in = in_size_high ? 16'hFFFF : in_size_low;
    wire [15:0] run_out = out_size_high ? 16'hFFFF : out_size_low;
    reg [17:0] run_in_bytes, run_out_bytes;  // what the batch needs, summed image by image
    // The sums past their bounds, registered as they are summed (the comparison after the add
    // limited the UP5K's Fmax when it chose the next state in the same cycle).
    reg        run_oversized;
    wire [17:0] run_in_next = run_in_bytes + {2'b0, run_in};
    wire [17:0] run_out_next = run_out_bytes + {run_out, 2'b00};
    assign engine_active = state == S_RUN || state == S_RUN_WAIT;
    assign engine_accumulate = run_done != 16'd0;
    assign engine_batch = run_count;
    // The request's arguments and the batch's byte sums stay put while the engine runs.
    assign engine_model = arg_addr[MEM_BITS-1:0];
    assign engine_input_at = run_in_bytes[BUF_BITS-1:0];
    assign engine_output_at = run_out_bytes[BUF_BITS-1:0];

    // Counters for Status. The frame counters count every cycle a frame ends, whatever the state; on
    // the UP5K they are two spare SB_MAC16s' accumulators, where their adders and flip-flops took logic cells.
    wire [31:0] frames_ok, frames_bad;
    reg  [31:0] resets;
    dsp_counter #(.USE_MAC16(USE_MAC16)) frames_ok_count (
        .clk(clk), .clear(rst), .add_en(frame_valid), .add(16'd1), .count(frames_ok));
    dsp_counter #(.USE_MAC16(USE_MAC16)) frames_bad_count (
        .clk(clk), .clear(rst), .add_en(frame_error), .add(16'd1), .count(frames_bad));

    // Commit: the running CRC, then the header read back byte by byte: its magic, version and image
    // size are compared as they arrive, its input and output sizes kept (ModelHeader.cs).
    reg [31:0]  crc;
    reg         header_ok;
    reg         crc_bad;
    // Header bytes are compared one cycle after they arrive: the memory's output is late in the
    // cycle (SPRAM on the UP5K), too late to decide header_ok's enable as well.
    reg         header_check;
    reg [7:0]   header_byte;
    reg [4:0]   header_byte_at;
    // Header bytes 8 .. 15: u32 input size, u32 output size (Run reads them again), kept as the low
    // 16 bits of each and whether its high 16 are not zero: all that Run and Commit look at (34
    // flip-flops rather than 64).
    reg [15:0]  in_size_low, out_size_low;
    reg         in_size_high, out_size_high;
    reg [4:0]   header_at;       // the header byte that arrives from memory in this cycle (a narrow
                                 // copy of index - 1: the 16-bit subtraction limited the UP5K's Fmax)

    wire [31:0] arg_addr = args[31:0];
    wire [31:0] arg_len  = args[63:32];
    wire [31:0] arg_crc  = args[95:64];
    // The arguments at the memory's width, and whether they fit it at all.
    wire [AW-1:0] addr_n = arg_addr[AW-1:0];
    wire [AW-1:0] len_n  = arg_len[AW-1:0];
    wire [AW:0]   end_n  = {1'b0, addr_n} + {1'b0, len_n};
    wire          args_fit = arg_addr[31:AW] == {(32 - AW){1'b0}} && arg_len[31:AW] == {(32 - AW){1'b0}};
    wire          addr_in_memory = arg_addr[31:MEM_BITS] == {(32 - MEM_BITS){1'b0}};

    // Checks on the arguments, registered in S_CHECK so that S_EXEC only reads flags.
    reg           in_range;       // addr + len <= MEM_BYTES
    reg           write_shape_ok; // the descriptor describes the bytes that follow it
    reg           len_zero, short_image;
    reg [AW-1:0]  image_end;
    reg           addr_fits;      // the address is inside the memory (the table compares its low bits)
    wire          model_found = table_found && addr_fits;

    // Memory and receive-buffer addresses follow the index registers directly, so a byte asked
    // for in one cycle is there in the next.
    reg [AW-1:0]       mem_index;
    reg [MEM_BITS-1:0] dma_addr;
    wire       dma_write = (state == S_DMA && have_byte) || boot_write;
    assign rx_addr   = index[BUF_BITS-1:0];
    assign mem_addr  = dma_write ? dma_addr : mem_index[MEM_BITS-1:0];
    assign mem_we    = dma_write;
    assign mem_wdata = boot_write ? boot_byte : rx_data;

    wire [31:0] crc_next;
    crc32_update_byte crc_step (.crc(crc), .data(mem_rdata), .result(crc_next));   // compiled from Crc32.UpdateByte

    // S_REGISTER's input, registered: the header's sizes are complete before its last bytes arrive.
    reg             sizes_missing;      // input or output size is zero
    always @(posedge clk) begin
        // A column block may have neither: a chained one reads scratch, one that holds emits nothing.
        sizes_missing <= COLUMN_BLOCKS == 0 && ((in_size_low == 16'd0 && !in_size_high) || (out_size_low == 16'd0 && !out_size_high));
    end

    // The request's range [addr, image_end) against the registered models: S_CHECK scans for a model
    // at the address and a free slot; an accepted Write scans again, unregistering what it overlaps.
    model_table #(.SLOTS(SLOTS), .MEM_BITS(MEM_BITS), .AW(AW)) models (
        .clk(clk), .rst(rst),
        .scan(table_scan), .drop(table_drop), .addr(arg_addr[MEM_BITS-1:0]), .end_addr(image_end),
        .busy(table_busy), .found(table_found), .full(table_full),
        .add(table_add), .remove(table_remove), .count(model_count));
    assign idle = state == S_IDLE && !pending && !pending_error;

    // Header byte `at` (of bytes 0 .. 27) into the sizes when it is one of bytes 8 .. 15; the high
    // halves' flags are set by their first byte and kept or raised by the second.
    task take_size_byte(input [4:0] at, input [7:0] value);
        begin
            case (at)
                5'd8:  in_size_low[7:0] <= value;
                5'd9:  in_size_low[15:8] <= value;
                5'd10: in_size_high <= value != 8'd0;
                5'd11: in_size_high <= in_size_high || value != 8'd0;
                5'd12: out_size_low[7:0] <= value;
                5'd13: out_size_low[15:8] <= value;
                5'd14: out_size_high <= value != 8'd0;
                5'd15: out_size_high <= out_size_high || value != 8'd0;
                default: ;
            endcase
        end
    endtask

    // Arguments each request carries before any data.
    function [4:0] arg_bytes(input [7:0] t);
        case (t)
            FRAME_TYPE_WRITE:  arg_bytes = DMA_DESCRIPTOR_SIZE[4:0];
            FRAME_TYPE_COMMIT: arg_bytes = COMMIT_REQUEST_SIZE[4:0];
            FRAME_TYPE_RUN:    arg_bytes = RUN_REQUEST_HEADER_SIZE[4:0];
            FRAME_TYPE_UNLOAD: arg_bytes = 5'd4;
            default:  arg_bytes = 5'd0;
        endcase
    endfunction

    // The Hello reply: DeviceProfile.Encode.
    // A string parameter is right-aligned in its bits: the name is its nonzero bytes.
    function [7:0] name_length(input [8*16-1:0] text);
        integer c;
        begin
            name_length = 8'd0;
            for (c = 0; c < 16; c = c + 1) if (text[8*c +: 8] != 8'd0) name_length = c[7:0] + 8'd1;
        end
    endfunction
    localparam [7:0] NAME_BYTES = name_length(NAME);
    localparam [15:0] PROFILE_BYTES = 16'd33 + {8'd0, NAME_BYTES};
    localparam [15:0] PE_COUNT16 = PE_COUNT;
    localparam [15:0] BUS_BITS16 = BUS_BITS;
    localparam [31:0] SCRATCH32 = SCRATCH_BYTES;
    localparam [31:0] PAYLOAD32 = MAX_PAYLOAD;
    localparam [31:0] CLOCK32 = CLOCK_HZ;
    localparam [31:0] BAUD32 = BAUD;
    localparam [7:0] SLOTS8 = SLOTS;
    function [7:0] profile_byte(input [5:0] i);
        reg [31:0] word;
        begin
            case (i[5:2])
                4'd0: word = {PE_COUNT16, 16'd1};
                4'd1: word = {16'd0, BUS_BITS16};
                4'd2: word = MEM_BYTES;
                4'd3: word = SCRATCH32;
                4'd4: word = PAYLOAD32;
                4'd5: word = CLOCK32;
                4'd6: word = BAUD32;
                4'd7: word = {SLOTS8, COLUMN_BLOCKS != 0 ? 8'h01 : 8'h00, CAPABILITIES, 8'd0};   // byte 28: cycles are the hardware's (0); 31: model slots
                default: word = 32'd0;
            endcase
            if (i == 6'd32) profile_byte = NAME_BYTES;
            else if (i > 6'd32 && i < PROFILE_BYTES[5:0]) profile_byte = NAME[8*(PROFILE_BYTES[5:0] - 6'd1 - i) +: 8];
            else profile_byte = word[8*i[1:0] +: 8];
        end
    endfunction

    // Error messages, one per cause.
    localparam [8*24-1:0] M0 = "request type unknown    ";
    localparam [8*24-1:0] M1 = "payload malformed       ";
    localparam [8*24-1:0] M2 = "address outside memory  ";
    localparam [8*24-1:0] M3 = "image checksum mismatch ";
    localparam [8*24-1:0] M4 = "no model at that address";
    localparam [8*24-1:0] M5 = "no free model slot      ";
    localparam [8*24-1:0] M6 = "model image is malformed";
    localparam [8*24-1:0] M7 = "no engine in this build ";
    // Byte i (1 .. 24) of message m's reply; byte 0 is the error code, not text.
    function [7:0] message_byte(input [2:0] which, input [4:0] i);
        reg [8*24-1:0] text;
        begin
            case (which)
                3'd0: text = M0;
                3'd1: text = M1;
                3'd2: text = M2;
                3'd3: text = M3;
                3'd4: text = M4;
                3'd5: text = M5;
                3'd6: text = M6;
                default: text = M7;
            endcase
            message_byte = i == 5'd0 || i > 5'd24 ? 8'd0 : text[8*(24 - i) +: 8];
        end
    endfunction

    // The constant reply bytes live in one block-RAM ROM rather than in multiplexers (which cost
    // several hundred LUTs): the Hello profile at 0 .. 39, and byte i of error message m at
    // {m + 2, i}. It is read one cycle ahead of the transmit-buffer write.
    function [7:0] rom_byte(input [8:0] a);
        begin
            if (a < 9'd64) rom_byte = profile_byte(a[5:0]);
            else if (a < 9'd320) rom_byte = message_byte(a[7:5] - 3'd2, a[4:0]);
            else rom_byte = 8'd0;
        end
    endfunction
    reg [7:0] reply_rom [0:511];
    integer q;
    initial for (q = 0; q < 512; q = q + 1) reply_rom[q] = rom_byte(q[8:0]);
    wire [3:0] message_row = {1'b0, message} + 4'd2;
    wire [8:0] rom_addr = fill_kind == FILL_PROFILE ? {3'b000, index[5:0]} : {message_row, index[4:0]};
    reg  [7:0] rom_data;
    always @(posedge clk) rom_data <= reply_rom[rom_addr];

    // The reply bytes that come from registers: the Status reply (u32 models, u32 resets, u64
    // frames received, u64 corrupted frames) and the first 8 bytes of the Run reply's header
    // (u16 count | u16 0 | u32 output size). The rest of that header (u64 cycles, entries,
    // shift-add steps, broadcasts) the engine writes itself: a multiplexer of its counters here
    // cost over 200 LUTs. A word is chosen, then its byte.
    function [7:0] register_byte(input is_run, input [5:0] i);
        reg [31:0] word;
        begin
            if (is_run)
                case (i[5:2])
                    4'd0: word = {16'd0, run_count};
                    4'd1: word = {16'd0, run_out};
                    default: word = 32'd0;
                endcase
            else
                case (i[5:2])
                    4'd0: word = {24'd0, model_count};
                    4'd1: word = resets;
                    4'd2: word = frames_ok;
                    4'd4: word = frames_bad;
                    default: word = 32'd0;
                endcase
            register_byte = word[8*i[1:0] +: 8];
        end
    endfunction

    // The write stage of the fill: one cycle behind S_FILL, when the ROM's byte has arrived.
    reg        fill_write;
    reg [5:0]  fill_at;
    reg [2:0]  fill_write_kind;

    // What header byte i must be, for the bytes Commit checks: the magic "CDSI", version 1 (u16),
    // and the image size (u32 at byte 24), which must equal the committed length. The others match
    // themselves.
    function [7:0] expected_header_byte(input [4:0] i);
        case (i)
            5'd0, 5'd1, 5'd2, 5'd3: expected_header_byte = IMAGE_MAGIC[8*i[1:0] +: 8];
            5'd4: expected_header_byte = 8'd1;
            5'd5: expected_header_byte = 8'd0;
            5'd24, 5'd25, 5'd26, 5'd27: expected_header_byte = arg_len[8*i[1:0] +: 8];
            default: expected_header_byte = header_byte;   // any value
        endcase
    endfunction

    task fail(input [7:0] code, input [2:0] text);
        begin
            reply_type <= FRAME_TYPE_ERROR;
            reply_len  <= 16'd25;
            fill_last  <= 6'd24;
            error_code <= code;
            message    <= text;
            fill_kind  <= FILL_ERROR;
            index      <= 16'd0;
            state      <= S_FILL;
        end
    endtask

    task succeed(input [2:0] kind, input [15:0] length);
        begin
            reply_type <= cmd_type | FRAME_TYPE_REPLY_FLAG;
            reply_len  <= length;
            // A Run reply's outputs are in place already: only its 8 header bytes are filled.
            fill_last  <= kind == FILL_RUN ? 6'd7 : length[5:0] - 6'd1;
            fill_kind  <= kind;
            index      <= 16'd0;
            state      <= kind == FILL_NONE ? S_SEND : S_FILL;
        end
    endtask

    reg soft_reset_held;
    always @(posedge clk) soft_reset_held <= soft_reset;

    always @(posedge clk) begin
        tx_start <= 1'b0;
        tx_we    <= 1'b0;
        engine_start <= 1'b0;
        fill_write <= 1'b0;
        {table_scan, table_drop, table_add, table_remove} <= 4'b0000;

        // The fill's write stage.
        if (fill_write) begin
            tx_we <= 1'b1;
            tx_waddr <= {{(BUF_BITS - 6){1'b0}}, fill_at};
            case (fill_write_kind)
                FILL_STATUS, FILL_RUN: tx_wdata <= register_byte(fill_write_kind == FILL_RUN, fill_at);
                FILL_ERROR: tx_wdata <= fill_at == 6'd0 ? error_code : rom_data;
                default: tx_wdata <= rom_data;
            endcase
        end

        header_check <= state == S_HEADER && have_byte;
        header_byte <= mem_rdata;
        header_byte_at <= header_at;

        // A frame that arrives while another waits is dropped, as if lost on the line (the host sends it
        // again): the waiting one keeps its place, and its payload, which the new one's could not replace.
        if (frame_valid && !pending) begin
            pending <= 1'b1;
            pending_type <= frame_type;
            pending_seq <= frame_seq;
            pending_len <= frame_len;
            pending_short <= frame_len < {11'd0, arg_bytes(frame_type)} || frame_malformed;
            pending_refused <= frame_refused;
        end
        if (frame_error) pending_error <= 1'b1;

        if (rst) begin
            state <= S_IDLE;
            pending <= 1'b0;
            pending_error <= 1'b0;
            last_valid <= 1'b0;
            resets <= 32'd0;
            index <= 16'd0;
            have_byte <= 1'b0;
            // Defined even in a build without the engine, where Run never sets them.
            run_count <= 16'd0;
            {in_size_low, out_size_low, in_size_high, out_size_high} <= 34'd0;
            dma_addr <= {MEM_BITS{1'b0}};   // a boot loader's image lands from address 0
            silent <= 1'b0;
        end else if (soft_reset) begin
            state <= S_IDLE;
            pending <= 1'b0;
            pending_error <= 1'b0;
            last_valid <= 1'b0;
            have_byte <= 1'b0;
            silent <= 1'b0;
            if (!soft_reset_held) resets <= resets + 32'd1;  // count presses, not cycles
        end else begin
            if (header_check && header_byte != expected_header_byte(header_byte_at)) header_ok <= 1'b0;
            case (state)
                S_IDLE: begin
                    have_byte <= 1'b0;
                    if (boot_arg) args <= {boot_byte, args[95:8]};
                    if (boot_write) dma_addr <= dma_addr + 1'b1;
                    if (boot_commit) begin
                        cmd_type <= FRAME_TYPE_COMMIT;
                        cmd_len <= COMMIT_REQUEST_SIZE[15:0];
                        silent <= 1'b1;
                        last_valid <= 1'b0;   // cmd_type is the boot's Commit now, not a sent reply's
                        state <= S_CHECK;
                    end else if (boot_hold) begin
                        // The link waits: a frame that arrives stays pending.
                    end else if (!tx_busy && pending_error && !frame_error) begin
                        // A damaged frame: ask for it again at once. The cached reply stays.
                        pending_error <= 1'b0;
                        tx_type  <= FRAME_TYPE_FRAME_ERROR;
                        tx_seq   <= 8'd0;
                        tx_len   <= 16'd0;
                        tx_start <= 1'b1;
                    end else if (!tx_busy && pending && !frame_valid) begin
                        pending  <= 1'b0;
                        cmd_type <= pending_type;
                        cmd_seq  <= pending_seq;
                        cmd_len  <= pending_len;
                        if (last_valid && pending_seq == cmd_seq && pending_type == cmd_type) begin
                            tx_type  <= reply_type;
                            tx_seq   <= cmd_seq;
                            tx_len   <= reply_len;
                            tx_start <= 1'b1;
                        end else if (pending_refused) begin
                            // Not the last request again, and its payload is gone: dropped, as if
                            // lost on the line (the host sends it again). The cached reply stays.
                            cmd_type <= cmd_type;
                            cmd_seq  <= cmd_seq;
                            cmd_len  <= cmd_len;
                        end else if (pending_short) begin
                            cmd_type <= pending_type;
                            fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                        end else begin
                            index <= 16'd0;
                            state <= S_ARGS;
                        end
                    end
                end

                S_ARGS: begin
                    // Ask for byte `index`; the byte asked for one cycle earlier arrives now.
                    if (have_byte) args <= {rx_data, args[95:8]};
                    if (index == 16'd12) begin
                        have_byte <= 1'b0;
                        state <= S_CHECK;
                    end else begin
                        have_byte <= 1'b1;
                        index <= index + 16'd1;
                    end
                end

                S_CHECK: if (!table_busy) begin   // a Write's scan cut short by a soft reset ends first
                    in_range <= args_fit && end_n <= MEM_END;
                    write_shape_ok <= arg_len == {16'd0, cmd_len} - DMA_DESCRIPTOR_SIZE && args[71:64] == 8'd0 && args[79:72] != 8'd0 && args[79:72] <= 8'd32;
                    len_zero <= arg_len == 32'd0;
                    short_image <= arg_len < 32'd28;
                    image_end <= end_n[AW-1:0];
                    addr_fits <= addr_in_memory;
                    table_scan <= 1'b1;
                    state <= S_SCAN;
                end

                S_SCAN: if (!table_busy) state <= S_EXEC;

                S_DROP: if (!table_busy) state <= len_zero ? S_SEND : S_DMA;

                S_EXEC: begin
                    case (cmd_type)
                        FRAME_TYPE_HELLO:  succeed(FILL_PROFILE, PROFILE_BYTES);
                        FRAME_TYPE_STATUS: succeed(FILL_STATUS, DEVICE_STATUS_SIZE[15:0]);
                        FRAME_TYPE_RESET: begin
                            resets <= resets + 32'd1;
                            succeed(FILL_NONE, 16'd0);
                        end
                        FRAME_TYPE_WRITE: begin
                            if (!write_shape_ok)
                                fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                            else if (!in_range || arg_addr[1:0] != 2'b00)
                                fail(DEVICE_ERROR_CODE_OUT_OF_RANGE, 3'd2);
                            else begin
                                // Overwriting a registered model's bytes unregisters it.
                                table_scan <= 1'b1;
                                table_drop <= 1'b1;
                                index <= DMA_DESCRIPTOR_SIZE[15:0];
                                dma_addr <= arg_addr[MEM_BITS-1:0];
                                have_byte <= 1'b0;
                                state <= S_DROP;
                                reply_type <= FRAME_TYPE_WRITE | FRAME_TYPE_REPLY_FLAG;
                                reply_len <= 16'd0;
                            end
                        end
                        FRAME_TYPE_COMMIT: begin
                            if (cmd_len != COMMIT_REQUEST_SIZE[15:0]) fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                            else if (len_zero || !in_range)
                                fail(DEVICE_ERROR_CODE_OUT_OF_RANGE, 3'd2);
                            else begin
                                crc <= 32'hFFFFFFFF;
                                header_ok <= 1'b1;
                                mem_index <= addr_n;
                                index <= 16'd0;
                                state <= S_CRC;
                            end
                        end
                        FRAME_TYPE_RUN: begin
                            if (HAS_ENGINE == 0) fail(DEVICE_ERROR_CODE_EXECUTION_FAULT, 3'd7);
                            else if (!model_found) fail(DEVICE_ERROR_CODE_NO_MODEL, 3'd4);
                            else if (args[47:32] == 16'd0) fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                            else begin
                                run_count <= args[47:32];
                                run_done <= 16'd0;
                                run_in_bytes <= RUN_REQUEST_HEADER_SIZE[17:0];
                                run_out_bytes <= RUN_REPLY_HEADER_SIZE[17:0];
                                run_oversized <= 1'b0;   // 8 <= the payload's length, 40 <= MAX_PAYLOAD
                                mem_index <= addr_n;
                                index <= 16'd0;
                                have_byte <= 1'b0;
                                state <= S_SIZES;
                            end
                        end
                        FRAME_TYPE_UNLOAD: begin
                            if (cmd_len != 16'd4) fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                            else if (model_found) begin
                                table_remove <= 1'b1;
                                succeed(FILL_NONE, 16'd0);
                            end else fail(DEVICE_ERROR_CODE_NO_MODEL, 3'd4);
                        end
                        default: fail(DEVICE_ERROR_CODE_UNKNOWN_REQUEST, 3'd0);
                    endcase
                end

                S_SIZES: begin
                    // The model header's bytes 8 .. 15 (input and output sizes) into the sizes.
                    if (have_byte) take_size_byte(header_at, mem_rdata);
                    if (index == 16'd16) begin
                        have_byte <= 1'b0;
                        state <= S_RUN_CHECK;
                    end else begin
                        have_byte <= 1'b1;
                        header_at <= index[4:0];
                        index <= index + 16'd1;
                        mem_index <= mem_index + 1'b1;
                    end
                end

                S_RUN_CHECK: begin
                    // The batch must fill the request exactly and its reply must fit a frame; a sum
                    // past either bound fails at once (the sums stay narrow).
                    if (run_oversized) fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                    else if (run_done == run_count) begin
                        if (run_in_bytes != {2'b0, cmd_len}) fail(DEVICE_ERROR_CODE_BAD_PAYLOAD, 3'd1);
                        else begin
                            run_done <= 16'd0;
                            run_in_bytes <= RUN_REQUEST_HEADER_SIZE[17:0];
                            run_out_bytes <= RUN_REPLY_HEADER_SIZE[17:0];
                            state <= S_RUN;
                        end
                    end else begin
                        run_done <= run_done + 16'd1;
                        run_in_bytes <= run_in_next;
                        run_out_bytes <= run_out_next;
                        run_oversized <= run_in_next > {2'b0, cmd_len} || run_out_next > MAX_PAYLOAD;
                    end
                end

                S_RUN: begin
                    if (run_done == run_count) succeed(FILL_RUN, run_out_bytes[15:0]);
                    else begin
                        engine_start <= 1'b1;
                        state <= S_RUN_WAIT;
                    end
                end

                S_RUN_WAIT: if (engine_done) begin
                    if (engine_fault) fail(DEVICE_ERROR_CODE_EXECUTION_FAULT, 3'd6);
                    else begin
                        run_done <= run_done + 16'd1;
                        run_in_bytes <= run_in_next;
                        run_out_bytes <= run_out_next;
                        state <= S_RUN;
                    end
                end

                S_DMA: begin
                    // rx_data holds payload byte index-1 while have_byte: it is written at
                    // dma_addr in this cycle (mem_we follows have_byte combinationally).
                    if (have_byte) dma_addr <= dma_addr + 1'b1;
                    if (index != cmd_len) begin
                        have_byte <= 1'b1;
                        index <= index + 16'd1;
                    end else begin
                        have_byte <= 1'b0;
                        if (!have_byte) state <= S_SEND;
                    end
                end

                S_CRC: begin
                    if (have_byte) crc <= crc_next;
                    if (mem_index == image_end) begin
                        have_byte <= 1'b0;
                        mem_index <= addr_n;
                        index <= 16'd0;
                        state <= S_HEADER;
                    end else begin
                        have_byte <= 1'b1;
                        mem_index <= mem_index + 1'b1;
                    end
                end

                S_HEADER: begin
                    // The CRC's verdict is kept for S_REGISTER, where it takes precedence over the
                    // header's (deciding the reply here put a 32-bit compare before every state bit).
                    if (index == 16'd0) crc_bad <= (crc ^ 32'hFFFFFFFF) != arg_crc;
                    if (have_byte) begin
                        // mem_rdata is header byte header_at (index - 1).
                        take_size_byte(header_at, mem_rdata);
                    end
                    if (index == 16'd28 || short_image) begin
                        have_byte <= 1'b0;
                        state <= S_REGISTER;
                    end else begin
                        have_byte <= 1'b1;
                        header_at <= index[4:0];
                        index <= index + 16'd1;
                        mem_index <= mem_index + 1'b1;
                    end
                end

                S_REGISTER: if (!header_check) begin   // the last header byte's check lands first
                    if (crc_bad) fail(DEVICE_ERROR_CODE_IMAGE_CHECKSUM, 3'd3);
                    else if (short_image || !header_ok || sizes_missing)
                        fail(DEVICE_ERROR_CODE_NO_MODEL, 3'd4);
                    else if (model_found) succeed(FILL_NONE, 16'd0);
                    else if (table_full) fail(DEVICE_ERROR_CODE_EXECUTION_FAULT, 3'd5);
                    else begin
                        table_add <= 1'b1;
                        succeed(FILL_NONE, 16'd0);
                    end
                end

                S_FILL: begin
                    // Byte `index` is asked of the ROM now and written by the fill's write stage
                    // in the next cycle. A Run reply's outputs are in the buffer already; only its
                    // header is filled. Replies that are filled are at most 40 bytes.
                    fill_write <= 1'b1;
                    fill_at <= index[5:0];
                    fill_write_kind <= fill_kind;
                    if (index[5:0] == fill_last) state <= S_SEND;
                    index <= index + 16'd1;
                end

                S_SEND: begin
                    if (silent) begin
                        if (!fill_write) begin
                            silent <= 1'b0;
                            state <= S_IDLE;
                        end
                    end else if (!tx_busy && !fill_write) begin
                        tx_type  <= reply_type;
                        tx_seq   <= cmd_seq;
                        tx_len   <= reply_len;
                        tx_start <= 1'b1;
                        last_valid <= 1'b1;
                        if (cmd_type == FRAME_TYPE_RESET) begin
                            // Soft reset: working state cleared; weights and the model table stay.
                            pending_error <= 1'b0;
                        end
                        state <= S_IDLE;
                    end
                end

                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
`default_nettype wire
