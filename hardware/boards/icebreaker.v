`default_nettype none
// iCEBreaker top level: the accelerator at the board's 12 MHz with the UART at 3 Mbaud (4 clocks
// per bit), 128 KiB of SPRAM for weights, a power-on reset, and the user button as soft reset.
// The layer engine multiplies on one SB_MAC16 DSP block rather than by shift and add: that saves
// the 350 LUTs and 160 flip-flops without which the design does not fit the UP5K's 5,280 cells.
// The green LED shows a registered model, the red one activity. No model can be baked into this
// build: the SPRAMs that hold the weights are not part of the configuration and power up empty.
// Instead the boot loader copies a device image from the board's SPI flash (W25Q128, 1 MiB past
// the bitstream; `codesign flash --model`) into the SPRAM at power-up and commits it.
// Models past the 128 KiB run by a memory plan in column blocks (COLUMN_BLOCKS): its Hello reports
// 2 KiB of scratch, what its 512 accumulators and 2 KiB activation buffer hold of a batch's sums and
// chained activations (as on the HX8K). Its model table registers 255 models in three block RAMs, so a
// plan for several models keeps many blocks resident beside the one streamed in. A second SB_MAC16
// forms a chained block's first column (dsp_product).
module icebreaker (
    input  wire clk,
    input  wire uart_rx,
    output wire uart_tx,
    input  wire button_n,
    output wire led_red_n,
    output wire led_green_n,
    output wire flash_sck,
    output wire flash_ssb,
    output wire flash_io0,      // MOSI
    input  wire flash_io1,      // MISO
    output wire flash_io2,      // /WP, held high
    output wire flash_io3       // /HOLD, held high: single-bit SPI only
);
    reg [3:0] por = 4'd0;  // holds reset for 15 cycles after configuration
    always @(posedge clk) if (por != 4'hF) por <= por + 4'd1;
    wire rst = por != 4'hF;

    reg [1:0] button_sync = 2'b11;  // the button is asynchronous to clk
    always @(posedge clk) button_sync <= {button_sync[0], button_n};

    wire       boot_hold, boot_arg, boot_write, boot_commit;
    wire [7:0] boot_byte;
    flash_boot_loader #(.FLASH_OFFSET(24'h100000), .MEM_BITS(17), .WAKE_CYCLES(37)) boot (
        .clk(clk), .rst(rst),
        .hold(boot_hold), .boot_byte(boot_byte), .boot_arg(boot_arg), .boot_write(boot_write), .boot_commit(boot_commit),
        .flash_sck(flash_sck), .flash_cs_n(flash_ssb), .flash_mosi(flash_io0), .flash_miso(flash_io1));
    assign flash_io2 = 1'b1;
    assign flash_io3 = 1'b1;

    wire       busy;
    wire [7:0] models;
    accelerator_top #(
        .CLKS_PER_BIT(4), .CLOCK_HZ(12000000), .BAUD(3000000), .MAX_PAYLOAD(1024),
        .MEM_BITS(17), .USE_SPRAM(1), .HAS_ENGINE(1), .USE_DSP(1), .PE_COUNT(1), .MODEL_SLOTS(255), .BOARD_NAME("icebreaker"),   // one PE slice: the sequential engine scans every column once per slice
        .COLUMN_BLOCKS(1), .SCRATCH_BYTES(2048)
    ) accelerator (
        .clk(clk), .rst(rst), .soft_reset(!button_sync[1]), .uart_rx(uart_rx), .uart_tx(uart_tx),
        .busy(busy), .model_count(models),
        .boot_hold(boot_hold), .boot_byte(boot_byte), .boot_arg(boot_arg), .boot_write(boot_write), .boot_commit(boot_commit));

    // Registered: an LED needs no same-cycle answer, and busy's logic into the pad was a critical path.
    reg busy_q = 1'b0, models_q = 1'b0;
    always @(posedge clk) begin
        busy_q <= busy;
        models_q <= models != 8'd0;
    end
    assign led_red_n = !busy_q;
    assign led_green_n = !models_q;
endmodule
`default_nettype wire
