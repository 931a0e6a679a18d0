import type { ComponentChildren } from "preact";
import { RestError } from "./api.ts";
import type { Loaded } from "./hooks.ts";

export function Loading({ what }: { what: string }) {
  return <p aria-busy="true" class="loading">Loading {what}…</p>;
}

/** The node's error (gRPC code and message) or a network failure, with a retry. */
export function ErrorNote({ error, retry }: { error: Error; retry?: () => void }) {
  const code = error instanceof RestError && error.code !== undefined ? ` (code ${error.code})` : "";
  return (
    <div class="notice error" role="alert">
      <strong>Error{code}:</strong> {error.message}
      {retry && <> <button class="outline secondary small" onClick={retry}>Retry</button></>}
    </div>
  );
}

/** Shows a load's data once there is some, its loading state before, its error instead. */
export function Show<T>({ q, what, children }: { q: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (q.error && q.data === undefined) return <ErrorNote error={q.error} retry={q.reload} />;
  if (q.data === undefined) return <Loading what={what} />;
  return <>{children(q.data)}</>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty"><em>{children}</em></p>;
}

export const nodeHref = (id: string | number) => `#/nodes/${id}`;
export const ownerHref = (address: string) => `#/earnings/${encodeURIComponent(address)}`;
export const proposalHref = (id: string | number) => `#/gov/${id}`;

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

/** A key/value table. */
export function Fields({ children }: { children: ComponentChildren }) {
  return (
    <table class="fields">
      <tbody>{children}</tbody>
    </table>
  );
}

export function Mono({ children }: { children: ComponentChildren }) {
  return <code class="mono">{children}</code>;
}
