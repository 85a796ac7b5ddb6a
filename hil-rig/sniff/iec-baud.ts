/**
 * Follows the baud rate of an IEC 62056-21 mode C session from what is said on the line, so a
 * sniffer (or relay) keeps reading after the switch:
 *
 *   300   master  ACK V Z Y CRLF          → switch to the rate of Z (mode C table) after it
 *   Z     meter   STX readout ETX BCC     → back to 300 once it ends (also on a bad BCC)
 *   Z     master  SOH B0 ETX BCC          → back to 300 (programming mode ends)
 *   Z     silence ≥ 1500 ms (readout) / 60 s (programming) → back to 300: the session was given up
 *
 * Pure decisions; the caller changes the endpoints' settings and keeps the silence timer.
 */
import { baudForZ, INACTIVITY_TIMEOUT_MIN_MS, INTER_CHARACTER_MAX_MS, OPENING_BAUD, type Message } from '../../protocols/iec62056-21/index.ts';
import type { Side } from './classify.ts';

/** A decision to change the line's baud rate. */
export interface BaudSwitch {
  baud: number;
  why: string;
}

export class IecBaudFollower {
  private baud = OPENING_BAUD;
  private session: 'sign-on' | 'readout' | 'programming' = 'sign-on';

  /** The rate the line runs at now, by what was said. */
  get current(): number {
    return this.baud;
  }

  /** Silence after which a raised rate falls back to 300 (undefined at 300). */
  get silenceLimitMs(): number | undefined {
    if (this.baud === OPENING_BAUD) return undefined;
    return this.session === 'programming' ? INACTIVITY_TIMEOUT_MIN_MS : INTER_CHARACTER_MAX_MS;
  }

  /** The messages of one segment from `side`; returns a switch to make after it, if any. */
  onMessages(side: Side, messages: readonly Message[]): BaudSwitch | undefined {
    let decided: BaudSwitch | undefined;
    for (const m of messages) {
      if (side !== 'device' && m.kind === 'option-select') {
        const baud = baudForZ(m.baudChar, 'C') ?? OPENING_BAUD;
        this.session = m.modeControl === '1' ? 'programming' : 'readout';
        decided = this.to(baud, `option select asks ${baud} baud`) ?? decided;
      } else if (side !== 'master' && this.session === 'readout' && (m.kind === 'readout' || m.kind === 'data')) {
        this.session = 'sign-on';
        decided = this.to(OPENING_BAUD, 'the readout ended') ?? decided;
      } else if (side !== 'device' && m.kind === 'break') {
        this.session = 'sign-on';
        decided = this.to(OPENING_BAUD, 'break: the session ended') ?? decided;
      } else if (side !== 'device' && m.kind === 'request') this.session = 'sign-on';
    }
    return decided;
  }

  /** The line was quiet for `ms`; returns the fall back to 300 when the session must be over. */
  onSilence(ms: number): BaudSwitch | undefined {
    const limit = this.silenceLimitMs;
    if (limit === undefined || ms < limit) return undefined;
    this.session = 'sign-on';
    return this.to(OPENING_BAUD, `no traffic for ${(ms / 1000).toFixed(1)} s: the session is over`);
  }

  private to(baud: number, why: string): BaudSwitch | undefined {
    if (baud === this.baud) return undefined;
    this.baud = baud;
    return { baud, why };
  }
}
