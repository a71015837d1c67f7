import { mount } from 'svelte';
import App from './App.svelte';
import './styles.scss';

// What GOV.UK's template does in an inline script, done here because the CSP allows no inline
// scripts: it tells the CSS and the components that JavaScript is running.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('govuk-frontend-supported');

// The app replaces the page index.html draws while it loads.
const target = document.getElementById('app')!;
target.replaceChildren();
mount(App, { target });
