`default_nettype none
// Power-up copy of a device image from SPI flash into the weight memory (FlashImage.cs on the host).
// At FLASH_OFFSET the flash holds a 20-byte header, then the image:
//     bytes 0 .. 7    "CDSF", u32 version 1
//     bytes 8 .. 19   a Commit request: u32 address (0), u32 length, u32 CRC-32 of the image
// The loader checks the magic, version and address, holds the link's requests off, streams the image
// bytes into the command controller's DMA write path (weight memory from address 0), hands the Commit
// request's 12 bytes to the controller's argument register, and asks it to commit: the controller then
// checks the CRC-32 and the model header in memory and registers the model exactly as a link Commit
// does, without sending a reply. A blank or foreign flash (wrong magic), a length beyond the memory,
// or an image whose CRC or header do not check leave the device empty and working over the link.
module flash_boot_loader #(
    parameter [23:0] FLASH_OFFSET = 24'h100000,   // 1 MiB: past the UP5K's 104 KB bitstream, on a 64 KiB erase block
    parameter MEM_BITS = 17,
    parameter WAKE_CYCLES = 37
) (
    input  wire       clk,
    input  wire       rst,
    // to the command controller
    output wire       hold,          // the link's requests wait until the copy is over
    output wire [7:0] boot_byte,
    output wire       boot_arg,      // boot_byte is the next byte of the Commit request's arguments
    output wire       boot_write,    // boot_byte is the next image byte (DMA write at the next address)
    output reg        boot_commit,   // commit the arguments handed over (one cycle)
    // the flash chip's pins
    output wire       flash_sck,
    output wire       flash_cs_n,
    output wire       flash_mosi,
    input  wire       flash_miso
);
    localparam AW = MEM_BITS + 1;   // lengths 0 .. 2^MEM_BITS
    localparam [1:0] S_START = 2'd0, S_HEADER = 2'd1, S_COPY = 2'd2, S_DONE = 2'd3;
    localparam [95:0] EXPECTED = {32'd0, 32'd1, "FSDC"};   // bytes 0 .. 11, byte 0 lowest

    reg  [1:0]    state;
    reg  [4:0]    at;          // header byte arriving next
    reg  [AW-1:0] left;        // image bytes still to copy
    reg           stop;
    wire [7:0]    data;
    wire          valid;
    /* verilator lint_off UNUSEDSIGNAL */
    wire          reader_busy;
    /* verilator lint_on UNUSEDSIGNAL */

    spi_flash_reader #(.WAKE_CYCLES(WAKE_CYCLES)) reader (
        .clk(clk), .rst(rst), .start(state == S_START), .address(FLASH_OFFSET), .stop(stop),
        .data(data), .valid(valid), .busy(reader_busy),
        .sck(flash_sck), .cs_n(flash_cs_n), .mosi(flash_mosi), .miso(flash_miso));

    assign hold = state != S_DONE;
    assign boot_byte = data;
    assign boot_arg = valid && state == S_HEADER && at >= 5'd8;
    assign boot_write = valid && state == S_COPY;

    // Header bytes 0 .. 11 must be EXPECTED's; the length's bytes past the memory's width must be zero.
    wire magic_bad = at < 5'd12 && data != EXPECTED[8 * at[3:0] +: 8];
    wire length_bad = (at == 5'd14 && data[7:AW - 16] != {(24 - AW){1'b0}}) || (at == 5'd15 && data != 8'd0);

    always @(posedge clk) begin
        stop <= 1'b0;
        boot_commit <= 1'b0;
        if (rst) begin
            state <= S_START;
            at <= 5'd0;
        end else case (state)
            S_START: state <= S_HEADER;
            S_HEADER: if (valid) begin
                at <= at + 5'd1;
                if (at == 5'd12) left[7:0] <= data;
                if (at == 5'd13) left[15:8] <= data;
                if (at == 5'd14) left[AW-1:16] <= data[AW-17:0];
                if (magic_bad || length_bad) begin
                    stop <= 1'b1;
                    state <= S_DONE;
                end else if (at == 5'd19) begin
                    if (left == {AW{1'b0}}) begin
                        // Nothing to copy: the controller refuses the empty commit.
                        stop <= 1'b1;
                        boot_commit <= 1'b1;
                        state <= S_DONE;
                    end else state <= S_COPY;
                end
            end
            S_COPY: if (valid) begin
                left <= left - 1'b1;
                if (left == {{(AW - 1){1'b0}}, 1'b1}) begin
                    stop <= 1'b1;
                    boot_commit <= 1'b1;
                    state <= S_DONE;
                end
            end
            default: ;
        endcase
    end
endmodule
`default_nettype wire
