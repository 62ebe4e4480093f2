/** Where a product's picture is served; the version in the query makes a changed picture a new URL, so browsers may keep each one for long. */
export const productImageUrl = (productId: string, updatedAt: Date) => `/catalog/products/${productId}/image?v=${updatedAt.getTime().toString(36)}`;
