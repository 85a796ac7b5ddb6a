/**
 * Which scenarios run in which mode. A scenario declares its modes (`modes: { supported, reason }`,
 * default virtual only); in another mode it is skipped with its reason. In rig mode it is also
 * skipped when its site needs a device or port the rig lacks, with a reason naming it.
 *
 *   virtual  in process, virtual time: hours of operation in seconds, exact timing, every fault
 *   pty      the same site with every line through the OS (socat ptys) on wall time
 *   rig      the terminal's code on a rig's ports, reading its physical devices
 */
import { InputError } from '../../core/errors.ts';
import type { Rig } from '../../hil-rig/rig-file.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { planRig, type RigPlan } from './rig-plan.ts';
import type { Mode, Scenario } from './scenario.ts';
import { siteWants } from './site-wants.ts';
import { validateSiteSpec } from './site-spec.ts';

export const MODES: readonly Mode[] = ['virtual', 'pty', 'rig'];

/** Modes the scenario runs in (virtual when it declares none). */
export function supportedModes(s: Scenario): readonly Mode[] {
  return s.modes?.supported ?? ['virtual'];
}

/** Why the scenario does not run in `mode`, or undefined when it does. */
export function modeSkipReason(s: Scenario, mode: Mode): string | undefined {
  const supported = supportedModes(s);
  if (supported.includes(mode)) return undefined;
  return `runs in ${supported.join(', ')} mode only${s.modes?.reason ? `: ${s.modes.reason}` : ''}`;
}

/** The scenarios of a list that run in `mode`. */
export function scenariosFor<S extends Scenario>(list: readonly S[], mode: Mode): S[] {
  return list.filter((s) => supportedModes(s).includes(mode));
}

/**
 * Binds the scenario's site to the rig: the plan, or what the rig lacks. Throws an `InputError`
 * for a site spec that is not valid.
 */
export function rigPlanFor(s: Scenario, rig: Rig): { plan: RigPlan } | { lacking: string } {
  const spec = validateSiteSpec(s.site);
  const cellular = findTerminalModel(spec.terminal.model).uplink !== 'ethernet';
  return planRig(rig, { devices: siteWants(spec), cellular });
}

/** Checks a clock scale: a finite number > 0, for pty and rig runs only. */
export function checkClockScale(scale: number | undefined, mode: Mode): void {
  if (scale === undefined) return;
  if (!Number.isFinite(scale) || scale <= 0) throw new InputError('--clock-scale', `expected a number > 0, got ${scale}`);
  if (mode === 'virtual' && scale !== 1) throw new InputError('--clock-scale', 'virtual runs have no wall clock to scale; use it with --mode pty or rig');
}
