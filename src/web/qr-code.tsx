import encodeQR from 'qr';

/** Light modules around the code that scanners need to find it (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/** The dark modules of a QR matrix as one SVG path, a rectangle per horizontal run. */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  let path = '';
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      const width = x - start + 1;
      path += `M${start} ${y}h${width}v1h-${width}z`;
    }
  });
  return path;
}

interface QrCodeProps {
  /** What the code encodes, e.g. an otpauth:// URL. */
  text: string;
  /** Read out to screen readers instead of the picture. */
  label: string;
  size?: number;
}

/** A QR code drawn on the server as inline SVG: no script, no image request, nothing for the CSP to allow. */
export function QrCode({ text, label, size = 220 }: QrCodeProps) {
  const matrix = encodeQR(text, 'raw', { ecc: 'medium', border: QUIET_ZONE });
  const modules = matrix.length;
  return (
    <svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${modules} ${modules}`} width={size} height={size} role="img" aria-label={label}>
      <rect width={modules} height={modules} fill="#ffffff" />
      <path d={qrPath(matrix)} fill="#000000" />
    </svg>
  );
}
