import { InvalidArgumentError } from 'commander';

/** A commander parser for a number in [min, max]; whole numbers only unless `integer` is false. */
export function numberIn(min: number, max: number, integer = true) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} ${min}..${max}`);
    return n;
  };
}

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
