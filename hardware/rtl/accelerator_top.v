`default_nettype none
// The accelerator as a board sees it: UART pins in and out, the link protocol, the persistent
// weight memory. Bytes from uart_rx go through the frame receiver into the receive buffer; the
// command controller executes each good frame and writes its reply into the transmit buffer; the
// frame transmitter sends it through uart_tx.
module accelerator_top #(
    parameter CLKS_PER_BIT = 4,          // clock / baud: 4 in simulation, 4 at 12 MHz / 3 Mbaud
    parameter CLOCK_HZ     = 12000000,
    parameter BAUD         = 3000000,
    parameter MAX_PAYLOAD  = 1024,
    parameter MEM_BITS     = 17,         // 128 KiB of weight memory
    parameter USE_SPRAM    = 0,          // 1: weight memory in the UP5K's SPRAMs
    parameter HAS_ENGINE   = 1,          // 0: leave out the layer engine (Run is refused)
    parameter USE_DSP      = 0,          // 1: the engine multiplies on an SB_MAC16 (UP5K)
    parameter PE_ARRAY     = 0,          // 1: the engine multiplies on an EIE-style PE array (pe_array_engine.v); 2: the same array of compiled_pe.v
    parameter PE_COUNT     = 4,          // the PEs images are compiled for (Hello), and the array's size
    parameter PE_MAX_COLS  = 1024,       // the array's pointer banks: layers of up to PE_MAX_COLS inputs (1023: one EBR pair per bank)
    parameter PE_FIFO_DEPTH = 8,         // the array's per-PE broadcast FIFOs, in flip-flops (a power of two; 2 on the UP5K)
    parameter PE_SCAN_QUEUE = 4,         // the array's activation scan queue: 4 or 2 words (2 on the UP5K)
    parameter PE_EBR_DELAYS = 0,         // 1: the PEs' x and row delay lines in block RAM, two per PE (UP5K: flip-flops cost cells, EBRs are spare)
    parameter MODEL_SLOTS  = 4,          // models registered at once, 1 .. 255 (a memory plan's resident blocks and one streamed; model_table.v: past 16, block RAM)
    parameter COLUMN_BLOCKS = 0,         // 1: the engine runs column blocks (Hello byte 30)
    parameter SCRATCH_BYTES = 4096,      // scratch Hello reports: what bounds a batch of column blocks
    parameter [8*16-1:0] BOARD_NAME = "rtl-sim"   // what Hello calls the device (up to 16 characters)
) (
    input  wire clk,
    input  wire rst,                     // power-on reset: everything, the model table included
    input  wire soft_reset,              // reset button: working state only; weights and models stay
    // a power-up boot loader (flash_boot_loader.v) or all low: see command_controller's boot ports
    input  wire boot_hold,
    input  wire [7:0] boot_byte,
    input  wire boot_arg,
    input  wire boot_write,
    input  wire boot_commit,
    input  wire uart_rx,
    output wire uart_tx,
    output wire busy,                    // something is in flight (for the simulation bridge)
    output wire [7:0] model_count
);
    `include "link_protocol.vh"   // LINK_CAPABILITIES_ZERO_RUN_CODEC, for the Hello reply
    localparam BUF_BITS = $clog2(MAX_PAYLOAD);
    localparam LEN_BITS = $clog2(MAX_PAYLOAD + 1);

    wire [7:0] rx_byte;
    wire       rx_byte_valid;
    /* verilator lint_off UNUSED */
    wire       rx_framing_error;  // a byte with a bad stop bit is simply dropped; the CRC catches the rest
    /* verilator lint_on UNUSED */
    uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) receiver_uart (
        .clk(clk), .rst(rst), .rx(uart_rx),
        .data(rx_byte), .valid(rx_byte_valid), .frame_error(rx_framing_error));

    wire                payload_we;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [BUF_BITS-1:0] payload_addr;   // the decoder counts the bytes itself
    wire [LEN_BITS-1:0] received_len;   // and so knows the length
    /* verilator lint_on UNUSEDSIGNAL */
    wire [7:0]          payload_data, payload_type;
    wire                received_valid, received_error;
    wire [7:0]          received_type, frame_seq;
    frame_receiver #(.MAX_PAYLOAD(MAX_PAYLOAD)) receiver (
        .clk(clk), .rst(rst), .in_valid(rx_byte_valid), .in_data(rx_byte),
        .buf_we(payload_we), .buf_addr(payload_addr), .buf_wdata(payload_data),
        .frame_valid(received_valid), .frame_error(received_error),
        .frame_type(received_type), .frame_seq(frame_seq), .frame_len(received_len),
        .payload_type(payload_type));

    // Compressed payloads are expanded on their way into the receive buffer, at line rate.
    wire                rx_we;
    wire [BUF_BITS-1:0] rx_waddr;
    wire [7:0]          rx_wdata;
    wire                frame_valid, frame_error, frame_malformed;
    wire [7:0]          frame_type;
    wire [LEN_BITS-1:0] frame_len;
    zero_run_decoder #(.MAX_PAYLOAD(MAX_PAYLOAD)) decoder (
        .clk(clk), .rst(rst),
        .in_we(payload_we), .in_data(payload_data), .in_type(payload_type),
        .in_valid(received_valid), .in_error(received_error), .in_frame_type(received_type),
        .buf_we(rx_we), .buf_addr(rx_waddr), .buf_wdata(rx_wdata),
        .frame_valid(frame_valid), .frame_error(frame_error), .frame_type(frame_type), .frame_len(frame_len),
        .frame_malformed(frame_malformed));

    // The controller and the layer engine share the buffers and the weight memory; the engine owns
    // their ports while it runs.
    wire                engine_active;
    wire [BUF_BITS-1:0] ctrl_rx_raddr, engine_rx_raddr;
    wire [7:0]          rx_rdata;
    // The receive buffer holds one frame's payload until the controller is done with it: a Run reads
    // each input when its turn comes, long after its frame arrived, and a frame that waits for the
    // transmitter (or for the boot) is read when it is taken. A frame that comes in meanwhile must not
    // overwrite them: its bytes are not written, and the controller learns that its payload is gone.
    // From a host that waits for each reply, such a frame is a resend of the request in hand (its
    // timeout fired during a long batch), which the controller answers from its cached reply; anything
    // else it drops, as if lost on the line, and the host sends it again. (A frame without payload
    // bytes writes nothing and is answered as usual; a damaged one is reported as always.)
    wire controller_idle;   // nothing pending and no request being executed
    wire rx_write = rx_we && controller_idle;
    reg  rx_refused;   // a payload byte of the frame being received was not written
    always @(posedge clk) begin
        if (rst || frame_valid || frame_error) rx_refused <= 1'b0;
        else if (rx_we && !controller_idle) rx_refused <= 1'b1;
    end
    // The decoder's result comes a cycle or more after the frame's last write, so rx_refused holds it.
    byte_buffer #(.ADDR_BITS(BUF_BITS)) receive_buffer (
        .clk(clk), .we(rx_write), .waddr(rx_waddr), .wdata(rx_wdata),
        .raddr(engine_active ? engine_rx_raddr : ctrl_rx_raddr), .rdata(rx_rdata));

    wire                ctrl_tx_we, engine_tx_we;
    wire [BUF_BITS-1:0] ctrl_tx_waddr, engine_tx_waddr;
    wire [7:0]          ctrl_tx_wdata, engine_tx_wdata;
    wire                tx_we = engine_active ? engine_tx_we : ctrl_tx_we;
    wire [BUF_BITS-1:0] tx_waddr = engine_active ? engine_tx_waddr : ctrl_tx_waddr;
    wire [7:0]          tx_wdata = engine_active ? engine_tx_wdata : ctrl_tx_wdata;
    wire                tx_start;
    wire [7:0]          tx_type, tx_seq;
    wire [15:0]         tx_len;
    wire                tx_busy;
    wire                mem_we;
    wire [MEM_BITS-1:0] ctrl_mem_addr, engine_mem_addr;
    wire [7:0]          mem_wdata, mem_rdata;
    wire                    lane_en;       // the engine's PE array reads the memory lanes
    wire [4*(MEM_BITS-3)-1:0] lane_addr;
    wire [63:0]             lane_rdata;
    wire                engine_done, engine_fault;
    /* verilator lint_off UNUSEDSIGNAL */
    wire                engine_start;                       // unused in a build without the engine
    wire                engine_accumulate;
    wire [15:0]         engine_batch;
    wire [MEM_BITS-1:0] engine_model;
    wire [BUF_BITS-1:0] engine_input_at, engine_output_at;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    // The engine writes its counters into the Run reply itself; these serve test benches.
    wire [31:0]         engine_cycles, engine_entries, engine_steps, engine_broadcasts;
    /* verilator lint_on UNUSEDSIGNAL */
    command_controller #(
        .MAX_PAYLOAD(MAX_PAYLOAD), .BUF_BITS(BUF_BITS), .MEM_BITS(MEM_BITS), .PE_COUNT(PE_COUNT),
        .CLOCK_HZ(CLOCK_HZ), .BAUD(BAUD), .HAS_ENGINE(HAS_ENGINE), .CAPABILITIES(LINK_CAPABILITIES_ZERO_RUN_CODEC),
        .COLUMN_BLOCKS(COLUMN_BLOCKS), .SCRATCH_BYTES(SCRATCH_BYTES), .SLOTS(MODEL_SLOTS),
        .NAME(BOARD_NAME),
        .USE_MAC16(USE_DSP != 0 && PE_ARRAY == 0)   // the array's PEs and counters take 7 of the UP5K's 8 SB_MAC16s
    ) controller (
        .clk(clk), .rst(rst), .soft_reset(soft_reset),
        .boot_hold(boot_hold), .boot_byte(boot_byte), .boot_arg(boot_arg), .boot_write(boot_write), .boot_commit(boot_commit),
        .frame_valid(frame_valid), .frame_type(frame_type), .frame_seq(frame_seq),
        .frame_len({{(16 - LEN_BITS){1'b0}}, frame_len}), .frame_error(frame_error), .frame_malformed(frame_malformed),
        .frame_refused(rx_refused),
        .rx_addr(ctrl_rx_raddr), .rx_data(rx_rdata),
        .tx_we(ctrl_tx_we), .tx_waddr(ctrl_tx_waddr), .tx_wdata(ctrl_tx_wdata),
        .tx_start(tx_start), .tx_type(tx_type), .tx_seq(tx_seq), .tx_len(tx_len), .tx_busy(tx_busy),
        .mem_we(mem_we), .mem_addr(ctrl_mem_addr), .mem_wdata(mem_wdata), .mem_rdata(mem_rdata),
        .engine_start(engine_start), .engine_model(engine_model),
        .engine_input_at(engine_input_at), .engine_output_at(engine_output_at),
        .engine_done(engine_done), .engine_fault(engine_fault),
        .engine_active(engine_active), .engine_accumulate(engine_accumulate), .engine_batch(engine_batch),
        .idle(controller_idle), .model_count(model_count));

    generate
        if (HAS_ENGINE != 0) begin : with_engine
            layer_engine #(
                .MEM_BITS(MEM_BITS), .BUF_BITS(BUF_BITS), .USE_DSP(USE_DSP), .PE_ARRAY(PE_ARRAY), .PE_COUNT(PE_COUNT),
                .MAX_COLS(PE_MAX_COLS), .COLUMN_BLOCKS(COLUMN_BLOCKS),
                .PE_FIFO_DEPTH(PE_FIFO_DEPTH), .SCAN_QUEUE_DEPTH(PE_SCAN_QUEUE), .PE_EBR_DELAYS(PE_EBR_DELAYS)
            ) engine (
                .clk(clk), .rst(rst), .start(engine_start), .accumulate(engine_accumulate), .model_addr(engine_model),
                .input_at(engine_input_at), .output_at(engine_output_at), .batch(engine_batch),
                .done(engine_done), .fault(engine_fault),
                .rx_addr(engine_rx_raddr), .rx_data(rx_rdata),
                .tx_we(engine_tx_we), .tx_waddr(engine_tx_waddr), .tx_wdata(engine_tx_wdata),
                .mem_addr(engine_mem_addr), .mem_rdata(mem_rdata),
                .lane_en(lane_en), .lane_addr(lane_addr), .lane_rdata(lane_rdata),
                .cycles(engine_cycles), .entries(engine_entries), .steps(engine_steps), .broadcasts(engine_broadcasts));
        end else begin : without_engine
            // The controller refuses Run itself; these only keep the wiring defined.
            assign engine_done = 1'b0;
            assign engine_fault = 1'b0;
            assign engine_rx_raddr = {BUF_BITS{1'b0}};
            assign engine_tx_we = 1'b0;
            assign engine_tx_waddr = {BUF_BITS{1'b0}};
            assign engine_tx_wdata = 8'd0;
            assign engine_mem_addr = {MEM_BITS{1'b0}};
            assign lane_en = 1'b0;
            assign lane_addr = {4*(MEM_BITS-3){1'b0}};
            assign {engine_cycles, engine_entries, engine_steps, engine_broadcasts} = 128'd0;
        end
    endgenerate

    weight_memory #(.ADDR_BITS(MEM_BITS), .USE_SPRAM(USE_SPRAM), .LANE_PORTS(PE_ARRAY)) weights (
        .clk(clk), .we(mem_we), .addr(engine_active ? engine_mem_addr : ctrl_mem_addr),
        .wdata(mem_wdata), .rdata(mem_rdata),
        .lane_en(lane_en), .lane_addr(lane_addr), .lane_rdata(lane_rdata));

    wire [BUF_BITS-1:0] tx_raddr;
    wire [7:0]          tx_rdata;
    byte_buffer #(.ADDR_BITS(BUF_BITS)) transmit_buffer (
        .clk(clk), .we(tx_we), .waddr(tx_waddr), .wdata(tx_wdata), .raddr(tx_raddr), .rdata(tx_rdata));

    wire       out_valid, out_ready;
    wire [7:0] out_data;
    wire       transmitter_busy;
    /* verilator lint_off UNUSED */
    wire       transmitter_done;  // the bridge watches busy instead
    wire [15:0] tx_len_unused = tx_len;
    /* verilator lint_on UNUSED */
    frame_transmitter #(.MAX_PAYLOAD(MAX_PAYLOAD)) transmitter (
        .clk(clk), .rst(rst),
        .start(tx_start), .frame_type(tx_type), .frame_seq(tx_seq), .frame_len(tx_len[LEN_BITS-1:0]),
        .busy(transmitter_busy), .done(transmitter_done),
        .rd_addr(tx_raddr), .rd_data(tx_rdata),
        .out_valid(out_valid), .out_data(out_data), .out_ready(out_ready));

    wire uart_ready;
    uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) transmitter_uart (
        .clk(clk), .rst(rst), .data(out_data), .start(out_valid), .ready(uart_ready), .tx(uart_tx));
    assign out_ready = uart_ready;

    // The transmitter is busy from start until its last byte has left the UART.
    assign tx_busy = transmitter_busy || tx_start;
    assign busy = !controller_idle || tx_busy || !uart_ready;
endmodule
`default_nettype wire
