/** The m2m-LED devices library: codec, simulated device, fleet, display model (Node side: all of it). */
export * from './browser.js';
export * from './LedDevice.js';
export * from './DeviceFleet.js';
export { seededRandom, type Random } from './random.js';
export { driftTemperature, startTemperature } from './temperature.js';
export { formatUid, randomMac } from './uid.js';
