/** Name ↔ id of one connection (TIDs and sub-topic ids are per node): cleared when it ends. */
export class IdTable {
  private readonly byName = new Map<string, number>();
  private readonly byId = new Map<number, string>();

  set(name: string, id: number): void {
    this.byName.set(name, id);
    this.byId.set(id, name);
  }

  id(name: string): number | undefined {
    return this.byName.get(name);
  }

  name(id: number): string | undefined {
    return this.byId.get(id);
  }

  clear(): void {
    this.byName.clear();
    this.byId.clear();
  }
}
