import type { DataSet } from '../../protocols/iec62056-21/index.ts';
import type { MissingReason as UplinkMissingReason } from '../../protocols/uplink/index.ts';

/** Why a reading is missing: the uplink protocol's list, so the cloud gets the reader's own code. */
export type MissingReason = Exclude<UplinkMissingReason, 'port-fault' | 'other'>;

/** Where a failed exchange went wrong, for the report: the bytes and the offset in them. */
export interface ReadEvidence {
  /** Hex of the bytes received in the failing step. */
  hex: string;
  /** Offset of the first wrong byte in them, when known. */
  offset?: number;
  /** Clock time of the bytes. */
  time: number;
}

export interface Identification {
  flag: string;
  baudChar: string;
  ident: string;
  /** Baud rate used for the data message. */
  baud: number;
}

export type ReadOutcome =
  | {
      ok: true;
      address: string;
      identification: Identification;
      /** Data sets of the readout, in order. */
      sets: DataSet[];
      start: number;
      end: number;
      attempts: number;
    }
  | {
      ok: false;
      address: string;
      reason: MissingReason;
      detail: string;
      evidence?: ReadEvidence;
      start: number;
      end: number;
      attempts: number;
    };
