import type { NgZone } from '@angular/core';

/** Just enough of NgZone for the Angular specs: runs everything, counts the calls that leave the zone. */
export function fakeZone(): NgZone & { outside: number } {
  const zone = {
    outside: 0,
    runOutsideAngular<T>(fn: () => T): T {
      zone.outside++;
      return fn();
    },
    run<T>(fn: () => T): T {
      return fn();
    },
  };
  return zone as unknown as NgZone & { outside: number };
}
