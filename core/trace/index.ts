export { TRACE_VERSION, traceRecordSchema, type TraceRecord, type TraceBytesRecord } from './record.ts';
export { TraceRecorder } from './writer.ts';
export { parseTrace, readTrace } from './reader.ts';
export { prettyTrace, type PrettyOptions } from './pretty.ts';
