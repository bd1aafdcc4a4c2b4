// A minimal zip reader (stored and deflated entries, as `wxt zip` writes them), Node built-ins only:
// scripts/check-manifests.mjs reads the packaged manifests with it, scripts/lint-firefox.mjs unpacks
// the AMO package for web-ext lint.
import { inflateRawSync } from 'node:zlib';

/**
 * Files of a zip archive: name (no leading slash) → contents. Directories are left out.
 * @throws Error when `buf` is not a zip or uses another compression method.
 */
export function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + compressed);
    if (!name.endsWith('/')) files.set(name.replace(/^\//, ''), method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported zip method ${method}`);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

