import { contextBridge } from 'electron';
import { connectionFromArgv } from './connection-args.js';

/*
 * The window's preload, sandboxed: it hands the page one frozen object, the host's connection
 * details main passed in additionalArguments, and nothing else (no IPC, no Node). The page talks
 * to the host over the same authenticated WebSocket as in a browser.
 */
const details = connectionFromArgv(process.argv);
if (details) contextBridge.exposeInMainWorld('smqConnection', details);
