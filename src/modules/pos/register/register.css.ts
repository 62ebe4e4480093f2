/**
 * The register's own styles, on top of the design tokens of /assets/plinth.css. The selling
 * screen fills the viewport: products scroll on the left, the ticket's lines scroll on the right,
 * and the totals and pay buttons stay pinned at the bottom of the ticket on every screen from
 * 1024×768 up.
 */
export const registerStylesheet = /* css */ `
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.till-body { background: var(--color-bg); }
main.till { max-width: none; margin: 0; padding: 0; height: 100vh; display: flex; flex-direction: column; }
.till > [data-island] { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.till [data-island-root] { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.till-banners { margin: 0; }
.till-banner { margin: 0; padding: 2px var(--space-4); font-size: var(--text-sm); background: #fff8e1; border-bottom: 1px solid var(--color-border); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.till-banner.critical, .till-banner.warning { background: var(--color-danger-bg); }
.register { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.register-bar { display: flex; align-items: center; gap: var(--space-2) var(--space-4); padding: var(--space-1) var(--space-4); background: #1d2b36; color: #fff; min-height: 52px; box-sizing: border-box; }
.register-who { display: flex; flex-direction: column; line-height: 1.25; flex: 1 1 auto; min-width: 0; overflow: hidden; }
.register-bar h1 { margin: 0; font-size: var(--text-md); white-space: nowrap; }
.register-bar p { margin: 0; font-size: inherit; }
.register-bar a { color: #fff; }
.register-bar .register-status { display: flex; gap: var(--space-3); align-items: center; white-space: nowrap; color: #d0d7de; font-size: .8125rem; }
.register-bar .register-tools { margin-left: auto; display: flex; gap: var(--space-2); flex-shrink: 0; }
.register-bar .register-tools .button { padding: 0 var(--space-3); font-size: var(--text-sm); white-space: nowrap; }
.register-bar .button.secondary { background: transparent; color: #fff; border-color: rgba(255,255,255,.55); }
.register-bar .button.secondary[aria-pressed="true"] { background: #fff; color: #1d2b36; }
.register-online::before { content: ''; display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; background: #3fb950; margin-right: var(--space-1); }
.register-online.offline::before { background: #f85149; }
.register-unsynced strong { color: #fff; }
.register-unsynced.pending strong { color: #ffb4ae; }
.register-messages { padding: 0 var(--space-4); }
.register-messages .alert { margin: var(--space-2) 0 0; padding: var(--space-2) var(--space-3); }
.register-messages .alert:empty, .register-messages div:empty { display: none; }
.register-panel { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-4) var(--space-6); max-width: 36rem; margin: var(--space-6) auto; }
.register-panel.wide { max-width: 52rem; }
.register-selling { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(25rem, 30rem); grid-template-rows: minmax(0, 1fr); gap: var(--space-3); padding: var(--space-3) var(--space-4); box-sizing: border-box; }
.register-products, .register-tool { display: flex; flex-direction: column; min-height: 0; gap: var(--space-2); }
.register-search { display: flex; gap: var(--space-2); align-items: end; }
.register-search .field { flex: 1; margin: 0; max-width: none; }
.register-search input { font-size: var(--text-lg); }
.register-categories { display: flex; gap: var(--space-2); overflow-x: auto; padding-bottom: 2px; flex-shrink: 0; }
.register-categories .button { white-space: nowrap; }
.register-categories .button[aria-pressed="true"] { background: var(--color-primary); color: var(--color-primary-text); }
.register-grid-scroll { flex: 1; min-height: 0; overflow-y: auto; }
.register-grid { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: var(--space-2); }
.register-product { width: 100%; min-height: 7rem; height: 100%; display: flex; flex-direction: column; align-items: stretch; gap: 2px; padding: 0; border: 1px solid var(--color-border); border-radius: var(--radius); background: var(--color-surface); font: inherit; text-align: left; cursor: pointer; overflow: hidden; }
.register-product:hover, .register-product:focus-visible { border-color: var(--color-primary); }
.register-product:active { transform: scale(.98); }
.register-product-image { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; background: #eef1f4; display: block; }
.register-product-swatch { width: 100%; aspect-ratio: 4 / 3; display: flex; align-items: center; justify-content: center; font-size: 1.75rem; font-weight: 700; color: #fff; }
.register-product-name { font-weight: 600; padding: var(--space-1) var(--space-2) 0; line-height: 1.25; font-size: var(--text-sm); }
.register-product-price { padding: 0 var(--space-2) var(--space-2); font-variant-numeric: tabular-nums; }
.register-ticket { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-3); display: flex; flex-direction: column; min-height: 0; gap: var(--space-2); }
.register-ticket h2 { margin: 0; font-size: var(--text-lg); }
.register-ticket-head { display: flex; justify-content: space-between; align-items: center; }
.register-ticket-body { flex: 1; min-height: 4rem; overflow-y: auto; }
.register-lines { table-layout: fixed; border: 0; }
.register-lines th, .register-lines td { padding: var(--space-1) var(--space-1); vertical-align: middle; }
.register-lines th[scope="row"] { font-weight: 500; overflow-wrap: anywhere; }
.register-lines .col-qty { width: 8.5rem; }
.register-lines .col-disc { width: 3.75rem; }
.register-lines .col-total { width: 5.5rem; text-align: right; }
.register-lines td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
.register-qty { display: inline-flex; align-items: center; gap: var(--space-1); }
.register-qty span { min-width: 1.5rem; text-align: center; }
.register-qty .button { min-width: var(--touch-target); justify-content: center; padding: 0; }
.register-discount { width: 100%; box-sizing: border-box; min-height: var(--touch-target); padding: 0 var(--space-1); border: 1px solid var(--color-border); border-radius: var(--radius); font: inherit; }
.register-foot { flex-shrink: 0; display: flex; flex-direction: column; gap: var(--space-2); border-top: 1px solid var(--color-border); padding-top: var(--space-2); }
.register-totals { display: grid; grid-template-columns: repeat(3, auto 1fr); gap: 0 var(--space-2); margin: 0; font-size: var(--text-sm); color: var(--color-muted); }
.register-totals dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.register-totals .grand { font-size: var(--text-xl); font-weight: 700; color: var(--color-text); }
.register-totals dd.grand { grid-column: span 3; text-align: left; padding-left: var(--space-2); }
.register-totals dt.grand { font-size: var(--text-lg); align-self: center; }
.register-totals .due { font-size: var(--text-md); color: var(--color-text); align-self: center; }
.register-inline-fields { display: grid; grid-template-columns: 7rem minmax(0, 1fr) minmax(0, 1fr); gap: var(--space-2); }
.register-inline-fields .field { margin: 0; max-width: none; }
.register-inline-fields label { font-size: var(--text-sm); color: var(--color-muted); white-space: nowrap; }
.register-inline-fields input { min-width: 0; width: 100%; box-sizing: border-box; }
.register-tenders { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: var(--space-1) var(--space-3); font-size: var(--text-sm); }
.register-tenders li { display: inline-flex; align-items: center; gap: var(--space-1); }
.register-tenders .button { min-width: var(--touch-target); justify-content: center; padding: 0; }
.register-pay { display: grid; grid-template-columns: repeat(3, 1fr); gap: var(--space-2); }
.register-pay .register-complete { grid-column: 1 / -1; font-size: var(--text-lg); font-weight: 600; }
.register-pay .button { font-size: var(--text-md); }
.register-touch { min-height: 3.25rem; font-size: var(--text-lg); justify-content: center; }
.register-change { margin: 0; font-weight: 700; font-size: var(--text-lg); }
.register-actions { display: flex; flex-wrap: wrap; gap: var(--space-3); margin: var(--space-4) 0; }
.register-receipt { border: 2px dashed var(--color-border); border-radius: var(--radius); padding: var(--space-2) var(--space-3); margin-top: var(--space-2); }
.register-receipt h3 { margin: 0 0 var(--space-1); font-size: var(--text-md); }
.register-receipt p { margin: 0 0 var(--space-1); }
.register-receipt-actions { display: flex; flex-wrap: wrap; gap: var(--space-2); }
.register-receipt.provisional h3 { color: var(--color-danger); }
.register-override { border: 2px solid var(--color-danger); border-radius: var(--radius); padding: var(--space-3) var(--space-4); margin-bottom: var(--space-4); }
.register-tool { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); padding: var(--space-3) var(--space-4); overflow-y: auto; }
.register-tool h2 { margin: 0; font-size: var(--text-lg); }
.register-tool-head { display: flex; justify-content: space-between; align-items: center; gap: var(--space-3); }
.register-tool .field { margin-bottom: var(--space-2); }
.register-sales { list-style: none; margin: 0; padding: 0; }
.register-sales > li { border-bottom: 1px solid var(--color-border); padding: var(--space-2) 0; }
.register-sale-row { display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-3); align-items: center; }
.register-sale-row .register-sale-what { flex: 1 1 100%; }
.register-sale-row .register-sale-what strong { font-variant-numeric: tabular-nums; }
.register-report { display: grid; grid-template-columns: auto auto; gap: var(--space-1) var(--space-6); justify-content: start; margin: 0; }
.register-report dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.register-segmented { display: flex; gap: var(--space-2); border: 0; padding: 0; margin: 0 0 var(--space-2); }
.register-segmented label { display: inline-flex; align-items: center; gap: var(--space-1); min-height: var(--touch-target); padding: 0 var(--space-3); border: 1px solid var(--color-border); border-radius: var(--radius); }
@media (max-width: 63rem) {
  .register-selling { grid-template-columns: minmax(0, 1fr) minmax(22rem, 26rem); }
}
@media (max-width: 46rem) {
  main.till { height: auto; min-height: 100vh; }
  .register-selling { grid-template-columns: 1fr; grid-template-rows: none; }
}
@media print {
  .till-banners, .register-bar, .register-messages, .register-products, .register-tool, .register-ticket > :not(.register-ticket-body), .register-ticket-body > :not(.register-receipt) { display: none !important; }
  .register-selling { display: block; height: auto; }
  .register-ticket { border: 0; }
  .register-receipt button { display: none; }
}
`;
