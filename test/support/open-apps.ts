interface Closable {
  close(): Promise<void>;
}

const booting = new Set<Promise<unknown>>();
const open = new Set<Closable>();

/**
 * No app outlives its test file. A boot still running when its test gives up (a timeout on a busy
 * machine) used to go on after jest had torn the file's environment down: PGlite's next dynamic
 * import then threw, Nest ended the failed boot with process.exit(1), and the worker died under the
 * file it was running by then, which failed for nothing ("Demo accounts" taking "The log of a failed
 * SQL statement" down with it). This hook sits at the root of every file that boots one, so jest runs
 * it after the file's own afterAll hooks (all inside a describe): it waits for the boots still
 * running, then closes what the file left open.
 */
afterAll(async () => {
  await Promise.allSettled(booting);
  await Promise.allSettled([...open].map((app) => app.close()));
});

/** `boot`, followed until it is done, and the app it makes until it is closed. */
export function tracked<T extends Closable>(boot: Promise<T>): Promise<T> {
  const followed = boot.then((app) => {
    const closable: T = {
      ...app,
      close: () => {
        open.delete(closable);
        return app.close();
      },
    };
    open.add(closable);
    return closable;
  });
  booting.add(followed);
  const done = () => booting.delete(followed);
  void followed.then(done, done);
  return followed;
}
