import type { App } from '@slack/bolt';
import type { HandlerDeps } from './deps.js';

/** App Home: refreshed whenever someone opens it (and by the outbox after every change). */
export function registerHome(app: App, deps: HandlerDeps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    deps.system.refreshHome(event.user);
  });
}
