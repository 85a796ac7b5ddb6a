/** `npm run bench`: every benchmark, printed as ratios measured in this run. */
import { print } from './harness.ts';
import { cellularBench } from './cellular.bench.ts';
import { linesBench } from './lines.bench.ts';
import { metersBench } from './meters.bench.ts';
import { modbusBench } from './modbus.bench.ts';

const benches = [linesBench, metersBench, modbusBench, cellularBench, (await import('./cloud.ts')).cloudBench];
const only = process.argv[2];
for (const bench of benches) {
  if (only && !bench.name.toLowerCase().includes(only.toLowerCase())) continue;
  print(await bench());
}
