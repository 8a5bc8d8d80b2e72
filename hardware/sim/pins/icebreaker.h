// The pins of hardware/boards/icebreaker.v beside clk and the UART, as uart_bridge.cpp drives them
// when the top is simulated without its flash chip (the gate-level netlist): the user button released
// (it is active low), the flash's MISO pulled high as an erased chip reads (so the boot loader finds no
// image), no reset pin (the top resets itself at power-up), and the red LED (active low) lit while the
// accelerator is busy.
#pragma once

static inline void bridge_hold_pins(Vdesign* top) {
    top->button_n = 1;
    top->flash_io1 = 1;
}
static inline void bridge_reset(Vdesign*, bool) {}
static inline bool bridge_busy(const Vdesign* top) { return !top->led_red_n; }
