import type { Random } from './random.js';

/**
 * A random locally administered unicast MAC (first byte 0x02: the "local" bit set, the multicast
 * bit clear), so a simulated device never claims a vendor's address. The broker uses the uid to
 * replace a device's old session ("reconnect"): every simulated device needs its own.
 */
export function randomMac(random: Random): Uint8Array {
  const mac = new Uint8Array(6);
  mac[0] = 0x02;
  for (let i = 1; i < 6; i++) mac[i] = Math.floor(random() * 256);
  return mac;
}

/** "02:00:5e:00:00:01": how uids are shown in logs and the UI. */
export function formatUid(uid: Uint8Array): string {
  return Array.from(uid, (b) => b.toString(16).padStart(2, '0')).join(':');
}
