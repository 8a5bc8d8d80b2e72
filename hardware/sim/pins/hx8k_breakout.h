// The pins of hardware/boards/hx8k_breakout.v beside clk and the UART, as uart_bridge.cpp drives them:
// no inputs to hold, no reset pin (the top resets itself at power-up), and LED 7 lit while the
// accelerator is busy.
#pragma once

static inline void bridge_hold_pins(Vdesign*) {}
static inline void bridge_reset(Vdesign*, bool) {}
static inline bool bridge_busy(const Vdesign* top) { return (top->led >> 7) & 1; }
