/** Design tokens as CSS custom properties, and the few base rules every page shares. */
export const stylesheet = /* css */ `
:root {
  --color-bg: #f7f7f5;
  --color-surface: #ffffff;
  --color-text: #1d1d1b;
  --color-muted: #5c5c57;
  --color-border: #d6d6d0;
  --color-primary: #1f5f8b;
  --color-primary-text: #ffffff;
  --color-danger: #a4262c;
  --color-danger-bg: #fdf0f0;
  --color-success-bg: #eef7ee;
  --color-focus: #f2b01e;
  --font-body: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --font-mono: ui-monospace, "SFMono-Regular", Menlo, monospace;
  --text-sm: 0.875rem;
  --text-md: 1rem;
  --text-lg: 1.25rem;
  --text-xl: 1.75rem;
  --space-1: 0.25rem;
  --space-2: 0.5rem;
  --space-3: 0.75rem;
  --space-4: 1rem;
  --space-6: 1.5rem;
  --space-8: 2rem;
  --radius: 6px;
  --touch-target: 44px;
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: var(--font-body); font-size: var(--text-md); color: var(--color-text); background: var(--color-bg); line-height: 1.5; }
a { color: var(--color-primary); }
:focus-visible { outline: 3px solid var(--color-focus); outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: var(--space-4); top: var(--space-4); background: var(--color-surface); padding: var(--space-2); }
.app-header { display: flex; align-items: center; gap: var(--space-6); padding: var(--space-3) var(--space-6); background: var(--color-surface); border-bottom: 1px solid var(--color-border); flex-wrap: wrap; }
.app-header .brand { font-weight: 700; font-size: var(--text-lg); text-decoration: none; color: var(--color-text); }
.app-header nav ul { display: flex; gap: var(--space-4); list-style: none; margin: 0; padding: 0; }
.app-header .tenant { margin-left: auto; color: var(--color-muted); font-size: var(--text-sm); }
main { max-width: 72rem; margin: 0 auto; padding: var(--space-6); }
h1 { font-size: var(--text-xl); margin: 0 0 var(--space-4); }
.toolbar { display: flex; gap: var(--space-3); align-items: end; flex-wrap: wrap; margin-bottom: var(--space-4); }
.button { display: inline-flex; align-items: center; min-height: var(--touch-target); padding: 0 var(--space-4); border-radius: var(--radius); border: 1px solid var(--color-primary); background: var(--color-primary); color: var(--color-primary-text); font: inherit; text-decoration: none; cursor: pointer; }
.button.secondary { background: var(--color-surface); color: var(--color-primary); }
table.data { width: 100%; border-collapse: collapse; background: var(--color-surface); border: 1px solid var(--color-border); }
table.data th, table.data td { text-align: left; padding: var(--space-2) var(--space-3); border-bottom: 1px solid var(--color-border); }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
.field { display: flex; flex-direction: column; gap: var(--space-1); margin-bottom: var(--space-4); max-width: 28rem; }
.field label { font-weight: 600; }
.field input, .field select { min-height: var(--touch-target); padding: 0 var(--space-3); border: 1px solid var(--color-border); border-radius: var(--radius); font: inherit; background: var(--color-surface); }
.field input[aria-invalid="true"] { border-color: var(--color-danger); }
.field .hint { color: var(--color-muted); font-size: var(--text-sm); }
.field .error { color: var(--color-danger); font-size: var(--text-sm); }
.field.checkbox { flex-direction: row; align-items: center; }
.field.checkbox input { min-height: auto; width: 1.25rem; height: 1.25rem; }
.checkbox-group { border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-2) var(--space-4); margin: 0 0 var(--space-4); }
.checkbox-group > .error { display: block; color: var(--color-danger); font-size: var(--text-sm); }
.checkbox-group legend { font-weight: 600; padding: 0 var(--space-1); }
.checkbox-group .field.checkbox { margin-bottom: var(--space-2); flex-wrap: wrap; gap: var(--space-2); }
.checkbox-group .hint { flex-basis: 100%; margin-left: calc(1.25rem + var(--space-2)); }
.actions { display: flex; flex-direction: column; gap: var(--space-2); }
.alert { padding: var(--space-3) var(--space-4); border-radius: var(--radius); margin-bottom: var(--space-4); }
.alert.error { background: var(--color-danger-bg); color: var(--color-danger); }
.alert.success { background: var(--color-success-bg); }
.pagination { display: flex; gap: var(--space-4); align-items: center; margin-top: var(--space-4); }
.badge { font-size: var(--text-sm); padding: 0 var(--space-2); border-radius: var(--radius); border: 1px solid var(--color-border); }
.muted { color: var(--color-muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: var(--space-4); list-style: none; padding: 0; }
.card { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-4); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.table-scroll { overflow-x: auto; }
table.role-grid th[scope="col"]:not(:first-child), table.role-grid td { text-align: center; }
table.role-grid th.group { background: var(--color-bg); font-size: var(--text-sm); text-transform: uppercase; letter-spacing: 0.04em; }
table.role-grid td.granted { font-weight: 600; }
table.role-grid td.not-granted { color: var(--color-muted); }
table.role-grid .badge { display: block; margin-top: var(--space-1); font-weight: normal; }
`;
