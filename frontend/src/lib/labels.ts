import type { AccessFeature, Category, ProviderType } from './api';
import { t } from './i18n/index.svelte';

/** providerLabel names who runs a centre. */
export const providerLabel = (p: ProviderType): string => t(`provider.${p}`);
/** accessLabel names an access feature. */
export const accessLabel = (a: AccessFeature): string => t(`access.${a}`);
/** categoryLabel names a kind of session. */
export const categoryLabel = (c: Category): string => t(`category.${c}`);
