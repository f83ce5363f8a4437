export { LoadRun, runLoad, type LoadResult, type LoadSpec } from './LoadRun.js';
export { Latencies } from './Latencies.js';
export { decodeStamp, encodeStamp, STAMP_SIZE, type Stamp } from './stamp.js';
