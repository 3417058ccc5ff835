/** Jest setup after the environment: whatever a spec file left open is closed after it (leftovers.ts). */
import { afterAll } from '@jest/globals';
import { closeLeftovers } from './leftovers.js';

afterAll(closeLeftovers);
