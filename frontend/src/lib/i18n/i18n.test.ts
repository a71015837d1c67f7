import { describe, expect, it } from 'vitest';
import { en } from './en';
import { plural, t } from './index.svelte';

describe('messages', () => {
  it('fills placeholders, including ones with spaces', () => {
    expect(t('page.titleSuffix', { page: 'Sign in' })).toBe('Sign in – youthhub');
    expect(t('register.passwordHint', { 'three words': 'teapot river comet' })).toBe(
      'Use at least 12 characters. Three random words work well, for example: teapot river comet',
    );
  });

  it('picks the plural form', () => {
    expect(plural('session.spaces', 1)).toBe('1 space left');
    expect(plural('session.spaces', 3)).toBe('3 spaces left');
  });

  it('has no empty message', () => {
    for (const [key, text] of Object.entries(en)) expect(text, key).not.toBe('');
  });
});
