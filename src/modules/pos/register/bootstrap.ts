/**
 * What the server hands the register island (as JSON in the page): plain data only, so the
 * island's client bundle imports no server code.
 */

export interface RegisterTaxRate {
  code: string;
  label: string;
  rateBp: number;
}

export interface RegisterSummary {
  id: string;
  name: string;
  code: string;
  deviceId: string | null;
  openShiftId: string | null;
  currency: string;
  pricesIncludeTax: boolean;
  taxRates: RegisterTaxRate[];
  defaultTaxCode: string;
  maxDiscountBp: number;
}

export interface ProductSummary {
  id: string;
  name: string;
  sku: string;
  priceMinor: number;
  currency: string;
  /** What a scanner reads (EAN/UPC or the business's own); unique within the business. */
  barcode: string | null;
  category: string | null;
  /** The product's picture for the till's grid (a cacheable, versioned URL). */
  imageUrl: string | null;
}

export interface StaffMember {
  userId: string;
  displayName: string;
}

export interface RegisterBootstrap {
  /** Slug of the business: the PIN sign-in names it. */
  tenantSlug: string;
  tenantName: string;
  /** For the few calls made with the browser user's session (registering this browser as a terminal). */
  csrfToken: string;
  /** When the server rendered this data; the island keeps whichever catalog copy is newer. */
  generatedAt: string;
  registers: RegisterSummary[];
  staff: StaffMember[];
  products: ProductSummary[];
}

/** The island's name: the client entry hydrates it, the page renders it. */
export const REGISTER_ISLAND = 'pos-register';
export const REGISTER_SW_ISLAND = 'pos-register-sw';
export const REGISTER_PATH = '/pos/register';
/** At /pos/ so its default scope covers /pos/register (a worker's scope cannot reach above its own folder). */
export const REGISTER_SW_PATH = '/pos/register-sw.js';
export const REGISTER_CSS_PATH = '/pos/register.css';
