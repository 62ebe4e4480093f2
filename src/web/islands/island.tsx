import type { ComponentType } from 'preact';

/**
 * JSON safe inside a <script> element: `<` is escaped so no value can close the element or open
 * a comment, and U+2028/2029 so the text stays valid in every JavaScript engine.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface IslandProps<P extends object> {
  /** The island's registered name (its client entry calls hydrateIsland with the same name). */
  name: string;
  component: ComponentType<P>;
  props: P;
}

/**
 * Server side of an island: the component rendered to HTML (the page works before and without
 * JavaScript) plus its props as inert JSON for the client entry to hydrate with.
 */
export function Island<P extends object>({ name, component: Component, props }: IslandProps<P>) {
  return (
    <div data-island={name}>
      <script type="application/json" data-island-props="" dangerouslySetInnerHTML={{ __html: scriptSafeJson(props) }} />
      <div data-island-root="">
        <Component {...props} />
      </div>
    </div>
  );
}
