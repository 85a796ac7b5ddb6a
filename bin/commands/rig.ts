import { InvalidArgumentError, type Command } from 'commander';
import { formatSettings } from '../../lines/settings.ts';
import { EXIT } from '../exit-codes.ts';

interface RigOptions {
  rig: string;
}

interface ProbeOptions extends RigOptions {
  scanAll?: boolean;
  scanTimeout?: number;
  json?: boolean;
}

interface ServeOptions extends RigOptions {
  trace?: string;
}

function millis(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 10 || n > 10_000) throw new InvalidArgumentError(`expected a time 10..10000 ms, got "${value}"`);
  return n;
}

export function rigCommand(program: Command): void {
  const rig = program.command('rig').description('rig files: which physical port is which bus, and what is wired to it');
  rig
    .command('check')
    .description('read and check a rig file; print its ports and devices')
    .requiredOption('--rig <file>', 'the rig file (YAML)')
    .action(async (opts: RigOptions) => {
      const { loadRigFile } = await import('../../hil-rig/rig-file.ts');
      const r = await loadRigFile(opts.rig);
      const out = (l: string) => process.stdout.write(l + '\n');
      out(`rig ${r.name}${r.description ? `: ${r.description}` : ''}`);
      for (const p of r.ports) {
        out(`  ${p.id}  ${p.role}  ${p.path}  ${formatSettings(p.settings)}${p.echo ? ', adapter echo' : ''}${p.listenOnly ? ', listen-only' : ''}`);
        for (const m of p.meters) out(`    meter ${m.profile.brand} ${m.profile.model} serial ${m.serial}, address "${m.address}"`);
        for (const d of p.modbus) out(`    modbus ${d.profile.vendor} ${d.profile.model} @${d.address}`);
        if (p.modem) out(`    modem ${p.modem.module}`);
        for (const m of p.emulated.meters) out(`    emulated meter ${m.profile.brand} ${m.profile.model} serial ${m.serial}`);
        for (const d of p.emulated.modbus) out(`    emulated modbus ${d.profile.vendor} ${d.profile.model} @${d.address}`);
        if (p.emulated.modem) out(`    emulated modem ${p.emulated.modem.module} → ${p.emulated.modem.cloud.host}:${p.emulated.modem.cloud.port}`);
      }
      if (r.terminal) out(`  terminal ${r.terminal.model}${r.terminal.usb ? ` (USB port: ${r.terminal.usb})` : ''}`);
      for (const h of r.hints) out(`hint: ${h}`);
      process.exitCode = EXIT.ok;
    });

  rig
    .command('probe')
    .description('open every port and check that each declared device answers: meters by /?ADDR! at 300 7E1, Modbus devices by a register of their profile, modems by ATI')
    .requiredOption('--rig <file>', 'the rig file (YAML)')
    .option('--scan-all', 'also ask /?! on meter lines and scan Modbus lines over addresses 1..247 for devices the rig file does not name')
    .option('--scan-timeout <ms>', 'wait per scanned Modbus address (default 150)', millis)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit code 1 when a declared device does not answer or a port does not open.\n\nExample:\n  ht-hil rig probe --rig bench.yaml --scan-all')
    .action(async (opts: ProbeOptions) => {
      const { loadRigFile } = await import('../../hil-rig/rig-file.ts');
      const { formatProbeTable, probeRig } = await import('../../hil-rig/probe/probe.ts');
      const { RealClock } = await import('../../core/clock/index.ts');
      const r = await loadRigFile(opts.rig);
      if (!opts.json) process.stderr.write(`probing ${r.ports.length} port${r.ports.length === 1 ? '' : 's'} of rig ${r.name}${opts.scanAll ? ' (scanning all addresses)' : ''} …\n`);
      const report = await probeRig(r, { clock: new RealClock(), scanAll: opts.scanAll ?? false, ...(opts.scanTimeout ? { scanTimeoutMs: opts.scanTimeout } : {}) });
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else for (const l of formatProbeTable(report)) process.stdout.write(l + '\n');
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });

  rig
    .command('serve')
    .description('serve the roles the rig file keeps emulated (emulate: meters, modbus, modem) on their ports, for the real terminal, until Ctrl-C')
    .requiredOption('--rig <file>', 'the rig file (YAML)')
    .option('--trace <file>', 'write the traffic of every served port there when stopped (JSONL)')
    .action(async (opts: ServeOptions) => {
      const { loadRigFile } = await import('../../hil-rig/rig-file.ts');
      const { serveRigEmulators } = await import('../../hil-rig/serve-rig.ts');
      const { waitForStopSignal } = await import('../../emulators/serve-port.ts');
      const { RealClock } = await import('../../core/clock/index.ts');
      const r = await loadRigFile(opts.rig);
      const out = (l: string) => process.stdout.write(l + '\n');
      const served = await serveRigEmulators(r, { clock: new RealClock(), onTraffic: out });
      if (served.ports.length === 0) {
        out(`rig ${r.name} keeps nothing emulated (no port has an emulate section)`);
        process.exitCode = EXIT.ok;
        return;
      }
      for (const s of served.ports) out(`serving ${s.what} on ${s.port.id} (${s.port.path}, ${formatSettings(s.port.settings)})`);
      out('Ctrl-C to stop');
      const signal = await waitForStopSignal();
      await served.close();
      const trace = served.trace();
      if (opts.trace) await trace.writeFile(opts.trace);
      out(`stopped (${signal}): ${trace.bytes().length} frames${opts.trace ? `, trace written to ${opts.trace}` : ''}`);
      process.exitCode = EXIT.ok;
    });
}
