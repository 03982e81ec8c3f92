/**
 * Waits for state that changes in the background (a timer, another process) by polling `condition`
 * every 10 ms, instead of sleeping a fixed time; fails after `timeoutMs`.
 */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
