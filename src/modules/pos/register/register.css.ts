/** The register's own styles, on top of the design tokens of /assets/plinth.css. */
export const registerStylesheet = /* css */ `
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.register-bar { display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-6); align-items: baseline; margin-bottom: var(--space-4); }
.register-bar h1 { margin: 0; }
.register-bar p { margin: 0; }
.register-unsynced { font-size: var(--text-lg); }
.register-unsynced.pending { color: var(--color-danger); }
.register-messages .alert:empty { display: none; }
.register-panel { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-4) var(--space-6); max-width: 36rem; }
.register-selling { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: var(--space-6); }
@media (max-width: 56rem) { .register-selling { grid-template-columns: 1fr; } }
.register-grid { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: var(--space-3); }
.register-product { width: 100%; min-height: 5.5rem; display: flex; flex-direction: column; align-items: flex-start; gap: var(--space-1); padding: var(--space-3); border: 1px solid var(--color-border); border-radius: var(--radius); background: var(--color-surface); font: inherit; text-align: left; cursor: pointer; }
.register-product:hover { border-color: var(--color-primary); }
.register-product-name { font-weight: 600; }
.register-ticket { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-4); }
.register-ticket h2 { margin-top: 0; }
.register-qty { display: inline-flex; align-items: center; gap: var(--space-2); }
.register-qty .button { min-width: var(--touch-target); justify-content: center; padding: 0; }
.register-discount { width: 4.5rem; min-height: var(--touch-target); padding: 0 var(--space-2); border: 1px solid var(--color-border); border-radius: var(--radius); font: inherit; }
.register-totals { display: grid; grid-template-columns: auto auto; gap: var(--space-1) var(--space-4); justify-content: start; }
.register-totals dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.register-tenders { padding-left: var(--space-4); }
.register-tenders li { margin-bottom: var(--space-2); }
.register-tender-inputs { display: flex; flex-wrap: wrap; gap: var(--space-3); }
.register-actions { display: flex; flex-wrap: wrap; gap: var(--space-3); margin: var(--space-4) 0; }
.register-touch { min-height: 3.5rem; font-size: var(--text-lg); }
.register-receipt { border-top: 2px dashed var(--color-border); margin-top: var(--space-4); padding-top: var(--space-3); }
.register-receipt.provisional h3 { color: var(--color-danger); }
.register-override { border: 2px solid var(--color-danger); border-radius: var(--radius); padding: var(--space-3) var(--space-4); margin-bottom: var(--space-4); }
@media print {
  .app-header, .skip-link, .register-bar, .register-messages, .register-products, .register-ticket > :not(.register-receipt) { display: none !important; }
  .register-selling { display: block; }
  .register-ticket { border: 0; }
  .register-receipt button { display: none; }
}
`;
