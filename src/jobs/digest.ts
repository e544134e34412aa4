import type { Digests } from '../workflow/digest.js';

export interface DigestJobDeps {
  digests: Pick<Digests, 'sendWeeklyDigest'>;
}

/**
 * The leaders' weekly digest, covering the seven days before `now`'s day. Once a week at most: the
 * week is stored with the DMs it queued, so a restart or a catch-up in the same week sends nothing.
 */
export async function sendWeeklyDigest(deps: DigestJobDeps, now: Date) {
  return deps.digests.sendWeeklyDigest(now);
}
