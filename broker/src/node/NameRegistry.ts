import { apiError } from '../protocol/errors.js';

/**
 * A two-way map between names (raw bytes, compared byte for byte) and 32-bit ids, allocating the
 * lowest free id in [first, last] and accepting fixed ids. Used for topics and for sub-topics.
 */
export class NameRegistry {
  private readonly byName = new Map<string, number>();
  private readonly byId = new Map<number, Buffer>();
  private readonly keyById = new Map<number, string>();
  private nextId: number;

  constructor(
    private readonly first: number,
    private readonly last: number,
  ) {
    this.nextId = first;
  }

  get size(): number {
    return this.byId.size;
  }

  idOf(name: Buffer): number | undefined {
    return this.byName.get(nameKey(name));
  }

  /** The id of a name given by its key (see nameKey). */
  idOfKey(k: string): number | undefined {
    return this.byName.get(k);
  }

  nameOf(id: number): Buffer | undefined {
    return this.byId.get(id);
  }

  /** The name's key, made once when the name was registered (the cluster keys interest by it). */
  keyOf(id: number): string | undefined {
    return this.keyById.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** The id of `name`, created if new; undefined when the id range is full. */
  ensure(name: Buffer): number | undefined {
    const existing = this.byName.get(nameKey(name));
    if (existing !== undefined) return existing;
    while (this.nextId <= this.last && this.byId.has(this.nextId)) this.nextId++;
    if (this.nextId > this.last) return undefined;
    const id = this.nextId++;
    this.set(name, id);
    return id;
  }

  /** Registers `name` at a fixed id; throws SmqApiError if either is already taken differently. */
  fix(name: Buffer, id: number): void {
    if (!Number.isInteger(id) || id < this.first || id > this.last)
      throw apiError('SMQ_ERR_TID_RANGE', `id ${id} outside ${this.first}..${this.last}`);
    const byName = this.byName.get(nameKey(name));
    if (byName === id) return;
    if (byName !== undefined) throw apiError('SMQ_ERR_NAME_TAKEN', `name already has id ${byName}`);
    if (this.byId.has(id)) throw apiError('SMQ_ERR_TID_TAKEN', `id ${id} is already taken`);
    this.set(name, id);
  }

  entries(): IterableIterator<[number, Buffer]> {
    return this.byId.entries();
  }

  private set(name: Buffer, id: number): void {
    const copy = Buffer.from(name);
    const k = nameKey(copy);
    this.byName.set(k, id);
    this.byId.set(id, copy);
    this.keyById.set(id, k);
  }
}

/** latin1 maps each byte to one char: distinct byte strings never collide, and keys survive JSON. */
export function nameKey(name: Buffer): string {
  return name.toString('latin1');
}
