// Prints the CI summary line from vitest's JSON results:
//   tests: N passed, M failed[, K skipped]
// When the run stopped before vitest wrote results (the typecheck failed), counts one failure.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log('no test results: the typecheck or the test runner failed before running tests');
  console.log('tests: 0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const passed = r.numPassedTests ?? 0;
let failed = r.numFailedTests ?? 0;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A failed suite (an import error) has no failed test but fails the run.
const failedSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
failed += failedSuites;
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
