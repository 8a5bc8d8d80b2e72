`default_nettype none
`timescale 1ns/1ps
// Test bench of flash_boot_loader with the flash chip's model (hardware/sim/spi_flash_model.v) holding
// flash_contents.hex. It plays the command controller's side: it records every image byte the loader
// writes (at consecutive addresses from 0) and the argument bytes it hands over, and prints
//     ARG <index> <value>          each Commit argument byte
//     WRITES <count> <crc-32>      image bytes written and their CRC-32 (as the controller's Commit computes it)
//     COMMIT <cycles> | NOCOMMIT   whether the loader asked for a commit, and when
//     MODEL <errors> <wakes> <reads> <address>
// then DONE. It also checks that the link is held until the loader is finished and no longer after.
module flash_boot_loader_tb #(
    parameter integer FLASH_SIZE = 2097152,
    parameter integer MAX_CYCLES = 3000000
);
    reg clk = 1'b0;
    always #41.667 clk = !clk;   // 12 MHz

    reg rst = 1'b1;
    wire hold, boot_arg, boot_write, boot_commit;
    wire [7:0] boot_byte;
    wire sck, cs_n, mosi, miso;

    flash_boot_loader #(.FLASH_OFFSET(24'h100000), .MEM_BITS(17), .WAKE_CYCLES(37)) dut (
        .clk(clk), .rst(rst),
        .hold(hold), .boot_byte(boot_byte), .boot_arg(boot_arg), .boot_write(boot_write), .boot_commit(boot_commit),
        .flash_sck(sck), .flash_cs_n(cs_n), .flash_mosi(mosi), .flash_miso(miso));

    spi_flash_model #(.SIZE(FLASH_SIZE), .FILE("flash_contents.hex")) chip (
        .sck(sck), .cs_n(cs_n), .mosi(mosi), .miso(miso));

    wire [31:0] crc_next;
    reg  [31:0] crc = 32'hFFFFFFFF;
    crc32_update_byte crc_step (.crc(crc), .data(boot_byte), .result(crc_next));

    integer cycles = 0;
    integer writes = 0;
    integer args = 0;
    integer commits = 0;
    integer commit_at = 0;
    always @(posedge clk) if (!rst) begin
        cycles <= cycles + 1;
        if (boot_write) begin
            writes <= writes + 1;
            crc <= crc_next;
        end
        if (boot_arg) begin
            $display("ARG %0d %02h", args, boot_byte);
            args <= args + 1;
        end
        if ((boot_write || boot_arg) && !hold) $display("FAIL: a byte after the hold was released");
        if (boot_commit) begin
            commits <= commits + 1;
            commit_at <= cycles;
            if (hold) $display("FAIL: commit while still holding");
        end
    end

    initial begin
        repeat (15) @(posedge clk);
        rst <= 1'b0;
        while (hold && cycles < MAX_CYCLES) @(posedge clk);
        repeat (200) @(posedge clk);
        if (hold) $display("FAIL: the loader never finished");
        if (!cs_n) $display("FAIL: the flash is still selected");
        if (commits > 1) $display("FAIL: %0d commits", commits);
        $display("WRITES %0d %08h", writes, ~crc);
        if (commits == 1) $display("COMMIT %0d", commit_at);
        else $display("NOCOMMIT");
        $display("MODEL %0d %0d %0d %06h", chip.errors, chip.wakes, chip.reads, chip.last_address);
        $display("DONE");
        $finish;
    end
endmodule
`default_nettype wire
