import type { DeviceView, FleetSpread, FleetView, NodeId } from '../../../contract/hostContract.js';

export interface FleetSpec {
  namePrefix: string;
  count: number;
  spread: FleetSpread;
}

/** Simulated LED device fleets, run in the host process. */
export class FleetHost {
  constructor(private readonly changed: () => void) {}
  setNodes(_ports: Map<NodeId, number>): void {}
  start(_spec: FleetSpec): string {
    this.changed();
    return '';
  }
  async stop(_id: string): Promise<void> {}
  async stopAll(): Promise<void> {}
  specs(): FleetSpec[] {
    return [];
  }
  views(): FleetView[] {
    return [];
  }
  devices(_ports: Map<NodeId, number>): DeviceView[] {
    return [];
  }
}
