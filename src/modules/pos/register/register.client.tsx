import { hydrateIsland } from '../../../web/islands/client.ts';
import { REGISTER_ISLAND, REGISTER_PATH, REGISTER_SW_PATH } from './bootstrap.ts';
import { RegisterIsland } from './register.island.tsx';

/** Client entry of the register island (bundled by src/web/islands). */
hydrateIsland(REGISTER_ISLAND, RegisterIsland);

// The worker keeps the page and its assets for reloads while offline; the register works without it.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register(REGISTER_SW_PATH, { scope: REGISTER_PATH }).catch(() => undefined);
}
