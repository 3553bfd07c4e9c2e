// Draws the Feige app icons (a paper plane on a blue tile) and writes them as
// PNG files into web/public/icons. Uses only node:zlib: no network, no image
// library. Run with `node scripts/make-icons.mjs` after changing the design.

import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../web/public/icons/', import.meta.url));

/** Subsamples per axis and pixel; 4 gives 16 samples, enough for smooth edges. */
const SUPERSAMPLING = 4;

const TILE_TOP = [0x5b, 0x93, 0xff];
const TILE_BOTTOM = [0x2f, 0x6f, 0xed];
const WING_LIGHT = [0xff, 0xff, 0xff];
const WING_SHADE = [0xd6, 0xe4, 0xff];

/** Corner radius of the tile as a share of its side. */
const TILE_RADIUS = 0.22;

/** Paper plane in unit coordinates: the upper wing, the shaded lower wing and the fold under it. */
const UPPER_WING = [
  [0.18, 0.5],
  [0.82, 0.22],
  [0.43, 0.6],
];
const LOWER_WING = [
  [0.43, 0.6],
  [0.82, 0.22],
  [0.56, 0.8],
];
const FOLD = [
  [0.43, 0.6],
  [0.56, 0.8],
  [0.45, 0.74],
];

const ICONS = [
  { file: 'icon-192.png', size: 192, fullBleed: false, artScale: 1 },
  { file: 'icon-512.png', size: 512, fullBleed: false, artScale: 1 },
  // Maskable icons may be cut to a circle of 80% of the side, so the art shrinks into that zone.
  { file: 'icon-maskable-512.png', size: 512, fullBleed: true, artScale: 0.78 },
  // iOS rounds the corners itself and shows transparency as black.
  { file: 'apple-touch-icon-180.png', size: 180, fullBleed: true, artScale: 0.9 },
];

function insideTriangle(x, y, [a, b, c]) {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  const hasNegative = d1 < 0 || d2 < 0 || d3 < 0;
  const hasPositive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(hasNegative && hasPositive);
}

function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Colour of one sample point in unit coordinates, or null where the icon is transparent. */
function sample(x, y, { fullBleed, artScale }) {
  if (!fullBleed && !insideRoundedSquare(x, y, TILE_RADIUS)) return null;

  const artX = (x - 0.5) / artScale + 0.5;
  const artY = (y - 0.5) / artScale + 0.5;
  if (insideTriangle(artX, artY, FOLD)) return WING_SHADE.map((v) => v * 0.86);
  if (insideTriangle(artX, artY, LOWER_WING)) return WING_SHADE;
  if (insideTriangle(artX, artY, UPPER_WING)) return WING_LIGHT;

  return TILE_TOP.map((top, i) => top + (TILE_BOTTOM[i] - top) * y);
}

function render(icon) {
  const { size } = icon;
  const rgba = Buffer.alloc(size * size * 4);
  const step = 1 / SUPERSAMPLING;

  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const colour = sample((px + (sx + 0.5) * step) / size, (py + (sy + 0.5) * step) / size, icon);
          if (!colour) continue;
          covered++;
          for (let i = 0; i < 3; i++) sum[i] += colour[i];
        }
      }

      const offset = (py * size + px) * 4;
      if (covered === 0) continue;
      for (let i = 0; i < 3; i++) rgba[offset + i] = Math.round(sum[i] / covered);
      rgba[offset + 3] = Math.round((covered / SUPERSAMPLING ** 2) * 255);
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels as a PNG: colour type 6, no interlace, filter 0 on every row. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;

  const rowLength = size * 4;
  const raw = Buffer.alloc((rowLength + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (rowLength + 1) + 1, y * rowLength, (y + 1) * rowLength);

  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT_DIR, { recursive: true });
for (const icon of ICONS) {
  const png = encodePng(icon.size, render(icon));
  writeFileSync(new URL(icon.file, `file://${OUT_DIR}`), png);
  console.log(`wrote ${icon.file} (${icon.size}x${icon.size}, ${png.length} bytes)`);
}
