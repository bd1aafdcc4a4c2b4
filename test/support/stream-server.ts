/**
 * One loopback stream server (harness/stream-server.ts: the exchanges' real stream formats) for a
 * test file: started before its tests, closed after. Call at the top level of the file.
 */
import { afterAll, beforeAll } from 'vitest';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';

/** @returns a getter for the file's server (valid inside tests and hooks). */
export function useStreamServer(): () => StreamServer {
  let server: StreamServer | undefined;
  beforeAll(async () => {
    server = await startStreamServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('stream server not started (useStreamServer must be called at the top level)');
    return server;
  };
}
