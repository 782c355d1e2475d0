/**
 * Test stores: a `:memory:` one for single-handle tests, a temp file for anything that reopens
 * or opens a second handle (two `:memory:` handles are two databases).
 *
 * @module
 */
import { openStore, type Store } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";

/** A migrated in-memory store; dispose with `using`. */
export async function memoryStore(): Promise<Store & Disposable> {
  const store = await openStore(":memory:");
  await runMigrations(store);
  return Object.assign(store, { [Symbol.dispose]: () => store.close() });
}

/** A temp KV file path whose directory is removed on dispose. */
export async function tempKvPath(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-test-" });
  return {
    path: `${dir}/rvx.kv`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** A migrated store on a fresh temp file. */
export async function fileStore(path: string): Promise<Store> {
  const store = await openStore(path);
  await runMigrations(store);
  return store;
}
