/** The POS register screen: page, island, offline sale queue and service worker. */
export { registerPageRoutes, registerIsland, registerServiceWorker, REGISTER_PERMISSION } from './register-page.routes.ts';
export { REGISTER_PATH, REGISTER_SW_PATH, REGISTER_CSS_PATH } from './bootstrap.ts';
