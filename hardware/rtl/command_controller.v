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
module command_controller #(
    parameter MAX_PAYLOAD  = 1024,
    parameter BUF_BITS     = 10,          // log2(MAX_PAYLOAD)
    parameter MEM_BITS     = 17,          // log2 of the weight memory's bytes
    parameter PE_COUNT     = 4,
    parameter BUS_BITS     = 32,
    parameter SCRATCH_BYTES = 4096,
    parameter CLOCK_HZ     = 12000000,
    parameter BAUD         = 3000000,
    parameter SLOTS        = 4,           // models that can be registered at once
    parameter HAS_ENGINE   = 1            // 0: a build without the layer engine refuses Run
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                soft_reset,   // like a Reset request: the model table stays
    // from the frame receiver
    input  wire                frame_valid,
    input  wire [7:0]          frame_type,
    input  wire [7:0]          frame_seq,
    input  wire [15:0]         frame_len,
    input  wire                frame_error,
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
    output reg  [31:0]         engine_model,
    output reg  [BUF_BITS-1:0] engine_input_at,
    output reg  [BUF_BITS-1:0] engine_output_at,
    input  wire                engine_done,
    input  wire                engine_fault,
    input  wire [31:0]         engine_cycles,
    input  wire [31:0]         engine_entries,
    input  wire [31:0]         engine_steps,
    input  wire [31:0]         engine_broadcasts,
    output wire                engine_active,
    // status
    output wire                idle,          // nothing pending and no request being executed
    output wire [7:0]          model_count
);
    localparam [7:0] T_HELLO = 8'h01, T_WRITE = 8'h02, T_COMMIT = 8'h03, T_RUN = 8'h04,
                     T_UNLOAD = 8'h05, T_RESET = 8'h06, T_STATUS = 8'h07,
                     T_FRAME_ERROR = 8'hFE, T_ERROR = 8'hFF;
    // Error codes of DeviceErrorCode.cs.
    localparam [7:0] E_UNKNOWN = 8'd1, E_PAYLOAD = 8'd2, E_RANGE = 8'd3, E_CHECKSUM = 8'd4,
                     E_NO_MODEL = 8'd5, E_FAULT = 8'd6;
    localparam [31:0] MEM_BYTES = 32'd1 << MEM_BITS;
    localparam [31:0] IMAGE_MAGIC = 32'h49534443;  // "CDSI"

    localparam [3:0] S_IDLE = 4'd0, S_ARGS = 4'd1, S_EXEC = 4'd2, S_DMA = 4'd3, S_CRC = 4'd4,
                     S_HEADER = 4'd5, S_REGISTER = 4'd6, S_FILL = 4'd7, S_SEND = 4'd8,
                     S_RUN_CHECK = 4'd9, S_RUN = 4'd10, S_RUN_WAIT = 4'd11;
    localparam [2:0] FILL_NONE = 3'd0, FILL_PROFILE = 3'd1, FILL_STATUS = 3'd2, FILL_ERROR = 3'd3, FILL_RUN = 3'd4;

    reg [3:0]  state;
    reg [7:0]  cmd_type, cmd_seq;
    reg [15:0] cmd_len;
    reg        pending;
    reg [7:0]  pending_type, pending_seq;
    reg [15:0] pending_len;
    reg        pending_error;

    // Argument bytes of the request, little-endian, gathered from the receive buffer. The last
    // four bytes of a DMA descriptor are reserved.
    /* verilator lint_off UNUSEDSIGNAL */
    reg [127:0] args;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [4:0]   arg_count;
    reg [15:0]  index;        // next byte to ask for
    reg         have_byte;    // the byte asked for in the previous cycle is on rx_data/mem_rdata

    // Reply being prepared.
    reg [7:0]  reply_type;
    reg [15:0] reply_len;
    reg [2:0]  fill_kind;
    reg [7:0]  error_code;
    reg [2:0]  message;

    // Cached last reply, for retransmitted requests.
    reg        last_valid;
    reg [7:0]  last_type, last_seq, last_reply_type;
    reg [15:0] last_len;

    // Registered models.
    reg [SLOTS-1:0] slot_valid;
    reg [31:0]      slot_addr [0:SLOTS-1];
    reg [31:0]      slot_len  [0:SLOTS-1];
    reg [31:0]      slot_in   [0:SLOTS-1];   // input size, from the model header
    reg [31:0]      slot_out  [0:SLOTS-1];   // output size

    // Run: the batch and its totals.
    reg [15:0] run_count, run_done;
    reg [31:0] run_in, run_out;              // the model's input and output sizes
    reg [31:0] run_in_bytes, run_out_bytes;  // what the batch needs, summed image by image
    reg [31:0] run_cycles, run_entries, run_steps, run_broadcasts;
    assign engine_active = state == S_RUN || state == S_RUN_WAIT;

    // Counters for Status.
    reg [31:0] frames_ok, frames_bad, resets;

    // Commit: the running CRC and the header bytes read back.
    reg [31:0]  crc;
    // Only the magic, version and image size of the header are checked here.
    /* verilator lint_off UNUSEDSIGNAL */
    reg [223:0] header;
    /* verilator lint_on UNUSEDSIGNAL */

    wire [31:0] arg_addr = args[31:0];
    wire [31:0] arg_len  = args[63:32];
    wire [31:0] arg_crc  = args[95:64];

    // Memory and receive-buffer addresses follow the index registers directly, so a byte asked
    // for in one cycle is there in the next.
    reg [31:0] mem_index;
    reg [31:0] dma_addr;
    wire       dma_write = state == S_DMA && have_byte;
    assign rx_addr   = index[BUF_BITS-1:0];
    assign mem_addr  = dma_write ? dma_addr[MEM_BITS-1:0] : mem_index[MEM_BITS-1:0];
    assign mem_we    = dma_write;
    assign mem_wdata = rx_data;

    wire [31:0] crc_next;
    crc32_update crc_step (.crc_in(crc), .data(mem_rdata), .crc_out(crc_next));

    integer k, m, r;
    reg [SLOTS-1:0] overlap;
    reg [SLOTS-1:0] match;
    reg [SLOTS-1:0] free_slot_onehot;
    always @* begin
        overlap = {SLOTS{1'b0}};
        match = {SLOTS{1'b0}};
        for (k = 0; k < SLOTS; k = k + 1) begin
            overlap[k] = slot_valid[k] && (arg_addr < slot_addr[k] + slot_len[k]) && (slot_addr[k] < arg_addr + arg_len);
            match[k] = slot_valid[k] && slot_addr[k] == arg_addr;
        end
        free_slot_onehot = ~slot_valid & (slot_valid + 1'b1);
    end

    reg [31:0] match_in, match_out;
    always @* begin
        match_in = 32'd0;
        match_out = 32'd0;
        for (k = 0; k < SLOTS; k = k + 1) begin
            if (match[k]) begin
                match_in = slot_in[k];
                match_out = slot_out[k];
            end
        end
    end

    reg [7:0] count_models;
    always @* begin
        count_models = 8'd0;
        for (m = 0; m < SLOTS; m = m + 1) count_models = count_models + {7'd0, slot_valid[m]};
    end
    assign model_count = count_models;
    assign idle = state == S_IDLE && !pending && !pending_error;

    // Arguments each request carries before any data.
    function [4:0] arg_bytes(input [7:0] t);
        case (t)
            T_WRITE:  arg_bytes = 5'd16;
            T_COMMIT: arg_bytes = 5'd12;
            T_RUN:    arg_bytes = 5'd8;
            T_UNLOAD: arg_bytes = 5'd4;
            default:  arg_bytes = 5'd0;
        endcase
    endfunction

    // The Hello reply: DeviceProfile.Encode.
    localparam [8*7-1:0] NAME = "rtl-sim";
    localparam [15:0] PE_COUNT16 = PE_COUNT;
    localparam [15:0] BUS_BITS16 = BUS_BITS;
    localparam [31:0] SCRATCH32 = SCRATCH_BYTES;
    localparam [31:0] PAYLOAD32 = MAX_PAYLOAD;
    localparam [31:0] CLOCK32 = CLOCK_HZ;
    localparam [31:0] BAUD32 = BAUD;
    function [7:0] profile_byte(input [15:0] i);
        reg [31:0] word;
        begin
            case (i[15:2])
                14'd0: word = {PE_COUNT16, 16'd1};
                14'd1: word = {16'd0, BUS_BITS16};
                14'd2: word = MEM_BYTES;
                14'd3: word = SCRATCH32;
                14'd4: word = PAYLOAD32;
                14'd5: word = CLOCK32;
                14'd6: word = BAUD32;
                default: word = 32'd0;
            endcase
            if (i == 16'd32) profile_byte = 8'd7;
            else if (i > 16'd32) profile_byte = NAME[8*(39 - i) +: 8];
            else profile_byte = word[8*i[1:0] +: 8];
        end
    endfunction

    // The Status reply: u32 models, u32 resets, u64 frames received, u64 corrupted frames.
    function [7:0] status_byte(input [4:0] i);
        reg [191:0] all;
        begin
            all = {32'd0, frames_bad, 32'd0, frames_ok, resets, 24'd0, count_models};
            status_byte = all[8*i +: 8];
        end
    endfunction

    // The Run reply's header: u16 count | u16 0 | u32 output size | u64 cycles | u64 entries |
    // u64 shift-add steps | u64 broadcasts.
    function [7:0] run_byte(input [5:0] i);
        reg [319:0] all;
        begin
            all = {32'd0, run_broadcasts, 32'd0, run_steps, 32'd0, run_entries, 32'd0, run_cycles, run_out, 16'd0, run_count};
            run_byte = all[8*i +: 8];
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
    function [7:0] error_byte(input [15:0] i);
        reg [8*24-1:0] text;
        begin
            case (message)
                3'd0: text = M0;
                3'd1: text = M1;
                3'd2: text = M2;
                3'd3: text = M3;
                3'd4: text = M4;
                3'd5: text = M5;
                3'd6: text = M6;
                default: text = M7;
            endcase
            error_byte = i == 16'd0 ? error_code : text[8*(24 - i) +: 8];
        end
    endfunction

    task fail(input [7:0] code, input [2:0] text);
        begin
            reply_type <= T_ERROR;
            reply_len  <= 16'd25;
            error_code <= code;
            message    <= text;
            fill_kind  <= FILL_ERROR;
            index      <= 16'd0;
            state      <= S_FILL;
        end
    endtask

    task succeed(input [2:0] kind, input [15:0] length);
        begin
            reply_type <= cmd_type | 8'h80;
            reply_len  <= length;
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

        if (frame_valid) begin
            pending <= 1'b1;
            pending_type <= frame_type;
            pending_seq <= frame_seq;
            pending_len <= frame_len;
            frames_ok <= frames_ok + 32'd1;
        end
        if (frame_error) begin
            pending_error <= 1'b1;
            frames_bad <= frames_bad + 32'd1;
        end

        if (rst) begin
            state <= S_IDLE;
            pending <= 1'b0;
            pending_error <= 1'b0;
            last_valid <= 1'b0;
            slot_valid <= {SLOTS{1'b0}};
            frames_ok <= 32'd0;
            frames_bad <= 32'd0;
            resets <= 32'd0;
            index <= 16'd0;
            have_byte <= 1'b0;
            // Defined even in a build without the engine, where Run never sets them.
            run_count <= 16'd0;
            run_in <= 32'd0;
            run_out <= 32'd0;
        end else if (soft_reset) begin
            state <= S_IDLE;
            pending <= 1'b0;
            pending_error <= 1'b0;
            last_valid <= 1'b0;
            have_byte <= 1'b0;
            if (!soft_reset_held) resets <= resets + 32'd1;  // count presses, not cycles
        end else begin
            case (state)
                S_IDLE: begin
                    have_byte <= 1'b0;
                    if (!tx_busy && pending_error && !frame_error) begin
                        // A damaged frame: ask for it again at once. The cached reply stays.
                        pending_error <= 1'b0;
                        tx_type  <= T_FRAME_ERROR;
                        tx_seq   <= 8'd0;
                        tx_len   <= 16'd0;
                        tx_start <= 1'b1;
                    end else if (!tx_busy && pending && !frame_valid) begin
                        pending  <= 1'b0;
                        cmd_type <= pending_type;
                        cmd_seq  <= pending_seq;
                        cmd_len  <= pending_len;
                        if (last_valid && pending_seq == last_seq && pending_type == last_type) begin
                            tx_type  <= last_reply_type;
                            tx_seq   <= last_seq;
                            tx_len   <= last_len;
                            tx_start <= 1'b1;
                        end else if (pending_len < {11'd0, arg_bytes(pending_type)}) begin
                            cmd_type <= pending_type;
                            fail(E_PAYLOAD, 3'd1);
                        end else begin
                            args <= 128'd0;
                            arg_count <= arg_bytes(pending_type);
                            index <= 16'd0;
                            state <= S_ARGS;
                        end
                    end
                end

                S_ARGS: begin
                    // Ask for byte `index`; the byte asked for one cycle earlier arrives now.
                    if (have_byte) args[8*(index - 16'd1) +: 8] <= rx_data;
                    if (index == {11'd0, arg_count}) begin
                        have_byte <= 1'b0;
                        state <= S_EXEC;
                    end else begin
                        have_byte <= 1'b1;
                        index <= index + 16'd1;
                    end
                end

                S_EXEC: begin
                    case (cmd_type)
                        T_HELLO:  succeed(FILL_PROFILE, 16'd40);
                        T_STATUS: succeed(FILL_STATUS, 16'd24);
                        T_RESET: begin
                            resets <= resets + 32'd1;
                            succeed(FILL_NONE, 16'd0);
                        end
                        T_WRITE: begin
                            if (arg_len != {16'd0, cmd_len} - 32'd16 || args[71:64] != 8'd0 || args[79:72] == 8'd0 || args[79:72] > 8'd32)
                                fail(E_PAYLOAD, 3'd1);
                            else if (arg_addr > MEM_BYTES || arg_len > MEM_BYTES - arg_addr || arg_addr[1:0] != 2'b00)
                                fail(E_RANGE, 3'd2);
                            else begin
                                // Overwriting a registered model's bytes unregisters it.
                                slot_valid <= slot_valid & ~overlap;
                                index <= 16'd16;
                                dma_addr <= arg_addr;
                                have_byte <= 1'b0;
                                state <= arg_len == 32'd0 ? S_SEND : S_DMA;
                                reply_type <= T_WRITE | 8'h80;
                                reply_len <= 16'd0;
                            end
                        end
                        T_COMMIT: begin
                            if (cmd_len != 16'd12) fail(E_PAYLOAD, 3'd1);
                            else if (arg_len == 32'd0 || arg_addr > MEM_BYTES || arg_len > MEM_BYTES - arg_addr)
                                fail(E_RANGE, 3'd2);
                            else begin
                                crc <= 32'hFFFFFFFF;
                                mem_index <= arg_addr;
                                index <= 16'd0;
                                state <= S_CRC;
                            end
                        end
                        T_RUN: begin
                            if (HAS_ENGINE == 0) fail(E_FAULT, 3'd7);
                            else if (!(|match)) fail(E_NO_MODEL, 3'd4);
                            else if (args[47:32] == 16'd0) fail(E_PAYLOAD, 3'd1);
                            else begin
                                run_count <= args[47:32];
                                run_in <= match_in;
                                run_out <= match_out;
                                run_done <= 16'd0;
                                run_in_bytes <= 32'd8;
                                run_out_bytes <= 32'd40;
                                state <= S_RUN_CHECK;
                            end
                        end
                        T_UNLOAD: begin
                            if (cmd_len != 16'd4) fail(E_PAYLOAD, 3'd1);
                            else if (|match) begin
                                slot_valid <= slot_valid & ~match;
                                succeed(FILL_NONE, 16'd0);
                            end else fail(E_NO_MODEL, 3'd4);
                        end
                        default: fail(E_UNKNOWN, 3'd0);
                    endcase
                end

                S_RUN_CHECK: begin
                    // The batch must fill the request exactly and its reply must fit a frame.
                    if (run_done == run_count) begin
                        if (run_in_bytes != {16'd0, cmd_len}) fail(E_PAYLOAD, 3'd1);
                        else if (run_out_bytes > MAX_PAYLOAD) fail(E_PAYLOAD, 3'd1);
                        else begin
                            run_done <= 16'd0;
                            run_in_bytes <= 32'd8;
                            run_out_bytes <= 32'd40;
                            run_cycles <= 32'd0;
                            run_entries <= 32'd0;
                            run_steps <= 32'd0;
                            run_broadcasts <= 32'd0;
                            state <= S_RUN;
                        end
                    end else begin
                        run_done <= run_done + 16'd1;
                        run_in_bytes <= run_in_bytes + run_in;
                        run_out_bytes <= run_out_bytes + {run_out[29:0], 2'b00};
                    end
                end

                S_RUN: begin
                    if (run_done == run_count) succeed(FILL_RUN, run_out_bytes[15:0]);
                    else begin
                        engine_start <= 1'b1;
                        engine_model <= arg_addr;
                        engine_input_at <= run_in_bytes[BUF_BITS-1:0];
                        engine_output_at <= run_out_bytes[BUF_BITS-1:0];
                        state <= S_RUN_WAIT;
                    end
                end

                S_RUN_WAIT: if (engine_done) begin
                    if (engine_fault) fail(E_FAULT, 3'd6);
                    else begin
                        run_done <= run_done + 16'd1;
                        run_in_bytes <= run_in_bytes + run_in;
                        run_out_bytes <= run_out_bytes + {run_out[29:0], 2'b00};
                        run_cycles <= run_cycles + engine_cycles;
                        run_entries <= run_entries + engine_entries;
                        run_steps <= run_steps + engine_steps;
                        run_broadcasts <= run_broadcasts + engine_broadcasts;
                        state <= S_RUN;
                    end
                end

                S_DMA: begin
                    // rx_data holds payload byte index-1 while have_byte: it is written at
                    // dma_addr in this cycle (mem_we follows have_byte combinationally).
                    if (have_byte) dma_addr <= dma_addr + 32'd1;
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
                    if (mem_index == arg_addr + arg_len) begin
                        have_byte <= 1'b0;
                        mem_index <= arg_addr;
                        index <= 16'd0;
                        state <= S_HEADER;
                    end else begin
                        have_byte <= 1'b1;
                        mem_index <= mem_index + 32'd1;
                    end
                end

                S_HEADER: begin
                    if (index == 16'd0 && (crc ^ 32'hFFFFFFFF) != arg_crc) begin
                        fail(E_CHECKSUM, 3'd3);
                    end else begin
                        if (have_byte) header[8*(index - 16'd1) +: 8] <= mem_rdata;
                        if (index == 16'd28 || arg_len < 32'd28) begin
                            have_byte <= 1'b0;
                            state <= S_REGISTER;
                        end else begin
                            have_byte <= 1'b1;
                            index <= index + 16'd1;
                            mem_index <= mem_index + 32'd1;
                        end
                    end
                end

                S_REGISTER: begin
                    if (arg_len < 32'd28 || header[31:0] != IMAGE_MAGIC || header[47:32] != 16'd1 || header[223:192] != arg_len
                        || header[95:64] == 32'd0 || header[127:96] == 32'd0)
                        fail(E_NO_MODEL, 3'd4);
                    else if (|match) succeed(FILL_NONE, 16'd0);
                    else if (free_slot_onehot == {SLOTS{1'b0}}) fail(E_FAULT, 3'd5);
                    else begin
                        for (r = 0; r < SLOTS; r = r + 1) begin
                            if (free_slot_onehot[r]) begin
                                slot_valid[r] <= 1'b1;
                                slot_addr[r] <= arg_addr;
                                slot_len[r] <= arg_len;
                                slot_in[r] <= header[95:64];
                                slot_out[r] <= header[127:96];
                            end
                        end
                        succeed(FILL_NONE, 16'd0);
                    end
                end

                S_FILL: begin
                    tx_we <= 1'b1;
                    tx_waddr <= index[BUF_BITS-1:0];
                    case (fill_kind)
                        FILL_PROFILE: tx_wdata <= profile_byte(index);
                        FILL_STATUS:  tx_wdata <= status_byte(index[4:0]);
                        FILL_RUN:     tx_wdata <= run_byte(index[5:0]);
                        default:      tx_wdata <= error_byte(index);
                    endcase
                    // A Run reply's outputs are in the buffer already; only its header is filled.
                    if (index + 16'd1 == (fill_kind == FILL_RUN ? 16'd40 : reply_len)) state <= S_SEND;
                    index <= index + 16'd1;
                end

                S_SEND: begin
                    if (!tx_busy) begin
                        tx_type  <= reply_type;
                        tx_seq   <= cmd_seq;
                        tx_len   <= reply_len;
                        tx_start <= 1'b1;
                        last_valid <= 1'b1;
                        last_type <= cmd_type;
                        last_seq <= cmd_seq;
                        last_reply_type <= reply_type;
                        last_len <= reply_len;
                        if (cmd_type == T_RESET) begin
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
