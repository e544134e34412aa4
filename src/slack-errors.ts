/** The `error` code of a Slack Web API error (`channel_not_found`, `users_not_found` …), if it has one. */
export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
