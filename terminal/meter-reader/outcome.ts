import type { DataSet } from '../../protocols/iec62056-21/index.ts';

/** Why a reading is missing; stable codes for the uplink and the cloud. */
export type MissingReason =
  | 'no-answer' // nothing came back to the request
  | 'bad-identification' // an answer came, but not a valid identification message
  | 'no-data' // identified, but no data message after the option select
  | 'truncated' // the data message stopped before its end
  | 'bcc-mismatch' // the data message arrived whole with a wrong block check
  | 'garbled' // bytes arrived that are not the protocol (line errors, wrong baud)
  | 'meter-error'; // the meter answered (ERROR)

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
