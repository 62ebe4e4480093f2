/** Plinth's mark: a plinth (two steps) in the primary colour; the favicon and the top bar's logo. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f5f8b"/><rect x="9" y="9" width="14" height="6" rx="1" fill="#fff"/><rect x="6" y="17" width="20" height="6" rx="1" fill="#fff" opacity=".85"/></svg>`;
