import { describe } from 'vitest';
import { overWebSocket } from '../../helpers/hostTransports.js';
import { contractSuite } from './contractSuite.js';

describe('the contract, through the host WebSocket and the renderer’s HostClient', () => {
  contractSuite(overWebSocket);
});
