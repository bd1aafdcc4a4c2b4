#!/usr/bin/env node
/**
 * Writes the extension icons public/icon/{16,24,32,48,96,128}.png (WXT picks them up for the manifest;
 * notifications need an icon): a shield-like gauge — a dark rounded square with a coloured arc and
 * a needle. Node built-ins only (zlib for the PNG IDAT stream). Run: `node scripts/make-icons.mjs`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'icon');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Coverage of one pixel by the shape, 4×4 supersampled (anti-aliasing). */
function draw(x, y, size) {
  const S = 4;
  let acc = [0, 0, 0, 0];
  for (let sy = 0; sy < S; sy++) {
    for (let sx = 0; sx < S; sx++) {
      const u = (x + (sx + 0.5) / S) / size; // 0..1
      const v = (y + (sy + 0.5) / S) / size;
      const [r, g, b, a] = sample(u, v);
      acc = [acc[0] + r * a, acc[1] + g * a, acc[2] + b * a, acc[3] + a];
    }
  }
  if (acc[3] === 0) return [0, 0, 0, 0];
  // Colour: alpha-weighted mean; alpha: mean coverage.
  return [Math.round(acc[0] / acc[3]), Math.round(acc[1] / acc[3]), Math.round(acc[2] / acc[3]), Math.round((acc[3] / (S * S)) * 255)];
}

function sample(u, v) {
  // Rounded square background.
  const r = 0.2;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0]; // [r, g, b, alpha 0..1]
  let col = [23, 32, 48];
  // Gauge arc: centre (0.5, 0.62), radius 0.30..0.40, upper half; green → amber → red left to right.
  const cx = 0.5, cy = 0.64;
  const ddx = u - cx, ddy = v - cy;
  const d = Math.hypot(ddx, ddy);
  const ang = Math.atan2(-ddy, ddx); // 0 right, π left
  if (d > 0.27 && d < 0.39 && ang > 0 && ang < Math.PI) {
    const t = 1 - ang / Math.PI; // 0 left … 1 right
    col = t < 0.5 ? [46, 170, 80] : t < 0.78 ? [245, 180, 20] : [225, 50, 45];
  }
  // Needle toward 70 % (from the centre, up-right).
  const na = Math.PI * (1 - 0.7);
  const nx = Math.cos(na), ny = -Math.sin(na);
  const along = ddx * nx + ddy * ny;
  const across = Math.abs(ddx * ny - ddy * nx);
  if (along > -0.02 && along < 0.33 && across < 0.035) col = [240, 244, 250];
  if (d < 0.07) col = [240, 244, 250];
  return [col[0], col[1], col[2], 1];
}

mkdirSync(outDir, { recursive: true });
// Every size the stores and browsers ask for: toolbar 16/32 (and 24 on some Linux themes), extensions
// page 48/96 (Firefox asks for 48 and 96), Chrome Web Store and install dialog 128.
for (const size of [16, 24, 32, 48, 96, 128]) {
  writeFileSync(join(outDir, `${size}.png`), png(size, draw));
  process.stdout.write(`public/icon/${size}.png\n`);
}
