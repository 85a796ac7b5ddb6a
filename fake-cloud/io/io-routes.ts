/**
 * HTTP routes of site I/O:
 *
 * ```
 * GET    /api/modems/:no/settings/io      I/O support flag, schedule, versions
 * PUT    /api/modems/:no/settings/io      body { enabled, schedule?, utcOffsetMin? }
 * POST   /api/modems/:no/relays/:output   body { on, until? }: switch a relay by hand (the push row)
 * GET    /api/modems/:no/io?point=&n=     input and relay changes
 * ```
 * Automation rules link two modems, so their routes check the user's rights on both: they are
 * with the account routes (fake-cloud/api/http.ts).
 */
import express, { type Express } from 'express';
import { errorMessage } from '../../core/errors.ts';
import { ApiError } from '../api/errors.ts';
import type { IoService } from './io-service.ts';

export function addIoRoutes(app: Express, io: IoService): void {
  const json = express.json({ limit: '64kb' });
  const body = (what: string) => (req: express.Request, res: express.Response, next: express.NextFunction) =>
    json(req, res, (err?: unknown) => next(err ? new ApiError(400, `${what}: the body is not JSON: ${errorMessage(err)}`, '(body)') : undefined));
  const no = (req: express.Request) => req.params['no'] as string;
  app.get('/api/modems/:no/settings/io', (req, res) => {
    res.json(io.settings(no(req)));
  });
  app.put('/api/modems/:no/settings/io', body('io settings'), (req, res) => {
    res.json(io.setSettings(no(req), req.body));
  });
  app.post('/api/modems/:no/relays/:output', body('relay'), (req, res) => {
    res.json(io.setRelay(no(req), { ...(req.body as object), output: req.params['output'] }));
  });
  app.get('/api/modems/:no/io', (req, res) => {
    const point = req.query['point'];
    const n = req.query['n'];
    if (point !== undefined && point !== 'input' && point !== 'output') throw new ApiError(400, "io query: field 'point': expected input or output", 'point');
    res.json(io.changes(no(req), { ...(point ? { point } : {}), ...(typeof n === 'string' ? { n: Number(n) } : {}) }));
  });
}
