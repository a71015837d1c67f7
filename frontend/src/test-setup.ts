import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/svelte';

// jsdom does not lay out pages; the router scrolls to the top on navigation.
window.scrollTo = () => {};

// On a loaded CI machine a page can take more than the default second to appear.
configure({ asyncUtilTimeout: 5000 });
