import type { DemoClient } from './demo-client.js';
import type { ProgressFactory } from './progress.js';

/** What every step of the demo needs. */
export interface DemoContext {
  client: DemoClient;
  runId: string;
  seed: number;
  scale: number;
  dataDir: string;
  progress: ProgressFactory;
  /** Lines for the person watching (stderr): what is happening now. */
  log: (line: string) => void;
  /** The demo's own account: platform admin, convener of both councils. */
  admin: { token: string; accountId: string };
  /** Every simulated person's password (they are made up for this run). */
  password: string;
  /** Fab units the demo equips outside the councils' regions (default 300 × scale). */
  units: number;
}

export const DOMAIN = 'demo.example.org';
