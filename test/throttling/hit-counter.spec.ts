import { MemoryHitCounter } from '../../src/throttling/memory-hit-counter';
import { describeHitCounterContract } from '../support/hit-counter-contract';

describe('MemoryHitCounter (HitCounter contract)', () => {
  describeHitCounterContract(() => {
    let now = 0;
    const counter = new MemoryHitCounter({ now: () => now });
    return {
      counter,
      elapse: async (ms) => {
        now += ms;
      },
      close: () => counter.onModuleDestroy(),
    };
  });
});
