import { t } from '../i18n/index.svelte';

/**
 * passwordHint is the advice shown under every "new password" field (sign-up, choosing a new
 * one): the length the server asks for and three example words, picked at random on each call so
 * that the example is not the same for everyone.
 */
export function passwordHint(): string {
  const words = t('register.passwordWords').split(' ');
  const picked: string[] = [];
  while (picked.length < 3 && words.length) picked.push(words.splice(Math.floor(Math.random() * words.length), 1)[0]!);
  return t('register.passwordHint', { 'three words': picked.join(' ') });
}
