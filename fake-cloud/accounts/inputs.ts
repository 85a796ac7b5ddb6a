/**
 * Validation of account inputs (HTTP bodies, or the same objects from a scenario). A bad input
 * fails with `ApiError(400)` naming the field (`new user: field 'email': expected an e-mail address`).
 */
import { z } from 'zod';
import { modemNo } from '../api/queries.ts';
import { MODEM_RIGHTS } from './rights.ts';

const email = z
  .string({ error: 'expected an e-mail address' })
  .trim()
  .max(254, { error: 'expected at most 254 characters' })
  .pipe(z.email({ error: 'expected an e-mail address' }))
  .transform((e) => e.toLowerCase());

/** Passwords: 8..256 characters, any characters. */
const password = z.string({ error: 'expected a password' }).min(8, { error: 'expected at least 8 characters' }).max(256, { error: 'expected at most 256 characters' });
const name = z.string().trim().min(1, { error: 'expected a name (or leave it out)' }).max(80, { error: 'expected at most 80 characters' });

export const loginInput = z.strictObject({
  email: z.string({ error: 'expected an e-mail address' }).trim().max(254).transform((e) => e.toLowerCase()),
  password: z.string({ error: 'expected a password' }).max(256),
});

export const newUserInput = z.strictObject({ email, password, name: name.optional() });

/** Support opens an account: its owner, and the account's name (default: the owner's e-mail). */
export const openAccountInput = z.strictObject({ email, password, name: name.optional(), account: name.optional() });

export const rightsInput = z.strictObject({
  modems: z.record(modemNo, z.array(z.enum(MODEM_RIGHTS, { error: `expected rights from ${MODEM_RIGHTS.join(', ')}` })).max(MODEM_RIGHTS.length * 2), { error: 'expected { "<modem no>": ["view", "control", "settings"] }' }),
});

export const addModemInput = z.strictObject({
  modemNo,
  code: z.string({ error: 'expected the authorization code from the paper in the box' }).max(64),
});

export type NewUserInput = z.output<typeof newUserInput>;
export type OpenAccountInput = z.output<typeof openAccountInput>;
