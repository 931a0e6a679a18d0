/**
 * google.api.http path templates ("/cosmos/bank/v1beta1/balances/{address}/by_denom",
 * "/cosmos/bank/v1beta1/denoms_metadata/{denom=**}") parsed once and matched against a
 * request's path, as grpc-gateway does: a literal segment must match, `{field}` or
 * `{field=*}` takes one segment, `{field=**}` the rest of the path.
 */
type Segment = { literal: string } | { field: string; rest: boolean };

export interface PathTemplate {
  readonly template: string;
  /** Literal segments first in the sort order, so /contents/{id} never shadows /contents/owners. */
  readonly literals: number;
  match(path: string): Record<string, string> | undefined;
}

export function parsePathTemplate(template: string): PathTemplate {
  if (!template.startsWith("/")) throw new Error(`path template ${template} must start with /`);
  const segments: Segment[] = template
    .slice(1)
    .split("/")
    .map((s) => {
      const v = /^\{([a-z_][a-z0-9_.]*)(?:=(\*\*?))?\}$/.exec(s);
      if (v) return { field: v[1], rest: v[2] === "**" };
      if (s.includes("{") || s.includes("}")) throw new Error(`path template ${template}: unsupported segment ${s}`);
      return { literal: s };
    });
  const restAt = segments.findIndex((s) => "field" in s && s.rest);
  if (restAt >= 0 && restAt !== segments.length - 1) throw new Error(`path template ${template}: {field=**} must come last`);
  return {
    template,
    literals: segments.filter((s) => "literal" in s).length,
    match(path) {
      const parts = path.slice(1).split("/");
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        if ("literal" in seg) {
          if (parts[i] !== seg.literal) return undefined;
          continue;
        }
        const value = seg.rest ? parts.slice(i).join("/") : parts[i];
        if (value === undefined || value === "") return undefined;
        try {
          params[seg.field] = decodeURIComponent(value);
        } catch {
          return undefined;
        }
        if (seg.rest) return params;
      }
      return parts.length === segments.length ? params : undefined;
    },
  };
}
