/** Sample requests and answers of every kind, for the round-trip and fuzz tests. */
import type { UsbAnswer } from './answers.ts';
import type { UsbRequest } from './requests.ts';

const staticSettings = { mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'] } as const;

/** One request of every command, both setting modes. */
export const sampleRequests: UsbRequest[] = [
  { seq: 1, command: 'identify' },
  { seq: 2, command: 'read-net' },
  { seq: 3, command: 'write-net', settings: { ...staticSettings, dns: [...staticSettings.dns] } },
  { seq: 4, command: 'write-net', settings: { mode: 'dhcp', dns: [] } },
  { seq: 5, command: 'status' },
  { seq: 65535, command: 'restart' },
];

/** One answer of every command, OK and ERR. */
export const sampleAnswers: UsbAnswer[] = [
  { seq: 1, ok: true, command: 'identify', identity: { model: 'HT E21', modemNo: '21000001', firmware: '1.0.0', mac: '02:48:54:41:0e:a1' } },
  { seq: 2, ok: true, command: 'read-net', settings: { mode: 'dhcp', dns: [] }, applied: true },
  { seq: 2, ok: true, command: 'read-net', settings: { ...staticSettings, dns: [...staticSettings.dns] }, applied: false },
  { seq: 3, ok: true, command: 'write-net', applied: false },
  { seq: 4, ok: true, command: 'status', status: { link: 'up', source: 'dhcp', address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', leaseS: 3540, applied: true } },
  { seq: 4, ok: true, command: 'status', status: { link: 'down', source: 'none', dns: [], route: 'unknown', applied: false, problem: 'cable unplugged' } },
  { seq: 5, ok: true, command: 'restart', inMs: 500 },
  { seq: 3, ok: false, command: 'write-net', code: 'invalid-field', field: 'gateway', offset: 57, text: '10.0.0.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24' },
  { seq: 0, ok: false, command: undefined, code: 'checksum', offset: 12, text: 'CRC mismatch at offset 12: got 0x0000, computed 0x0972' },
  { seq: 9, ok: false, command: 'write-net', code: 'storage', text: 'flash write failed: "no space"' },
];

