/**
 * The browser-safe part of the devices library, for the LED page and the renderer: the LED codec
 * and the display model. Nothing here imports node:* or ws (test/broker/devices checks it).
 */
export * from './ledProtocol.js';
export * from './DisplayModel.js';
export { HelloPolicy, platformTimers, type Timers } from './HelloPolicy.js';
export { Listeners } from './Listeners.js';
