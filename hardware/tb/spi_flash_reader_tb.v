`default_nettype none
`timescale 1ns/1ps
// Test bench of spi_flash_reader against the flash chip's model (hardware/sim/spi_flash_model.v),
// whose contents come from flash_contents.hex. At 12 MHz it reads COUNT bytes from ADDRESS, stops,
// then reads again from ADDRESS + SECOND_OFFSET and stops in the middle of a byte (STOP_AFTER bytes
// plus a few bits). Prints
//     BYTE <pass> <index> <value>              each byte received
//     MODEL <errors> <wakes> <reads> <address> what the chip saw (address: the last read's, hex)
//     SCK <cycles per SCK period> CS <chip select high after the end>
// then DONE. The C# test compares the bytes with the file and checks the model's counts.
module spi_flash_reader_tb #(
    parameter integer ADDRESS = 1048576,
    parameter integer COUNT = 64,
    parameter integer SECOND_OFFSET = 1000,
    parameter integer STOP_AFTER = 5,
    parameter integer WAKE_CYCLES = 37,
    parameter integer FLASH_SIZE = 2097152
);
    reg clk = 1'b0;
    always #41.667 clk = !clk;   // 12 MHz

    reg         rst = 1'b1;
    reg         start = 1'b0;
    reg         stop = 1'b0;
    reg  [23:0] address = ADDRESS;
    wire [7:0]  data;
    wire        valid, busy;
    wire        sck, cs_n, mosi, miso;

    spi_flash_reader #(.WAKE_CYCLES(WAKE_CYCLES)) dut (
        .clk(clk), .rst(rst), .start(start), .address(address), .stop(stop),
        .data(data), .valid(valid), .busy(busy),
        .sck(sck), .cs_n(cs_n), .mosi(mosi), .miso(miso));

    spi_flash_model #(.SIZE(FLASH_SIZE), .FILE("flash_contents.hex")) chip (
        .sck(sck), .cs_n(cs_n), .mosi(mosi), .miso(miso));

    integer n;
    integer cycles;
    integer rises;
    integer first_rise, second_rise;
    always @(posedge sck) begin
        rises = rises + 1;
        if (rises == 1) first_rise = cycles;
        if (rises == 2) second_rise = cycles;
    end
    always @(posedge clk) cycles = cycles + 1;

    task read_bytes(input integer pass, input integer count);
        begin
            n = 0;
            while (n < count) begin
                @(posedge clk);
                if (valid) begin
                    $display("BYTE %0d %0d %02h", pass, n, data);
                    n = n + 1;
                end
            end
        end
    endtask

    initial begin
        cycles = 0;
        rises = 0;
        repeat (4) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        start <= 1'b1;
        @(posedge clk);
        start <= 1'b0;
        read_bytes(0, COUNT);
        stop <= 1'b1;
        @(posedge clk);
        stop <= 1'b0;
        @(posedge clk);
        if (busy || !cs_n) $display("FAIL: still reading after stop");

        // Again from elsewhere (the chip is awake now; the reader wakes it anyway), stopped inside a byte.
        address <= ADDRESS + SECOND_OFFSET;
        @(posedge clk);
        start <= 1'b1;
        @(posedge clk);
        start <= 1'b0;
        read_bytes(1, STOP_AFTER);
        repeat (7) @(posedge clk);
        stop <= 1'b1;
        @(posedge clk);
        stop <= 1'b0;
        repeat (40) @(posedge clk);
        if (valid) $display("FAIL: a byte after stop");
        $display("MODEL %0d %0d %0d %06h", chip.errors, chip.wakes, chip.reads, chip.last_address);
        $display("SCK %0d CS %0d", second_rise - first_rise, cs_n);
        $display("DONE");
        $finish;
    end

    initial begin
        #50000000;
        $display("FAIL: timeout");
        $finish;
    end
endmodule
`default_nettype wire
