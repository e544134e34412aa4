import { ADVICE_BLOCK } from '../ids.js';
import { LIMITS } from '../workflow/catalog.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

export function readAdviceForm(values: StateValues): FormResult<string> {
  const form = new FormReader(values);
  const text = form.text(ADVICE_BLOCK.text, {
    required: true,
    max: LIMITS.advice,
    multiline: true,
    label: '助言・戦略の指示',
  });
  return form.result(text ?? '');
}
