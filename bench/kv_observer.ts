/**
 * Counting what the runtime asks of KV, by wrapping one store connection's methods: commits,
 * writes inside them by record family, read calls and the keys they read, and when each update's
 * turn became durable. Shared by the benchmark groups that report KV cost per update.
 *
 * @module
 */
import { type SessionRecord } from "../src/store/sessions.ts";

/** What one store's KV connection did: calls, not their cost. */
export interface KvCounts {
  /** Atomic commits, each one SQLite transaction and one fsync. */
  commits: number;
  /** Sets, deletes and sums inside them (sums merged by the group committer count once). */
  writes: number;
  /** `get`, `getMany` and `list` calls. */
  reads: number;
  /** Keys asked for by `get` and `getMany`, and entries a `list` returned. */
  keysRead: number;
}

/** Sees every KV call on a store's connection, and when turns become durable. */
export interface KvObserver {
  readonly counts: KvCounts;
  /**
   * When each update's turn became durable (`performance.now()`), while recording: the commit
   * whose session record first lists it among the actor's finished updates.
   */
  readonly processedAt: Map<number, number>;
  /** Writes inside atomics by record family (a data key's family, else the key's first part). */
  readonly families: Map<string, number>;
  recording: boolean;
}

/** A `list` iterator that counts the entries it yields into `counts.keysRead`. */
function countingEntries<T>(iterator: Deno.KvListIterator<T>, counts: KvCounts) {
  const next = iterator.next.bind(iterator);
  iterator.next = async () => {
    const result = await next();
    if (!result.done) counts.keysRead++;
    return result;
  };
  return iterator;
}

/**
 * Wraps the store connection's methods. The runtime has no hook for "this turn is durable", and
 * adding one for a benchmark would change what is measured; counting calls here costs nothing
 * next to a KV round trip.
 */
export function observeKv(kv: Deno.Kv): KvObserver {
  const observer: KvObserver = {
    counts: { commits: 0, writes: 0, reads: 0, keysRead: 0 },
    processedAt: new Map(),
    families: new Map(),
    recording: false,
  };
  const family = (key: Deno.KvKey) => {
    const name = String(key[0] === "g" ? key[2] : key[0]);
    observer.families.set(name, (observer.families.get(name) ?? 0) + 1);
  };
  const { counts } = observer;
  const get = kv.get.bind(kv);
  const getMany = kv.getMany.bind(kv);
  const list = kv.list.bind(kv);
  kv.get = (key, options) => {
    counts.reads++;
    counts.keysRead++;
    return get(key, options);
  };
  kv.getMany = ((keys, options) => {
    counts.reads++;
    counts.keysRead += keys.length;
    return getMany(keys, options);
  }) as Deno.Kv["getMany"];
  kv.list = (selector, options) => {
    counts.reads++;
    return countingEntries(list(selector, options), counts);
  };
  // The baseline's adapter writes with plain set/delete: each is an atomic commit of its own.
  const set = kv.set.bind(kv);
  const remove = kv.delete.bind(kv);
  kv.set = (key, value, options) => {
    counts.commits++;
    counts.writes++;
    return set(key, value, options);
  };
  kv.delete = (key) => {
    counts.commits++;
    counts.writes++;
    return remove(key);
  };
  const atomic = kv.atomic.bind(kv);
  kv.atomic = function observedAtomic() {
    const op = atomic();
    const processed: number[] = [];
    const mutate = op.mutate.bind(op);
    const set = op.set.bind(op);
    const remove = op.delete.bind(op);
    const sum = op.sum.bind(op);
    const commit = op.commit.bind(op);
    op.mutate = (...mutations) => {
      counts.writes += mutations.length;
      for (const m of mutations) family(m.key);
      if (observer.recording) {
        for (const m of mutations) {
          if (m.type === "set" && m.key[0] === "g" && m.key[2] === "session") {
            const done = (m.value as SessionRecord<unknown>).done?.ids ?? [];
            for (const [id] of done) if (!observer.processedAt.has(id)) processed.push(id);
          }
        }
      }
      return mutate(...mutations);
    };
    op.set = (key, value, options) => {
      counts.writes++;
      family(key);
      return set(key, value, options);
    };
    op.delete = (key) => {
      counts.writes++;
      family(key);
      return remove(key);
    };
    op.sum = (key, n) => {
      counts.writes++;
      family(key);
      return sum(key, n);
    };
    op.commit = async () => {
      counts.commits++;
      const result = await commit();
      if (result.ok && processed.length > 0) {
        const at = performance.now();
        for (const id of processed) observer.processedAt.set(id, at);
      }
      return result;
    };
    return op;
  };
  return observer;
}
