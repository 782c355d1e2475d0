/**
 * The maintenance lease backups and restores hold (docs/ARCHITECTURE.md): turns pause
 * while it is live, so an export is a consistent snapshot and no turn commits across a switch.
 *
 * @module
 */
import { type Clock } from "../core/clock.ts";
import { DatabaseError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { type Store } from "./kv.ts";
import { LeaseKeeper } from "./lease_keeper.ts";
import { type HeldLease, MAINTENANCE_LEASE } from "./leases.ts";

/** The maintenance lease, kept renewed while a backup or restore works. */
export interface Maintenance {
  lease: HeldLease;
  /** Renews now; false once the lease was lost. */
  confirm(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the maintenance lease for one operation and keeps renewing it until released.
 *
 * @throws {DatabaseError} `MAINTENANCE_BUSY` while another backup or restore holds it.
 * @example
 * ```ts
 * const maintenance = await holdMaintenance(store, clock, "backup-1", 30_000, "restore");
 * try { … } finally { await maintenance.release(); }
 * ```
 */
export async function holdMaintenance(
  store: Store,
  clock: Clock,
  owner: string,
  ttlMs: number,
  what: string,
): Promise<Maintenance> {
  // A fresh owner per operation: a second one in the same process is refused too.
  const keeper = await LeaseKeeper.take(MAINTENANCE_LEASE, `${owner}:${randomId(6)}`, {
    store,
    clock,
    ttlMs,
  });
  if (!keeper) {
    throw new DatabaseError(
      `Cannot ${what}: another backup or restore is running (the maintenance lease is held); try again in a minute`,
      { code: "MAINTENANCE_BUSY", level: "warning" },
    );
  }
  return {
    lease: keeper.lease,
    confirm: () => keeper.confirm(),
    async release() {
      await keeper.release();
    },
  };
}
