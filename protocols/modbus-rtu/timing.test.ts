import { describe, expect, it } from 'vitest';
import { RTU_FIXED_T15_MS, RTU_FIXED_T35_MS, rtuCharTimeMs, rtuTiming } from './timing.ts';

describe('RTU timing', () => {
  it('is 1.5 and 3.5 character times up to 19200 baud', () => {
    expect(rtuCharTimeMs(9600)).toBeCloseTo(1.14583, 5);
    expect(rtuTiming(9600).t35Ms).toBeCloseTo(4.0104, 4);
    expect(rtuTiming(9600).t15Ms).toBeCloseTo(1.71875, 5);
    expect(rtuTiming(19200).t35Ms).toBeCloseTo(2.0052, 4);
    expect(rtuTiming(1200, 10 / 1.2).t35Ms).toBeCloseTo(29.1667, 4);
  });

  it('is fixed at 0.75 ms and 1.75 ms above 19200 baud', () => {
    for (const baud of [38400, 57600, 115200]) expect(rtuTiming(baud)).toEqual({ t15Ms: RTU_FIXED_T15_MS, t35Ms: RTU_FIXED_T35_MS });
    expect(RTU_FIXED_T15_MS).toBe(0.75);
    expect(RTU_FIXED_T35_MS).toBe(1.75);
  });
});
