/** Design tokens as CSS custom properties, and the few base rules every page shares. */
export const stylesheet = /* css */ `
:root {
  --color-bg: #f5f6f4;
  --color-surface: #ffffff;
  --color-surface-alt: #eef1f3;
  --color-text: #1d1d1b;
  --color-muted: #585853;
  --color-border: #d9dbd6;
  --color-primary: #1f5f8b;
  --color-primary-strong: #174a6d;
  --color-primary-soft: #e6eff6;
  --color-primary-text: #ffffff;
  --color-danger: #a4262c;
  --color-danger-bg: #fdf0f0;
  --color-success: #1e6b34;
  --color-success-bg: #eef7ee;
  --color-warning-bg: #fff7e0;
  --color-focus: #f2b01e;
  --font-body: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --font-mono: ui-monospace, "SFMono-Regular", Menlo, monospace;
  /* Type scale (1.2 ratio): caption, body, h3, h2, h1, display. */
  --text-xs: 0.75rem;
  --text-sm: 0.875rem;
  --text-md: 1rem;
  --text-lg: 1.2rem;
  --text-xl: 1.5rem;
  --text-2xl: 1.875rem;
  /* Spacing: a 4 px grid. */
  --space-1: 0.25rem;
  --space-2: 0.5rem;
  --space-3: 0.75rem;
  --space-4: 1rem;
  --space-5: 1.25rem;
  --space-6: 1.5rem;
  --space-8: 2rem;
  --space-12: 3rem;
  --radius: 6px;
  --radius-lg: 10px;
  --shadow: 0 1px 2px rgb(0 0 0 / 6%), 0 1px 1px rgb(0 0 0 / 4%);
  --touch-target: 44px;
  /* Density: rows of lists and tables; forms keep the touch target. */
  --row-padding: var(--space-2) var(--space-3);
  --nav-width: 14rem;
  --content-width: 72rem;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: var(--font-body); font-size: var(--text-md); color: var(--color-text); background: var(--color-bg); line-height: 1.5; }
a { color: var(--color-primary); text-underline-offset: 2px; }
a:hover { color: var(--color-primary-strong); }
:focus-visible { outline: 3px solid var(--color-focus); outline-offset: 2px; }
img, svg { max-width: 100%; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: var(--space-4); top: var(--space-4); background: var(--color-surface); padding: var(--space-2); z-index: 10; }

/* Top bar: brand, business (and switcher), account. */
.topbar { display: flex; align-items: center; gap: var(--space-4); min-height: 3.5rem; padding: 0 var(--space-6); background: var(--color-surface); border-bottom: 1px solid var(--color-border); position: relative; z-index: 5; }
.topbar .brand { display: inline-flex; align-items: center; gap: var(--space-2); font-weight: 700; font-size: var(--text-lg); text-decoration: none; color: var(--color-text); }
.topbar .business { font-weight: 600; color: var(--color-text); padding-left: var(--space-4); border-left: 1px solid var(--color-border); }
.topbar-end { margin-left: auto; display: flex; align-items: center; gap: var(--space-4); }
.topbar-end form { margin: 0; }
.switcher { position: relative; }
.switcher summary { cursor: pointer; list-style: none; display: inline-flex; align-items: center; gap: var(--space-1); min-height: var(--touch-target); }
.switcher summary::-webkit-details-marker { display: none; }
.switcher summary::after { content: "▾"; color: var(--color-muted); }
.switcher .menu { position: absolute; top: 100%; left: var(--space-4); min-width: 16rem; background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); box-shadow: 0 8px 24px rgb(0 0 0 / 12%); padding: var(--space-2); display: flex; flex-direction: column; }
.switcher .menu p { margin: var(--space-1) var(--space-2); font-size: var(--text-sm); font-weight: 400; }
.switcher .menu button { text-align: left; font: inherit; font-weight: 400; background: none; border: 0; border-radius: var(--radius); padding: var(--space-2); min-height: var(--touch-target); cursor: pointer; color: var(--color-text); }
.switcher .menu button:hover { background: var(--color-primary-soft); }

/* The frame: grouped navigation beside the page on wide screens, a menu above it on narrow ones. */
.frame { display: block; }
.app-nav { background: var(--color-surface); border-bottom: 1px solid var(--color-border); }
.app-nav > summary { cursor: pointer; padding: var(--space-3) var(--space-6); font-weight: 600; min-height: var(--touch-target); }
.app-nav nav { padding: var(--space-2) var(--space-4) var(--space-4); }
.app-nav h2 { font-size: var(--text-xs); text-transform: uppercase; letter-spacing: 0.06em; color: var(--color-muted); margin: var(--space-4) var(--space-3) var(--space-1); }
.app-nav ul { list-style: none; margin: 0; padding: 0; }
.app-nav a { display: flex; align-items: center; min-height: 2.25rem; padding: 0 var(--space-3); border-radius: var(--radius); text-decoration: none; color: var(--color-text); }
.app-nav a:hover { background: var(--color-surface-alt); color: var(--color-text); }
.app-nav a[aria-current="page"] { background: var(--color-primary-soft); color: var(--color-primary-strong); font-weight: 600; }
.app-nav .nav-home { margin: var(--space-2) 0 0; font-weight: 600; }
@media (min-width: 60rem) {
  body.with-nav .frame { display: grid; grid-template-columns: var(--nav-width) minmax(0, 1fr); min-height: calc(100vh - 3.5rem); }
  .app-nav { border-bottom: 0; border-right: 1px solid var(--color-border); }
  .app-nav > summary { display: none; }
  .app-nav::details-content { content-visibility: visible; display: block; }
  .app-nav nav { position: sticky; top: 0; }
}
main { width: 100%; max-width: var(--content-width); margin: 0 auto; padding: var(--space-6); min-width: 0; overflow-x: auto; }
body.with-nav main { margin: 0; }

/* Page header: breadcrumbs and the page's primary action. */
.page-header { display: flex; align-items: center; justify-content: space-between; gap: var(--space-4); flex-wrap: wrap; margin-bottom: var(--space-3); min-height: 1.5rem; }
.breadcrumbs ol { display: flex; flex-wrap: wrap; gap: var(--space-1); list-style: none; margin: 0; padding: 0; font-size: var(--text-sm); color: var(--color-muted); }
.breadcrumbs li + li::before { content: "›"; margin-right: var(--space-1); }

/* Type scale. */
h1 { font-size: var(--text-2xl); line-height: 1.2; margin: 0 0 var(--space-6); }
h1 .subtitle { display: block; font-size: var(--text-md); font-weight: 400; color: var(--color-muted); margin-top: var(--space-1); }
h2 { font-size: var(--text-xl); line-height: 1.25; margin: var(--space-8) 0 var(--space-3); }
h3 { font-size: var(--text-lg); margin: var(--space-6) 0 var(--space-2); }
p { margin: 0 0 var(--space-4); }
.lead { font-size: var(--text-lg); color: var(--color-muted); max-width: 40rem; }
code, pre { font-family: var(--font-mono); font-size: var(--text-sm); }

.toolbar { display: flex; gap: var(--space-3); align-items: end; flex-wrap: wrap; margin-bottom: var(--space-4); }
.button-row { display: flex; gap: var(--space-3); flex-wrap: wrap; align-items: center; }
.button { display: inline-flex; align-items: center; justify-content: center; gap: var(--space-2); min-height: var(--touch-target); padding: 0 var(--space-5); border-radius: var(--radius); border: 1px solid var(--color-primary); background: var(--color-primary); color: var(--color-primary-text); font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; white-space: nowrap; }
.button:hover { background: var(--color-primary-strong); color: var(--color-primary-text); }
.button.secondary { background: var(--color-surface); color: var(--color-primary); }
.button.secondary:hover { background: var(--color-primary-soft); }
.button.quiet { background: none; border-color: transparent; color: var(--color-primary); font-weight: 400; padding: 0 var(--space-2); }
.button.quiet:hover { background: var(--color-surface-alt); }
button[disabled], .button[aria-disabled="true"] { opacity: 0.55; cursor: not-allowed; }

/* Tables: full width; long words wrap inside their cell rather than widening the page. */
table.data { width: 100%; border-collapse: collapse; background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); font-size: var(--text-sm); }

table.data th, table.data td { text-align: left; padding: var(--row-padding); border-bottom: 1px solid var(--color-border); vertical-align: top; overflow-wrap: break-word; }
table.data thead th { background: var(--color-surface-alt); font-weight: 600; white-space: nowrap; }
table.data tbody tr:hover { background: #fafbfa; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }

/* Forms. */
.field { display: flex; flex-direction: column; gap: var(--space-1); margin-bottom: var(--space-4); max-width: 28rem; }
.field label { font-weight: 600; }
.field input, .field select, .field textarea, input[type="text"], input[type="number"], input[type="search"], input[type="email"], input[type="date"], input[type="password"], select, textarea { min-height: var(--touch-target); padding: 0 var(--space-3); border: 1px solid var(--color-border); border-radius: var(--radius); font: inherit; background: var(--color-surface); color: inherit; }
textarea { padding: var(--space-2) var(--space-3); min-height: 6rem; width: 100%; }
.field input[aria-invalid="true"], .field select[aria-invalid="true"], .field textarea[aria-invalid="true"] { border-color: var(--color-danger); }
.field .hint { color: var(--color-muted); font-size: var(--text-sm); }
.field .error { color: var(--color-danger); font-size: var(--text-sm); }
.field.checkbox { flex-direction: row; align-items: center; }
.field.checkbox input { min-height: auto; width: 1.25rem; height: 1.25rem; }
.checkbox-group { border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-2) var(--space-4); margin: 0 0 var(--space-4); background: var(--color-surface); }
.checkbox-group > .error { display: block; color: var(--color-danger); font-size: var(--text-sm); }
.checkbox-group legend { font-weight: 600; padding: 0 var(--space-1); }
.checkbox-group .field.checkbox { margin-bottom: var(--space-2); flex-wrap: wrap; gap: var(--space-2); }
.checkbox-group .hint { flex-basis: 100%; margin-left: calc(1.25rem + var(--space-2)); }
.actions { display: flex; flex-direction: column; gap: var(--space-2); }

.alert { padding: var(--space-3) var(--space-4); border-radius: var(--radius); margin-bottom: var(--space-4); background: var(--color-warning-bg); border: 1px solid #f0dfa8; }
.alert.error { background: var(--color-danger-bg); color: var(--color-danger); border-color: #f1c9cb; }
.alert.success { background: var(--color-success-bg); color: var(--color-success); border-color: #cfe5cf; }
.pagination { display: flex; gap: var(--space-4); align-items: center; margin-top: var(--space-4); }
.badge { display: inline-block; font-size: var(--text-xs); font-weight: 600; padding: 0 var(--space-2); border-radius: 999px; border: 1px solid var(--color-border); background: var(--color-surface-alt); }
.muted { color: var(--color-muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: var(--space-4); list-style: none; padding: 0; }
.card { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius-lg); padding: var(--space-4) var(--space-5); box-shadow: var(--shadow); }

/* Empty states: what is missing and the next step. */
.empty-state { background: var(--color-surface); border: 1px dashed var(--color-border); border-radius: var(--radius-lg); padding: var(--space-8); text-align: center; }
.empty-state .button-row { justify-content: center; }
.empty-state.compact { padding: var(--space-4); border-style: dashed; }
.empty-state.compact p { color: var(--color-muted); }
.hero { padding: var(--space-12) 0; max-width: 44rem; }

/* Dashboard. */
.dashboard { display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: var(--space-4); align-items: start; }
.dashboard-card.wide { grid-column: span 2; }
@media (max-width: 44rem) { .dashboard-card.wide { grid-column: auto; } }
.dashboard-card h2 { font-size: var(--text-sm); font-weight: 600; color: var(--color-muted); margin: 0 0 var(--space-2); text-transform: uppercase; letter-spacing: 0.04em; }
.dashboard-card .headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: var(--space-2); margin-bottom: var(--space-3); }
.dashboard-card .figure { font-size: var(--text-2xl); font-weight: 700; font-variant-numeric: tabular-nums; }
.trend { font-size: var(--text-sm); font-weight: 600; }
.trend.up { color: var(--color-success); }
.trend.down { color: var(--color-danger); }
.trend.flat { color: var(--color-muted); }
.card-list { list-style: none; margin: 0; padding: 0; }
.card-list li { display: flex; justify-content: space-between; gap: var(--space-3); padding: var(--space-2) 0; border-bottom: 1px solid var(--color-surface-alt); font-size: var(--text-sm); }
.card-list li:last-child { border-bottom: 0; }
.card-link { margin: var(--space-3) 0 0; font-size: var(--text-sm); }
.chart { margin: 0 0 var(--space-2); }
.chart svg { width: 100%; height: auto; max-height: 11rem; display: block; }
.chart .bar { fill: #9dbdd4; }
.chart .bar.current { fill: var(--color-primary); }
.chart .axis { stroke: var(--color-border); }
.chart text { font-size: 9px; fill: var(--color-muted); }
.chart figcaption { font-size: var(--text-xs); }

@media (max-width: 40rem) {
  .topbar { padding: 0 var(--space-4); gap: var(--space-2); flex-wrap: wrap; }
  main { padding: var(--space-4); }
  h1 { font-size: var(--text-xl); }
}
.table-scroll { overflow-x: auto; }
table.role-grid th[scope="col"]:not(:first-child), table.role-grid td { text-align: center; }
table.role-grid th.group { background: var(--color-bg); font-size: var(--text-sm); text-transform: uppercase; letter-spacing: 0.04em; }
table.role-grid td.granted { font-weight: 600; }
table.role-grid td.not-granted { color: var(--color-muted); }
table.role-grid .badge { display: block; margin-top: var(--space-1); font-weight: normal; }
`;
