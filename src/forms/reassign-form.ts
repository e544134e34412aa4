import { REASSIGN_BLOCK } from '../ids.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

/** 担当を変更: the new owner's user id. */
export function readReassignForm(values: StateValues): FormResult<string> {
  const form = new FormReader(values);
  const ownerId = form.user(REASSIGN_BLOCK.owner, { label: '新しい担当営業' });
  return form.result(ownerId ?? '');
}
