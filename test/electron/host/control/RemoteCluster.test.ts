import { describe } from 'vitest';
import { direct, overWebSocket } from '../../helpers/hostTransports.js';
import { remoteSuite } from './remoteSuite.js';

describe('a remote cluster, through the contract called directly on the host', () => {
  remoteSuite(direct);
});

describe('a remote cluster, through the host WebSocket and the renderer’s HostClient', () => {
  remoteSuite(overWebSocket);
});
