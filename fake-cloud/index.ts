export { FakeCloud, type FakeCloudOptions, type FakeCloudStartOptions } from './fake-cloud.ts';
export { Store, type ModemRow, type RecordRow, type ReadingRow, type EventRow, type PushRow, type Window, type StoreRecordInput } from './store/store.ts';
export { MIGRATIONS, migrate, type Migration } from './store/migrations.ts';
export { UplinkServer, type UplinkServerOptions, type StoredRecordEvent } from './uplink/server.ts';
export { noFaults, type UplinkFaults } from './uplink/faults.ts';
export { CloudService, type ModemView } from './api/service.ts';
export { createHttpApp } from './api/http.ts';
export { ApiError } from './api/errors.ts';
