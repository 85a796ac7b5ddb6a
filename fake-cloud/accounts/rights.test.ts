import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { normalizeRights, parseRights, requireRight, ruleFor } from './rights.ts';

describe('the rule table', () => {
  it('relay commands need control, reads view, every other write settings', () => {
    expect(ruleFor('POST', '/relays/1').right).toBe('control');
    expect(ruleFor('post', '/relays/2/').right).toBe('control');
    expect(ruleFor('GET', '/relays/1').right).toBe('view');
    expect(ruleFor('GET', '').right).toBe('view');
    expect(ruleFor('HEAD', '/readings').right).toBe('view');
    expect(ruleFor('OPTIONS', '/settings').right).toBe('view');
    expect(ruleFor('PUT', '/settings').right).toBe('settings');
    expect(ruleFor('PUT', '/settings/io').right).toBe('settings');
    expect(ruleFor('DELETE', '/').right).toBe('settings');
    // Only the relay path itself is a command; deeper or other paths are settings.
    expect(ruleFor('POST', '/relays/1/schedule').right).toBe('settings');
    expect(ruleFor('POST', '/relays').right).toBe('settings');
    expect(ruleFor('PATCH', '/anything/new').right).toBe('settings');
  });

  it('rights include view once anything is granted; stored order is fixed', () => {
    expect(normalizeRights(['control'])).toEqual(['view', 'control']);
    expect(normalizeRights(['settings', 'view', 'settings'])).toEqual(['view', 'settings']);
    expect(normalizeRights([])).toEqual([]);
    expect(parseRights('control,bogus')).toEqual(['view', 'control']);
    expect(parseRights('')).toEqual([]);
  });

  it('a missing right is a 403 naming the right and the modem', () => {
    expect(() => requireRight(['view'], '21000001', ruleFor('GET', '/readings'))).not.toThrow();
    try {
      requireRight(['view'], '21000001', ruleFor('POST', '/relays/1'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ status: 403, message: "no 'control' right on modem 21000001 (a relay command needs it)" });
    }
  });
});
