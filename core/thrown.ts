/** For tests: the error of type `type` that `fn` throws; anything else thrown passes through. */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E, what = 'the call'): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected ${what} to throw a ${type.name}, it did not`);
}
