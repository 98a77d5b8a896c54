import { randomInt } from 'node:crypto';
import { LEFT, RIGHT } from './names.js';

export { LEFT, RIGHT };

/** Returns an integer in [0, n). Injectable so tests can drive the generator. */
export type RandomIntFn = (n: number) => number;

const cryptoRandom: RandomIntFn = (n) => randomInt(n);

/**
 * Docker's `namesgenerator.GetRandomName`: `adjective_surname`, never `boring_wozniak`
 * (Steve Wozniak is not boring), with one random digit appended when `retry > 0`.
 */
export function getRandomName(retry: number, random: RandomIntFn = cryptoRandom): string {
  let name: string;
  do {
    name = `${LEFT[random(LEFT.length)]}_${RIGHT[random(RIGHT.length)]}`;
  } while (name === 'boring_wozniak');
  return retry > 0 ? `${name}${random(10)}` : name;
}

/** How many generated names the engine tries before falling back to the short ID. */
export const NAME_ATTEMPTS = 6;

/**
 * The engine's name allocation (Docker's `generateNewName`): try `NAME_ATTEMPTS` generated names,
 * reserving each with `reserve` (which returns false when the name is taken), then fall back to
 * the container's 12-character short ID. Names carry Docker's leading `/`.
 * Returns the reserved name, or throws if even the short ID cannot be reserved.
 */
export function allocateName(
  id: string,
  reserve: (name: string) => boolean,
  random: RandomIntFn = cryptoRandom,
): string {
  for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    const name = `/${getRandomName(attempt, random)}`;
    if (reserve(name)) return name;
  }
  const fallback = `/${id.slice(0, 12)}`;
  if (!reserve(fallback)) throw new Error(`Conflict. The name "${fallback}" is already in use`);
  return fallback;
}
