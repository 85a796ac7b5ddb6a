/** What the web pages read from the cloud. */
import type { Alarms } from '../alarms/alarms.ts';
import type { CloudService } from '../api/service.ts';
import type { Reports } from '../reports/index.ts';

export interface WebDeps {
  /** Accounts, sessions, modems, settings (the pages check rights through its `AccessScope`). */
  service: CloudService;
  /** Reports for the dashboard; without them the dashboard shows the modem's state only. */
  reports?: Pick<Reports, 'meters' | 'consumption' | 'reactive' | 'capacitorSteps'> | undefined;
  /** Alarms for the alarm list and the open-alarm counts; without them both are left out. */
  alarms?: Pick<Alarms, 'list' | 'all'> | undefined;
}
