/**
 * HTTP routes of the reports (JSON), all `GET`, the query string validated by `Reports`:
 *
 * ```
 * /api/modems/:no/reports/meters               serials of the meters the modem reads
 * /api/modems/:no/reports/consumption          ?meter=&bucket=hour|day|month&from=&to=&utcOffsetMin=&maxAgeMin=
 * /api/modems/:no/reports/reactive             ?meter=&month=YYYY-MM&tier=&recentDays=&utcOffsetMin=&maxAgeMin=
 * /api/modems/:no/reports/instantaneous        ?meter=
 * /api/modems/:no/reports/capacitor-steps      ?port=&address=&from=&to=
 * /api/modems/:no/reports/io                   ?point=input|output&n=&from=&to=
 * /api/modems/:no/reports/outages              ?from=&to=
 * /api/modems/:no/reports/communication        ?from=&to=&periodMin=
 * ```
 * No authorization here: the accounts middleware guards every `/api/modems/:no` route. Errors
 * are thrown as `ApiError` for the app's error handler (`{ error, field? }`, 400/404).
 */
import type { Express, Request } from 'express';
import type { Reports } from './reports.ts';

/** Adds the report routes to `app` (before its 404 handler). */
export function addReportRoutes(app: Express, reports: Reports): void {
  const no = (req: Request) => req.params['no'] as string;
  const base = '/api/modems/:no/reports';
  app.get(`${base}/meters`, (req, res) => {
    res.json({ modemNo: no(req), meters: reports.meters(no(req)) });
  });
  app.get(`${base}/consumption`, (req, res) => {
    res.json(reports.consumption(no(req), req.query));
  });
  app.get(`${base}/reactive`, (req, res) => {
    res.json(reports.reactive(no(req), req.query));
  });
  app.get(`${base}/instantaneous`, (req, res) => {
    res.json(reports.instantaneous(no(req), req.query));
  });
  app.get(`${base}/capacitor-steps`, (req, res) => {
    res.json(reports.capacitorSteps(no(req), req.query));
  });
  app.get(`${base}/io`, (req, res) => {
    res.json(reports.ioHistory(no(req), req.query));
  });
  app.get(`${base}/outages`, (req, res) => {
    res.json(reports.outages(no(req), req.query));
  });
  app.get(`${base}/communication`, (req, res) => {
    res.json(reports.communication(no(req), req.query));
  });
}
