import { h, hydrate, type ComponentType } from 'preact';

/**
 * The browser half of an island: finds every element the server rendered for island `name`,
 * reads its props from the JSON script beside it (no inline script runs: CSP allows only
 * 'self'), and hydrates the server's HTML in place, so what a person saw before JavaScript
 * loaded stays and becomes live.
 */
export function hydrateIsland<P extends object>(name: string, component: ComponentType<P>): void {
  for (const host of document.querySelectorAll<HTMLElement>(`[data-island="${name}"]`)) {
    const propsElement = host.querySelector('script[data-island-props]');
    const root = host.querySelector<HTMLElement>('[data-island-root]');
    if (!propsElement || !root) continue;
    const props = JSON.parse(propsElement.textContent ?? '{}') as P;
    hydrate(h(component, props), root);
    host.dataset.hydrated = 'true';
  }
}
