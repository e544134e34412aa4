import { readMenuValue } from '../forms/metadata.js';
import { ACTION } from '../ids.js';
import { DomainError } from '../workflow/errors.js';
import { type Tap, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { openReassign } from './follow-up-buttons.js';
import type { Routes } from './routes.js';
import { endSnooze, openSnooze } from './snooze.js';

/** What each choice of the card's ⋯ menu does: the same as the button of that action elsewhere. */
const choices: Record<string, (deps: HandlerDeps, tap: Tap) => Promise<void>> = {
  [ACTION.openSnooze]: openSnooze,
  [ACTION.endSnooze]: endSnooze,
  [ACTION.openReassign]: openReassign,
};

/** The deal card's ⋯ menu (保留にする / 保留を解除 / 担当を変更); who may do what is judged per choice. */
export function registerCardMenu(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.cardMenu,
    tapHandler(deps, 'card menu', async (tap) => {
      const choice = readMenuValue(tap.value);
      const run = choice ? choices[choice.actionId] : undefined;
      if (!choice || !run) throw new DomainError('not_found');
      await run(deps, { ...tap, value: String(choice.dealId) });
    }),
  );
}
