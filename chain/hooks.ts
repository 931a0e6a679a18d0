import { moduleAddress } from "./address.ts";

/** What a module contributes here (a Module is one; kept structural so this file needs nothing of module.ts). */
export interface CallbackSource {
  readonly hooks?: Readonly<Record<string, object>>;
  readonly blockedAccounts?: readonly string[];
}

/**
 * Callbacks modules offer each other at fixed points (the SDK's hooks, e.g. x/distribution
 * settling rewards before x/staking changes a delegation). Collected once per app from
 * its modules, in module order, so two apps in one process never share them.
 */
export class HookRegistry {
  static readonly empty = new HookRegistry([]);
  private readonly byTarget = new Map<string, object[]>();
  /** Addresses of the module accounts that may not receive coins from a tx (every module's `blockedAccounts`). */
  private readonly blocked: ReadonlySet<string>;

  constructor(modules: readonly CallbackSource[]) {
    this.blocked = new Set(modules.flatMap((m) => m.blockedAccounts ?? []).map(moduleAddress));
    for (const m of modules) {
      for (const [target, hooks] of Object.entries(m.hooks ?? {})) {
        const list = this.byTarget.get(target) ?? [];
        list.push(hooks);
        this.byTarget.set(target, list);
      }
    }
  }

  /** Whether `address` is a module account that no tx may send coins to. */
  isBlockedAddress(address: string): boolean {
    return this.blocked.has(address);
  }

  /** The hooks registered for `target` (e.g. "staking"), in module order. */
  get<T extends object>(target: string): readonly T[] {
    return (this.byTarget.get(target) ?? []) as T[];
  }
}
