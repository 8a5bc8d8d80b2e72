`default_nettype none
// iCE40-HX8K breakout top level: the accelerator at 12 MHz with the UART at 3 Mbaud, and only
// 8 KiB of block RAM for weights (the HX8K has 16 KiB of EBR in all and no SPRAM). LEDs show the
// number of registered models and activity. The layer engine multiplies by shift and add (the
// HX8K has no DSP blocks); models up to 8 KiB run whole here, larger ones by a memory plan in column
// blocks (COLUMN_BLOCKS): its Hello reports 2 KiB of scratch, what its 512 accumulators and 2 KiB
// activation buffer hold of a batch's sums and chained activations (the block RAM is all used),
// and registers 16 models: a plan's resident blocks and the one streamed in.
// build-bitstream.sh --model bakes a model's image into the weight memory's block-RAM initialisation
// (weight_memory's INIT_FILE), so the board starts with it and the host only commits it.
module hx8k_breakout (
    input  wire       clk,
    input  wire       uart_rx,
    output wire       uart_tx,
    output wire [7:0] led
);
    reg [3:0] por = 4'd0;
    always @(posedge clk) if (por != 4'hF) por <= por + 4'd1;
    wire rst = por != 4'hF;

    wire       busy;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [7:0] models;  // at most 16 models: the top bit is always 0 and the LED shows busy instead
    /* verilator lint_on UNUSEDSIGNAL */
    accelerator_top #(
        .CLKS_PER_BIT(4), .CLOCK_HZ(12000000), .BAUD(3000000), .MAX_PAYLOAD(1024),
        .MEM_BITS(13), .USE_SPRAM(0), .HAS_ENGINE(1), .PE_COUNT(1), .BOARD_NAME("hx8k-breakout"),   // images in one PE slice: the sequential engine scans every column once per slice
        .COLUMN_BLOCKS(1), .SCRATCH_BYTES(2048), .MODEL_SLOTS(16)
    ) accelerator (
        .clk(clk), .rst(rst), .soft_reset(1'b0), .uart_rx(uart_rx), .uart_tx(uart_tx),
        .busy(busy), .model_count(models),
        .boot_hold(1'b0), .boot_byte(8'd0), .boot_arg(1'b0), .boot_write(1'b0), .boot_commit(1'b0));

    // Registered: an LED needs no same-cycle answer (busy's logic into a pad costs the clock).
    reg [7:0] shown = 8'd0;
    always @(posedge clk) shown <= {busy, models[6:0]};
    assign led = shown;
endmodule
`default_nettype wire
