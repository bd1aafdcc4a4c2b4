/** Vitest setup for unit and integration tests: in-memory runtime ports on WXT's fake browser. */
import { beforeEach } from 'vitest';
import { installRuntimePorts, onConnect } from './runtime-ports';

installRuntimePorts();
beforeEach(() => onConnect.clear());
