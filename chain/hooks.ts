import type { Module } from "./module.ts";

/**
 * Callbacks modules offer each other at fixed points (the SDK's hooks, e.g. x/distribution
 * settling rewards before x/staking changes a delegation). Collected once per app from
 * its modules, in module order, so two apps in one process never share them.
 */
export class HookRegistry {
  static readonly empty = new HookRegistry([]);
  private readonly byTarget = new Map<string, object[]>();

  constructor(modules: readonly Module[]) {
    for (const m of modules) {
      for (const [target, hooks] of Object.entries(m.hooks ?? {})) {
        const list = this.byTarget.get(target) ?? [];
        list.push(hooks);
        this.byTarget.set(target, list);
      }
    }
  }

  /** The hooks registered for `target` (e.g. "staking"), in module order. */
  get<T extends object>(target: string): readonly T[] {
    return (this.byTarget.get(target) ?? []) as T[];
  }
}
