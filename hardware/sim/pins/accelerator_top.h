// The pins of hardware/rtl/accelerator_top.v beside clk and the UART, as uart_bridge.cpp drives them:
// a reset pin the bridge pulses at the start, the soft reset held off, and a busy pin of its own.
#pragma once

static inline void bridge_hold_pins(Vdesign* top) {
    top->soft_reset = 0;
    // No boot loader: its ports held low.
    top->boot_hold = 0;
    top->boot_byte = 0;
    top->boot_arg = 0;
    top->boot_write = 0;
    top->boot_commit = 0;
}
static inline void bridge_reset(Vdesign* top, bool on) { top->rst = on; }
static inline bool bridge_busy(const Vdesign* top) { return top->busy; }
