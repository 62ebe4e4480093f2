export { Layout, CsrfField, type NavLink } from './layout.tsx';
export { TextField, SelectField, CheckboxField, type FieldErrors } from './form.tsx';
export { sendPage } from './render.ts';
export { stylesheet } from './tokens.css.ts';
export { chrome, type Chrome } from './chrome.ts';
export { renderErrorPage } from './error.page.tsx';
