import { REGISTER_PATH } from './bootstrap.ts';

/**
 * Handing a freshly paired terminal to the till in the same browser. The back office answers a
 * pairing with a redirect to the till whose URL fragment carries the terminal; a fragment is never
 * sent to a server (nor logged by one), and the till removes it from the address bar at once.
 */
export interface Pairing {
  registerId: string;
  deviceId: string;
  deviceSecret: string;
}

const KEYS = { registerId: 'register', deviceId: 'terminal', deviceSecret: 'secret' } as const;

export function pairingUrl(pairing: Pairing): string {
  return `${REGISTER_PATH}#${new URLSearchParams({ [KEYS.registerId]: pairing.registerId, [KEYS.deviceId]: pairing.deviceId, [KEYS.deviceSecret]: pairing.deviceSecret }).toString()}`;
}

/** The pairing a URL fragment (`location.hash`) carries, or null when it carries none. */
export function pairingOf(hash: string): Pairing | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const [registerId, deviceId, deviceSecret] = [params.get(KEYS.registerId), params.get(KEYS.deviceId), params.get(KEYS.deviceSecret)];
  return registerId && deviceId && deviceSecret ? { registerId, deviceId, deviceSecret } : null;
}
