/**
 * The yardstick of the ack benchmark: a plain Bolt app in HTTP mode that only acks what anken answers
 * (its commands, every button, message events), with Bolt's defaults otherwise. Run as a child process;
 * it tells its parent (IPC) the port once it listens.
 */
import { App, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT);
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  token: process.env.SLACK_BOT_TOKEN ?? '',
  botId: 'BBOT',
  botUserId: 'UBOT',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
});
for (const command of (process.env.ANKEN_COMMANDS ?? '/案件').split(',')) {
  app.command(command, async ({ ack }) => ack());
}
app.action(/.*/, async ({ ack }) => ack());
app.event('message', async () => {});

await app.start(port);
process.send?.({ ready: port });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
