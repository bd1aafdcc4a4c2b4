/**
 * Per-run TLS certificate for the loopback exchange server. Generated with openssl into a
 * fresh temp dir that is deleted as soon as the PEMs are read: a key must never be committed
 * (the Firefox sources zip would ship it; stack.md §7.10).
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunCert {
  key: Buffer;
  cert: Buffer;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for `--ignore-certificate-errors-spki-list`. */
  spkiHash: string;
}

/** Self-signed cert (2 days) whose subjectAltName lists every host in `hosts`. */
export function makeRunCert(hosts: readonly string[]): RunCert {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-subj', `/CN=${hosts[0] ?? 'localhost'}`,
        '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
      ],
      { stdio: 'ignore' },
    );
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    const spkiHash = createHash('sha256').update(spki).digest('base64');
    return { key, cert, spkiHash };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
