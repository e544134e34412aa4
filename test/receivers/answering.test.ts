/**
 * Work that can wait (opening a modal after the answer, a delivery) gives way to the requests being
 * answered: it starts once the server has been quiet for a moment, and at the latest after its longest wait.
 */
import { describe, expect, it } from 'vitest';
import { createAfterAck } from '../../src/handlers/after-ack.js';
import { createAnswering } from '../../src/receivers/answering.js';
import { pollUntil } from '../support/driving.js';
import { silentLogger } from '../support/silent-logger.js';

const QUIET_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startedLog() {
  const started: string[] = [];
  return { started, work: (name: string) => async () => void started.push(name) };
}

describe('work after the answer', () => {
  it('starts at once when no request is being answered', async () => {
    const afterAck = createAfterAck(silentLogger, createAnswering(QUIET_MS), 5_000);
    const { started, work } = startedLog();
    afterAck.run('modal', work('modal'));
    await afterAck.idle();
    expect(started).toEqual(['modal']);
  });

  it('waits while a request is being answered, and starts once the server has been quiet', async () => {
    const answering = createAnswering(QUIET_MS);
    const afterAck = createAfterAck(silentLogger, answering, 5_000);
    const { started, work } = startedLog();
    const answered = answering.begin();
    afterAck.run('modal', work('modal'));
    await sleep(100);
    expect(started).toEqual([]);

    answered();
    expect(started).toEqual([]);
    await pollUntil('the modal to be opened', () => started.length === 1, { timeoutMs: 2_000, intervalMs: 5 });
    expect(started).toEqual(['modal']);
  });

  it('keeps waiting while the requests of a burst keep coming', async () => {
    // A long quiet period, so that a slow machine still sends the next request well within it.
    const answering = createAnswering(300);
    const afterAck = createAfterAck(silentLogger, answering, 5_000);
    const { started, work } = startedLog();
    afterAck.run('first modal', work('first modal'));
    for (let i = 0; i < 5; i += 1) {
      answering.begin()();
      await sleep(20);
    }
    expect(started).toEqual([]);
    await afterAck.idle();
    expect(started).toEqual(['first modal']);
  });

  it('starts after its longest wait even while requests are still being answered', async () => {
    const answering = createAnswering(QUIET_MS);
    const afterAck = createAfterAck(silentLogger, answering, 150);
    const { started, work } = startedLog();
    answering.begin();
    afterAck.run('modal', work('modal'));
    await afterAck.idle();
    expect(started).toEqual(['modal']);
    expect(answering.quietInMs()).toBeGreaterThan(0);
  });

  it('runs deferred work in the order it was asked for', async () => {
    const answering = createAnswering(QUIET_MS);
    const afterAck = createAfterAck(silentLogger, answering, 5_000);
    const { started, work } = startedLog();
    const answered = answering.begin();
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) afterAck.run(name, work(name));
    answered();
    await afterAck.idle();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('a look at the outbox', () => {
  it('waits for the answers, or for its longest wait', async () => {
    const answering = createAnswering(QUIET_MS);
    const looks: string[] = [];
    answering.begin();
    answering.afterAnswers(() => looks.push('look'), 120);
    await sleep(60);
    expect(looks).toEqual([]);
    await pollUntil('the look', () => looks.length === 1, { timeoutMs: 2_000, intervalMs: 5 });
  });
});
