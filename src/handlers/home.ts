import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';

/** App Home: refreshed whenever someone opens it (and by the outbox after every change). */
export function registerHome(routes: Routes, deps: HandlerDeps): void {
  routes.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    deps.system.refreshHome(event.user);
  });
}
