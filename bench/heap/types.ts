/** Messages between the heap probe (probe.ts), its node (node.ts) and its fleet (fleet.ts). */
export interface MemSample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  /** V8 space name → committed bytes (new_space is both semi-spaces). */
  spaces: Record<string, number>;
}

export type ProbeRequest =
  | { kind: 'sample'; id: number; gc: boolean }
  | { kind: 'snapshot'; id: number; file: string }
  | { kind: 'exit' };

export type ProbeReply =
  | { kind: 'ready'; port: number }
  | { kind: 'sample'; id: number; sample: MemSample }
  | { kind: 'snapshot'; id: number; file: string };

export type FleetReply = { kind: 'connected'; connections: number } | { kind: 'stopped'; delivered: number };
