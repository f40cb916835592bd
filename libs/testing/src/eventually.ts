/**
 * Polls `check` until it gives a truthy value and returns it, for work that happens in the
 * background (queues, relays, workers). Not a timing assertion: `ms` is only how long to wait
 * before the test fails naming `what`.
 */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what = 'the condition', ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
