import '@testing-library/jest-dom/vitest';

// jsdom does not lay out pages; the router scrolls to the top on navigation.
window.scrollTo = () => {};
