import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

interface DraftCliOptions {
  out?: string;
  line?: string;
}

export function profileCommand(program: Command): void {
  const profile = program.command('profile').description('device profiles');
  profile
    .command('draft')
    .description('turn a captured IEC 62056-21 mode C readout (a trace) into a draft meter brand profile (YAML, checked against the profile schema)')
    .argument('<trace>', 'a trace.jsonl holding a request, the identification and a readout')
    .option('--out <file>', 'write the draft there (default: print it)')
    .option('--line <name>', 'the line of the trace with the meter (needed when it has several)')
    .addHelpText('after', '\nWhat the capture cannot tell (programming mode, load profile, a FLAG id no shipped profile has, …) is listed in the header comment.\n\nExample:\n  ht-hil profile draft field.jsonl --out emulators/meters/profiles/newbrand/model.yaml')
    .action(async (file: string, opts: DraftCliOptions) => {
      const { readTrace } = await import('../../core/trace/index.ts');
      const { draftMeterProfile } = await import('../../hil-rig/draft/draft-profile.ts');
      const draft = draftMeterProfile(await readTrace(file), { file, ...(opts.line ? { line: opts.line } : {}) });
      if (opts.out) {
        const { mkdir, writeFile } = await import('node:fs/promises');
        const { dirname } = await import('node:path');
        await mkdir(dirname(opts.out), { recursive: true });
        await writeFile(opts.out, draft.yaml);
        process.stdout.write(`draft profile ${draft.profile.brand} ${draft.profile.model} (FLAG ${draft.profile.flag}, ${draft.profile.readout.length} readout lines) written to ${opts.out}\nnot inferred:\n${draft.notInferred.map((n) => `  - ${n}`).join('\n')}\n`);
      } else process.stdout.write(draft.yaml);
      process.exitCode = EXIT.ok;
    });
}
