/**
 * The fake cloud's HTTP API (express 5), a thin layer over `CloudService`:
 *
 * ```
 * GET /api/modems                         every modem, with online state
 * GET /api/modems/:no                     one modem
 * GET /api/modems/:no/readings?meter=&address=&from=&to=&limit=
 * GET /api/modems/:no/events?name=&from=&to=&limit=
 * GET /api/modems/:no/records?kind=&afterSeq=&from=&to=&limit=     raw records
 * GET /api/modems/:no/pushes
 * GET /api/modems/:no/settings/modbus     the Modbus device list, config and acknowledged versions
 * PUT /api/modems/:no/settings/modbus     body { devices: [{ address, type, model?, port? }] }
 * (site I/O routes: see io/io-routes.ts)
 * ```
 * `from`/`to` take clock ms or ISO 8601. Errors are JSON `{ error, field? }`: 400 for a bad
 * input (naming the field), 404 for an unknown modem or path, 500 otherwise.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { ApiError } from './errors.ts';
import type { CloudService } from './service.ts';
import { addIoRoutes } from '../io/io-routes.ts';

export function createHttpApp(service: CloudService, log?: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  app.get('/api/modems', (_req, res) => {
    res.json(service.listModems());
  });
  app.get('/api/modems/:no', (req, res) => {
    res.json(service.modem(req.params['no']!));
  });
  app.get('/api/modems/:no/readings', (req, res) => {
    res.json(service.readings(req.params['no']!, req.query));
  });
  app.get('/api/modems/:no/events', (req, res) => {
    res.json(service.events(req.params['no']!, req.query));
  });
  app.get('/api/modems/:no/records', (req, res) => {
    res.json(service.records(req.params['no']!, req.query));
  });
  app.get('/api/modems/:no/pushes', (req, res) => {
    res.json(service.pushes(req.params['no']!));
  });
  app.get('/api/modems/:no/settings/modbus', (req, res) => {
    res.json(service.modbusDevices(req.params['no']!));
  });
  const json = express.json({ limit: '256kb' });
  app.put(
    '/api/modems/:no/settings/modbus',
    (req, res, next) => json(req, res, (err?: unknown) => next(err ? new ApiError(400, `modbus settings: the body is not JSON: ${errorMessage(err)}`, '(body)') : undefined)),
    (req, res) => {
      res.json(service.setModbusDevices(req.params['no']!, req.body));
    },
  );
  addIoRoutes(app, service.io);
  app.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) {
      res.status(err.status).json(err.field === undefined ? { error: err.message } : { error: err.message, field: err.field });
      return;
    }
    log?.error({ err: errorMessage(err) }, 'HTTP API failure');
    res.status(500).json({ error: errorMessage(err) });
  });
  return app;
}
