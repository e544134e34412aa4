import type { BenchCase } from '../support/runner.js';
import { answerCases } from './answers.js';
import { baseline, coreCases } from './core.js';
import { housekeepingCases } from './housekeeping.js';
import { searchCases } from './search.js';

export { baseline };

/** Every case after the baseline, in the order they run. A new case goes in a file here and in this list. */
export const cases: BenchCase[] = [...coreCases, ...answerCases, ...searchCases, ...housekeepingCases];
