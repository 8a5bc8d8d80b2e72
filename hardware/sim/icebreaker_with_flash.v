`default_nettype none
// The iCEBreaker as the simulation sees it: the FPGA's top level (hardware/boards/icebreaker.v) wired
// to the board's SPI flash chip (spi_flash_model.v), which starts powered down as configuration leaves
// it and holds the file named by the plusarg +flash=<file> ($readmemh), or is erased (0xFF) without
// one. `--device verilator:icebreaker` builds this; the bridge (uart_bridge.cpp) drives the other pins.
// The bridge keeps no simulated time, so the chip's tRES1 check is left to the reader's bench.
module icebreaker_with_flash (
    input  wire clk,
    input  wire uart_rx,
    output wire uart_tx,
    input  wire button_n,
    output wire led_red_n,
    output wire led_green_n
);
    wire flash_sck, flash_ssb, flash_io0, flash_io1;
    /* verilator lint_off UNUSEDSIGNAL */
    wire flash_io2, flash_io3;   // /WP and /HOLD, held high by the top
    /* verilator lint_on UNUSEDSIGNAL */
    icebreaker fpga (
        .clk(clk), .uart_rx(uart_rx), .uart_tx(uart_tx), .button_n(button_n),
        .led_red_n(led_red_n), .led_green_n(led_green_n),
        .flash_sck(flash_sck), .flash_ssb(flash_ssb), .flash_io0(flash_io0), .flash_io1(flash_io1),
        .flash_io2(flash_io2), .flash_io3(flash_io3));

    spi_flash_model #(.CHECK_TIMING(0)) flash (
        .sck(flash_sck), .cs_n(flash_ssb), .mosi(flash_io0), .miso(flash_io1));
endmodule
`default_nettype wire
