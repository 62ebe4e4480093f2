import type { ComponentChildren } from 'preact';

/** A till tool in place of the product grid: the ticket stays where it is, one tap goes back. */
export function ToolFrame({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  return (
    <section class="register-tool" aria-labelledby="tool-title">
      <div class="register-tool-head">
        <h2 id="tool-title">{title}</h2>
        <button type="button" class="button secondary" onClick={onClose}>
          Back to products
        </button>
      </div>
      {children}
    </section>
  );
}
